package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.VmFixtures.read;
import static dev.rear.engine.discovery.linux.VmFixtures.replacing;
import static dev.rear.engine.discovery.linux.VmFixtures.withoutLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CryptsetupLuksDumpParser} on cryptsetup 2.6.1 dumps captured in a VM
 * ({@code fixtures/cryptsetup/vm-luks*}). LUKS2: {@code luksFormat --type luks2 --cipher
 * aes-xts-plain64 --key-size 512 --hash sha256 --pbkdf argon2id --pbkdf-memory 32768
 * --pbkdf-parallel 1 --pbkdf-force-iterations 4 --label rear-luks2 --subsystem rear-test}, plus a
 * pbkdf2/sha512 key in slot 3. LUKS1: the same cipher, sha256, 1000 iterations.
 */
class CryptsetupLuksDumpParserTest {

    static final String LUKS2_UUID = "5e1f0c2a-7b3d-4c8e-9f10-a2b3c4d5e6f7";
    static final String LUKS1_UUID = "0e7e1c5a-1111-4a2b-8c3d-4e5f60718293";

    @Test
    void luks2Argon2idWithLabel() {
        LuksHeaderFacts h = CryptsetupLuksDumpParser.parse(read("cryptsetup/vm-luks2-luksdump.txt"));

        assertThat(h.version()).isEqualTo(2);
        assertThat(h.uuid()).isEqualTo(LUKS2_UUID);
        assertThat(h.label()).isEqualTo("rear-luks2");
        assertThat(h.subsystem()).isEqualTo("rear-test");
        assertThat(h.cipher()).isEqualTo("aes-xts-plain64");
        assertThat(h.keySizeBits()).isEqualTo(512);
        assertThat(h.hash()).isEqualTo("sha256");
        assertThat(h.pbkdf()).isEqualTo("argon2id");
        assertThat(h.dataOffsetBytes()).as("LUKS2 default: 16 MiB of header").isEqualTo(16L * 1024 * 1024);
        assertThat(h.sectorSizeBytes()).isEqualTo(512);
        assertThat(h.flags()).isEmpty();
    }

    @Test
    void luks2KeepsTheCostOfEveryActiveSlot() {
        LuksHeaderFacts h = CryptsetupLuksDumpParser.parse(read("cryptsetup/vm-luks2-luksdump.txt"));

        assertThat(h.keyslots())
                .extracting(LuksHeaderFacts.Keyslot::slot, LuksHeaderFacts.Keyslot::pbkdf,
                        LuksHeaderFacts.Keyslot::pbkdfHash, LuksHeaderFacts.Keyslot::iterations,
                        LuksHeaderFacts.Keyslot::timeCost, LuksHeaderFacts.Keyslot::memoryKib,
                        LuksHeaderFacts.Keyslot::threads, LuksHeaderFacts.Keyslot::afHash,
                        LuksHeaderFacts.Keyslot::keySizeBits)
                .containsExactly(
                        tuple(0, "argon2id", null, null, 4L, 32768L, 1, "sha256", 512),
                        tuple(3, "pbkdf2", "sha512", 1000L, null, null, null, "sha512", 512));
    }

    @Test
    void luks2TextAndJsonMetadataDescribeTheSameHeader() throws Exception {
        LuksHeaderFacts h = CryptsetupLuksDumpParser.parse(read("cryptsetup/vm-luks2-luksdump.txt"));
        JsonNode json = new ObjectMapper().readTree(read("cryptsetup/vm-luks2-luksdump-json.json"));

        List<String> jsonSlots = new ArrayList<>();
        json.get("keyslots").fieldNames().forEachRemaining(jsonSlots::add);
        assertThat(h.keyslots()).extracting(k -> Integer.toString(k.slot())).containsExactlyElementsOf(jsonSlots);
        for (LuksHeaderFacts.Keyslot k : h.keyslots()) {
            JsonNode slot = json.get("keyslots").get(Integer.toString(k.slot()));
            assertThat(slot.get("kdf").get("type").asText()).isEqualTo(k.pbkdf());
            assertThat(slot.get("key_size").asInt() * 8).isEqualTo(k.keySizeBits());
            assertThat(slot.get("af").get("hash").asText()).isEqualTo(k.afHash());
        }
        JsonNode segment = json.get("segments").get("0");
        assertThat(segment.get("encryption").asText()).isEqualTo(h.cipher());
        assertThat(segment.get("offset").asLong()).isEqualTo(h.dataOffsetBytes());
        assertThat(segment.get("sector_size").asInt()).isEqualTo(h.sectorSizeBytes());
    }

    @Test
    void luks1() {
        LuksHeaderFacts h = CryptsetupLuksDumpParser.parse(read("cryptsetup/vm-luks1-luksdump.txt"));

        assertThat(h.version()).isEqualTo(1);
        assertThat(h.uuid()).isEqualTo(LUKS1_UUID);
        assertThat(h.label()).isNull();
        assertThat(h.subsystem()).isNull();
        assertThat(h.cipher()).as("Cipher name + Cipher mode").isEqualTo("aes-xts-plain64");
        assertThat(h.keySizeBits()).isEqualTo(512);
        assertThat(h.hash()).isEqualTo("sha256");
        assertThat(h.pbkdf()).isEqualTo("pbkdf2");
        assertThat(h.dataOffsetBytes()).as("Payload offset 4096 sectors").isEqualTo(4096L * 512);
        assertThat(h.keyslots()).extracting(LuksHeaderFacts.Keyslot::slot, LuksHeaderFacts.Keyslot::iterations)
                .containsExactly(tuple(0, 1000L));
    }

    /** The dumps print salts and digests as hex; none of it may reach the result. */
    @ParameterizedTest
    @ValueSource(strings = {"cryptsetup/vm-luks2-luksdump.txt", "cryptsetup/vm-luks1-luksdump.txt"})
    void keepsNoSaltOrDigest(String fixture) {
        String dump = read(fixture);
        String facts = CryptsetupLuksDumpParser.parse(dump).toString().toLowerCase(Locale.ROOT);

        List<String> hexRuns = hexRuns(dump);
        assertThat(hexRuns).as("the fixture has salts and digests to look for").hasSizeGreaterThan(3);
        for (String run : hexRuns) {
            assertThat(facts).doesNotContain(run).doesNotContain(run.replace(" ", ""));
        }
        assertThat(componentNames(LuksHeaderFacts.class)).noneMatch(n -> n.matches("(?i).*(salt|digest|passphrase|volumekey).*"));
        assertThat(componentNames(LuksHeaderFacts.Keyslot.class)).noneMatch(n -> n.matches("(?i).*(salt|digest|passphrase|volumekey).*"));
    }

    /** Every run of three or more hex bytes ("07 6c 67") in the dump, lower case. */
    static List<String> hexRuns(String dump) {
        List<String> out = new ArrayList<>();
        var m = Pattern.compile("\\b[0-9a-f]{2}( [0-9a-f]{2}){2,}\\b").matcher(dump);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static List<String> componentNames(Class<? extends Record> type) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            names.add(c.getName());
        }
        return names;
    }

    @Test
    void refusesGarbage() {
        assertThatThrownBy(() -> CryptsetupLuksDumpParser.parse("Device /dev/vdx is not a valid LUKS device."))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("cryptsetup luksDump"))
                .hasMessageContaining("LUKS header information");
    }

    @Test
    void refusesEmptyOutput() {
        assertThatThrownBy(() -> CryptsetupLuksDumpParser.parse(""))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void refusesAnUnknownVersion() {
        String v3 = replacing("cryptsetup/vm-luks2-luksdump.txt", "Version:       \t2", "Version:       \t3");

        assertThatThrownBy(() -> CryptsetupLuksDumpParser.parse(v3))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("neither 1 nor 2");
    }

    @Test
    void refusesALuks2DumpCutBeforeItsKeyslots() {
        String dump = read("cryptsetup/vm-luks2-luksdump.txt");
        String cut = dump.substring(0, dump.indexOf("Keyslots:"));

        assertThatThrownBy(() -> CryptsetupLuksDumpParser.parse(cut))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("cryptsetup luksDump"))
                .hasMessageContaining("Keyslots");
    }

    @Test
    void refusesALuks2DumpWithoutDataSegment() {
        String noCipher = withoutLine("cryptsetup/vm-luks2-luksdump.txt", "cipher: aes-xts-plain64");

        assertThatThrownBy(() -> CryptsetupLuksDumpParser.parse(noCipher))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("'cipher:' is missing in data segment 0");
    }

    @Test
    void refusesALuks1HeaderWithoutEnabledSlot() {
        String none = replacing("cryptsetup/vm-luks1-luksdump.txt", "Key Slot 0: ENABLED", "Key Slot 0: DISABLED");

        assertThatThrownBy(() -> CryptsetupLuksDumpParser.parse(none))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("no key slot is ENABLED");
    }

    @Test
    void refusesAMissingUuid() {
        String noUuid = withoutLine("cryptsetup/vm-luks1-luksdump.txt", "UUID:");

        assertThatThrownBy(() -> CryptsetupLuksDumpParser.parse(noUuid))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("'UUID:' is missing");
    }

    @Test
    void refusesAnUnknownPbkdf() {
        String odd = replacing("cryptsetup/vm-luks2-luksdump.txt", "PBKDF:      argon2id", "PBKDF:      scrypt");

        assertThatThrownBy(() -> CryptsetupLuksDumpParser.parse(odd))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("unknown PBKDF 'scrypt'");
    }
}
