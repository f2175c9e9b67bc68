package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The machine itself.
 *
 * @param hostname   the static host name
 * @param machineId  {@code /etc/machine-id}, when the system has one
 * @param arch       the machine architecture as {@code uname -m} prints it ({@code x86_64})
 * @param osRelease  from {@code /etc/os-release}, when present
 * @param kernel     the running kernel
 * @param firmware   how the machine booted: {@code bios} or {@code uefi}
 * @param secureBoot whether UEFI Secure Boot was enabled; {@code null} when unknown or on BIOS
 * @since 0.1
 */
public record Host(
        @JsonProperty(required = true) @NotBlank String hostname,
        @Nullable @Pattern(regexp = Patterns.MACHINE_ID) String machineId,
        @JsonProperty(required = true) @NotBlank String arch,
        @Nullable @Valid OsRelease osRelease,
        @JsonProperty(required = true) @NotNull @Valid Kernel kernel,
        @JsonProperty(required = true) @NotNull Firmware firmware,
        @Nullable Boolean secureBoot) {

    public Host {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(firmware, "firmware");
    }
}
