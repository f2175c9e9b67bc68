package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One partition. Start and size are in the disk's logical sectors.
 *
 * @param number      the partition number (1-based; DOS logical partitions from 5)
 * @param path        the device node: {@code /dev/sda2}, {@code /dev/nvme0n1p2}
 * @param startSector the first sector
 * @param sizeSectors the length in sectors
 * @param type        the GPT type GUID, or the DOS type code without {@code 0x} ({@code 83}, {@code 8e})
 * @param partUuid    the PARTUUID: a GUID on GPT, {@code <disk id>-<nn>} on DOS
 * @param name        the GPT partition name (PARTLABEL)
 * @param flags       parted-style flags: {@code boot}, {@code esp}, {@code bios_grub}, {@code lvm},
 *                    {@code raid}, {@code legacy_boot}, {@code hidden}, …
 * @param attributes  GPT attribute bits as sfdisk prints them ({@code LegacyBIOSBootable GUID:63})
 * @param kind        on DOS, primary, extended or logical; {@code null} on GPT
 * @since 0.1
 */
public record Partition(
        @JsonProperty(required = true) @Positive int number,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.DEVICE_PATH) String path,
        @JsonProperty(required = true) @PositiveOrZero long startSector,
        @JsonProperty(required = true) @Positive long sizeSectors,
        @JsonProperty(required = true) @NotNull String type,
        @Nullable @Pattern(regexp = Patterns.PARTUUID) String partUuid,
        @Nullable String name,
        List<@Pattern(regexp = "^[a-z_]+$") String> flags,
        @Nullable String attributes,
        @Nullable DosPartitionKind kind) {

    public Partition {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        flags = Lists.copy(flags);
    }

    /** {@code part:<device name>}, e.g. {@code part:sda2}, {@code part:nvme0n1p1}. */
    public String id() {
        return "part:" + Lists.devName(path);
    }

    /** The last sector the partition occupies. */
    public long endSector() {
        return startSector + sizeSectors - 1;
    }

    /** Whether the partition carries {@code flag}. */
    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }
}
