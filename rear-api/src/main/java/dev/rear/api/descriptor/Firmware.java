package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the machine booted: {@code /sys/firmware/efi} present means UEFI.
 *
 * @since 0.1
 */
public enum Firmware {
    @JsonProperty("bios") BIOS,
    @JsonProperty("uefi") UEFI
}
