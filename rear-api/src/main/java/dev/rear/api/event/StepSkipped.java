package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A step was not run because its effect was already there (a resumed run, a re-run).
 *
 * @param stepId the step
 * @param reason what the check found
 * @since 0.1
 */
public record StepSkipped(@JsonProperty(required = true) String stepId, @JsonProperty(required = true) String reason)
        implements JournalEvent {
    public static final String TYPE = "step.skipped";

    public StepSkipped {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(reason, "reason");
    }
}
