package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The operating system, from {@code /etc/os-release}.
 *
 * @param id         {@code ID} ({@code debian}, {@code sles}, {@code rhel})
 * @param idLike     {@code ID_LIKE}, split on blanks
 * @param versionId  {@code VERSION_ID}, absent on rolling releases
 * @param prettyName {@code PRETTY_NAME}
 * @since 0.1
 */
public record OsRelease(
        @JsonProperty(required = true) @NotBlank String id,
        List<String> idLike,
        @Nullable String versionId,
        @Nullable String prettyName) {

    public OsRelease {
        Objects.requireNonNull(id, "id");
        idLike = Lists.copy(idLike);
    }
}
