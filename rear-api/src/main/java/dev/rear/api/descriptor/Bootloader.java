package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What boots the machine and where it is installed.
 *
 * @param type           grub2-bios, grub2-efi, systemd-boot or none
 * @param installDevices for grub2-bios, the disks whose MBR holds GRUB's boot code
 * @param esp            for an EFI bootloader, the EFI system partition's device
 * @param efiEntries     the firmware's boot entries
 * @param bootOrder      {@code BootOrder}: entry numbers, first tried first
 * @since 0.1
 */
public record Bootloader(
        @JsonProperty(required = true) @NotNull BootloaderType type,
        List<@Pattern(regexp = Patterns.DEVICE_PATH) String> installDevices,
        @Nullable @Pattern(regexp = Patterns.DEVICE_PATH) String esp,
        List<@Valid EfiBootEntry> efiEntries,
        List<@Pattern(regexp = Patterns.EFI_BOOT_NUMBER) String> bootOrder) {

    /** No bootloader (a data-only machine, or one booted from the network). */
    public static final Bootloader NONE = new Bootloader(BootloaderType.NONE, List.of(), null, List.of(), List.of());

    public Bootloader {
        Objects.requireNonNull(type, "type");
        installDevices = Lists.copy(installDevices);
        efiEntries = Lists.copy(efiEntries);
        bootOrder = Lists.copy(bootOrder);
    }

    /** {@code bootloader} — there is one per machine. */
    public String id() {
        return "bootloader";
    }
}
