package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What boots the machine, as found installed (boot code in the MBR or a {@code bios_grub}
 * partition; EFI entries pointing at files on the ESP), not as guessed from packages.
 *
 * @since 0.1
 */
public enum BootloaderType {
    @JsonProperty("grub2-bios") GRUB2_BIOS,
    @JsonProperty("grub2-efi") GRUB2_EFI,
    @JsonProperty("systemd-boot") SYSTEMD_BOOT,
    @JsonProperty("none") NONE;

    /** Whether this bootloader is started by UEFI firmware and so lives on an ESP. */
    public boolean isEfi() {
        return this == GRUB2_EFI || this == SYSTEMD_BOOT;
    }
}
