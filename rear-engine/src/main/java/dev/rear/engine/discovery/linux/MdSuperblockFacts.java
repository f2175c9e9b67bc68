package dev.rear.engine.discovery.linux;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@code mdadm --examine <member>} says about the md superblock (1.x) on one member device.
 *
 * @param device              the member, as the first line names it ({@code /dev/vdb})
 * @param metadata            the superblock version ({@code 1.2})
 * @param featureMap          the feature map as printed ({@code 0x1}: bitmap present)
 * @param arrayUuid           the array's UUID in mdadm's form
 * @param deviceUuid          this member's own UUID
 * @param name                the array name ({@code host:name})
 * @param level               the array's level
 * @param raidDevices         the array's slot count
 * @param availDevSizeSectors the space on this member the array may use, in 512-byte sectors
 * @param arraySizeBytes      the array's size (printed in KiB)
 * @param dataOffsetSectors   where the data starts on this member, in 512-byte sectors
 *                            ({@code mdadm --create --data-offset} takes it back, in KiB)
 * @param superOffsetSectors  where the superblock is, in 512-byte sectors
 * @param bitmap              "Internal Bitmap" as printed ({@code 8 sectors from superblock}), null if none
 * @param layout              the layout, where the level has one
 * @param chunkSizeBytes      the chunk size, where the level stripes
 * @param role                the member's role
 * @param slot                its slot when {@link Role#ACTIVE} or {@link Role#REPLACEMENT}, else null
 * @param arrayState          "Array State" without its legend ({@code AA}, {@code A.})
 * @param events              the event count
 */
public record MdSuperblockFacts(
        String device,
        String metadata,
        String featureMap,
        String arrayUuid,
        String deviceUuid,
        @Nullable String name,
        String level,
        int raidDevices,
        long availDevSizeSectors,
        @Nullable Long arraySizeBytes,
        long dataOffsetSectors,
        long superOffsetSectors,
        @Nullable String bitmap,
        @Nullable String layout,
        @Nullable Long chunkSizeBytes,
        Role role,
        @Nullable Integer slot,
        String arrayState,
        long events) {

    public MdSuperblockFacts {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(arrayUuid, "arrayUuid");
        Objects.requireNonNull(deviceUuid, "deviceUuid");
        Objects.requireNonNull(role, "role");
    }

    /** The data offset in bytes. */
    public long dataOffsetBytes() {
        return Math.multiplyExact(dataOffsetSectors, 512L);
    }

    /** "Device Role" of a 1.x superblock. */
    public enum Role {
        /** {@code Active device N}. */
        ACTIVE,
        /** {@code spare}. */
        SPARE,
        /** {@code Replacement device N}: being rebuilt to replace slot N. */
        REPLACEMENT,
        /** {@code Journal}: the write journal of a raid4/5/6. */
        JOURNAL
    }
}
