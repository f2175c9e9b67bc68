package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * btrfs creation parameters and subvolumes, from {@code btrfs inspect-internal dump-super},
 * {@code btrfs filesystem df}, {@code btrfs subvolume list} and {@code get-default}.
 *
 * @param nodeSizeBytes      the node size
 * @param sectorSizeBytes    the sector size
 * @param dataProfile        the data profile: {@code single}, {@code dup}, {@code raid0}, {@code raid1}, …
 * @param metadataProfile    the metadata profile
 * @param devices            further member devices of a multi-device filesystem (the first is the
 *                           filesystem's own {@code device})
 * @param subvolumes         the subvolumes
 * @param defaultSubvolumeId the default subvolume ({@code get-default}); 5 for the top level
 * @param features           the incompat features to give {@code mkfs.btrfs -O} ({@code no-holes},
 *                           {@code free-space-tree}, {@code raid-stripe-tree}), as {@code mkfs.btrfs -O list-all} names them
 * @since 0.1
 */
public record BtrfsParameters(
        @JsonProperty(required = true) @Positive int nodeSizeBytes,
        @JsonProperty(required = true) @Positive int sectorSizeBytes,
        @Nullable String dataProfile,
        @Nullable String metadataProfile,
        List<@Pattern(regexp = Patterns.DEVICE_PATH) String> devices,
        List<@Valid BtrfsSubvolume> subvolumes,
        @Nullable @Positive Long defaultSubvolumeId,
        List<@Pattern(regexp = "^[a-z0-9-]+$") String> features) implements FilesystemParameters {

    /** The id of the top-level subvolume, which always exists and is never listed. */
    public static final long TOP_LEVEL_ID = 5;

    public BtrfsParameters {
        devices = Lists.copy(devices);
        subvolumes = Lists.copy(subvolumes);
        features = Lists.copy(features);
    }

    @Override
    @JsonIgnore
    public String kind() {
        return "btrfs";
    }
}
