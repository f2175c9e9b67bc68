package dev.rear.engine.discovery.linux;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of a LUKS header, from {@code cryptsetup luksDump}: what it takes to format an
 * equivalent container. Never a salt, a digest, a key or a passphrase: the parser drops those
 * lines unread.
 *
 * @param version          1 or 2
 * @param uuid             the LUKS UUID
 * @param label            the LUKS2 label; null when there is none ({@code (no label)}) and always for LUKS1
 * @param subsystem        the LUKS2 subsystem; null when there is none and for LUKS1
 * @param cipher           cipher and mode joined: {@code aes-xts-plain64}
 * @param keySizeBits      the volume key size in bits (512 for AES-256 in XTS mode)
 * @param hash             LUKS1: "Hash spec"; LUKS2: the AF hash of the first active key slot
 *                         (what {@code luksFormat --hash} set)
 * @param pbkdf            the first active key slot's key derivation: {@code pbkdf2},
 *                         {@code argon2i}, {@code argon2id}
 * @param dataOffsetBytes  where the encrypted data starts on the device
 * @param sectorSizeBytes  the LUKS2 encryption sector size; 512 for LUKS1
 * @param flags            LUKS2 persistent flags ({@code allow-discards}); empty for none and for LUKS1
 * @param keyslots         the active key slots, in slot order
 */
public record LuksHeaderFacts(
        int version,
        String uuid,
        @Nullable String label,
        @Nullable String subsystem,
        String cipher,
        int keySizeBits,
        String hash,
        String pbkdf,
        long dataOffsetBytes,
        int sectorSizeBytes,
        List<String> flags,
        List<Keyslot> keyslots) {

    public LuksHeaderFacts {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(pbkdf, "pbkdf");
        flags = List.copyOf(flags);
        keyslots = List.copyOf(keyslots);
        if (keyslots.isEmpty()) {
            throw new IllegalArgumentException("a LUKS header without an active key slot");
        }
    }

    /**
     * One active key slot's cost parameters, for {@code luksFormat}/{@code luksAddKey}.
     *
     * @param slot        the slot number
     * @param pbkdf       {@code pbkdf2}, {@code argon2i} or {@code argon2id}
     * @param pbkdfHash   pbkdf2's hash (LUKS2 "Hash"; for LUKS1 the header's hash spec); null for argon2
     * @param iterations  pbkdf2 iterations; null for argon2
     * @param timeCost    argon2 "Time cost"; null for pbkdf2
     * @param memoryKib   argon2 "Memory" in KiB; null for pbkdf2
     * @param threads     argon2 "Threads"; null for pbkdf2
     * @param afHash      the anti-forensic splitter's hash (LUKS2 "AF hash"; LUKS1 the hash spec)
     * @param keySizeBits the key size this slot unlocks (LUKS2 "Key"; LUKS1 "MK bits")
     */
    public record Keyslot(
            int slot,
            String pbkdf,
            @Nullable String pbkdfHash,
            @Nullable Long iterations,
            @Nullable Long timeCost,
            @Nullable Long memoryKib,
            @Nullable Integer threads,
            String afHash,
            int keySizeBits) {}
}
