package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;

/**
 * A step did what it was for.
 *
 * @param stepId the step
 * @param facts  what it produced that later steps need ({@code uuid} of a new filesystem, …)
 * @since 0.1
 */
public record StepSucceeded(@JsonProperty(required = true) String stepId, Map<String, String> facts) implements JournalEvent {
    public static final String TYPE = "step.succeeded";

    public StepSucceeded {
        Objects.requireNonNull(stepId, "stepId");
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }
}
