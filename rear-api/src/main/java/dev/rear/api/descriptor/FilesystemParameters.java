package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The creation parameters of a filesystem, one shape per family, told apart by {@code kind}:
 * {@code ext}, {@code xfs}, {@code btrfs}, {@code vfat}. (Jackson 2 does not read {@code permits},
 * hence the explicit subtype list.)
 *
 * @since 0.1
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ExtParameters.class, name = "ext"),
    @JsonSubTypes.Type(value = XfsParameters.class, name = "xfs"),
    @JsonSubTypes.Type(value = BtrfsParameters.class, name = "btrfs"),
    @JsonSubTypes.Type(value = VfatParameters.class, name = "vfat")
})
public sealed interface FilesystemParameters
        permits ExtParameters, XfsParameters, BtrfsParameters, VfatParameters {

    /** The family name, equal to {@link FilesystemType#parametersKind()} of the matching types. */
    String kind();
}
