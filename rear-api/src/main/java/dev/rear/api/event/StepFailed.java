package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A step failed; the run stops here and can be resumed.
 *
 * @param stepId  the step
 * @param message one sentence naming the command and what it said
 * @since 0.1
 */
public record StepFailed(@JsonProperty(required = true) String stepId, @JsonProperty(required = true) String message)
        implements JournalEvent {
    public static final String TYPE = "step.failed";

    public StepFailed {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(message, "message");
    }
}
