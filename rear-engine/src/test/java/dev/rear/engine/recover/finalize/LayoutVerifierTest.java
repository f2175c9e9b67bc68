package dev.rear.engine.recover.finalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanOptions;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.TargetDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The verify step's comparison, on a sample with md RAID1 under LVM, recreated onto its own disk names. */
class LayoutVerifierTest {

    static final String ROOT = "/mnt/local";

    final SystemDescriptor d = DescriptorFiles.load(Path.of("..", "descriptors", "samples", "bios-gpt-raid1-lvm.json"));

    Plan plan() {
        List<TargetDisk> targets = new ArrayList<>();
        Map<String, String> map = new LinkedHashMap<>();
        for (Disk disk : d.disks()) {
            targets.add(new TargetDisk(disk.path(), disk.sizeBytes(), disk.logicalSectorSize(), null, null, null));
            map.put(disk.path(), disk.path());
        }
        return Planner.plan(d, DiskMapping.map(d, targets, map), PlanOptions.DEFAULTS.withKeyFile("/run/key"));
    }

    /** The descriptor as rediscovery sees it after the recovery: mounted below the target root, then {@code change}d. */
    SystemDescriptor rediscovered(Consumer<ObjectNode> change) {
        ObjectNode t = (ObjectNode) DescriptorJson.toTree(d).deepCopy();
        for (JsonNode fs : t.withArray("filesystems")) {
            for (JsonNode m : fs.withArray("mounts")) {
                String mp = m.get("mountpoint").asText();
                ((ObjectNode) m).put("mountpoint", mp.equals("/") ? ROOT : ROOT + mp);
            }
        }
        change.accept(t);
        return DescriptorJson.bind(t, "rediscovered");
    }

    @Test
    void theSameLayoutVerifies() {
        LayoutVerifier.Report r = LayoutVerifier.compare(d, plan(), ROOT, rediscovered(t -> { }));
        assertThat(r.unexpected()).isEmpty();
        assertThat(r.ok()).isTrue();
    }

    @Test
    void newVolumeGroupAndLogicalVolumeUuidsAreExpectedAndListed() {
        LayoutVerifier.Report r = LayoutVerifier.compare(d, plan(), ROOT, rediscovered(t -> {
            ObjectNode vg = (ObjectNode) t.get("lvm").get("volumeGroups").get(0);
            vg.put("uuid", "Zz9Yy8-Xx7W-w6Vv-5Uu4-Tt3S-s2Rr-Qq1Pp0");
            ((ObjectNode) vg.get("logicalVolumes").get(0)).put("uuid", "Aa1Bb2-Cc3D-d4Ee-5Ff6-Gg7H-h8Ii-Jj9Kk0");
        }));
        String vg = d.lvm().volumeGroups().get(0).name();
        String lv = d.lvm().volumeGroups().get(0).logicalVolumes().get(0).name();
        assertThat(r.unexpected()).isEmpty();
        assertThat(r.expected()).anySatisfy(e -> assertThat(e).startsWith("volume group " + vg + " has the new UUID Zz9Yy8-Xx7W-w6Vv-5Uu4-Tt3S-s2Rr-Qq1Pp0")
                .contains("vgcreate cannot set it"));
        assertThat(r.expected()).anySatisfy(e -> assertThat(e).startsWith("logical volume " + vg + "/" + lv + " has the new UUID Aa1Bb2"));
    }

    @Test
    void aChangedFilesystemLabelOrMdUuidFails() {
        LayoutVerifier.Report label = LayoutVerifier.compare(d, plan(), ROOT, rediscovered(t ->
                ((ObjectNode) t.withArray("filesystems").get(0)).put("label", "relabelled")));
        assertThat(label.ok()).isFalse();
        assertThat(String.join("\n", label.unexpected())).contains("relabelled");

        LayoutVerifier.Report md = LayoutVerifier.compare(d, plan(), ROOT, rediscovered(t ->
                ((ObjectNode) t.withArray("raidArrays").get(0)).put("uuid", "00000000:11111111:22222222:33333333")));
        assertThat(md.ok()).isFalse();
    }

    /** S2's migration: both disks 50% larger, the RAID partitions grown; md0, its PV and vg0 grow with them. */
    @Test
    void anMdArrayPvAndVgOnGrownPartitionsFollowTheirSize() {
        List<TargetDisk> targets = new ArrayList<>();
        Map<String, String> map = new LinkedHashMap<>();
        for (Disk disk : d.disks()) {
            targets.add(new TargetDisk(disk.path(), disk.sizeBytes() / 2 * 3, disk.logicalSectorSize(), null, null, null));
            map.put(disk.path(), disk.path());
        }
        Plan grown = Planner.plan(d, DiskMapping.map(d, targets, map), PlanOptions.DEFAULTS.withKeyFile("/run/key"));
        long more = 400L << 30;
        SystemDescriptor after = rediscovered(t -> {
            for (JsonNode disk : t.withArray("disks")) {
                var r = grown.resize().disks().stream().filter(x -> x.original().equals(disk.get("path").asText())).findFirst().orElseThrow();
                ((ObjectNode) disk).put("sizeBytes", disk.get("sizeBytes").asLong() / 2 * 3);
                ObjectNode table = (ObjectNode) disk.get("partitionTable");
                table.put("lastUsableLba", r.targetLastUsable());
                for (JsonNode p : table.withArray("partitions")) {
                    var pl = r.placements().get(p.get("number").asInt());
                    if (pl != null) {
                        ((ObjectNode) p).put("startSector", pl.startSector()).put("sizeSectors", pl.sizeSectors());
                    }
                }
            }
            ObjectNode md = (ObjectNode) t.withArray("raidArrays").get(0);
            md.put("sizeBytes", md.get("sizeBytes").asLong() + more);
            ObjectNode vg = (ObjectNode) t.get("lvm").get("volumeGroups").get(0);
            vg.put("sizeBytes", vg.get("sizeBytes").asLong() + more - (4L << 20));
            ObjectNode pv = (ObjectNode) vg.get("physicalVolumes").get(0);
            pv.put("sizeBytes", pv.get("sizeBytes").asLong() + more - (4L << 20));
        });
        LayoutVerifier.Report r = LayoutVerifier.compare(d, grown, ROOT, after);
        assertThat(r.unexpected()).isEmpty();
        assertThat(r.expected()).anySatisfy(e -> assertThat(e).startsWith("md md:md0 sizeBytes").endsWith("(built on what was resized: its size follows)"));
        assertThat(r.expected()).anySatisfy(e -> assertThat(e).startsWith("vg vg:vg0 sizeBytes"));
        assertThat(r.expected()).anySatisfy(e -> assertThat(e).startsWith("pv pv:md0 sizeBytes"));
    }

    @Test
    void anMdArrayOfAnotherSizeOnPartitionsThatKeptTheirsFails() {
        LayoutVerifier.Report r = LayoutVerifier.compare(d, plan(), ROOT, rediscovered(t -> {
            ObjectNode md = (ObjectNode) t.withArray("raidArrays").get(0);
            md.put("sizeBytes", md.get("sizeBytes").asLong() / 2);
        }));
        assertThat(r.ok()).isFalse();
        assertThat(String.join("\n", r.unexpected())).contains("md md:md0 sizeBytes");
    }
}
