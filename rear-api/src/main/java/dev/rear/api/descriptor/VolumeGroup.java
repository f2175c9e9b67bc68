package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Objects;

/**
 * An LVM volume group.
 *
 * @param name             the VG name
 * @param uuid             the VG UUID
 * @param extentSizeBytes  the physical extent size
 * @param sizeBytes        the VG's capacity ({@code vg_size})
 * @param physicalVolumes  its PVs
 * @param logicalVolumes   its LVs, thin pools and thin volumes included (hidden sub-LVs are not)
 * @since 0.1
 */
public record VolumeGroup(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.LVM_NAME) String name,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.LVM_UUID) String uuid,
        @JsonProperty(required = true) @Positive long extentSizeBytes,
        @JsonProperty(required = true) @Positive long sizeBytes,
        @JsonProperty(required = true) @NotEmpty List<@Valid PhysicalVolume> physicalVolumes,
        List<@Valid LogicalVolume> logicalVolumes) {

    public VolumeGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        physicalVolumes = Lists.copy(physicalVolumes);
        logicalVolumes = Lists.copy(logicalVolumes);
    }

    /** {@code vg:<name>}. */
    public String id() {
        return "vg:" + name;
    }

    /** {@code lv:<vg>/<lv>} for one of this group's logical volumes. */
    public String idOf(LogicalVolume lv) {
        return "lv:" + name + "/" + lv.name();
    }

    /** The device node of one of this group's logical volumes: {@code /dev/<vg>/<lv>}. */
    public String pathOf(LogicalVolume lv) {
        return "/dev/" + name + "/" + lv.name();
    }

    /**
     * The device-mapper node of one of this group's logical volumes:
     * {@code /dev/mapper/<vg>-<lv>} with every hyphen in either name doubled, as LVM names it.
     */
    public String mapperPathOf(LogicalVolume lv) {
        return "/dev/mapper/" + name.replace("-", "--") + "-" + lv.name().replace("-", "--");
    }
}
