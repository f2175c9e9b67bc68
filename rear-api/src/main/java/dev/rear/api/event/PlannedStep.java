package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * One step of a plan as the journal records it.
 *
 * @param id          the step's stable id ({@code mkfs:/dev/sda2}), unique in the plan
 * @param kind        what sort of step ({@code wipe}, {@code partition-table}, {@code mkfs}, {@code restore})
 * @param description one line for people
 * @param devices     the block devices the step writes to; empty for steps that write to none
 * @since 0.1
 */
public record PlannedStep(@JsonProperty(required = true) String id, @JsonProperty(required = true) String kind,
                          @JsonProperty(required = true) String description, List<String> devices) {
    public PlannedStep {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        devices = devices == null ? List.of() : List.copyOf(devices);
    }
}
