package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Objects;

/**
 * One place a filesystem is mounted.
 *
 * @param mountpoint the absolute, normalised mount point
 * @param options    the mount options as {@code /etc/fstab} has them (for btrfs, {@code subvol=} included)
 * @since 0.1
 */
public record Mount(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.MOUNTPOINT) String mountpoint,
        List<String> options) {

    public Mount {
        Objects.requireNonNull(mountpoint, "mountpoint");
        options = Lists.copy(options);
    }
}
