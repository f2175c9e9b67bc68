package dev.rear.engine.discovery;

import static dev.rear.engine.discovery.DiscoveryScenarios.MNT;
import static dev.rear.engine.discovery.DiscoveryScenarios.discover;
import static dev.rear.engine.discovery.DiscoveryScenarios.disk;
import static dev.rear.engine.discovery.DiscoveryScenarios.fs;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostOptions;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostRoot;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostRunner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.BtrfsParameters;
import dev.rear.api.descriptor.BtrfsSubvolume;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.DosPartitionKind;
import dev.rear.api.descriptor.ExtParameters;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.FilesystemType;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PartitionTableType;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VfatParameters;
import dev.rear.api.descriptor.XfsParameters;
import dev.rear.engine.descriptor.DescriptorValidator;
import dev.rear.engine.testing.FixtureCommandRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LinuxDiscovery} on the development host's captured outputs with {@code --include-loop}
 * (see {@link DiscoveryScenarios#hostRunner()}): no udev, so lsblk knows no filesystem, partition
 * type or UUID and every such fact must come from blkid, sfdisk or the mount table. The values are
 * those {@code capture-host-fixtures.sh} set (fixtures/README.md).
 */
class LinuxDiscoveryHostTest {

    static final String GPT = "/dev/loop0";
    static final String DOS = "/dev/loop1";
    static final String BTRFS = "/dev/loop2";
    static final String WHOLE = "/dev/loop3";

    @TempDir
    Path dir;

    private FixtureCommandRunner runner;
    private DiscoveryResult result;
    private SystemDescriptor d;

    @BeforeEach
    void discoverTheHost() {
        runner = hostRunner();
        result = discover(runner, hostOptions(hostRoot(dir).root()));
        d = result.descriptor();
    }

    @Test
    void eachMountedFilesystemRecordsTheUsedSpaceOfItsFirstMountPoint() {
        // statvfs stands in here: the captured mount points do not exist under the fake host root.
        Path root = hostRoot(dir.resolve("used")).root();
        java.util.Map<Path, Long> used = java.util.Map.of(
                root.resolve(MNT.substring(1) + "/gpt-root"), 123_456_789L,
                root.resolve(MNT.substring(1) + "/gpt-data"), 52_428_800L,
                root, 2_000_000_000L);
        SystemDescriptor withUsed = discover(hostRunner(), hostOptions(root),
                mp -> used.containsKey(mp) ? java.util.OptionalLong.of(used.get(mp)) : java.util.OptionalLong.empty()).descriptor();

        assertThat(fs(withUsed, GPT + "p2").usedBytes()).isEqualTo(123_456_789L);
        assertThat(fs(withUsed, GPT + "p3").usedBytes()).isEqualTo(52_428_800L);
        assertThat(fs(withUsed, "/dev/vda").usedBytes()).isEqualTo(2_000_000_000L);
        assertThat(fs(withUsed, "/dev/loop1p6").usedBytes()).as("not mounted: nothing to ask").isNull();
        assertThat(fs(withUsed, DOS + "p5").usedBytes()).as("mounted, but statvfs knew nothing").isNull();
        assertThat(DescriptorValidator.validate(withUsed)).isEmpty();
    }

    @Test
    void aFailingStatvfsIsAWarningThatSaysRecoveryWillNeedTheFigure() {
        Path root = hostRoot(dir.resolve("failing")).root();
        DiscoveryResult r = discover(hostRunner(), hostOptions(root), mp -> {
            if (mp.equals(root.resolve(MNT.substring(1) + "/gpt-data"))) {
                throw new java.io.IOException("Input/output error");
            }
            return java.util.OptionalLong.empty();
        });

        assertThat(fs(r.descriptor(), GPT + "p3").usedBytes()).isNull();
        assertThat(r.findings()).contains(Finding.warning("fs:" + MNT + "/gpt-data", "cannot read the used space of " + GPT
                + "p3 on " + MNT + "/gpt-data (statvfs: Input/output error); it is not recorded, and recovery onto a smaller disk"
                + " will need it given with --used " + MNT + "/gpt-data=BYTES"));
        assertThat(r.hasErrors()).isFalse();
    }

    @Test
    void theDescriptorIsValid() {
        assertThat(DescriptorValidator.validate(d)).isEmpty();
        assertThat(result.hasErrors()).isFalse();
    }

    @Test
    void whatCouldNotBeReadIsAWarningNamingTheCommand() {
        assertThat(result.findings()).containsExactlyInAnyOrder(
                Finding.warning("fs:loop1p6", "/dev/loop1p6 (btrfs) is not mounted: its subvolumes cannot be listed"),
                Finding.warning("fs:/", "'tune2fs -l /dev/vda' failed with exit code 1: tune2fs 1.47.0 (5-Feb-2023) "
                        + "tune2fs: Operation not permitted while trying to open /dev/vda Couldn't find valid filesystem superblock.; "
                        + "so rear does not know the ext parameters of /dev/vda"),
                Finding.warning("fs:/", "the UUID and label of /dev/vda are unknown (neither lsblk nor blkid could read it);"
                        + " recovery will make new ones"));
    }

    @Test
    void everyCommandRunsOnceAndEveryCapturedAnswerIsUsed() {
        assertThat(runner.ranTwice()).isEmpty();
        assertThat(runner.neverRan()).isEmpty();
    }

    @Test
    void theDisksAreTheLoopDevicesAndVdaButNotZram() {
        assertThat(d.disks()).extracting(Disk::path).containsExactly(GPT, DOS, BTRFS, WHOLE, "/dev/vda");
        assertThat(d.disks()).extracting(Disk::transport).containsExactly("loop", "loop", "loop", "loop", null);
        assertThat(disk(d, GPT).sizeBytes()).isEqualTo(2L << 30);
        assertThat(disk(d, WHOLE).logicalSectorSize()).isEqualTo(4096);
        assertThat(disk(d, WHOLE).physicalSectorSize()).isEqualTo(4096);
        assertThat(disk(d, WHOLE).partitionTable().type()).isEqualTo(PartitionTableType.NONE);
        assertThat(disk(d, BTRFS).partitionTable().type()).isEqualTo(PartitionTableType.NONE);
        assertThat(disk(d, "/dev/vda").sizeBytes()).isEqualTo(256L << 30);
        assertThat(disk(d, "/dev/vda").physicalSectorSize()).isEqualTo(4096);
        assertThat(d.excluded()).isEmpty();
    }

    @Test
    void theGptTableHasItsIdUsableRangeAndPartitions() {
        var table = disk(d, GPT).partitionTable();
        assertThat(table.type()).isEqualTo(PartitionTableType.GPT);
        assertThat(table.id()).isEqualTo("52454152-0000-4000-8000-000000000000");
        assertThat(table.firstUsableLba()).isEqualTo(2048L);
        assertThat(table.lastUsableLba()).isEqualTo(4_194_270L);
        assertThat(table.partitions())
                .extracting(Partition::number, Partition::path, Partition::startSector, Partition::sizeSectors, Partition::type,
                        Partition::partUuid, Partition::name, Partition::attributes, Partition::flags, Partition::kind)
                .containsExactly(
                        tuple(1, GPT + "p1", 2048L, 524_288L, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
                                "52454152-0000-4000-8000-000000000001", "EFI System Partition", "RequiredPartition",
                                List.of("boot", "esp"), null),
                        tuple(2, GPT + "p2", 526_336L, 1_638_400L, "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
                                "52454152-0000-4000-8000-000000000002", "rear root", "LegacyBIOSBootable GUID:63",
                                List.of("legacy_boot"), null),
                        tuple(3, GPT + "p3", 2_164_736L, 1_228_800L, "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
                                "52454152-0000-4000-8000-000000000003", "rear data", null, List.of(), null),
                        tuple(4, GPT + "p4", 3_393_536L, 798_720L, "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F",
                                "52454152-0000-4000-8000-000000000004", "rear swap", null, List.of("swap"), null));
    }

    @Test
    void theDosTableHasPrimaryExtendedAndLogicalPartitions() {
        var table = disk(d, DOS).partitionTable();
        assertThat(table.type()).isEqualTo(PartitionTableType.DOS);
        assertThat(table.id()).isEqualTo("0x52454152");
        assertThat(table.firstUsableLba()).isNull();
        assertThat(table.partitions())
                .extracting(Partition::number, Partition::startSector, Partition::sizeSectors, Partition::type, Partition::partUuid,
                        Partition::name, Partition::flags, Partition::kind)
                .containsExactly(
                        tuple(1, 2048L, 524_288L, "83", "52454152-01", null, List.of("boot"), DosPartitionKind.PRIMARY),
                        tuple(2, 526_336L, 1_570_816L, "5", "52454152-02", null, List.of(), DosPartitionKind.EXTENDED),
                        tuple(5, 528_384L, 614_400L, "83", "52454152-05", null, List.of(), DosPartitionKind.LOGICAL),
                        tuple(6, 1_144_832L, 952_320L, "83", "52454152-06", null, List.of(), DosPartitionKind.LOGICAL));
    }

    @Test
    void extFilesystemsHaveUuidLabelMountsAndTune2fsParameters() {
        Filesystem root = fs(d, GPT + "p2");
        assertThat(root.type()).isEqualTo(FilesystemType.EXT4);
        assertThat(root.uuid()).isEqualTo("52454152-e4e4-4e4e-8e4e-000000000002");
        assertThat(root.label()).isEqualTo("rear-root");
        assertThat(root.mounts()).containsExactly(new Mount(MNT + "/gpt-root", List.of("rw", "relatime")));
        ExtParameters ext = (ExtParameters) root.parameters();
        assertThat(ext.blockSizeBytes()).isEqualTo(4096);
        assertThat(ext.inodeSizeBytes()).isEqualTo(256);
        assertThat(ext.inodeRatioBytes()).isEqualTo(32_768L); // mkfs.ext4 -i 32768
        assertThat(ext.blockCount()).isEqualTo(204_800L);
        assertThat(ext.inodeCount()).isEqualTo(25_648L);
        assertThat(ext.reservedBlocks()).isEqualTo(2048L); // -m 1
        assertThat(ext.maxMountCount()).isEqualTo(25); // tune2fs -c 25
        assertThat(ext.checkIntervalSeconds()).isEqualTo(14L * 24 * 3600); // tune2fs -i 2w
        assertThat(ext.features()).contains("has_journal", "extent", "64bit", "metadata_csum");
        assertThat(ext.defaultMountOptions()).containsExactly("user_xattr", "acl");

        Filesystem boot = fs(d, DOS + "p1");
        assertThat(boot.type()).isEqualTo(FilesystemType.EXT3);
        assertThat(boot.uuid()).isEqualTo("52454152-e3e3-4e3e-8e3e-000000000101");
        assertThat(boot.label()).isEqualTo("rear-boot");
        assertThat(boot.mounts()).isEmpty();
        assertThat(((ExtParameters) boot.parameters()).blockSizeBytes()).isEqualTo(1024);
        assertThat(((ExtParameters) boot.parameters()).features()).contains("has_journal").doesNotContain("extent");

        Filesystem logical = fs(d, DOS + "p5");
        assertThat(logical.type()).isEqualTo(FilesystemType.EXT4);
        assertThat(logical.uuid()).isEqualTo("52454152-e4e4-4e4e-8e4e-000000000105");
        assertThat(logical.label()).isEqualTo("rear logical");
        assertThat(logical.mounts()).extracting(Mount::mountpoint).containsExactly(MNT + "/dos logical");
        assertThat(((ExtParameters) logical.parameters()).blockSizeBytes()).isEqualTo(1024);
    }

    @Test
    void xfsFilesystemsHaveTheirGeometryFromXfsInfoOnTheMountPoint() {
        Filesystem data = fs(d, GPT + "p3");
        assertThat(data.type()).isEqualTo(FilesystemType.XFS);
        assertThat(data.uuid()).isEqualTo("52454152-5f5f-4f5f-8f5f-000000000003");
        assertThat(data.label()).isEqualTo("rear-data");
        assertThat(data.mounts()).containsExactly(new Mount(MNT + "/gpt-data",
                List.of("rw", "relatime", "inode64", "logbufs=8", "logbsize=32k", "noquota")));
        XfsParameters g = (XfsParameters) data.parameters();
        assertThat(g.blockSizeBytes()).isEqualTo(4096);
        assertThat(g.sectorSizeBytes()).isEqualTo(512);
        assertThat(g.agCount()).isEqualTo(4);
        assertThat(g.stripeUnitBlocks()).isZero();

        Filesystem whole = fs(d, WHOLE);
        assertThat(whole.uuid()).isEqualTo("52454152-5f5f-4f5f-8f5f-0000000000d0");
        assertThat(whole.label()).isEqualTo("rear-whole");
        XfsParameters w = (XfsParameters) whole.parameters();
        assertThat(w.sectorSizeBytes()).isEqualTo(4096);
        assertThat(w.agCount()).isEqualTo(8);
        assertThat(w.stripeUnitBlocks()).isEqualTo(16); // su=64k in 4 KiB blocks
        assertThat(w.stripeWidthBlocks()).isEqualTo(64); // sw=4
    }

    @Test
    void btrfsHasItsSubvolumesTheirMountsAndTheDefault() {
        Filesystem btrfs = fs(d, BTRFS);
        assertThat(btrfs.type()).isEqualTo(FilesystemType.BTRFS);
        assertThat(btrfs.uuid()).isEqualTo("52454152-b7f5-4b7f-8b7f-0000000000b0");
        assertThat(btrfs.label()).isEqualTo("rear-btrfs");
        assertThat(btrfs.mounts()).extracting(Mount::mountpoint)
                .containsExactly(MNT + "/btrfs-top", MNT + "/btrfs-home", MNT + "/btrfs-default");
        assertThat(btrfs.mounts().get(1).options()).contains("subvol=/@home");
        BtrfsParameters p = (BtrfsParameters) btrfs.parameters();
        assertThat(p.nodeSizeBytes()).isEqualTo(16384);
        assertThat(p.sectorSizeBytes()).isEqualTo(4096);
        assertThat(p.dataProfile()).isEqualTo("single"); // mkfs.btrfs -d single
        assertThat(p.metadataProfile()).isEqualTo("dup"); // -m dup
        assertThat(p.subvolumes()).extracting(BtrfsSubvolume::id, BtrfsSubvolume::path, BtrfsSubvolume::mountpoint).containsExactly(
                tuple(256L, "@", null),
                tuple(257L, "@home", MNT + "/btrfs-home"),
                tuple(258L, "@var", null),
                tuple(259L, "@/.snapshots", null),
                tuple(260L, "@/.snapshots/1/snapshot", MNT + "/btrfs-default"));
        assertThat(p.defaultSubvolumeId()).isEqualTo(260L);
        assertThat(p.features()).contains("no-holes", "free-space-tree");

        Filesystem unmounted = fs(d, DOS + "p6");
        assertThat(unmounted.uuid()).isEqualTo("52454152-b7b7-4b7b-8b7b-000000000106");
        assertThat(unmounted.label()).isEqualTo("rear-dosbtrfs");
        BtrfsParameters u = (BtrfsParameters) unmounted.parameters();
        assertThat(u.nodeSizeBytes()).isEqualTo(16384);
        assertThat(u.subvolumes()).isEmpty();
        assertThat(u.defaultSubvolumeId()).isNull();
    }

    @Test
    void theEspTypedPartitionHoldsFat32FromTheLowLevelProbe() {
        Filesystem esp = fs(d, GPT + "p1");
        assertThat(esp.type()).isEqualTo(FilesystemType.VFAT);
        assertThat(esp.uuid()).isEqualTo("5245-4152");
        assertThat(esp.label()).isEqualTo("REAR-ESP");
        assertThat(esp.parameters()).isEqualTo(new VfatParameters("5245-4152", 32, null));
        assertThat(runner.commands()).contains(List.of("blkid", "-c", "/dev/null", "-p", "-o", "export", GPT + "p1"));
    }

    @Test
    void theRootFilesystemIsKnownFromTheMountTableAlone() {
        Filesystem root = fs(d, "/dev/vda");
        assertThat(root.type()).isEqualTo(FilesystemType.EXT4);
        assertThat(root.uuid()).isNull();
        assertThat(root.label()).isNull();
        assertThat(root.parameters()).isNull();
        assertThat(root.mounts()).extracting(Mount::mountpoint).containsExactly("/");
        assertThat(d.filesystemAt("/")).isEqualTo(root);
    }

    @Test
    void activeSwapPartitionsAreDescribedAndTheSwapFileIsNot() {
        assertThat(d.swap()).extracting(Swap::device, Swap::uuid, Swap::label, Swap::priority)
                .containsExactly(tuple(GPT + "p4", "52454152-5a5a-4a5a-8a5a-000000000004", "rear-swap", 5));
    }

    @Test
    void grubOnVdaIsTheBiosBootloader() {
        assertThat(d.bootloader().type()).isEqualTo(BootloaderType.GRUB2_BIOS);
        assertThat(d.bootloader().installDevices()).containsExactly("/dev/vda");
        assertThat(d.host().hostname()).isEqualTo("rear-dev");
        assertThat(d.network().interfaces()).extracting(i -> i.name()).contains("eth0");
    }
}
