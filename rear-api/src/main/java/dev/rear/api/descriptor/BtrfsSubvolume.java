package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A btrfs subvolume, from {@code btrfs subvolume list}.
 *
 * @param id         the subvolume id (5 is the top level, never listed)
 * @param path       its path from the top level ({@code @/home}, {@code @/.snapshots})
 * @param mountpoint where it is mounted on its own, if it is
 * @since 0.1
 */
public record BtrfsSubvolume(
        @JsonProperty(required = true) @Positive long id,
        @JsonProperty(required = true) @NotBlank String path,
        @Nullable @Pattern(regexp = Patterns.MOUNTPOINT) String mountpoint) {

    public BtrfsSubvolume {
        Objects.requireNonNull(path, "path");
    }
}
