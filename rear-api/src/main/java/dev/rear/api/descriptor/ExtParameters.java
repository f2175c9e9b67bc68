package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * ext2/3/4 creation parameters, from {@code tune2fs -l}.
 *
 * @param blockSizeBytes    {@code Block size}
 * @param inodeSizeBytes    {@code Inode size}
 * @param inodeRatioBytes   bytes per inode, as given to {@code mke2fs -i} (16384 by default, 4096 for the {@code small} type)
 * @param blockCount        {@code Block count}
 * @param inodeCount        {@code Inode count}
 * @param reservedBlocks    {@code Reserved block count}
 * @param features          {@code Filesystem features}, in tune2fs's order
 * @param maxMountCount     {@code Maximum mount count}; -1 when mount-count checking is off
 * @param checkIntervalSeconds {@code Check interval} in seconds; 0 when time-based checking is off
 * @param defaultMountOptions {@code Default mount options} ({@code user_xattr}, {@code acl}), none when empty
 * @since 0.1
 */
public record ExtParameters(
        @JsonProperty(required = true) @Positive int blockSizeBytes,
        @JsonProperty(required = true) @Positive int inodeSizeBytes,
        @Nullable @Positive Long inodeRatioBytes,
        @Nullable @Positive Long blockCount,
        @Nullable @Positive Long inodeCount,
        @Nullable @PositiveOrZero Long reservedBlocks,
        List<@Pattern(regexp = "^[a-z0-9_]+$") String> features,
        @Nullable @Min(-1) Integer maxMountCount,
        @Nullable @PositiveOrZero Long checkIntervalSeconds,
        List<@Pattern(regexp = "^[a-z0-9_]+$") String> defaultMountOptions) implements FilesystemParameters {

    public ExtParameters {
        features = Lists.copy(features);
        defaultMountOptions = Lists.copy(defaultMountOptions);
    }

    @Override
    @JsonIgnore
    public String kind() {
        return "ext";
    }
}
