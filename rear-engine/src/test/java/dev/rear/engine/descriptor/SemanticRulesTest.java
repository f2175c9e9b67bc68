package dev.rear.engine.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The semantic rules on the edges the broken samples do not show: what must be accepted (a
 * degraded array, overprovisioned thin volumes, logical partitions inside their extended one) as
 * much as what must be refused. Each case edits a real sample's JSON tree and runs the full check.
 */
class SemanticRulesTest {

    private static List<Violation> check(String sample, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode tree = (ObjectNode) DescriptorJson.mapper().readTree(Path.of("..", "descriptors", "samples", sample).toFile());
        edit.accept(tree);
        DescriptorFiles.Checked c = DescriptorFiles.check(DescriptorJson.canonicalBytes(tree), sample);
        assertThat(c.error()).isNull();
        return c.violations();
    }

    private static ObjectNode at(JsonNode tree, String pointer) {
        return (ObjectNode) tree.at(pointer);
    }

    @Test
    void degradedArrayWithAMissingMemberIsDescribedNotRefused() throws IOException {
        // raid1 of two with one member gone: raidDevices stays 2, one member in slot 1 remains.
        List<Violation> v = check("bios-gpt-raid1-lvm.json", t -> {
            ArrayNode members = (ArrayNode) t.at("/raidArrays/0/members");
            members.remove(0);
        });
        assertThat(v).isEmpty();
    }

    @Test
    void twoMembersInOneSlotAreRefused() throws IOException {
        List<Violation> v = check("bios-gpt-raid1-lvm.json", t -> at(t, "/raidArrays/0/members/1").put("slot", 0));
        assertThat(v).extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("$.raidArrays[0].members[1].slot", "raid-slot-invalid"));
    }

    @Test
    void mdMemberThatIsAlsoAPhysicalVolumeIsUsedTwice() throws IOException {
        List<Violation> v = check("bios-gpt-raid1-lvm.json", t -> {
            String member = t.at("/raidArrays/0/members/0/device").asText();
            at(t, "/lvm/volumeGroups/0/physicalVolumes/0").put("device", member);
        });
        assertThat(v).extracting(Violation::rule).contains("device-used-twice");
        assertThat(v).filteredOn(x -> x.rule().equals("device-used-twice")).first()
                .extracting(Violation::path).isEqualTo("$.lvm.volumeGroups[0].physicalVolumes[0].device");
    }

    @Test
    void thinVolumesMayPromiseMoreThanTheirPoolHas() throws IOException {
        // lvm-thin-pool.json already overprovisions; make one thin volume ten times the VG.
        List<Violation> v = check("lvm-thin-pool.json", t -> {
            for (JsonNode lv : t.at("/lvm/volumeGroups/1/logicalVolumes")) {
                if (lv.get("segmentType").asText().equals("thin")) {
                    ((ObjectNode) lv).put("sizeBytes", t.at("/lvm/volumeGroups/1/sizeBytes").asLong() * 10);
                    break;
                }
            }
        });
        assertThat(v).isEmpty();
    }

    @Test
    void logicalVolumesThatFitAloneButNotTogetherAreRefusedOnTheGroup() throws IOException {
        List<Violation> v = check("bios-msdos-lvm-sata.json", t -> {
            long vg = t.at("/lvm/volumeGroups/0/sizeBytes").asLong();
            for (JsonNode lv : t.at("/lvm/volumeGroups/0/logicalVolumes")) {
                ((ObjectNode) lv).put("sizeBytes", vg / 2);
            }
        });
        assertThat(v).extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("$.lvm.volumeGroups[0].logicalVolumes", "lv-exceeds-vg"));
    }

    @Test
    void raid1LogicalVolumeCountsEveryCopy() throws IOException {
        List<Violation> v = check("bios-msdos-lvm-sata.json", t -> {
            long vg = t.at("/lvm/volumeGroups/0/sizeBytes").asLong();
            ObjectNode lv = at(t, "/lvm/volumeGroups/0/logicalVolumes/0");
            lv.put("segmentType", "raid1").put("mirrors", 2).put("sizeBytes", vg / 4 * 3);
        });
        assertThat(v).extracting(Violation::rule).contains("lv-exceeds-vg");
    }

    @Test
    void aPrimaryPartitionNumberedPastFourDoesNotFitADosTable() throws IOException {
        // sda5 declared primary: a DOS table has four slots, and it sits inside the extended one.
        List<Violation> v = check("bios-msdos-lvm-sata.json", t -> at(t, "/disks/0/partitionTable/partitions/2").put("kind", "primary"));
        assertThat(v).extracting(Violation::rule).contains("dos-partition-layout");
        assertThat(v).filteredOn(x -> x.rule().equals("dos-partition-layout")).extracting(Violation::message)
                .anyMatch(m -> m.contains("a DOS table has slots 1–4"));
    }

    @Test
    void logicalPartitionNumberedBelowFiveIsRefused() throws IOException {
        List<Violation> v = check("bios-msdos-lvm-sata.json", t -> {
            ObjectNode logical = at(t, "/disks/0/partitionTable/partitions/2");
            logical.put("number", 3).put("path", "/dev/sda3");
            // keep the rest of the descriptor pointing at the renamed partition
            String pv = t.at("/lvm/volumeGroups/0/physicalVolumes/0/device").asText();
            if (pv.equals("/dev/sda5")) {
                at(t, "/lvm/volumeGroups/0/physicalVolumes/0").put("device", "/dev/sda3");
            }
        });
        assertThat(v).extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("$.disks[0].partitionTable.partitions[2].number", "dos-partition-layout"));
    }

    @Test
    void nvmePartitionsAreNamedWithP() throws IOException {
        List<Violation> v = check("uefi-gpt-ext4-nvme.json", t -> {
            at(t, "/disks/0/partitionTable/partitions/0").put("path", "/dev/nvme0n11");
        });
        assertThat(v).extracting(Violation::rule).contains("partition-path-mismatch");
        assertThat(v).filteredOn(x -> x.rule().equals("partition-path-mismatch")).extracting(Violation::message)
                .anyMatch(m -> m.endsWith("expected /dev/nvme0n1p1"));
    }

    @Test
    void subvolumeSaidToBeMountedWhereTheFilesystemIsNotIsRefused() throws IOException {
        List<Violation> v = check("btrfs-suse-subvolumes.json", t -> {
            for (JsonNode fs : t.at("/filesystems")) {
                for (JsonNode sub : fs.path("parameters").path("subvolumes")) {
                    if (sub.has("mountpoint")) {
                        ((ObjectNode) sub).put("mountpoint", "/nowhere");
                        return;
                    }
                }
            }
        });
        assertThat(v).extracting(Violation::rule).containsExactly("mountpoint-parent-missing");
    }

    @Test
    void uuidsDifferingOnlyInCaseAreTheSameUuid() throws IOException {
        List<Violation> v = check("bios-msdos-lvm-sata.json", t -> {
            String root = t.at("/filesystems/0/uuid").asText();
            at(t, "/filesystems/1").put("uuid", root.toUpperCase(java.util.Locale.ROOT));
        });
        assertThat(v).extracting(Violation::rule).contains("uuid-duplicate");
    }

    @Test
    void lvReferencedThroughDeviceMapperNameIsKnown() throws IOException {
        List<Violation> v = check("bios-msdos-lvm-sata.json", t -> {
            JsonNode swap = t.at("/swap/0");
            String dev = swap.get("device").asText(); // /dev/<vg>/<lv>
            String[] p = dev.substring(5).split("/");
            ((ObjectNode) swap).put("device", "/dev/mapper/" + p[0].replace("-", "--") + "-" + p[1].replace("-", "--"));
        });
        assertThat(v).isEmpty();
    }
}
