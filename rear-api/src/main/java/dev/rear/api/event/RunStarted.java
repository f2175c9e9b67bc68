package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run began: what it is, on what, with which plan.
 *
 * @param runId            the run's id (also in every entry's envelope)
 * @param workflow         {@code recover}, {@code layoutonly}, {@code mkbackup}, …
 * @param descriptorSha256 the identity of the descriptor the plan was made from
 * @param mapping          original device → target device, as confirmed
 * @param plan             the steps, in the order they will run
 * @since 0.1
 */
public record RunStarted(@JsonProperty(required = true) String runId, @JsonProperty(required = true) String workflow,
                         @JsonProperty(required = true) String descriptorSha256, Map<String, String> mapping,
                         List<PlannedStep> plan) implements JournalEvent {
    public static final String TYPE = "run.started";

    public RunStarted {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(descriptorSha256, "descriptorSha256");
        mapping = mapping == null ? Map.of() : Map.copyOf(mapping);
        plan = plan == null ? List.of() : List.copyOf(plan);
    }
}
