package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A step began. A step started and never ended was interrupted: on resume it is checked again.
 *
 * @param stepId the step
 * @since 0.1
 */
public record StepStarted(@JsonProperty(required = true) String stepId) implements JournalEvent {
    public static final String TYPE = "step.started";

    public StepStarted {
        Objects.requireNonNull(stepId, "stepId");
    }
}
