package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.Objects;

/**
 * An LVM physical volume.
 *
 * @param device    the device the PV label is on: a partition, an md array, a LUKS mapping, a disk
 * @param uuid      the PV UUID (recreated with {@code pvcreate --uuid} on recovery)
 * @param sizeBytes the PV size ({@code pv_size})
 * @since 0.1
 */
public record PhysicalVolume(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.DEVICE_PATH) String device,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.LVM_UUID) String uuid,
        @JsonProperty(required = true) @Positive long sizeBytes) {

    public PhysicalVolume {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(uuid, "uuid");
    }

    /** {@code pv:<device name>}: {@code pv:md0}, {@code pv:sda2}, {@code pv:mapper/cryptroot}. */
    public String id() {
        return "pv:" + Lists.devName(device);
    }
}
