package dev.rear.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.FilesystemType;
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

    private static SystemDescriptor withUsed(SystemDescriptor d, String device, long used) {
        List<Filesystem> fs = d.filesystems().stream().map(f -> f.device().equals(device) ? f.withUsedBytes(used) : f).toList();
        return new SystemDescriptor(d.schema(), d.capturedAt(), d.host(), d.disks(), d.raidArrays(), d.lvm(), d.encryption(), fs, d.swap(),
                d.bootloader(), d.network(), d.excluded());
    }

    @Test
    void theMarginIsUsedPlusTenPercentPlus64MiBAndNeverBelowTheMkfsMinimum() {
        long mib = 1L << 20;
        assertThat(ResizePolicy.needed(FilesystemType.EXT4, 0)).isEqualTo(64 * mib);
        assertThat(ResizePolicy.needed(FilesystemType.EXT4, 1000 * mib)).isEqualTo(1000 * mib + 100 * mib + 64 * mib);
        assertThat(ResizePolicy.needed(FilesystemType.EXT4, 10)).as("10% rounded up").isEqualTo(10 + 1 + 64 * mib);
        assertThat(ResizePolicy.needed(FilesystemType.XFS, 50 * mib)).as("mkfs.xfs refuses below 300 MiB").isEqualTo(300 * mib);
        assertThat(ResizePolicy.needed(FilesystemType.BTRFS, 10 * mib)).as("mkfs.btrfs refuses below 109 MiB").isEqualTo(114_294_784L);
        assertThat(ResizePolicy.needed(FilesystemType.XFS, 2000 * mib)).isEqualTo(2264 * mib);
        assertThat(ResizePolicy.marginText(FilesystemType.EXT4, 5 * mib)).isEqualTo("used + 10% + 64 MiB");
        assertThat(ResizePolicy.marginText(FilesystemType.XFS, 5 * mib)).isEqualTo("the xfs minimum of 300.0 MiB");
        assertThat(ResizePolicy.human(1_181_116_006L)).isEqualTo("1.1 GiB");
        assertThat(ResizePolicy.human(512)).isEqualTo("512 B");
    }

    @Test
    void theDescriptorsUsedSpaceLetsAFilesystemShrinkAndTheDecisionSaysWhereTheFigureCameFrom() {
        SystemDescriptor bare = Samples.load("uefi-gpt-ext4-nvme.json");
        Disk disk = bare.disks().get(0);
        long smaller = disk.sizeBytes() / 10 * 9; // 10% smaller, as the S1 shrink run
        assertThatThrownBy(() -> resize(bare, smaller, PlanOptions.DEFAULTS)).isInstanceOf(PlanException.class)
                .hasMessageContaining("shrinking /dev/nvme0n1p2 (ext4 on /) by ")
                .hasMessageContaining("needs its used space, and none was given nor recorded in the descriptor; give it with --used /=BYTES");

        SystemDescriptor d = withUsed(bare, "/dev/nvme0n1p2", 1_181_116_006L);
        ResizePolicy.Result r = resize(d, smaller, PlanOptions.DEFAULTS);
        long rootNew = r.disk(disk.path()).placements().get(2).sizeSectors() * 512;
        long lost = 1_918_918_656L * 512 - rootNew;
        assertThat(lost).isPositive();
        assertThat(r.decisions()).contains("/dev/nvme0n1p2 (ext4 on /) shrinks by " + lost + " bytes to " + rootNew
                + " bytes; used 1.1 GiB at capture time, needs 1.3 GiB (used + 10% + 64 MiB): fits");

        // --used wins over the recorded figure, and says so
        ResizePolicy.Result given = resize(d, smaller, PlanOptions.DEFAULTS.withUsed(Map.of("/dev/nvme0n1p2", 2 * GIB)));
        assertThat(given.decisions()).anyMatch(x -> x.endsWith("; used 2.0 GiB given with --used, needs 2.3 GiB (used + 10% + 64 MiB): fits"));
    }

    @Test
    void dataThatDoesNotFitWithItsMarginIsRefusedNamingTheFilesystemUsedAndAvailable() {
        SystemDescriptor bare = Samples.load("uefi-gpt-ext4-nvme.json");
        Disk disk = bare.disks().get(0);
        long smaller = disk.sizeBytes() - 500 * GIB;
        long room = resize(withUsed(bare, "/dev/nvme0n1p2", GIB), smaller, PlanOptions.DEFAULTS).disk(disk.path()).placements().get(2)
                .sizeSectors() * 512; // what the root partition gets: about 431 GiB
        SystemDescriptor d = withUsed(bare, "/dev/nvme0n1p2", 400 * GIB); // needs 440 GiB + 64 MiB
        assertThatThrownBy(() -> resize(d, smaller, PlanOptions.DEFAULTS)).isInstanceOf(PlanException.class)
                .hasMessage("target too small: /dev/nvme0n1p2 (ext4 on /) holds " + 400 * GIB
                        + " bytes (400.0 GiB, at capture time) and needs " + ResizePolicy.needed(FilesystemType.EXT4, 400 * GIB)
                        + " bytes (used + 10% + 64 MiB) but would get only " + room + " bytes (" + ResizePolicy.human(room) + ")");
        // data that fits, but not with the margin: refused too
        SystemDescriptor tight = withUsed(bare, "/dev/nvme0n1p2", room - (1L << 20));
        assertThatThrownBy(() -> resize(tight, smaller, PlanOptions.DEFAULTS)).hasMessageContaining("would get only " + room + " bytes");
    }

    @Test
    void lvsShrinkToWhatTheirRecordedUsedSpaceNeeds() {
        SystemDescriptor d = Samples.load("uefi-luks2-lvm.json"); // root 8.3 GiB used, home 175 GiB used, both recorded
        Disk disk = d.disks().get(0);
        long smaller = disk.sizeBytes() - 200 * GIB;
        ResizePolicy.Result r = resize(d, smaller, PlanOptions.DEFAULTS);
        long home = r.lvSizes().get("/dev/ws01-vg/home");
        assertThat(home).isLessThan(447_498_682_368L).isGreaterThanOrEqualTo(ResizePolicy.needed(FilesystemType.EXT4, 187_904_819_200L));
        assertThat(home % 4_194_304).isZero();
        assertThat(r.decisions()).anyMatch(x -> x.startsWith("LV /dev/ws01-vg/home shrinks 447498682368 -> " + home
                + " bytes (used 175.0 GiB at capture time, needs 192.6 GiB: used + 10% + 64 MiB)"));
        // the data does not fit: 175 GiB used in home needs more than the VG keeps
        assertThatThrownBy(() -> resize(d, disk.sizeBytes() - 350 * GIB, PlanOptions.DEFAULTS)).isInstanceOf(PlanException.class)
                .hasMessageContaining("target too small for VG ws01-vg").hasMessageContaining("the used space given allows shrinking them by only");
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
