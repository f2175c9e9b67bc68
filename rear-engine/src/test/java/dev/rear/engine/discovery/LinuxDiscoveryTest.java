package dev.rear.engine.discovery;

import static dev.rear.engine.discovery.DiscoveryScenarios.BLKID;
import static dev.rear.engine.discovery.DiscoveryScenarios.FINDMNT;
import static dev.rear.engine.discovery.DiscoveryScenarios.LSBLK;
import static dev.rear.engine.discovery.DiscoveryScenarios.discover;
import static dev.rear.engine.discovery.DiscoveryScenarios.disk;
import static dev.rear.engine.discovery.DiscoveryScenarios.fs;
import static dev.rear.engine.discovery.DiscoveryScenarios.lv;
import static dev.rear.engine.discovery.DiscoveryScenarios.md;
import static dev.rear.engine.discovery.DiscoveryScenarios.vg;
import static dev.rear.engine.discovery.DiscoveryScenarios.vmOptions;
import static dev.rear.engine.discovery.DiscoveryScenarios.vmRoot;
import static dev.rear.engine.discovery.DiscoveryScenarios.vmRunner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.FilesystemType;
import dev.rear.api.descriptor.Firmware;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.LvSegmentType;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PartitionTableType;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.RaidMember;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VfatParameters;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.engine.descriptor.DescriptorValidator;
import dev.rear.engine.testing.FakeHostRoot;
import dev.rear.engine.testing.FixtureCommandRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LinuxDiscovery} on the qemu VM of {@code capture-vm-fixtures.sh}, every command answered
 * from its captured output (see {@link DiscoveryScenarios#vmRunner()}): md, LVM, LUKS and vfat as
 * udev-equipped lsblk, mdadm, lvm and cryptsetup printed them. No root, no device.
 */
class LinuxDiscoveryTest {

    @TempDir
    Path dir;

    private FixtureCommandRunner runner;
    private DiscoveryResult result;
    private SystemDescriptor d;

    @BeforeEach
    void discoverTheVm() {
        runner = vmRunner();
        result = discover(runner, vmOptions(vmRoot(dir).root()));
        d = result.descriptor();
    }

    @Test
    void theDescriptorIsValidAndTheOnlyFindingIsTheDegradedArray() {
        assertThat(DescriptorValidator.validate(d)).isEmpty();
        assertThat(result.hasErrors()).isFalse();
        assertThat(result.findings()).containsExactly(Finding.warning("md:md2",
                "/dev/md2 is degraded (missing slots [1]); it is described as it should be, with the members it has"));
        assertThat(d.schema()).isEqualTo(SystemDescriptor.SCHEMA);
        assertThat(d.capturedAt()).isEqualTo(DiscoveryScenarios.NOW);
        assertThat(d.excluded()).isEmpty();
    }

    @Test
    void everyCommandRunsOnceWithTheFlagsTheFixturesWereCapturedFor() {
        assertThat(runner.ranTwice()).isEmpty();
        assertThat(runner.neverRan()).isEmpty();
        assertThat(runner.commands()).containsExactlyInAnyOrder(
                LSBLK, FINDMNT, BLKID, LinuxDiscovery.LVM_FULLREPORT,
                List.of("mdadm", "--detail", "--export", "/dev/md0"), List.of("mdadm", "--detail", "/dev/md0"),
                List.of("mdadm", "--detail", "--export", "/dev/md1"), List.of("mdadm", "--detail", "/dev/md1"),
                List.of("mdadm", "--detail", "--export", "/dev/md2"), List.of("mdadm", "--detail", "/dev/md2"),
                List.of("cryptsetup", "luksDump", "/dev/vdk"), List.of("cryptsetup", "luksDump", "/dev/vdl"),
                List.of("sfdisk", "-J", "/dev/vdm"),
                List.of("ip", "-j", "addr"), List.of("ip", "-j", "route"), List.of("ip", "-6", "-j", "route"));
    }

    @Test
    void hostFactsComeFromTheHostRoot() {
        assertThat(d.host().hostname()).isEqualTo("capturevm");
        assertThat(d.host().machineId()).isEqualTo("0f3c2b1a9e8d7c6b5a4f3e2d1c0b9a88");
        assertThat(d.host().kernel().release()).isEqualTo("6.1.0-56-amd64");
        assertThat(d.host().kernel().cmdline()).isEqualTo("BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-amd64 root=/dev/vda ro quiet");
        assertThat(d.host().osRelease().id()).isEqualTo("debian");
        assertThat(d.host().osRelease().versionId()).isEqualTo("12");
        assertThat(d.host().osRelease().prettyName()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(d.host().firmware()).isEqualTo(Firmware.BIOS);
        assertThat(d.host().secureBoot()).isNull();
        assertThat(d.network().dns().nameservers()).containsExactly("10.255.255.53");
    }

    @Test
    void everyVirtioDiskIsDescribedWithItsSizeAndByIdLinks() {
        assertThat(d.disks()).extracting(Disk::kernelName).containsExactlyElementsOf(DiscoveryScenarios.VM_DISKS);
        Disk vda = disk(d, "/dev/vda");
        assertThat(vda.sizeBytes()).isEqualTo(33_554_432L);
        assertThat(vda.byIdLinks()).containsExactly("/dev/disk/by-id/virtio-rear-system");
        assertThat(vda.partitionTable().type()).isEqualTo(PartitionTableType.NONE);
        assertThat(disk(d, "/dev/vdi").sizeBytes()).isEqualTo(268_435_456L);
        assertThat(disk(d, "/dev/vdl").sizeBytes()).isEqualTo(33_554_432L);
        assertThat(d.disks()).allSatisfy(x -> {
            assertThat(x.logicalSectorSize()).isEqualTo(512);
            assertThat(x.physicalSectorSize()).isEqualTo(512);
            assertThat(x.transport()).isNull(); // lsblk prints no "tran" for virtio
            assertThat(x.rotational()).isTrue();
        });
    }

    @Test
    void theGptDiskWithTwoFatPartitionsComesFromSfdisk() {
        Disk vdm = disk(d, "/dev/vdm");
        assertThat(vdm.sizeBytes()).isEqualTo(167_772_160L);
        assertThat(vdm.partitionTable().type()).isEqualTo(PartitionTableType.GPT);
        assertThat(vdm.partitionTable().id()).isEqualTo("4C2B9E71-3A5D-4F08-9E6B-1D2C3B4A5F60");
        assertThat(vdm.partitionTable().firstUsableLba()).isEqualTo(2048L);
        assertThat(vdm.partitionTable().lastUsableLba()).isEqualTo(327_646L);
        assertThat(vdm.partitionTable().partitions())
                .extracting(Partition::number, Partition::path, Partition::startSector, Partition::sizeSectors, Partition::type,
                        Partition::partUuid, Partition::name, Partition::flags, Partition::kind)
                .containsExactly(
                        tuple(1, "/dev/vdm1", 2048L, 204_800L, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
                                "9A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9", "EFI System", List.of("boot", "esp"), null),
                        tuple(2, "/dev/vdm2", 206_848L, 81_920L, "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7",
                                "0F1E2D3C-4B5A-4697-8877-665544332211", "fat16 data", List.of(), null));
    }

    @Test
    void mdArraysHaveTheirLevelUuidMembersSlotsAndSpares() {
        assertThat(d.raidArrays()).extracting(RaidArray::device).containsExactly("/dev/md0", "/dev/md1", "/dev/md2");

        RaidArray md0 = md(d, "/dev/md0");
        assertThat(md0.level()).isEqualTo("raid1");
        assertThat(md0.metadata()).isEqualTo("1.2");
        assertThat(md0.uuid()).isEqualTo("3f6a2c1e:8b7d4e90:a1c2d3e4:f5061728");
        assertThat(md0.name()).isEqualTo("capturevm:raid1boot");
        assertThat(md0.bitmap()).isEqualTo("internal");
        assertThat(md0.chunkSizeBytes()).isNull();
        assertThat(md0.sizeBytes()).isEqualTo(64_512L * 1024);
        assertThat(md0.raidDevices()).isEqualTo(2);
        assertThat(md0.members()).extracting(RaidMember::device, RaidMember::slot, RaidMember::states).containsExactly(
                tuple("/dev/vdb", 0, List.of("active", "sync")), tuple("/dev/vdc", 1, List.of("active", "sync")));

        RaidArray md1 = md(d, "/dev/md1");
        assertThat(md1.level()).isEqualTo("raid5");
        assertThat(md1.uuid()).isEqualTo("0badc0de:cafe4e11:8e5a1d00:5ca1ab1e");
        assertThat(md1.name()).isEqualTo("capturevm:raid5data");
        assertThat(md1.chunkSizeBytes()).isEqualTo(512L * 1024);
        assertThat(md1.layout()).isEqualTo("left-symmetric");
        assertThat(md1.sizeBytes()).isEqualTo(126_976L * 1024);
        assertThat(md1.raidDevices()).isEqualTo(3);
        assertThat(md1.members()).extracting(RaidMember::device, RaidMember::slot).containsExactly(
                tuple("/dev/vdd", 0), tuple("/dev/vde", 1), tuple("/dev/vdf", 2), tuple("/dev/vdg", null));
        assertThat(md1.spares()).extracting(RaidMember::device, RaidMember::states)
                .containsExactly(tuple("/dev/vdg", List.of("spare")));

        RaidArray md2 = md(d, "/dev/md2");
        assertThat(md2.level()).isEqualTo("raid1");
        assertThat(md2.uuid()).isEqualTo("d15ea5ed:0dd0b1e5:feedface:00c0ffee");
        assertThat(md2.raidDevices()).isEqualTo(2);
        assertThat(md2.members()).extracting(RaidMember::device, RaidMember::slot).containsExactly(tuple("/dev/vdh", 0));
    }

    @Test
    void theVolumeGroupHasItsPhysicalVolumesAndOnlyItsVisibleLogicalVolumes() {
        assertThat(d.lvm().volumeGroups()).extracting(VolumeGroup::name).containsExactly("vg0");
        VolumeGroup vg0 = vg(d, "vg0");
        assertThat(vg0.uuid()).isEqualTo("zdErYx-J0tw-ZG9D-GmcG-tq3M-Lnx2-ExTcPL");
        assertThat(vg0.extentSizeBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(vg0.sizeBytes()).isEqualTo(528_482_304L);
        assertThat(vg0.physicalVolumes()).extracting(PhysicalVolume::device, PhysicalVolume::uuid, PhysicalVolume::sizeBytes)
                .containsExactly(tuple("/dev/vdi", "rearPV-vdi0-0000-0000-0000-0000-000001", 264_241_152L),
                        tuple("/dev/vdj", "rearPV-vdj0-0000-0000-0000-0000-000002", 264_241_152L));
        // [lvol0_pmspare], [pool_tdata], [pool_tmeta], [mirrored_rimage_N], [mirrored_rmeta_N] are hidden.
        assertThat(vg0.logicalVolumes()).extracting(LogicalVolume::name)
                .containsExactly("linear", "mirrored", "pool", "striped", "thin1", "thin2");
    }

    @Test
    void logicalVolumesHaveTheirSegmentTypeAndItsParameters() {
        VolumeGroup vg0 = vg(d, "vg0");

        LogicalVolume linear = lv(vg0, "linear");
        assertThat(linear.segmentType()).isEqualTo(LvSegmentType.LINEAR);
        assertThat(linear.sizeBytes()).isEqualTo(32L << 20);
        assertThat(linear.uuid()).isEqualTo("UNvttc-c33a-Fl3e-zwHS-SfSI-mq8i-TT51GD");
        assertThat(linear.stripes()).isNull();
        assertThat(linear.mirrors()).isNull();

        LogicalVolume striped = lv(vg0, "striped");
        assertThat(striped.segmentType()).isEqualTo(LvSegmentType.STRIPED);
        assertThat(striped.sizeBytes()).isEqualTo(32L << 20);
        assertThat(striped.stripes()).isEqualTo(2);
        assertThat(striped.stripeSizeBytes()).isEqualTo(64L * 1024);

        LogicalVolume pool = lv(vg0, "pool");
        assertThat(pool.segmentType()).isEqualTo(LvSegmentType.THIN_POOL);
        assertThat(pool.sizeBytes()).isEqualTo(64L << 20);
        assertThat(pool.chunkSizeBytes()).isEqualTo(128L * 1024);
        assertThat(pool.metadataSizeBytes()).isEqualTo(4L << 20);
        assertThat(pool.stripes()).isNull();

        LogicalVolume thin1 = lv(vg0, "thin1");
        assertThat(thin1.segmentType()).isEqualTo(LvSegmentType.THIN);
        assertThat(thin1.pool()).isEqualTo("pool");
        assertThat(thin1.sizeBytes()).isEqualTo(48L << 20);
        LogicalVolume thin2 = lv(vg0, "thin2");
        assertThat(thin2.pool()).isEqualTo("pool");
        assertThat(thin2.sizeBytes()).isEqualTo(256L << 20); // over-provisioned: larger than its pool
        assertThat(thin2.chunkSizeBytes()).isNull();

        LogicalVolume mirrored = lv(vg0, "mirrored");
        assertThat(mirrored.segmentType()).isEqualTo(LvSegmentType.RAID1);
        assertThat(mirrored.sizeBytes()).isEqualTo(16L << 20);
        assertThat(mirrored.mirrors()).isEqualTo(2);
        // lvm's "stripes" column counts a raid1's legs; the descriptor's stripes are for levels that stripe.
        assertThat(mirrored.stripes()).isNull();
        assertThat(mirrored.stripeSizeBytes()).isNull();
    }

    @Test
    void luksDevicesHaveTheirHeaderAndTheNameTheyAreOpenAs() {
        assertThat(d.encryption()).extracting(LuksDevice::name, LuksDevice::device, LuksDevice::version, LuksDevice::cipher,
                        LuksDevice::keySizeBits, LuksDevice::hash, LuksDevice::pbkdf, LuksDevice::uuid, LuksDevice::label)
                .containsExactly(
                        tuple("cryptroot", "/dev/vdk", 2, "aes-xts-plain64", 512, "sha256", "argon2id",
                                "5e1f0c2a-7b3d-4c8e-9f10-a2b3c4d5e6f7", "rear-luks2"),
                        tuple("cryptold", "/dev/vdl", 1, "aes-xts-plain64", 512, "sha256", "pbkdf2",
                                "0e7e1c5a-1111-4a2b-8c3d-4e5f60718293", null));
        assertThat(d.encryption()).extracting(LuksDevice::mapperPath).containsExactly("/dev/mapper/cryptroot", "/dev/mapper/cryptold");
    }

    @Test
    void vfatFilesystemsHaveTheirFatSizeAndVolumeId() {
        assertThat(d.filesystems()).extracting(Filesystem::device).containsExactly("/dev/vdm1", "/dev/vdm2");
        Filesystem esp = fs(d, "/dev/vdm1");
        assertThat(esp.type()).isEqualTo(FilesystemType.VFAT);
        assertThat(esp.uuid()).isEqualTo("1234-ABCD");
        assertThat(esp.label()).isEqualTo("REAR-ESP");
        assertThat(esp.mounts()).isEmpty(); // the mount table of this scenario is empty
        assertThat(esp.parameters()).isEqualTo(new VfatParameters("1234-ABCD", 32, null));
        Filesystem fat16 = fs(d, "/dev/vdm2");
        assertThat(fat16.uuid()).isEqualTo("0BAD-F00D");
        assertThat(fat16.label()).isEqualTo("REARFAT16");
        assertThat(fat16.parameters()).isEqualTo(new VfatParameters("0BAD-F00D", 16, null));
        assertThat(d.swap()).isEmpty();
    }

    @Test
    void grubInTheFirstSectorOfVdaMakesAGrub2BiosBootloader() {
        assertThat(d.bootloader().type()).isEqualTo(BootloaderType.GRUB2_BIOS);
        assertThat(d.bootloader().installDevices()).containsExactly("/dev/vda");
        assertThat(d.bootloader().esp()).isNull();
    }

    // ------------------------------------------------------------------------------------ variations

    /**
     * The same VM booted with UEFI and Secure Boot on: GRUB for EFI on the ESP, whatever sector 0
     * of any disk holds.
     */
    @Test
    void onUefiTheBootloaderIsGrubForEfiOnTheEsp(@TempDir Path other) {
        FakeHostRoot root = vmRoot(other).uefi()
                // efivarfs: 4 bytes of attributes, then the value 1
                .file("/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", "\u0006\0\0\0\u0001");
        // The boot entries come from another capture (an OVMF VM with entries made as installers make them).
        DiscoveryResult r = discover(vmRunner().answer("efibootmgr/vm-ovmf-installed-verbose.txt", "efibootmgr", "-v"),
                vmOptions(root.root()));

        assertThat(r.descriptor().host().firmware()).isEqualTo(Firmware.UEFI);
        assertThat(r.descriptor().host().secureBoot()).isTrue();
        assertThat(r.descriptor().bootloader().type()).isEqualTo(BootloaderType.GRUB2_EFI);
        assertThat(r.descriptor().bootloader().esp()).isEqualTo("/dev/vdm1");
        assertThat(r.descriptor().bootloader().installDevices()).isEmpty();
        assertThat(r.descriptor().bootloader().efiEntries()).extracting(e -> e.number(), e -> e.label(), e -> e.loaderPath(), e -> e.active())
                .contains(tuple("0001", "debian", "\\EFI\\debian\\shimx64.efi", true),
                        tuple("0002", "debian-grub", "\\EFI\\debian\\grubx64.efi", false));
        assertThat(r.descriptor().bootloader().efiEntries()).filteredOn(e -> e.number().equals("0001"))
                .extracting(e -> e.partUuid()).containsExactly("e5a1b0c7-0001-4e5f-9a0b-00000000da01");
        assertThat(r.descriptor().bootloader().bootOrder()).startsWith("0001");
        assertThat(r.findings()).noneMatch(f -> f.component().equals("bootloader"));
        assertThat(DescriptorValidator.validate(r.descriptor())).isEmpty();
    }

    /** The firmware started systemd-boot this time (BootCurrent names its loader): the bootloader is systemd-boot. */
    @Test
    void theLoaderTheFirmwareStartedDecidesBetweenGrubAndSystemdBoot(@TempDir Path other) {
        FakeHostRoot root = vmRoot(other).uefi();
        String installed = FixtureCommandRunner.fixture("efibootmgr/vm-ovmf-installed-verbose.txt");
        String bootedSystemd = installed.replaceFirst("(?m)^BootCurrent: [0-9A-F]{4}$", "BootCurrent: 0003");
        if (!installed.startsWith("BootCurrent:")) {
            bootedSystemd = "BootCurrent: 0003\n" + installed;
        }
        DiscoveryResult r = discover(vmRunner().answerText(bootedSystemd, "efibootmgr", "-v"), vmOptions(root.root()));

        assertThat(r.descriptor().bootloader().type()).isEqualTo(BootloaderType.SYSTEMD_BOOT);
    }

    /** efibootmgr missing on a UEFI machine: a warning naming the package, the bootloader still described from the ESP. */
    @Test
    void withoutEfibootmgrTheEntriesAreMissingAndThePackageIsNamed(@TempDir Path other) {
        FakeHostRoot root = vmRoot(other).uefi();
        DiscoveryResult r = discover(vmRunner().missing("efibootmgr", "-v"), vmOptions(root.root()));

        assertThat(r.descriptor().bootloader().type()).isEqualTo(BootloaderType.GRUB2_EFI);
        assertThat(r.descriptor().bootloader().efiEntries()).isEmpty();
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.message()).contains("apt-get install efibootmgr"));
    }

    /** EXCLUDE_COMPONENTS names components by the descriptor's ids, also for what lives on an LV. */
    @Test
    void excludeComponentsMatchesTheDescriptorIdOfSwapOnALogicalVolume(@TempDir Path other) {
        FakeHostRoot root = vmRoot(other)
                .file("/dev/dm-0", "")
                .symlink("/dev/mapper/vg0-linear", "../dm-0")
                .file("/proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                        + "/dev/dm-0                               partition\t32764\t\t0\t\t-2\n");
        FixtureCommandRunner r = vmRunner().answerText(FixtureCommandRunner.fixture("blkid/vm-machine.export")
                + "\nDEVNAME=/dev/mapper/vg0-linear\nLABEL=lvswap\nUUID=52454152-5a5a-4a5a-8a5a-0000000000a1\nTYPE=swap\n",
                DiscoveryScenarios.argv(BLKID));
        DiscoveryOptions o = vmOptions(root.root());
        o = new DiscoveryOptions(o.autoExcludeDisks(), List.of("swap:vg0/linear"), o.onlyIncludeVg(), o.excludeVg(), o.excludeMd(),
                o.includeLoop(), o.autoExcludeUsb(), o.backupTargets(), o.root());

        SystemDescriptor desc = discover(r, o).descriptor();

        assertThat(desc.swap()).isEmpty();
        assertThat(desc.excluded()).contains(new dev.rear.api.descriptor.Excluded("swap:vg0/linear", "EXCLUDE_COMPONENTS",
                "excluded by configuration"));
    }

    /**
     * Swap on an LV, as the kernel lists it in {@code /proc/swaps} ({@code /dev/dm-0}) and blkid
     * finds it ({@code /dev/mapper/vg0-linear}): the descriptor names the LV {@code /dev/vg0/linear}.
     * The blkid entry is added by this test to the captured output; there was no swap in the VM.
     */
    @Test
    void aDeviceOnALogicalVolumeIsNamedDevVgLv(@TempDir Path other) {
        String swapUuid = "52454152-5a5a-4a5a-8a5a-0000000000a1";
        FakeHostRoot root = vmRoot(other)
                .file("/dev/dm-0", "")
                .symlink("/dev/mapper/vg0-linear", "../dm-0")
                .file("/proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                        + "/dev/dm-0                               partition\t32764\t\t0\t\t-2\n");
        FixtureCommandRunner r = vmRunner().answerText(FixtureCommandRunner.fixture("blkid/vm-machine.export")
                + "\nDEVNAME=/dev/mapper/vg0-linear\nLABEL=lvswap\nUUID=" + swapUuid + "\nTYPE=swap\n", DiscoveryScenarios.argv(BLKID));

        SystemDescriptor desc = discover(r, vmOptions(root.root())).descriptor();

        assertThat(desc.swap()).extracting(Swap::device, Swap::uuid, Swap::label, Swap::priority)
                .containsExactly(tuple("/dev/vg0/linear", swapUuid, "lvswap", -2));
        assertThat(vg(desc, "vg0").pathOf(lv(vg(desc, "vg0"), "linear"))).isEqualTo("/dev/vg0/linear");
        assertThat(DescriptorValidator.validate(desc)).isEmpty();
    }
}
