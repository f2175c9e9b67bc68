package dev.rear.testkit;

import dev.rear.api.spi.ProviderLog;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ProviderLog} that keeps every line as {@code LEVEL message} ({@code "INFO restoring /home"}).
 *
 * <p>Thread-safe. <b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public final class RecordingProviderLog implements ProviderLog {

    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void debug(String message) {
        lines.add("DEBUG " + message);
    }

    @Override
    public synchronized void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public synchronized void warn(String message) {
        lines.add("WARN " + message);
    }

    /** Every line, in order. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
