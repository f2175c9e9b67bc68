package dev.rear.engine.discovery;

import static dev.rear.engine.discovery.DiscoveryScenarios.FINDMNT;
import static dev.rear.engine.discovery.DiscoveryScenarios.LSBLK;
import static dev.rear.engine.discovery.DiscoveryScenarios.MNT;
import static dev.rear.engine.discovery.DiscoveryScenarios.argv;
import static dev.rear.engine.discovery.DiscoveryScenarios.discover;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostOptions;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostRoot;
import static dev.rear.engine.discovery.DiscoveryScenarios.hostRunner;
import static dev.rear.engine.discovery.DiscoveryScenarios.vmRoot;
import static dev.rear.engine.discovery.DiscoveryScenarios.vmRunner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Excluded;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorValidator;
import dev.rear.engine.testing.FixtureCommandRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link LinuxDiscovery} leaves out, and that each component left out is listed in
 * {@code excluded} with the ReaR rule that excluded it; nothing is asked about what is left out.
 */
class LinuxDiscoveryScopeTest {

    @TempDir
    Path dir;

    /** The VM's options with AUTOEXCLUDE_DISKS off and the given lists. */
    private DiscoveryOptions vm(List<String> excludeComponents, List<String> onlyIncludeVg, List<String> excludeVg, List<String> excludeMd) {
        return new DiscoveryOptions(false, excludeComponents, onlyIncludeVg, excludeVg, excludeMd, false, true, List.of(), vmRoot(dir).root());
    }

    private static List<List<String>> commandsOf(FixtureCommandRunner runner, String program) {
        return runner.commands().stream().filter(c -> c.get(0).equals(program)).toList();
    }

    /**
     * The host with the whole-disk xfs unmounted (taken out of the captured lsblk and findmnt
     * outputs here): nothing on loop3 is in use, so AUTOEXCLUDE_DISKS leaves it out.
     */
    @Test
    void aDiskWithNothingInUseIsExcludedByAutoexcludeDisks() {
        int loop3 = DiscoveryScenarios.lsblkIndex("lsblk/host-machine.json", "loop3");
        String lsblk = DiscoveryScenarios.editJson("lsblk/host-machine.json", "/blockdevices/" + loop3, o -> {
            o.putArray("mountpoints").addNull();
            o.putArray("fsroots").addNull();
        });
        String findmnt = DiscoveryScenarios.removeFromJsonArray("findmnt/host-real-list.json", "/filesystems",
                m -> m.get("target").asText().equals(MNT + "/whole-xfs"));
        FixtureCommandRunner runner = hostRunner().answerText(lsblk, argv(LSBLK)).answerText(findmnt, argv(FINDMNT));

        SystemDescriptor d = discover(runner, hostOptions(hostRoot(dir).root())).descriptor();

        assertThat(d.excluded()).containsExactly(new Excluded("disk:loop3", "AUTOEXCLUDE_DISKS",
                "nothing on /dev/loop3 is mounted or used as swap"));
        assertThat(d.disks()).extracting(Disk::kernelName).containsExactly("loop0", "loop1", "loop2", "vda");
        assertThat(d.filesystems()).extracting(Filesystem::device).doesNotContain("/dev/loop3");
        assertThat(runner.neverRan()).containsExactly(List.of("xfs_info", MNT + "/whole-xfs"));
        assertThat(DescriptorValidator.validate(d)).isEmpty();
    }

    @Test
    void withAutoexcludeDisksTheUnmountedVmDisksAndTheirVolumeGroupAreExcluded() {
        // Only the ESP on vdm is mounted (lsblk says so); the empty mount table adds nothing.
        FixtureCommandRunner runner = vmRunner();
        DiscoveryOptions options = new DiscoveryOptions(true, List.of(), List.of(), List.of(), List.of(), false, true, List.of(),
                vmRoot(dir).root());

        SystemDescriptor d = discover(runner, options).descriptor();

        assertThat(d.disks()).extracting(Disk::kernelName).containsExactly("vdm");
        assertThat(d.excluded()).filteredOn(e -> e.component().startsWith("disk:")).extracting(Excluded::component, Excluded::rule)
                .containsExactly(DiscoveryScenarios.VM_DISKS.stream().limit(12).map(k -> tuple("disk:" + k, "AUTOEXCLUDE_DISKS")).toArray(
                        org.assertj.core.groups.Tuple[]::new));
        assertThat(d.excluded()).contains(new Excluded("vg:vg0", "AUTOEXCLUDE_DISKS", "a physical volume of vg0 is on an excluded disk"));
        assertThat(d.raidArrays()).isEmpty();
        assertThat(d.encryption()).isEmpty();
        assertThat(commandsOf(runner, "mdadm")).isEmpty();
        assertThat(commandsOf(runner, "cryptsetup")).isEmpty();
        assertThat(DescriptorValidator.validate(d)).isEmpty();
    }

    /** BACKUP_URL=file:// on a disk of its own: the disk holds nothing of the system and is left out. */
    @Test
    void aDiskHoldingOnlyTheBackupLocationIsExcludedAsBackupTarget() {
        FixtureCommandRunner runner = hostRunner();
        DiscoveryOptions o = hostOptions(hostRoot(dir).root());
        o = new DiscoveryOptions(o.autoExcludeDisks(), o.excludeComponents(), o.onlyIncludeVg(), o.excludeVg(), o.excludeMd(),
                o.includeLoop(), o.autoExcludeUsb(), List.of(Path.of(MNT + "/whole-xfs/rear")), o.root());

        DiscoveryResult r = discover(runner, o);

        assertThat(r.descriptor().excluded()).containsExactly(new Excluded("disk:loop3", "BACKUP_TARGET",
                "/dev/loop3 holds the backup location " + MNT + "/whole-xfs/rear and nothing of the system"));
        assertThat(r.descriptor().filesystems()).extracting(Filesystem::device).doesNotContain("/dev/loop3");
        assertThat(DescriptorValidator.validate(r.descriptor())).isEmpty();
    }

    /** A backup location on / is on the system's own disk: described as it is, and said to be no disaster recovery. */
    @Test
    void aBackupLocationOnTheRootFilesystemIsAWarningNotAnExclusion() {
        DiscoveryOptions o = hostOptions(hostRoot(dir).root());
        o = new DiscoveryOptions(o.autoExcludeDisks(), o.excludeComponents(), o.onlyIncludeVg(), o.excludeVg(), o.excludeMd(),
                o.includeLoop(), o.autoExcludeUsb(), List.of(Path.of("/var/lib/rear/backup")), o.root());

        DiscoveryResult r = discover(hostRunner(), o);

        assertThat(r.descriptor().excluded()).isEmpty();
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.message())
                .contains("the backup location /var/lib/rear/backup is on the filesystem mounted at /"));
    }

    @Test
    void excludeVgLeavesTheVolumeGroupOut() {
        SystemDescriptor d = discover(vmRunner(), vm(List.of(), List.of(), List.of("vg0"), List.of())).descriptor();

        assertThat(d.lvm().volumeGroups()).isEmpty();
        assertThat(d.excluded()).containsExactly(new Excluded("vg:vg0", "EXCLUDE_VG", "excluded by configuration"));
        assertThat(DescriptorValidator.validate(d)).isEmpty();
    }

    @Test
    void onlyIncludeVgLeavesEveryOtherVolumeGroupOut() {
        SystemDescriptor d = discover(vmRunner(), vm(List.of(), List.of("vgsys"), List.of(), List.of())).descriptor();

        assertThat(d.lvm().volumeGroups()).isEmpty();
        assertThat(d.excluded()).containsExactly(new Excluded("vg:vg0", "ONLY_INCLUDE_VG", "vg0 is not among ONLY_INCLUDE_VG"));
    }

    @Test
    void onlyIncludeVgKeepsTheVolumeGroupsItNames() {
        SystemDescriptor d = discover(vmRunner(), vm(List.of(), List.of("vg0"), List.of(), List.of())).descriptor();

        assertThat(d.lvm().volumeGroups()).hasSize(1);
        assertThat(d.excluded()).isEmpty();
    }

    @Test
    void excludeMdLeavesTheArraysOutByNameOrPathAndMdadmIsNotAsked() {
        FixtureCommandRunner runner = vmRunner();

        SystemDescriptor d = discover(runner, vm(List.of(), List.of(), List.of(), List.of("md1", "/dev/md2"))).descriptor();

        assertThat(d.raidArrays()).extracting(RaidArray::device).containsExactly("/dev/md0");
        assertThat(d.excluded()).containsExactly(new Excluded("md:md1", "EXCLUDE_MD", "excluded by configuration"),
                new Excluded("md:md2", "EXCLUDE_MD", "excluded by configuration"));
        assertThat(commandsOf(runner, "mdadm")).containsExactlyInAnyOrder(List.of("mdadm", "--detail", "--export", "/dev/md0"),
                List.of("mdadm", "--detail", "/dev/md0"));
        assertThat(DescriptorValidator.validate(d)).isEmpty();
    }

    @Test
    void excludeComponentsLeavesOutDisksFilesystemsAndVolumeGroupsById() {
        FixtureCommandRunner runner = vmRunner();

        SystemDescriptor d = discover(runner, vm(List.of("disk:vdk", "fs:vdm2", "vg:vg0"), List.of(), List.of(), List.of())).descriptor();

        assertThat(d.excluded()).containsExactlyInAnyOrder(
                new Excluded("disk:vdk", "EXCLUDE_COMPONENTS", "excluded by configuration"),
                new Excluded("fs:vdm2", "EXCLUDE_COMPONENTS", "excluded by configuration"),
                new Excluded("vg:vg0", "EXCLUDE_COMPONENTS", "excluded by configuration"));
        assertThat(d.disks()).extracting(Disk::kernelName).doesNotContain("vdk");
        assertThat(d.encryption()).extracting(LuksDevice::name).containsExactly("cryptold");
        assertThat(d.filesystems()).extracting(Filesystem::device).containsExactly("/dev/vdm1");
        assertThat(d.lvm().volumeGroups()).isEmpty();
        assertThat(commandsOf(runner, "cryptsetup")).containsExactly(List.of("cryptsetup", "luksDump", "/dev/vdl"));
        assertThat(DescriptorValidator.validate(d)).isEmpty();
    }

    @Test
    void excludeComponentsAlsoTakesADevicePath() {
        SystemDescriptor d = discover(vmRunner(), vm(List.of("/dev/vdl"), List.of(), List.of(), List.of())).descriptor();

        assertThat(d.excluded()).containsExactly(new Excluded("disk:vdl", "EXCLUDE_COMPONENTS", "excluded by configuration"));
        assertThat(d.encryption()).extracting(LuksDevice::name).containsExactly("cryptroot");
    }

    /** The VM's vdm as if it were a USB stick (lsblk's {@code tran} changed here): left out, and not partitioned or probed. */
    @Test
    void aUsbDiskIsExcludedByAutoexcludeUsb() {
        int vdm = DiscoveryScenarios.lsblkIndex("lsblk/vm-machine.json", "vdm");
        FixtureCommandRunner runner = vmRunner().answerText(
                DiscoveryScenarios.editJson("lsblk/vm-machine.json", "/blockdevices/" + vdm, o -> o.put("tran", "usb")), argv(LSBLK));

        SystemDescriptor d = discover(runner, vm(List.of(), List.of(), List.of(), List.of())).descriptor();

        assertThat(d.excluded()).containsExactly(new Excluded("disk:vdm", "AUTOEXCLUDE_USB",
                "/dev/vdm is a USB disk; removable media are no part of the system"));
        assertThat(d.disks()).extracting(Disk::kernelName).doesNotContain("vdm");
        assertThat(d.filesystems()).isEmpty();
        assertThat(commandsOf(runner, "sfdisk")).isEmpty();
        assertThat(DescriptorValidator.validate(d)).isEmpty();
    }

    @Test
    void aRemovableDiskIsExcludedByAutoexcludeUsb() {
        int vdm = DiscoveryScenarios.lsblkIndex("lsblk/vm-machine.json", "vdm");
        FixtureCommandRunner runner = vmRunner().answerText(
                DiscoveryScenarios.editJson("lsblk/vm-machine.json", "/blockdevices/" + vdm, o -> o.put("rm", true)), argv(LSBLK));

        SystemDescriptor d = discover(runner, vm(List.of(), List.of(), List.of(), List.of())).descriptor();

        assertThat(d.excluded()).containsExactly(new Excluded("disk:vdm", "AUTOEXCLUDE_USB",
                "/dev/vdm is removable; removable media are no part of the system"));
    }

    @Test
    void withoutIncludeLoopLoopDevicesAreLeftOutUnasked() {
        FixtureCommandRunner runner = hostRunner();
        DiscoveryOptions options = hostOptions(hostRoot(dir).root()).withIncludeLoop(false);

        SystemDescriptor d = discover(runner, options).descriptor();

        assertThat(d.disks()).extracting(Disk::kernelName).containsExactly("vda");
        assertThat(d.filesystems()).extracting(Filesystem::device).containsExactly("/dev/vda");
        assertThat(d.swap()).isEmpty();
        assertThat(d.excluded()).isEmpty(); // loop devices are scaffolding, not worth an entry each
        assertThat(runner.commands()).noneMatch(c -> c.stream().anyMatch(a -> a.contains("loop")));
        assertThat(DescriptorValidator.validate(d)).isEmpty();
    }
}
