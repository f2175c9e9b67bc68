package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The filesystem types rear can recreate. A filesystem of another type is recorded in
 * {@code excluded}, never silently dropped.
 *
 * @since 0.1
 */
public enum FilesystemType {
    @JsonProperty("ext2") EXT2("ext"),
    @JsonProperty("ext3") EXT3("ext"),
    @JsonProperty("ext4") EXT4("ext"),
    @JsonProperty("xfs") XFS("xfs"),
    @JsonProperty("btrfs") BTRFS("btrfs"),
    @JsonProperty("vfat") VFAT("vfat");

    private final String parametersKind;

    FilesystemType(String parametersKind) {
        this.parametersKind = parametersKind;
    }

    /** The {@code kind} of {@link FilesystemParameters} that belongs to this type. */
    public String parametersKind() {
        return parametersKind;
    }
}
