package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

/**
 * FAT creation parameters ({@code mkfs.vfat -F -i}).
 *
 * @param volumeId          the volume id as blkid prints it ({@code 1A2B-3C4D})
 * @param fatSize           12, 16 or 32
 * @param sectorsPerCluster the cluster size in sectors
 * @since 0.1
 */
public record VfatParameters(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.VFAT_VOLUME_ID) String volumeId,
        @JsonProperty(required = true) int fatSize,
        @Nullable @Positive Integer sectorsPerCluster) implements FilesystemParameters {

    public VfatParameters {
        java.util.Objects.requireNonNull(volumeId, "volumeId");
        if (fatSize != 12 && fatSize != 16 && fatSize != 32) {
            throw new IllegalArgumentException("fatSize must be 12, 16 or 32, not " + fatSize);
        }
    }

    @Override
    @JsonIgnore
    public String kind() {
        return "vfat";
    }
}
