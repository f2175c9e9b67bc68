package dev.rear.engine.discovery;

import static dev.rear.engine.discovery.DiscoveryScenarios.BLKID;
import static dev.rear.engine.discovery.DiscoveryScenarios.LSBLK;
import static dev.rear.engine.discovery.DiscoveryScenarios.argv;
import static dev.rear.engine.discovery.DiscoveryScenarios.discover;
import static dev.rear.engine.discovery.DiscoveryScenarios.disk;
import static dev.rear.engine.discovery.DiscoveryScenarios.fs;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostOptions;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostRoot;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostRunner;
import static dev.rear.engine.discovery.DiscoveryScenarios.md;
import static dev.rear.engine.discovery.DiscoveryScenarios.vmOptions;
import static dev.rear.engine.discovery.DiscoveryScenarios.vmRoot;
import static dev.rear.engine.discovery.DiscoveryScenarios.vmRunner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.DosPartitionKind;
import dev.rear.api.descriptor.FilesystemType;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PartitionTable;
import dev.rear.api.descriptor.PartitionTableType;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorValidator;
import dev.rear.engine.testing.FixtureCommandRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LinuxDiscovery} when a tool fails, is missing, or prints something it cannot read: each
 * becomes a {@link Finding} naming the command (and for a missing tool its package), a warning
 * when an optional fact is lost, an error when the descriptor would be wrong without it, and
 * discovery goes on with what it has. The broken inputs are derived from captured fixtures here;
 * the stderr texts are what the tools print for those failures, written by hand.
 */
class LinuxDiscoveryFailuresTest {

    @TempDir
    Path dir;

    private static List<Finding> about(DiscoveryResult r, String component) {
        return r.findings().stream().filter(f -> f.component().equals(component)).toList();
    }

    @Test
    void truncatedLsblkOutputIsAnErrorNamingLsblk() {
        String lsblk = FixtureCommandRunner.fixture("lsblk/vm-machine.json");
        FixtureCommandRunner runner = vmRunner().answerText(lsblk.substring(0, lsblk.length() / 2), argv(LSBLK));

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(r.hasErrors()).isTrue();
        assertThat(about(r, "discovery")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.message()).startsWith("cannot read the output of 'lsblk -J -b -O': ")
                    .endsWith("; so rear does not know the block device tree");
        });
        // Without the device tree there is nothing to ask mdadm, lvm, cryptsetup or sfdisk about.
        SystemDescriptor d = r.descriptor();
        assertThat(d.disks()).isEmpty();
        assertThat(d.raidArrays()).isEmpty();
        assertThat(d.lvm().volumeGroups()).isEmpty();
        assertThat(runner.commands()).noneMatch(c -> List.of("mdadm", "lvm", "cryptsetup", "sfdisk").contains(c.get(0)));
        assertThat(d.host().hostname()).isEqualTo("capturevm");
    }

    @Test
    void lsblkFailingIsAnErrorNamingLsblk() {
        FixtureCommandRunner runner = vmRunner().fail(1, "lsblk: unknown column: PARTN\n", argv(LSBLK));

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(about(r, "discovery")).containsExactly(Finding.error("discovery",
                "'lsblk -J -b -O' failed with exit code 1: lsblk: unknown column: PARTN; so rear does not know the block device tree"));
    }

    @Test
    void lvmMissingWhileLsblkShowsLvmIsAnErrorNamingLvm2() {
        FixtureCommandRunner runner = vmRunner().missing(argv(LinuxDiscovery.LVM_FULLREPORT));

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(r.hasErrors()).isTrue();
        assertThat(about(r, "lvm")).containsExactly(Finding.error("lvm", "'lvm' is not installed; it comes with the package lvm2"
                + " (Debian/Ubuntu: apt-get install lvm2); without it, rear does not know the LVM layout"));
        assertThat(r.descriptor().lvm().volumeGroups()).isEmpty();
        // The rest is still described.
        assertThat(r.descriptor().raidArrays()).hasSize(3);
        assertThat(r.descriptor().encryption()).hasSize(2);
    }

    @Test
    void lvmIsNotRunWhenNothingUsesLvm(@TempDir Path other) {
        FixtureCommandRunner runner = hostRunner();

        discover(runner, hostOptions(hostRoot(other).root()));

        assertThat(runner.commands()).noneMatch(c -> c.get(0).equals("lvm"));
    }

    @Test
    void truncatedLvmReportIsAnErrorNamingTheCommand() {
        String report = FixtureCommandRunner.fixture("lvm/vm-vg-mixed-fullreport.json");
        FixtureCommandRunner runner = vmRunner().answerText(report.substring(0, report.length() / 3), argv(LinuxDiscovery.LVM_FULLREPORT));

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(about(r, "lvm")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.message()).startsWith("cannot read the output of 'lvm fullreport --reportformat json --units b --nosuffix': ");
        });
        assertThat(r.descriptor().lvm().volumeGroups()).isEmpty();
    }

    @Test
    void sfdiskRefusedIsAWarningAndTheTableIsDescribedFromLsblk() {
        FixtureCommandRunner runner = vmRunner()
                .fail(1, "sfdisk: cannot open /dev/vdm: Operation not permitted\n", "sfdisk", "-J", "/dev/vdm");

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(about(r, "disk:vdm")).containsExactly(
                Finding.warning("disk:vdm", "'sfdisk -J /dev/vdm' failed with exit code 1: sfdisk: cannot open /dev/vdm: "
                        + "Operation not permitted; so rear does not know the partition table of /dev/vdm"),
                Finding.warning("disk:vdm", "the partition table of /dev/vdm is described from lsblk alone"
                        + " (first/last usable sector and GPT attributes unknown)"));
        assertThat(r.hasErrors()).isFalse();
        PartitionTable table = disk(r.descriptor(), "/dev/vdm").partitionTable();
        assertThat(table.type()).isEqualTo(PartitionTableType.GPT);
        assertThat(table.id()).isEqualTo("4C2B9E71-3A5D-4F08-9E6B-1D2C3B4A5F60");
        assertThat(table.firstUsableLba()).isNull();
        assertThat(table.lastUsableLba()).isNull();
        // What sfdisk says (LinuxDiscoveryTest), from udev's view of the table: same numbers, types, ids and names.
        assertThat(table.partitions())
                .extracting(Partition::number, Partition::path, Partition::startSector, Partition::sizeSectors, Partition::type,
                        Partition::partUuid, Partition::name, Partition::flags, Partition::attributes)
                .containsExactly(
                        tuple(1, "/dev/vdm1", 2048L, 204_800L, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
                                "9A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9", "EFI System", List.of("boot", "esp"), null),
                        tuple(2, "/dev/vdm2", 206_848L, 81_920L, "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7",
                                "0F1E2D3C-4B5A-4697-8877-665544332211", "fat16 data", List.of(), null));
        assertThat(DescriptorValidator.validate(r.descriptor())).isEmpty();
    }

    /**
     * No udev and no sfdisk: lsblk has the partitions' places but neither types, ids nor names.
     * blkid gives the table ids, PARTUUIDs and GPT names, and shows the DOS extended partition by the
     * boot records inside it; the other types are guessed, and a warning says which.
     */
    @Test
    void withoutUdevOrSfdiskBlkidFillsInWhatItCanAndGuessedTypesAreAWarning(@TempDir Path other) {
        FixtureCommandRunner runner = hostRunner()
                .fail(1, "sfdisk: cannot open /dev/loop0: Operation not permitted\n", "sfdisk", "-J", "/dev/loop0")
                .fail(1, "sfdisk: cannot open /dev/loop1: Operation not permitted\n", "sfdisk", "-J", "/dev/loop1");

        DiscoveryResult r = discover(runner, hostOptions(hostRoot(other).root()));

        PartitionTable gpt = disk(r.descriptor(), "/dev/loop0").partitionTable();
        assertThat(gpt.type()).isEqualTo(PartitionTableType.GPT);
        assertThat(gpt.id()).isEqualTo("52454152-0000-4000-8000-000000000000");
        assertThat(gpt.partitions()).extracting(Partition::number, Partition::startSector, Partition::sizeSectors, Partition::partUuid,
                        Partition::name)
                .containsExactly(
                        tuple(1, 2048L, 524_288L, "52454152-0000-4000-8000-000000000001", "EFI System Partition"),
                        tuple(2, 526_336L, 1_638_400L, "52454152-0000-4000-8000-000000000002", "rear root"),
                        tuple(3, 2_164_736L, 1_228_800L, "52454152-0000-4000-8000-000000000003", "rear data"),
                        tuple(4, 3_393_536L, 798_720L, "52454152-0000-4000-8000-000000000004", "rear swap"));
        assertThat(about(r, "disk:loop0")).contains(Finding.warning("disk:loop0", "lsblk knows no partition type for /dev/loop0p1,"
                + " /dev/loop0p2, /dev/loop0p3, /dev/loop0p4 (no udev database); each is described as a Linux data partition"
                + " (0FC63DAF-8483-4772-8E79-3D69D8477DE4), which may be wrong"));

        PartitionTable dos = disk(r.descriptor(), "/dev/loop1").partitionTable();
        assertThat(dos.type()).isEqualTo(PartitionTableType.DOS);
        assertThat(dos.id()).isEqualTo("0x52454152");
        // lsblk shows the extended partition as its first 1 KiB; it is stretched over its logical partitions
        // (sfdisk: 1570816 sectors, ending where the last logical one ends).
        assertThat(dos.partitions()).extracting(Partition::number, Partition::startSector, Partition::sizeSectors, Partition::type,
                        Partition::partUuid, Partition::kind)
                .containsExactly(
                        tuple(1, 2048L, 524_288L, "83", "52454152-01", DosPartitionKind.PRIMARY),
                        tuple(2, 526_336L, 1_570_816L, "5", "52454152-02", DosPartitionKind.EXTENDED),
                        tuple(5, 528_384L, 614_400L, "83", "52454152-05", DosPartitionKind.LOGICAL),
                        tuple(6, 1_144_832L, 952_320L, "83", "52454152-06", DosPartitionKind.LOGICAL));
        assertThat(about(r, "disk:loop1")).contains(Finding.warning("disk:loop1", "lsblk knows no partition type for /dev/loop1p1,"
                + " /dev/loop1p5, /dev/loop1p6 (no udev database); each is described as a Linux data partition (83), which may be wrong"));
        assertThat(r.findings()).extracting(Finding::severity).containsOnly(Finding.Severity.WARNING);
        assertThat(DescriptorValidator.validate(r.descriptor())).isEmpty();
    }

    @Test
    void tune2fsFailingIsAWarningAndTheFilesystemIsStillDescribed(@TempDir Path other) {
        FixtureCommandRunner runner = hostRunner().fail(1, "tune2fs 1.47.0 (5-Feb-2023)\n"
                + "tune2fs: Permission denied while trying to open /dev/loop0p2\nCouldn't find valid filesystem superblock.\n",
                "tune2fs", "-l", "/dev/loop0p2");

        DiscoveryResult r = discover(runner, hostOptions(hostRoot(other).root()));

        assertThat(about(r, "fs:" + DiscoveryScenarios.MNT + "/gpt-root")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.message()).startsWith("'tune2fs -l /dev/loop0p2' failed with exit code 1: ")
                    .contains("Permission denied while trying to open /dev/loop0p2")
                    .endsWith("; so rear does not know the ext parameters of /dev/loop0p2");
        });
        assertThat(r.hasErrors()).isFalse();
        Filesystem root = fs(r.descriptor(), "/dev/loop0p2");
        assertThat(root.type()).isEqualTo(FilesystemType.EXT4);
        assertThat(root.uuid()).isEqualTo("52454152-e4e4-4e4e-8e4e-000000000002");
        assertThat(root.label()).isEqualTo("rear-root");
        assertThat(root.mounts()).extracting(Mount::mountpoint).containsExactly(DiscoveryScenarios.MNT + "/gpt-root");
        assertThat(root.parameters()).isNull();
        assertThat(DescriptorValidator.validate(r.descriptor())).isEmpty();
    }

    @Test
    void aDegradedArrayIsAWarningAndIsDescribedAsItShouldBe() {
        DiscoveryResult r = discover(vmRunner(), vmOptions(vmRoot(dir).root()));

        assertThat(about(r, "md:md2")).containsExactly(Finding.warning("md:md2",
                "/dev/md2 is degraded (missing slots [1]); it is described as it should be, with the members it has"));
        RaidArray md2 = md(r.descriptor(), "/dev/md2");
        assertThat(md2.raidDevices()).isEqualTo(2);
        assertThat(md2.members()).hasSize(1);
        assertThat(about(r, "md:md0")).isEmpty();
        assertThat(about(r, "md:md1")).isEmpty();
    }

    @Test
    void mdadmMissingIsAnErrorNamingItsPackage() {
        FixtureCommandRunner runner = vmRunner();
        for (String md : List.of("/dev/md0", "/dev/md1", "/dev/md2")) {
            runner.missing("mdadm", "--detail", "--export", md).missing("mdadm", "--detail", md);
        }

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(r.descriptor().raidArrays()).isEmpty();
        assertThat(about(r, "md:md0")).isNotEmpty().allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.message()).contains("'mdadm' is not installed; it comes with the package mdadm")
                    .endsWith("rear does not know the md array /dev/md0");
        });
    }

    @Test
    void anUnreadableLuksHeaderIsAnErrorAndTheOtherIsStillDescribed() {
        FixtureCommandRunner runner = vmRunner().fail(1, "Device /dev/vdk is not a valid LUKS device.\n", "cryptsetup", "luksDump", "/dev/vdk");

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(about(r, "luks:vdk")).containsExactly(Finding.error("luks:vdk", "'cryptsetup luksDump /dev/vdk' failed with exit code 1:"
                + " Device /dev/vdk is not a valid LUKS device.; so rear does not know the LUKS header of /dev/vdk"));
        assertThat(r.descriptor().encryption()).extracting(LuksDevice::name).containsExactly("cryptold");
    }

    @Test
    void aLuksDeviceThatIsNotOpenIsNamedAfterItsUuid() {
        int vdl = DiscoveryScenarios.lsblkIndex("lsblk/vm-machine.json", "vdl");
        String lsblk = DiscoveryScenarios.editJson("lsblk/vm-machine.json", "/blockdevices/" + vdl, o -> o.remove("children"));
        FixtureCommandRunner runner = vmRunner().answerText(lsblk, argv(LSBLK));

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        String name = "luks-0e7e1c5a-1111-4a2b-8c3d-4e5f60718293";
        assertThat(r.descriptor().encryption()).extracting(LuksDevice::name, LuksDevice::device)
                .containsExactly(tuple("cryptroot", "/dev/vdk"), tuple(name, "/dev/vdl"));
        assertThat(about(r, "luks:" + name)).containsExactly(Finding.warning("luks:" + name,
                "/dev/vdl holds LUKS but is not open; described under the name " + name));
        assertThat(DescriptorValidator.validate(r.descriptor())).isEmpty();
    }

    @Test
    void blkidMissingIsAWarningAndLsblkAloneTellsTypesAndUuids() {
        FixtureCommandRunner runner = vmRunner().missing(argv(BLKID));

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(about(r, "discovery")).containsExactly(Finding.warning("discovery", "'blkid' is not installed; it comes with the"
                + " package util-linux (Debian/Ubuntu: apt-get install util-linux); filesystem types, UUIDs and labels come from lsblk alone"));
        // udev ran in the VM, so lsblk knows them.
        assertThat(fs(r.descriptor(), "/dev/vdm1").uuid()).isEqualTo("1234-ABCD");
        assertThat(r.descriptor().encryption()).hasSize(2);
    }

    @Test
    void blkidFindingNothingIsNoFinding() {
        // blkid exits 2 when it finds nothing at all; discovery accepts that exit code.
        FixtureCommandRunner runner = vmRunner().fail(2, "", argv(BLKID));

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(about(r, "discovery")).isEmpty();
        assertThat(r.descriptor().filesystems()).extracting(Filesystem::uuid).containsExactly("1234-ABCD", "0BAD-F00D");
    }

    @Test
    void aNetworkToolTimingOutIsAWarning() {
        FixtureCommandRunner runner = vmRunner().timeout("ip", "-j", "addr");

        DiscoveryResult r = discover(runner, vmOptions(vmRoot(dir).root()));

        assertThat(about(r, "network")).containsExactly(Finding.warning("network",
                "'ip -j addr' did not finish within 60 s and was killed; so rear does not know the network interfaces"));
        assertThat(r.descriptor().network().interfaces()).isEmpty();
        assertThat(r.descriptor().network().routes()).isNotEmpty();
        assertThat(r.hasErrors()).isFalse();
    }
}
