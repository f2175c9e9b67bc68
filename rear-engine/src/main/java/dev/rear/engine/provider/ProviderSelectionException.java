package dev.rear.engine.provider;

import dev.rear.api.RearException;
import java.util.List;

/**
 * The backup provider asked for cannot be used: no provider has that id, several claim it, or the
 * one that has it was refused. The message names the ids that are available.
 */
public final class ProviderSelectionException extends RearException {
    private static final long serialVersionUID = 1L;

    private final String requestedId;
    private final List<String> available;

    ProviderSelectionException(String requestedId, List<String> available, String message) {
        super(message);
        this.requestedId = requestedId;
        this.available = List.copyOf(available);
    }

    /** The id that was asked for. */
    public String requestedId() {
        return requestedId;
    }

    /** The ids of the providers that loaded and could be selected, sorted. */
    public List<String> available() {
        return available;
    }
}
