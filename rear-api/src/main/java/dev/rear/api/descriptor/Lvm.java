package dev.rear.api.descriptor;

import jakarta.validation.Valid;
import java.util.List;

/**
 * LVM: the volume groups, each with its physical and logical volumes, from
 * {@code lvm fullreport --reportformat json --units b}.
 *
 * @param volumeGroups the volume groups in scope
 * @since 0.1
 */
public record Lvm(List<@Valid VolumeGroup> volumeGroups) {

    /** No LVM at all. */
    public static final Lvm EMPTY = new Lvm(List.of());

    public Lvm {
        volumeGroups = Lists.copy(volumeGroups);
    }
}
