package dev.rear.engine.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.descriptor.SystemDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Strict reading and the canonical form, pinned byte for byte. */
class DescriptorJsonTest {

    /** A minimal descriptor with fields in a deliberately scrambled order. */
    static final String MINIMAL = """
            {"host": {"kernel": {"cmdline": "ro quiet", "release": "6.1.0-28-amd64"},
                      "firmware": "bios", "arch": "x86_64", "hostname": "db1"},
             "capturedAt": "2026-11-26T12:00:00Z",
             "schema": "rear.descriptor/v1",
             "disks": [{"partitionTable": {"type": "none"}, "physicalSectorSize": 4096,
                        "logicalSectorSize": 512, "sizeBytes": 10737418240, "path": "/dev/vdb", "kernelName": "vdb"}],
             "filesystems": [{"device": "/dev/vdb", "type": "xfs", "mounts": [{"mountpoint": "/", "options": ["rw"]}]}]}
            """;

    /** Its canonical form: sorted keys, empty lists written, absent scalars omitted, no whitespace. */
    static final String MINIMAL_CANONICAL = "{\"bootloader\":{\"bootOrder\":[],\"efiEntries\":[],\"installDevices\":[],\"type\":\"none\"},"
            + "\"capturedAt\":\"2026-11-26T12:00:00Z\","
            + "\"disks\":[{\"byIdLinks\":[],\"kernelName\":\"vdb\",\"logicalSectorSize\":512,\"partitionTable\":{\"partitions\":[],\"type\":\"none\"},"
            + "\"path\":\"/dev/vdb\",\"physicalSectorSize\":4096,\"sizeBytes\":10737418240}],"
            + "\"encryption\":[],\"excluded\":[],"
            + "\"filesystems\":[{\"device\":\"/dev/vdb\",\"mounts\":[{\"mountpoint\":\"/\",\"options\":[\"rw\"]}],\"type\":\"xfs\"}],"
            + "\"host\":{\"arch\":\"x86_64\",\"firmware\":\"bios\",\"hostname\":\"db1\",\"kernel\":{\"cmdline\":\"ro quiet\",\"release\":\"6.1.0-28-amd64\"}},"
            + "\"lvm\":{\"volumeGroups\":[]},"
            + "\"network\":{\"dns\":{\"nameservers\":[],\"search\":[]},\"interfaces\":[],\"routes\":[]},"
            + "\"raidArrays\":[],\"schema\":\"rear.descriptor/v1\",\"swap\":[]}";

    @Test
    void canonicalFormIsPinned() {
        SystemDescriptor d = DescriptorJson.read(MINIMAL, "minimal");
        assertThat(new String(DescriptorJson.canonicalBytes(d), StandardCharsets.UTF_8)).isEqualTo(MINIMAL_CANONICAL);
    }

    @Test
    void identityIsTheSha256OfTheCanonicalForm() throws Exception {
        SystemDescriptor d = DescriptorJson.read(MINIMAL, "minimal");
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(MINIMAL_CANONICAL.getBytes(StandardCharsets.UTF_8));
        assertThat(DescriptorJson.sha256(d)).isEqualTo(java.util.HexFormat.of().formatHex(digest)).hasSize(64);
    }

    @Test
    void capturedAtIsPartOfTheIdentityButNotOfTheMeaning() {
        SystemDescriptor d = DescriptorJson.read(MINIMAL, "minimal");
        SystemDescriptor later = d.withCapturedAt(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(DescriptorJson.sha256(later)).isNotEqualTo(DescriptorJson.sha256(d));
        assertThat(DescriptorDiff.compare(d, later).isEmpty()).isTrue();
    }

    @Test
    void fileFormIsTheCanonicalDocumentIndented() {
        SystemDescriptor d = DescriptorJson.read(MINIMAL, "minimal");
        String pretty = new String(DescriptorJson.prettyBytes(d), StandardCharsets.UTF_8);
        assertThat(pretty).startsWith("{\n  \"bootloader\" : {").endsWith("}\n");
        assertThat(DescriptorJson.canonicalBytes(DescriptorJson.read(pretty, "pretty"))).isEqualTo(MINIMAL_CANONICAL.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "number as text            | \"sizeBytes\": 10737418240       | \"sizeBytes\": \"10737418240\"   | $.disks[0].sizeBytes",
        "fraction for an integer   | \"sizeBytes\": 10737418240       | \"sizeBytes\": 10737418240.5    | $.disks[0].sizeBytes",
        "number for text           | \"hostname\": \"db1\"            | \"hostname\": 42                | $.host.hostname",
        "text for a boolean        | \"firmware\": \"bios\"           | \"firmware\": \"bios\", \"secureBoot\": \"yes\" | $.host.secureBoot",
        "number for an enum        | \"type\": \"xfs\"                | \"type\": 1                     | $.filesystems[0].type",
        "unknown enum value        | \"type\": \"xfs\"                | \"type\": \"ntfs3\"             | $.filesystems[0].type",
        "unknown field             | \"kernelName\": \"vdb\"          | \"kernelName\": \"vdb\", \"sizeGB\": 10 | $.disks[0].sizeGB",
        "null for a required value | \"path\": \"/dev/vdb\"           | \"path\": null                  | $.disks[0].path",
        "missing required integer  | \"sizeBytes\": 10737418240,      | ''                              | $.disks[0].sizeBytes",
        "bad instant               | \"2026-11-26T12:00:00Z\"         | \"yesterday\"                   | $.capturedAt",
    })
    void refusesWhatDoesNotFitWithItsJsonPath(String what, String from, String to, String path) {
        String broken = MINIMAL.replace(from, to);
        assertThat(broken).as("the test's replacement must apply").isNotEqualTo(MINIMAL);
        assertThatThrownBy(() -> DescriptorJson.read(broken, "broken.json"))
                .isInstanceOf(DescriptorInvalidException.class)
                .hasMessageStartingWith("broken.json: " + path)
                .satisfies(e -> assertThat(((DescriptorInvalidException) e).violations())
                        .extracting(Violation::path).containsExactly(path));
    }

    @Test
    void trailingContentIsRefused() {
        assertThatThrownBy(() -> DescriptorJson.read(MINIMAL + " {}", "two.json"))
                .isInstanceOf(DescriptorInvalidException.class).hasMessageContaining("two.json");
    }

    @Test
    void deepNestingIsRefusedWithoutAStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThatThrownBy(() -> DescriptorJson.parseTree(deep.getBytes(StandardCharsets.UTF_8), "deep.json"))
                .isInstanceOf(DescriptorInvalidException.class).hasMessageContaining("deep.json");
    }
}
