package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A component deliberately left out of the descriptor, and why.
 *
 * @param component the component's id ({@code disk:sdc}, {@code vg:scratch}, {@code fs:/mnt/backup})
 * @param rule      the rule that left it out, by its ReaR name where it has one:
 *                  {@code AUTOEXCLUDE_DISKS}, {@code EXCLUDE_COMPONENTS}, {@code EXCLUDE_VG},
 *                  {@code ONLY_INCLUDE_VG}, {@code EXCLUDE_MD}, {@code AUTOEXCLUDE_USB},
 *                  {@code BACKUP_TARGET}, {@code UNSUPPORTED_TYPE}, …
 * @param reason    one sentence for the administrator
 * @since 0.1
 */
public record Excluded(
        @JsonProperty(required = true) @NotBlank @Pattern(regexp = "^[a-z]+:.+$") String component,
        @JsonProperty(required = true) @NotBlank @Pattern(regexp = "^[A-Z][A-Z0-9_]*$") String rule,
        @Nullable String reason) {

    public Excluded {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(rule, "rule");
    }
}
