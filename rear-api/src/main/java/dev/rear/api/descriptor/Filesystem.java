package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A filesystem: where it lives, how it is mounted, and how to make it again.
 *
 * @param device     the block device holding it ({@code /dev/sda1}, {@code /dev/vg0/root},
 *                   {@code /dev/mapper/cryptroot}, a whole disk)
 * @param type       ext2/3/4, xfs, btrfs or vfat
 * @param uuid       the filesystem UUID (a volume id on vfat), recreated on recovery
 * @param label      the filesystem label
 * @param mounts     every mount of it, in {@code /etc/fstab} order; empty when unmounted
 * @param parameters the type's creation parameters; its {@code kind} matches the type
 * @param usedBytes  the bytes in use when the descriptor was captured ({@code statvfs} of its mount
 *                   point: {@code (f_blocks - f_bfree) * f_frsize}); {@code null} when unmounted or
 *                   unknown. A capture detail, not layout: it lets recovery shrink the filesystem
 *                   onto a smaller target without being told its used space
 * @since 0.1
 */
public record Filesystem(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.DEVICE_PATH) String device,
        @JsonProperty(required = true) @NotNull FilesystemType type,
        @Nullable @Pattern(regexp = Patterns.FS_UUID) String uuid,
        @Nullable String label,
        List<@Valid Mount> mounts,
        @Nullable @Valid FilesystemParameters parameters,
        @Nullable @PositiveOrZero Long usedBytes) {

    @JsonCreator
    public Filesystem {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(type, "type");
        mounts = Lists.copy(mounts);
    }

    /** A filesystem whose used space is unknown. */
    public Filesystem(String device, FilesystemType type, @Nullable String uuid, @Nullable String label, List<Mount> mounts,
                      @Nullable FilesystemParameters parameters) {
        this(device, type, uuid, label, mounts, parameters, null);
    }

    /** This filesystem with {@code usedBytes} recorded (or cleared with {@code null}). */
    public Filesystem withUsedBytes(@Nullable Long used) {
        return new Filesystem(device, type, uuid, label, mounts, parameters, used);
    }

    /** {@code fs:<first mount point>}, or {@code fs:<device name>} when it is not mounted. */
    public String id() {
        return "fs:" + (mounts.isEmpty() ? Lists.devName(device) : mounts.get(0).mountpoint());
    }
}
