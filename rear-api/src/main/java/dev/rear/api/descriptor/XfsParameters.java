package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

/**
 * xfs geometry, from {@code xfs_info}. Booleans are {@code null} where the xfsprogs that made the
 * descriptor did not report the feature.
 *
 * @param blockSizeBytes    {@code data bsize}
 * @param sectorSizeBytes   {@code meta-data sectsz}
 * @param inodeSizeBytes    {@code isize}
 * @param agCount           {@code agcount}
 * @param agSizeBlocks      {@code agsize}
 * @param logBlocks         {@code log blocks}
 * @param stripeUnitBlocks  {@code sunit}
 * @param stripeWidthBlocks {@code swidth}
 * @param crc               {@code crc=1}
 * @param finobt            {@code finobt=1}
 * @param sparseInodes      {@code sparse=1}
 * @param reflink           {@code reflink=1}
 * @param rmapbt            {@code rmapbt=1}
 * @param bigtime           {@code bigtime=1}
 * @since 0.1
 */
public record XfsParameters(
        @JsonProperty(required = true) @Positive int blockSizeBytes,
        @JsonProperty(required = true) @Positive int sectorSizeBytes,
        @JsonProperty(required = true) @Positive int inodeSizeBytes,
        @JsonProperty(required = true) @Positive int agCount,
        @Nullable @Positive Long agSizeBlocks,
        @Nullable @Positive Long logBlocks,
        @Nullable @PositiveOrZero Integer stripeUnitBlocks,
        @Nullable @PositiveOrZero Integer stripeWidthBlocks,
        @Nullable Boolean crc,
        @Nullable Boolean finobt,
        @Nullable Boolean sparseInodes,
        @Nullable Boolean reflink,
        @Nullable Boolean rmapbt,
        @Nullable Boolean bigtime) implements FilesystemParameters {

    @Override
    @JsonIgnore
    public String kind() {
        return "xfs";
    }
}
