package dev.rear.engine.plan;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.event.PlannedStep;
import java.util.List;
import java.util.Objects;

/**
 * One step of a plan.
 *
 * @param id          stable id ({@code wipe:/dev/sda}, {@code table:/dev/sda}, {@code md:md0}, {@code mkfs:/dev/vg0/root})
 * @param kind        {@code wipe}, {@code partition-table}, {@code md}, {@code luks-format}, {@code luks-open},
 *                    {@code pv}, {@code vg}, {@code lv}, {@code mkfs}, {@code mkswap}, {@code btrfs-subvolumes},
 *                    {@code mount}, {@code hook}
 * @param description one line for people
 * @param devices     the devices it writes to (on the mapped targets)
 * @param uses        devices and mounts ({@code mnt:/mnt/local/boot}) that must exist before it runs
 * @param creates     devices and mounts it brings into existence
 * @param commands    what it runs, in order
 * @param check       how to tell its effect is already there
 * @param preview     for a step whose work is a {@code StepAction} (decided when it
 *                    runs, e.g. from what the restored system holds): what that action will do, one line
 *                    each, for people and as comments of {@code --format=sh}; empty for a plain step
 */
public record Step(String id, String kind, String description, List<String> devices, List<String> uses,
                   List<String> creates, List<CommandSpec> commands, Check check, List<String> preview) {

    /** A plain step: its commands are all it does. */
    public Step(String id, String kind, String description, List<String> devices, List<String> uses,
                List<String> creates, List<CommandSpec> commands, Check check) {
        this(id, kind, description, devices, uses, creates, commands, check, List.of());
    }

    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        devices = List.copyOf(devices);
        uses = List.copyOf(uses);
        creates = List.copyOf(creates);
        commands = List.copyOf(commands);
        Objects.requireNonNull(check, "check");
        preview = List.copyOf(preview);
    }

    public PlannedStep toPlannedStep() {
        return new PlannedStep(id, kind, description, devices);
    }
}
