package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An LVM logical volume. Its id and paths need its group: see {@link VolumeGroup#idOf}.
 *
 * @param name              the LV name
 * @param uuid              the LV UUID
 * @param sizeBytes         the LV size; for a thin volume its virtual size
 * @param segmentType       linear, striped, mirror, raid0/1/4/5/6/10, thin-pool or thin
 * @param stripes           the number of stripes (striped, raid0/4/5/6/10)
 * @param stripeSizeBytes   the stripe size
 * @param mirrors           the number of data copies (mirror, raid1, raid10), the original included
 * @param pool              for a thin volume, the name of its thin pool in the same VG
 * @param metadataSizeBytes for a thin pool, the size of its metadata LV
 * @param chunkSizeBytes    for a thin pool, its chunk size
 * @since 0.1
 */
public record LogicalVolume(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.LVM_NAME) String name,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.LVM_UUID) String uuid,
        @JsonProperty(required = true) @Positive long sizeBytes,
        @JsonProperty(required = true) @NotNull LvSegmentType segmentType,
        @Nullable @Positive Integer stripes,
        @Nullable @Positive Long stripeSizeBytes,
        @Nullable @Positive Integer mirrors,
        @Nullable @Pattern(regexp = Patterns.LVM_NAME) String pool,
        @Nullable @Positive Long metadataSizeBytes,
        @Nullable @Positive Long chunkSizeBytes) {

    public LogicalVolume {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(segmentType, "segmentType");
    }

    /**
     * The space this LV takes from its volume group's extents, in bytes: its size times its data
     * copies, plus parity for raid4/5/6, plus a pool's metadata; zero for a thin volume, whose
     * space comes from its pool.
     */
    public long allocatedBytes() {
        int stripeCount = stripes == null ? 1 : stripes;
        int copies = mirrors == null ? 1 : mirrors;
        return switch (segmentType) {
            case THIN -> 0;
            case THIN_POOL -> sizeBytes + (metadataSizeBytes == null ? 0 : metadataSizeBytes);
            case MIRROR, RAID1, RAID10 -> Math.multiplyExact(sizeBytes, Math.max(copies, 2));
            case RAID4, RAID5 -> stripeCount > 1 ? sizeBytes + sizeBytes / (stripeCount - 1) : sizeBytes;
            case RAID6 -> stripeCount > 2 ? sizeBytes + 2 * (sizeBytes / (stripeCount - 2)) : sizeBytes;
            default -> sizeBytes;
        };
    }
}
