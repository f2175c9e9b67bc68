package dev.rear.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.SystemDescriptor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResizePolicyTest {

    private static final long GIB = 1L << 30;

    private static ResizePolicy.Result resize(SystemDescriptor d, long targetBytes, PlanOptions o) {
        Disk disk = d.disks().get(0);
        DiskMapping m = DiskMapping.map(d, List.of(TargetDisk.of("/dev/vdb", targetBytes)), Map.of(disk.path(), "/dev/vdb"));
        return ResizePolicy.apply(d, m, o);
    }

    @Test
    void largerTargetGrowsOnlyTheLastResizablePartitionKeepingAlignmentAndGptTail() {
        SystemDescriptor d = Samples.load("uefi-gpt-ext4-nvme.json"); // ESP, root, swap (last)
        Disk disk = d.disks().get(0);
        long target = disk.sizeBytes() + 100 * GIB + 12345 * 512L;
        ResizePolicy.DiskResult r = resize(d, target, PlanOptions.DEFAULTS).disk(disk.path());
        long sectors = target / 512;
        assertThat(r.targetLastUsable()).isEqualTo(sectors - 34);
        var p = r.placements();
        assertThat(p.get(1).sizeSectors()).as("ESP untouched").isEqualTo(disk.partitionTable().partitions().get(0).sizeSectors());
        assertThat(p.get(3).sizeSectors()).as("swap untouched").isEqualTo(disk.partitionTable().partitions().get(2).sizeSectors());
        long grown = p.get(2).sizeSectors() - disk.partitionTable().partitions().get(1).sizeSectors();
        assertThat(grown).isPositive().isEqualTo(100 * GIB / 512 + 12345 / 2048 * 2048);
        assertThat(p.values()).allSatisfy(x -> assertThat(x.startSector() % 2048).isZero());
        assertThat(p.get(3).endSector()).isLessThanOrEqualTo(sectors - 34);
        assertThat(p.get(3).startSector()).isEqualTo(p.get(2).endSector() + 1);
    }

    @Test
    void btrfsSampleEspBootAndSwapKeepTheirSize() {
        SystemDescriptor d = Samples.load("btrfs-suse-subvolumes.json");
        Disk disk = d.disks().get(0);
        var p = resize(d, disk.sizeBytes() * 2, PlanOptions.DEFAULTS).disk(disk.path()).placements();
        assertThat(p.get(1).sizeSectors()).isEqualTo(1048576);
        assertThat(p.get(3).sizeSectors()).isEqualTo(4194304);
        assertThat(p.get(2).sizeSectors()).isGreaterThan(932456448);
    }

    @Test
    void dosLogicalPartitionGrowsAndItsExtendedFollows() {
        SystemDescriptor d = Samples.load("bios-msdos-lvm-sata.json");
        Disk disk = d.disks().get(0);
        ResizePolicy.Result res = resize(d, disk.sizeBytes() + 10 * GIB, PlanOptions.DEFAULTS);
        var p = res.disk(disk.path()).placements();
        assertThat(p.get(1).sizeSectors()).as("/boot untouched").isEqualTo(2097152);
        assertThat(p.get(5).sizeSectors()).isEqualTo(974671920 + 10 * GIB / 512);
        assertThat(p.get(2).startSector()).isEqualTo(2099200);
        assertThat(p.get(2).endSector()).isEqualTo(p.get(5).endSector());
        assertThat(res.decisions()).anyMatch(s -> s.contains("VG system"));
        assertThat(res.lvSizes()).isEmpty();
    }

    @Test
    void proportional() {
        SystemDescriptor d = Samples.load("uefi-luks2-lvm.json"); // ESP, /boot, LUKS
        Disk disk = d.disks().get(0);
        var p = resize(d, disk.sizeBytes() * 2, PlanOptions.DEFAULTS.withMode(ResizePolicy.Mode.PROPORTIONAL)).disk(disk.path()).placements();
        assertThat(p.get(1).sizeSectors()).isEqualTo(1048576);
        assertThat(p.get(2).sizeSectors()).as("/boot is protected").isEqualTo(999424);
        assertThat(p.get(3).sizeSectors()).isGreaterThan(2 * 974723072L - 4096 - 2048 * 2);
        assertThat(p.values()).allSatisfy(x -> assertThat(x.startSector() % 2048).isZero());

        SystemDescriptor two = Samples.load("lvm-thin-pool.json"); // sda: ESP, /boot, lvm
        Disk sda = two.disks().get(0);
        PlanOptions prop = PlanOptions.DEFAULTS.withMode(ResizePolicy.Mode.PROPORTIONAL).withResizeProtected(true);
        DiskMapping m = DiskMapping.map(two, List.of(TargetDisk.of("/dev/vda", sda.sizeBytes() * 2), TargetDisk.of("/dev/vdb", two.disks().get(1).sizeBytes()),
                TargetDisk.of("/dev/vdc", two.disks().get(2).sizeBytes())), Map.of("/dev/sda", "/dev/vda"));
        var q = ResizePolicy.apply(two, m, prop).disk("/dev/sda").placements();
        assertThat(q.get(1).sizeSectors()).as("asked to resize protected ones too").isGreaterThan(1048576);
        double f1 = q.get(1).sizeSectors() / 1048576.0;
        double f3 = q.get(3).sizeSectors() / 486346752.0;
        assertThat(f1).isBetween(f3 - 0.01, f3 + 0.01);
    }

    @Test
    void tooSmallRefusedWithNumbers() {
        SystemDescriptor d = Samples.load("uefi-gpt-ext4-nvme.json");
        Disk disk = d.disks().get(0);
        long tiny = 10 * GIB; // ESP 512 MiB + swap 16 GiB do not fit
        assertThatThrownBy(() -> resize(d, tiny, PlanOptions.DEFAULTS)).isInstanceOf(PlanException.class)
                .hasMessageContaining("target too small").hasMessageContaining("/dev/vdb has " + (tiny / 512 - 33) * 512 + " usable bytes")
                .hasMessageContaining("needs ");
    }

    @Test
    void shrinkingAFilesystemNeedsItsUsedSpace() {
        SystemDescriptor d = Samples.load("uefi-gpt-ext4-nvme.json");
        Disk disk = d.disks().get(0);
        long smaller = disk.sizeBytes() - 100 * GIB;
        assertThatThrownBy(() -> resize(d, smaller, PlanOptions.DEFAULTS)).isInstanceOf(PlanException.class)
                .hasMessageContaining("needs its used space").hasMessageContaining("--used /=BYTES");
        ResizePolicy.Result ok = resize(d, smaller, PlanOptions.DEFAULTS.withUsed(Map.of("/", 50 * GIB)));
        assertThat(ok.disk(disk.path()).placements().get(2).sizeSectors()).isLessThan(1918918656);
        assertThatThrownBy(() -> resize(d, smaller, PlanOptions.DEFAULTS.withUsed(Map.of("/", 900 * GIB))))
                .hasMessageContaining("holds " + 900 * GIB + " bytes");
    }

    @Test
    void lvShrinkRefusedWithoutUsedSpaceAndDoneWithIt() {
        SystemDescriptor d = Samples.load("bios-msdos-lvm-sata.json");
        Disk disk = d.disks().get(0);
        long alloc = d.lvm().volumeGroups().get(0).logicalVolumes().stream().mapToLong(lv -> lv.allocatedBytes()).sum();
        long vg = d.lvm().volumeGroups().get(0).sizeBytes();
        long smaller = disk.sizeBytes() - (vg - alloc) - 20 * GIB; // LVs no longer fit
        assertThatThrownBy(() -> resize(d, smaller, PlanOptions.DEFAULTS)).isInstanceOf(PlanException.class)
                .hasMessageContaining("VG system").hasMessageContaining("its LVs need " + alloc + " bytes")
                .hasMessageContaining("none was given");
        ResizePolicy.Result r = resize(d, smaller, PlanOptions.DEFAULTS.withUsed(Map.of("/home", 10 * GIB, "/", 5 * GIB)));
        assertThat(r.lvSizes()).isNotEmpty();
        long newAlloc = d.lvm().volumeGroups().get(0).logicalVolumes().stream()
                .mapToLong(lv -> r.lvSizes().getOrDefault("/dev/system/" + lv.name(), lv.sizeBytes())).sum();
        assertThat(newAlloc).isLessThanOrEqualTo(vg - 20 * GIB - (disk.sizeBytes() - smaller - (vg - alloc) - 20 * GIB));
    }

    @Test
    void sectorSizes() {
        SystemDescriptor d = Samples.load("whole-disk-no-table.json"); // sdb: 4096-byte sectors, no table, xfs on the whole disk
        Disk sda = d.disks().get(0);
        Disk sdb = d.disks().get(1);
        DiskMapping m = DiskMapping.map(d, List.of(TargetDisk.of("/dev/vdb", sda.sizeBytes()), TargetDisk.of("/dev/vdc", sdb.sizeBytes() * 2)), Map.of());
        assertThat(ResizePolicy.apply(d, m, PlanOptions.DEFAULTS).decisions()).anyMatch(x -> x.contains("whole-disk content grows"));
        DiskMapping small = DiskMapping.map(d, List.of(TargetDisk.of("/dev/vdb", sda.sizeBytes()), TargetDisk.of("/dev/vdc", sdb.sizeBytes() / 2)),
                Map.of("/dev/sdb", "/dev/vdc"));
        assertThatThrownBy(() -> ResizePolicy.apply(d, small, PlanOptions.DEFAULTS)).hasMessageContaining("--used /srv/data=BYTES");
        DiskMapping other = DiskMapping.map(d, List.of(new TargetDisk("/dev/vdb", sda.sizeBytes() * 2, 4096, null, null, null),
                TargetDisk.of("/dev/vdc", sdb.sizeBytes())), Map.of());
        assertThatThrownBy(() -> ResizePolicy.apply(d, other, PlanOptions.DEFAULTS)).isInstanceOf(PlanException.class)
                .hasMessageContaining("512-byte sectors, target /dev/vdb has 4096-byte sectors");
    }

    @Test
    void sameSizeChangesNothing() {
        SystemDescriptor d = Samples.load("hybrid-boot-usb-excluded.json");
        Disk disk = d.disks().get(0);
        ResizePolicy.Result r = resize(d, disk.sizeBytes(), PlanOptions.DEFAULTS);
        assertThat(r.decisions()).isEmpty();
        disk.partitionTable().partitions().forEach(p -> {
            assertThat(r.disk(disk.path()).placements().get(p.number()).startSector()).isEqualTo(p.startSector());
            assertThat(r.disk(disk.path()).placements().get(p.number()).sizeSectors()).isEqualTo(p.sizeSectors());
        });
    }
}
