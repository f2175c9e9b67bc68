package dev.rear.engine.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.engine.testing.FakeHostRoot;
import dev.rear.engine.testing.FixtureCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The two captured machines as discovery sees them: every command {@link LinuxDiscovery} runs,
 * bound to the fixture captured for it, and a host root with the files it reads.
 *
 * <p>Where a fixture was captured with an argv that differs from discovery's, the difference is
 * one that does not change the output, and the binding says why. The tool outputs not captured
 * are the VM's empty mount table and the host's failing {@code tune2fs -l /dev/vda}; both are
 * marked SYNTHETIC. The small host files (hostname, machine id, kernel command line) are made up
 * by {@link FakeHostRoot#debian}.
 */
final class DiscoveryScenarios {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    static final List<String> LSBLK = List.of("lsblk", "-J", "-b", "-O");
    static final List<String> FINDMNT = List.of("findmnt", "-J", "-b", "--real", "-l", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS,FSROOT");
    static final List<String> BLKID = List.of("blkid", "-c", "/dev/null", "-o", "export");

    /**
     * SYNTHETIC, not captured: findmnt's JSON shape with an empty list. (findmnt itself prints
     * nothing and exits 1 when no mount matches, which a running system with a root filesystem
     * never meets.) The VM capture has no findmnt output; its tests turn AUTOEXCLUDE_DISKS off so
     * nothing depends on what is mounted.
     */
    static final String EMPTY_FINDMNT = "{\n   \"filesystems\": [\n   ]\n}\n";

    /** The VM's disks, {@code /dev/vda} to {@code /dev/vdm}. */
    static final List<String> VM_DISKS = List.of("vda", "vdb", "vdc", "vdd", "vde", "vdf", "vdg", "vdh", "vdi", "vdj", "vdk", "vdl", "vdm");

    static final String MNT = "/var/tmp/rear-capture/mnt";

    private DiscoveryScenarios() {}

    static String[] argv(List<String> argv) {
        return argv.toArray(String[]::new);
    }

    // ------------------------------------------------------------------------------------ the VM

    /**
     * The qemu VM of {@code capture-vm-fixtures.sh}: md0 (raid1, bitmap), md1 (raid5 + spare),
     * md2 (raid1, degraded), vg0 on vdi+vdj (linear, striped, thin pool with two thin LVs, raid1),
     * LUKS2 on vdk (open as cryptroot), LUKS1 on vdl (open as cryptold), a GPT disk vdm with a
     * FAT32 ESP and a FAT16 partition, and an empty vda.
     */
    static FixtureCommandRunner vmRunner() {
        FixtureCommandRunner r = new FixtureCommandRunner()
                .answer("lsblk/vm-machine.json", argv(LSBLK))
                .answerText(EMPTY_FINDMNT, argv(FINDMNT))
                // Captured as "blkid -o export"; -c /dev/null only keeps blkid from its cache file,
                // which the capture VM's fresh initramfs did not have.
                .answer("blkid/vm-machine.export", argv(BLKID))
                .answer("lvm/vm-vg-mixed-fullreport.json", argv(LinuxDiscovery.LVM_FULLREPORT))
                .answer("mdadm/vm-raid1-bitmap-detail-export.txt", "mdadm", "--detail", "--export", "/dev/md0")
                .answer("mdadm/vm-raid1-bitmap-detail.txt", "mdadm", "--detail", "/dev/md0")
                .answer("mdadm/vm-raid5-spare-detail-export.txt", "mdadm", "--detail", "--export", "/dev/md1")
                .answer("mdadm/vm-raid5-spare-detail.txt", "mdadm", "--detail", "/dev/md1")
                .answer("mdadm/vm-raid1-degraded-detail-export.txt", "mdadm", "--detail", "--export", "/dev/md2")
                .answer("mdadm/vm-raid1-degraded-detail.txt", "mdadm", "--detail", "/dev/md2")
                .answer("cryptsetup/vm-luks2-luksdump.txt", "cryptsetup", "luksDump", "/dev/vdk")
                .answer("cryptsetup/vm-luks1-luksdump.txt", "cryptsetup", "luksDump", "/dev/vdl")
                .answer("sfdisk/vm-vfat-gpt.json", "sfdisk", "-J", "/dev/vdm");
        // No network was captured in the VM: the network namespace of the host capture stands in.
        return r.answer("ip/netns-addr.json", "ip", "-j", "addr")
                .answer("ip/netns-route.json", "ip", "-j", "route")
                .answer("ip/netns-route6.json", "ip", "-6", "-j", "route");
    }

    /** The VM's host root: vda carries GRUB's boot code, the other disks none. */
    static FakeHostRoot vmRoot(Path dir) {
        FakeHostRoot root = FakeHostRoot.debian(dir, "capturevm").grubDisk("/dev/vda");
        VM_DISKS.stream().skip(1).forEach(d -> root.disk("/dev/" + d));
        return root.byId("virtio-rear-system", "vda");
    }

    /** AUTOEXCLUDE_DISKS off (nothing is mounted in the VM capture), loop devices out, USB disks out. */
    static DiscoveryOptions vmOptions(Path root) {
        return new DiscoveryOptions(false, List.of(), List.of(), List.of(), List.of(), false, true, List.of(), root);
    }

    // ------------------------------------------------------------------------------------ the host

    /**
     * The development host of {@code capture-host-fixtures.sh}, with its four loop devices: loop0
     * GPT (vfat ESP, ext4, xfs, swap), loop1 DOS (ext3, extended, ext4 logical, btrfs logical),
     * loop2 btrfs with subvolumes, loop3 whole-disk xfs with 4 KiB sectors; and vda, the root
     * filesystem, which this sandbox does not let blkid or tune2fs open. No udev ran.
     */
    static FixtureCommandRunner hostRunner() {
        return new FixtureCommandRunner()
                .answer("lsblk/host-machine.json", argv(LSBLK))
                // Captured with three more columns (MAJ:MIN,UUID,LABEL), which discovery does not read.
                .answer("findmnt/host-real-list.json", argv(FINDMNT))
                // Captured as "blkid -o export" of the twelve loop devices; blkid printed nothing for
                // /dev/vda in this sandbox (blkid/host-vda.export is empty), so the whole-machine
                // call prints the same.
                .answer("blkid/host-all.export", argv(BLKID))
                .answer("sfdisk/host-gpt.json", "sfdisk", "-J", "/dev/loop0")
                .answer("sfdisk/host-dos.json", "sfdisk", "-J", "/dev/loop1")
                .answer("tune2fs/host-gpt-root-ext4.txt", "tune2fs", "-l", "/dev/loop0p2")
                .answer("tune2fs/host-dos-boot-ext3.txt", "tune2fs", "-l", "/dev/loop1p1")
                .answer("tune2fs/host-dos-logical-ext4.txt", "tune2fs", "-l", "/dev/loop1p5")
                // SYNTHETIC: not captured. /dev/vda cannot be opened in the capture sandbox; this is
                // what tune2fs prints when the open is refused.
                .fail(1, "tune2fs 1.47.0 (5-Feb-2023)\ntune2fs: Operation not permitted while trying to open /dev/vda\n"
                        + "Couldn't find valid filesystem superblock.\n", "tune2fs", "-l", "/dev/vda")
                .answer("xfs_info/host-gpt-data.txt", "xfs_info", MNT + "/gpt-data")
                .answer("xfs_info/host-whole-disk-4k.txt", "xfs_info", MNT + "/whole-xfs")
                .answer("btrfs/host-dump-super.txt", "btrfs", "inspect-internal", "dump-super", "/dev/loop2")
                .answer("btrfs/host-dump-super-dos.txt", "btrfs", "inspect-internal", "dump-super", "/dev/loop1p6")
                // Captured without -a: from the top-level mount (subvolid=5) -a prefixes no path with
                // <FS_TREE>/, as every subvolume lies below it; the lines are the same.
                .answer("btrfs/host-subvolume-list.txt", "btrfs", "subvolume", "list", "-a", "-p", MNT + "/btrfs-top")
                .answer("btrfs/host-get-default.txt", "btrfs", "subvolume", "get-default", MNT + "/btrfs-top")
                .answer("btrfs/host-filesystem-df-bytes.txt", "btrfs", "filesystem", "df", "-b", MNT + "/btrfs-top")
                // Captured without -c /dev/null, which a low-level probe (-p) ignores anyway.
                .answer("blkid/host-gpt-esp-probe.export", "blkid", "-c", "/dev/null", "-p", "-o", "export", "/dev/loop0p1")
                .answer("ip/host-addr.json", "ip", "-j", "addr")
                .answer("ip/host-route.json", "ip", "-j", "route")
                .answer("ip/host-route6.json", "ip", "-6", "-j", "route");
    }

    /** The host's root: the captured /proc/swaps; vda carries GRUB's boot code. */
    static FakeHostRoot hostRoot(Path dir) {
        return FakeHostRoot.debian(dir, "rear-dev")
                .file("/proc/swaps", FixtureCommandRunner.fixture("proc-swaps/host.txt"))
                .grubDisk("/dev/vda")
                .disk("/dev/loop0").disk("/dev/loop1").disk("/dev/loop2").disk("/dev/loop3");
    }

    /** ReaR's defaults with loop devices in ({@code --include-loop}). */
    static DiscoveryOptions hostOptions(Path root) {
        return new DiscoveryOptions(true, List.of(), List.of(), List.of(), List.of(), false, true, List.of(), root)
                .withIncludeLoop(true);
    }

    // ------------------------------------------------------------------------------------ variations

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A captured JSON fixture with {@code edit} applied to the object at {@code pointer} ({@code /blockdevices/12}). */
    static String editJson(String fixture, String pointer, Consumer<ObjectNode> edit) {
        try {
            JsonNode root = MAPPER.readTree(FixtureCommandRunner.fixture(fixture));
            JsonNode node = root.at(pointer);
            if (!(node instanceof ObjectNode o)) {
                throw new IllegalStateException(fixture + " has no object at " + pointer);
            }
            edit.accept(o);
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A captured JSON fixture without the elements of the array at {@code pointer} that match {@code drop}. */
    static String removeFromJsonArray(String fixture, String pointer, Predicate<JsonNode> drop) {
        try {
            JsonNode root = MAPPER.readTree(FixtureCommandRunner.fixture(fixture));
            if (!(root.at(pointer) instanceof ArrayNode array)) {
                throw new IllegalStateException(fixture + " has no array at " + pointer);
            }
            int before = array.size();
            for (int i = array.size() - 1; i >= 0; i--) {
                if (drop.test(array.get(i))) {
                    array.remove(i);
                }
            }
            if (array.size() == before) {
                throw new IllegalStateException(fixture + ": nothing at " + pointer + " matched");
            }
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index of the top-level device {@code name} in a captured lsblk JSON, for {@link #editJson}. */
    static int lsblkIndex(String fixture, String name) {
        try {
            JsonNode devices = MAPPER.readTree(FixtureCommandRunner.fixture(fixture)).get("blockdevices");
            for (int i = 0; i < devices.size(); i++) {
                if (devices.get(i).get("name").asText().equals(name)) {
                    return i;
                }
            }
            throw new IllegalStateException(fixture + " has no top-level device " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------ running

    /** Used space unknown everywhere: the fake host root holds none of the captured mount points. */
    static DiscoveryResult discover(FixtureCommandRunner runner, DiscoveryOptions options) {
        return discover(runner, options, mountpoint -> java.util.OptionalLong.empty());
    }

    /** With {@code usedSpace} standing in for statvfs (it is handed the mount point under the host root). */
    static DiscoveryResult discover(FixtureCommandRunner runner, DiscoveryOptions options, LinuxDiscovery.UsedSpace usedSpace) {
        DiscoveryResult result = new LinuxDiscovery(runner, options, Clock.fixed(NOW, ZoneOffset.UTC), usedSpace).discover();
        runner.verify();
        return result;
    }

    static Disk disk(SystemDescriptor d, String path) {
        return d.disks().stream().filter(x -> x.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is not among " + d.disks().stream().map(Disk::path).toList()));
    }

    static Filesystem fs(SystemDescriptor d, String device) {
        return d.filesystems().stream().filter(x -> x.device().equals(device)).findFirst()
                .orElseThrow(() -> new AssertionError(device + " holds no described filesystem: "
                        + d.filesystems().stream().map(Filesystem::device).toList()));
    }

    static RaidArray md(SystemDescriptor d, String device) {
        return d.raidArrays().stream().filter(x -> x.device().equals(device)).findFirst()
                .orElseThrow(() -> new AssertionError(device + " is not among " + d.raidArrays().stream().map(RaidArray::device).toList()));
    }

    static VolumeGroup vg(SystemDescriptor d, String name) {
        return d.lvm().volumeGroups().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume group " + name));
    }

    static LogicalVolume lv(VolumeGroup vg, String name) {
        return vg.logicalVolumes().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no LV " + name + " among "
                        + vg.logicalVolumes().stream().map(LogicalVolume::name).toList()));
    }
}
