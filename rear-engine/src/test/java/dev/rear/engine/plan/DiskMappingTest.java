package dev.rear.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.SystemDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiskMappingTest {

    private final SystemDescriptor raid1 = Samples.load("bios-gpt-raid1-lvm.json");

    private Disk disk(SystemDescriptor d, String path) {
        return d.disks().stream().filter(x -> x.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void identityWinsOverName() {
        Disk sda = disk(raid1, "/dev/sda");
        Disk sdb = disk(raid1, "/dev/sdb");
        // the disk now called sda is the old sdb (by serial), and vice versa: sda <-> sdb swapped
        List<TargetDisk> targets = List.of(
                new TargetDisk("/dev/sda", sdb.sizeBytes(), 512, sdb.serial(), sdb.wwn(), null),
                new TargetDisk("/dev/sdb", sda.sizeBytes(), 512, sda.serial(), sda.wwn(), null));
        DiskMapping m = DiskMapping.map(raid1, targets, Map.of());
        assertThat(m.forOriginal("/dev/sda").orElseThrow().target().path()).isEqualTo("/dev/sdb");
        assertThat(m.forOriginal("/dev/sdb").orElseThrow().target().path()).isEqualTo("/dev/sda");
        assertThat(m.entries()).allSatisfy(e -> assertThat(e.how()).isIn("wwn", "serial"));
        assertThat(m.translate("/dev/sda2")).isEqualTo("/dev/sdb2");
    }

    @Test
    void nameAndSizeThenSize() {
        Disk sda = disk(raid1, "/dev/sda");
        List<TargetDisk> targets = List.of(TargetDisk.of("/dev/sda", sda.sizeBytes()), TargetDisk.of("/dev/vdz", sda.sizeBytes() * 2),
                TargetDisk.of("/dev/vdy", sda.sizeBytes() + 4096));
        DiskMapping m = DiskMapping.map(raid1, targets, Map.of());
        assertThat(m.forOriginal("/dev/sda").orElseThrow().how()).isEqualTo("name+size");
        DiskMapping.Entry b = m.forOriginal("/dev/sdb").orElseThrow();
        assertThat(b.how()).isEqualTo("size");
        assertThat(b.target().path()).as("the smallest target at least as large").isEqualTo("/dev/vdy");
        assertThat(m.targetPaths()).doesNotContain("/dev/vdz");
    }

    @Test
    void nvmePartitionPaths() {
        assertThat(DiskMapping.partitionPath("/dev/vdb", 2)).isEqualTo("/dev/vdb2");
        assertThat(DiskMapping.partitionPath("/dev/nvme1n1", 2)).isEqualTo("/dev/nvme1n1p2");
    }

    @Test
    void fileOverridesAutomaticRules() {
        Disk sda = disk(raid1, "/dev/sda");
        List<TargetDisk> targets = List.of(TargetDisk.of("/dev/sda", sda.sizeBytes()), TargetDisk.of("/dev/sdb", sda.sizeBytes()));
        Map<String, String> file = MappingFile.parse("# swapped on purpose\n/dev/sda /dev/sdb   # trailing comment\n\n/dev/sdb /dev/sda\n", "disk_mappings");
        DiskMapping m = DiskMapping.map(raid1, targets, file);
        assertThat(m.forOriginal("/dev/sda").orElseThrow().target().path()).isEqualTo("/dev/sdb");
        assertThat(m.entries()).allSatisfy(e -> assertThat(e.how()).isEqualTo("file"));
    }

    @Test
    void twoOriginalsOntoOneTargetRefused() {
        Disk sda = disk(raid1, "/dev/sda");
        List<TargetDisk> targets = List.of(TargetDisk.of("/dev/vdb", sda.sizeBytes()), TargetDisk.of("/dev/vdc", sda.sizeBytes()));
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("/dev/sda", "/dev/vdb");
        entries.put("/dev/sdb", "/dev/vdb");
        assertThatThrownBy(() -> DiskMapping.map(raid1, targets, entries)).isInstanceOf(PlanException.class)
                .hasMessageContaining("two originals onto one target").hasMessageContaining("/dev/vdb");
        assertThatThrownBy(() -> MappingFile.parse("/dev/sda /dev/vdb\n/dev/sdb /dev/vdb\n", "dm"))
                .isInstanceOf(PlanException.class).hasMessageStartingWith("dm:2:").hasMessageContaining("line 1");
    }

    @Test
    void mappingFileErrorsNameFileAndLine() {
        assertThatThrownBy(() -> MappingFile.parse("/dev/sda /dev/sdb\n\n/dev/sdc\n", "/etc/rear/mappings/disk_mappings"))
                .isInstanceOf(PlanException.class).hasMessageStartingWith("/etc/rear/mappings/disk_mappings:3:");
        assertThatThrownBy(() -> MappingFile.parse("sda sdb\n", "f")).hasMessageStartingWith("f:1:").hasMessageContaining("not a device path");
        assertThatThrownBy(() -> MappingFile.parse("/dev/sda /dev/sdb\n/dev/sda /dev/sdc\n", "f")).hasMessageStartingWith("f:2:");
        assertThat(MappingFile.parse("# only comments\n   \n", "f")).isEmpty();
    }

    @Test
    void unmappedOriginalListsCandidates() {
        Disk sda = disk(raid1, "/dev/sda");
        List<TargetDisk> targets = List.of(TargetDisk.of("/dev/vdb", sda.sizeBytes()), TargetDisk.of("/dev/vdc", 1_000_000_000L));
        assertThatThrownBy(() -> DiskMapping.map(raid1, targets, Map.of())).isInstanceOf(PlanException.class)
                .hasMessageContaining("no target disk for /dev/s").hasMessageContaining("/dev/vdc (1000000000 bytes)");
    }

    @Test
    void mappingToUnknownOriginalRefused() {
        assertThatThrownBy(() -> DiskMapping.map(raid1, List.of(), Map.of("/dev/sdq", "/dev/vdb")))
                .isInstanceOf(PlanException.class).hasMessageContaining("no disk /dev/sdq");
    }
}
