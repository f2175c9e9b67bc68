package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A whole block device and its partition table.
 *
 * <p>Identity, strongest first: {@code wwn}, then {@code serial}, then the kernel name. Kernel
 * names move between boots ({@code sda} ↔ {@code sdb}); the first two do not.
 *
 * @param kernelName         {@code sda}, {@code nvme0n1}, {@code vda}
 * @param path               the device node, {@code /dev/sda}
 * @param byIdLinks          the {@code /dev/disk/by-id} links pointing at this disk
 * @param sizeBytes          the capacity in bytes
 * @param logicalSectorSize  bytes per logical sector (the unit of every sector count on this disk)
 * @param physicalSectorSize bytes per physical sector
 * @param model              the model string, as sysfs reports it, trimmed
 * @param serial             the serial number
 * @param wwn                the World Wide Name ({@code 0x5000c500a1b2c3d4}, {@code eui.…})
 * @param transport          {@code sata}, {@code nvme}, {@code sas}, {@code virtio}, {@code usb}, …
 * @param rotational         whether the medium spins; {@code null} when unknown
 * @param partitionTable     the partition table, of type {@code none} when the disk has none
 * @since 0.1
 */
public record Disk(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.KERNEL_NAME) String kernelName,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.DEVICE_PATH) String path,
        List<@Pattern(regexp = Patterns.DEVICE_PATH) String> byIdLinks,
        @JsonProperty(required = true) @Positive long sizeBytes,
        @JsonProperty(required = true) @Positive int logicalSectorSize,
        @JsonProperty(required = true) @Positive int physicalSectorSize,
        @Nullable String model,
        @Nullable String serial,
        @Nullable String wwn,
        @Nullable String transport,
        @Nullable Boolean rotational,
        @JsonProperty(required = true) @NotNull @Valid PartitionTable partitionTable) {

    public Disk {
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(path, "path");
        byIdLinks = Lists.copy(byIdLinks);
        Objects.requireNonNull(partitionTable, "partitionTable");
    }

    /** {@code disk:<kernel name>}. */
    public String id() {
        return "disk:" + kernelName;
    }

    /** The capacity in logical sectors. */
    public long sizeSectors() {
        return sizeBytes / logicalSectorSize;
    }
}
