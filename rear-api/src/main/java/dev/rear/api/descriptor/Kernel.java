package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Objects;

/**
 * The running kernel.
 *
 * @param release {@code uname -r} ({@code 6.1.0-28-amd64})
 * @param cmdline {@code /proc/cmdline}, verbatim but for the trailing newline
 * @since 0.1
 */
public record Kernel(@JsonProperty(required = true) @NotBlank String release, @JsonProperty(required = true) @NotNull String cmdline) {
    public Kernel {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(cmdline, "cmdline");
    }
}
