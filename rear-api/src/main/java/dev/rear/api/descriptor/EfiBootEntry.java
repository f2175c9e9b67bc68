package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A UEFI boot entry, from {@code efibootmgr -v}.
 *
 * @param number     the entry number, {@code 0001}
 * @param label      its description, {@code debian}
 * @param partUuid   the PARTUUID of the partition holding the loader, for {@code HD(...)} entries
 * @param loaderPath the loader's path on that partition, {@code \EFI\debian\shimx64.efi}
 * @param active     whether the entry is active ({@code *})
 * @since 0.1
 */
public record EfiBootEntry(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.EFI_BOOT_NUMBER) String number,
        @JsonProperty(required = true) @NotNull String label,
        @Nullable @Pattern(regexp = Patterns.GUID) String partUuid,
        @Nullable String loaderPath,
        @JsonProperty(required = true) boolean active) {

    public EfiBootEntry {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(label, "label");
    }
}
