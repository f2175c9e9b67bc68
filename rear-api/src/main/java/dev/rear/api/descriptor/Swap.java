package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A swap area, from {@code /proc/swaps} and {@code blkid}. Swap files are not described: they
 * come back with the backup.
 *
 * @param device   the block device ({@code /dev/sda2}, {@code /dev/vg0/swap})
 * @param uuid     the swap UUID, recreated with {@code mkswap -U}
 * @param label    the swap label
 * @param priority the priority from {@code /proc/swaps} or fstab, when set
 * @since 0.1
 */
public record Swap(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.DEVICE_PATH) String device,
        @Nullable @Pattern(regexp = Patterns.GUID) String uuid,
        @Nullable String label,
        @Nullable Integer priority) {

    public Swap {
        Objects.requireNonNull(device, "device");
    }

    /** {@code swap:<device name>}: {@code swap:sda2}, {@code swap:vg0/swap}. */
    public String id() {
        return "swap:" + Lists.devName(device);
    }
}
