package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a machine is: the root of a {@code rear.descriptor/v1} document.
 *
 * @param schema      always {@value #SCHEMA}; a document of another version is refused on reading
 * @param capturedAt  when discovery ran; volatile, ignored by diff and excluded from nothing else
 * @param host        the machine itself
 * @param disks       whole block devices in scope, each with its partition table
 * @param raidArrays  Linux software RAID (md) arrays
 * @param lvm         LVM volume groups with their physical and logical volumes
 * @param encryption  LUKS containers (parameters only: never key material)
 * @param filesystems filesystems with their mounts and creation parameters
 * @param swap        swap areas
 * @param bootloader  what boots the machine
 * @param network     what the rescue system needs to reach a backup server
 * @param excluded    components deliberately left out, each with the rule that left it out
 * @since 0.1
 */
public record SystemDescriptor(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = "^rear\\.descriptor/v1$") String schema,
        @JsonProperty(required = true) @NotNull Instant capturedAt,
        @JsonProperty(required = true) @NotNull @Valid Host host,
        List<@Valid Disk> disks,
        List<@Valid RaidArray> raidArrays,
        @NotNull @Valid Lvm lvm,
        List<@Valid LuksDevice> encryption,
        List<@Valid Filesystem> filesystems,
        List<@Valid Swap> swap,
        @NotNull @Valid Bootloader bootloader,
        @NotNull @Valid Network network,
        List<@Valid Excluded> excluded) {

    /** The schema identifier this version of rear reads and writes. */
    public static final String SCHEMA = "rear.descriptor/v1";

    public SystemDescriptor {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(host, "host");
        disks = Lists.copy(disks);
        raidArrays = Lists.copy(raidArrays);
        lvm = lvm == null ? Lvm.EMPTY : lvm;
        encryption = Lists.copy(encryption);
        filesystems = Lists.copy(filesystems);
        swap = Lists.copy(swap);
        bootloader = bootloader == null ? Bootloader.NONE : bootloader;
        network = network == null ? Network.EMPTY : network;
        excluded = Lists.copy(excluded);
    }

    /** The same descriptor captured at another time. */
    public SystemDescriptor withCapturedAt(Instant when) {
        return new SystemDescriptor(schema, when, host, disks, raidArrays, lvm, encryption,
                filesystems, swap, bootloader, network, excluded);
    }

    /** The filesystem mounted at {@code mountpoint}, if any. */
    public @Nullable Filesystem filesystemAt(String mountpoint) {
        for (Filesystem fs : filesystems) {
            for (Mount m : fs.mounts()) {
                if (m.mountpoint().equals(mountpoint)) {
                    return fs;
                }
            }
        }
        return null;
    }
}
