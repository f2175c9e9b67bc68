package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the drill accepts as explained in {@code rear diff --json SOURCE RECOVERED}, on the diff of a real S2 recovery. */
class DrillDiffTest {

    static String fixture() throws Exception {
        return fixture("s2-recovered-diff.json");
    }

    static String fixture(String name) throws Exception {
        try (InputStream in = DrillDiffTest.class.getResourceAsStream("fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** S3 onto a new machine: a disk with another serial, new VG/LV UUIDs, the firmware's own boot entries of another VM. */
    @Test
    void aNewUefiMachineWithItsOwnFirmwareEntriesAndANewDiskIsExplained() throws Exception {
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S3, fixture("s3-recovered-diff.json"))).isEmpty();
    }

    /** S1 onto a disk 10% smaller: the root partition and its ext4 shrank, the swap partition moved. */
    @Test
    void aShrunkPartitionAndTheGeometryOfItsFilesystemAreExplainedWhereTheDrillResizes() throws Exception {
        String shrink = fixture("s1-shrink-recovered-diff.json");
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S1_SHRINK, shrink)).isEmpty();
        // the same differences in a drill onto disks of the original size are not
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S1, shrink)).contains("filesystem fs:/: parameters.blockCount 917504 -> 812544")
                .anySatisfy(d -> assertThat(d).startsWith("partition part:vda1: sizeSectors"));
    }

    @Test
    void aMissingOrMovedOperatingSystemBootEntryIsNot() throws Exception {
        // the recovered NVRAM's debian entry loads another file
        ObjectNode doc = s3();
        ObjectNode debian = (ObjectNode) field(doc, "bootloader", "efiEntries").path("new").path(1);
        assertThat(debian.path("label").asText()).isEqualTo("debian");
        debian.put("loaderPath", "\\EFI\\debian\\shimx64.efi");
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S3, doc.toString())).singleElement().asString().contains("efiEntries");
        // the machine boots a firmware entry first
        doc = s3();
        ArrayNode order = (ArrayNode) field(doc, "bootloader", "bootOrder").path("new");
        assertThat(order.get(0).asText()).isEqualTo("0001");
        order.set(0, "0000");
        order.set(1, "0001");
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S3, doc.toString())).singleElement().asString().contains("bootOrder");
    }

    @Test
    void aNewDiskWithAnotherPartitionTableTypeIsNot() throws Exception {
        ObjectNode doc = s3();
        for (JsonNode c : doc.path("changes")) {
            if (c.path("kind").asText().equals("disk") && c.path("change").asText().equals("added")) {
                for (JsonNode f : c.path("fields")) {
                    if (f.path("field").asText().equals("partitionTable.type")) {
                        ((ObjectNode) f).put("new", "dos");
                    }
                }
            }
        }
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S3, doc.toString())).singleElement().asString()
                .contains("partitionTable.type");
    }

    private static ObjectNode s3() throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(fixture("s3-recovered-diff.json"));
    }

    /** The field {@code name} of the change of {@code kind}. */
    private static JsonNode field(JsonNode doc, String kind, String name) {
        for (JsonNode c : doc.path("changes")) {
            if (c.path("kind").asText().equals(kind)) {
                for (JsonNode f : c.path("fields")) {
                    if (f.path("field").asText().equals(name)) {
                        return f;
                    }
                }
            }
        }
        throw new AssertionError("no " + kind + " " + name + " in the fixture");
    }

    @Test
    void recreatedVolumeGroupsAndLvsWithNewUuidsAndOtherExcludedDisksAreExplained() throws Exception {
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S2, fixture())).isEmpty();
    }

    @Test
    void anLvOfAnotherSizeOnTheSameDisksIsNot() throws Exception {
        String changed = fixture().replaceFirst("(\"field\"\\s*:\\s*\"sizeBytes\",\\s*\"new\"\\s*:\\s*)(\\d+)", "$11234");
        assertThat(changed).isNotEqualTo(fixture());
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S2, changed)).singleElement().asString().contains("sizeBytes");
    }

    @Test
    void aFilesystemThatIsGoneIsNot() throws Exception {
        String gone = fixture().replaceFirst("\"changes\"\\s*:\\s*\\[", "\"changes\":[{\"change\":\"removed\",\"kind\":\"filesystem\",\"oldId\":\"fs:/var\",\"fields\":[]},");
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S2, gone)).containsExactly("removed filesystem fs:/var");
    }
}
