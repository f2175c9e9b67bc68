package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A run ended.
 *
 * @param verdict how
 * @param message the one-line verdict shown to the administrator
 * @since 0.1
 */
public record RunFinished(@JsonProperty(required = true) Verdict verdict, @JsonProperty(required = true) String message)
        implements JournalEvent {
    public static final String TYPE = "run.finished";

    /** How a run ended. */
    public enum Verdict {
        @JsonProperty("succeeded") SUCCEEDED,
        @JsonProperty("failed") FAILED,
        @JsonProperty("cancelled") CANCELLED
    }

    public RunFinished {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(message, "message");
    }
}
