package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A LUKS container, from {@code cryptsetup luksDump}. Parameters only: a descriptor never holds a
 * key, a passphrase or a key slot.
 *
 * @param name        the device-mapper name it is opened as ({@code cryptroot}); its plaintext
 *                    device is {@code /dev/mapper/<name>}
 * @param device      the encrypted backing device ({@code /dev/sda3})
 * @param version     1 or 2
 * @param cipher      cipher and mode, {@code aes-xts-plain64}
 * @param keySizeBits the volume key size in bits (512 for AES-256 in XTS mode)
 * @param hash        the hash ({@code sha256})
 * @param pbkdf       the key derivation function of the first active key slot: {@code pbkdf2},
 *                    {@code argon2i}, {@code argon2id}
 * @param uuid        the LUKS UUID (recreated with {@code luksFormat --uuid} on recovery)
 * @param label       the LUKS2 label
 * @since 0.1
 */
public record LuksDevice(
        @JsonProperty(required = true) @NotBlank @Pattern(regexp = "^[A-Za-z0-9._+-]+$") String name,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.DEVICE_PATH) String device,
        @JsonProperty(required = true) @Min(1) @Max(2) int version,
        @JsonProperty(required = true) @NotBlank String cipher,
        @JsonProperty(required = true) @Positive int keySizeBits,
        @Nullable String hash,
        @Nullable @Pattern(regexp = "^(pbkdf2|argon2i|argon2id)$") String pbkdf,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.GUID) String uuid,
        @Nullable String label) {

    public LuksDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(uuid, "uuid");
    }

    /** {@code luks:<name>}. */
    public String id() {
        return "luks:" + name;
    }

    /** The plaintext device, {@code /dev/mapper/<name>}. */
    public String mapperPath() {
        return "/dev/mapper/" + name;
    }
}
