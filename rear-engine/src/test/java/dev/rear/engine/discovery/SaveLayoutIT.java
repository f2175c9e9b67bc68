package dev.rear.engine.discovery;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.rear.api.descriptor.XfsParameters;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root: a layout built on loop devices with the real tools — a GPT disk (ext4, xfs,
 * swap and an ESP-typed partition), a DOS disk (primary ext4, extended, logical btrfs with
 * subvolumes and a default subvolume) and a whole-disk xfs — mounted in a tree; then
 * {@code rear savelayout} with loop devices included, and the descriptor compared field by field
 * with what the test made; then {@code rear checklayout}: 0 right after, 1 after a relabel and
 * after a new partition.
 */
class SaveLayoutIT {

    static final String ROOT_UUID = "3b8f1c2e-5d4a-4e6f-9a1b-2c3d4e5f6a7b";
    static final String DATA_UUID = "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f";
    static final String SWAP_UUID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
    static final String BOOT_UUID = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";
    static final String BTRFS_UUID = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";
    static final String WHOLE_UUID = "2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819";
    static final String GPT_ID = "6A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D";
    static final String PART1_UUID = "0A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9";

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requirements() {
        LoopDevices.assumeUsable("losetup", "sfdisk", "partx", "mkfs.ext4", "mkfs.xfs", "mkfs.btrfs", "mkswap", "lsblk", "findmnt",
                "blkid", "tune2fs", "xfs_info", "btrfs");
    }

    static RearRun rear(String... args) {
        return RearRun.withoutConfig(tmp, args);
    }

    @Test
    void savelayoutDescribesWhatWasBuiltAndChecklayoutNoticesChanges() throws Exception {
        Path mnt = tmp.resolve("mnt");
        Path layoutDir = tmp.resolve("layout");
        try (LoopDevices loops = new LoopDevices(tmp)) {
            // GPT: 1 ESP-typed (no vfat on this host kernel: left unformatted), 2 ext4, 3 xfs, 4 swap.
            String gpt = loops.attach("gpt", 1024L * 1024 * 1024);
            loops.partition(gpt, "label: gpt\nlabel-id: " + GPT_ID + "\n"
                    + "size=64MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=" + PART1_UUID + ", name=\"EFI System\"\n"
                    + "size=384MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root\n"
                    + "size=384MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=data\n"
                    + "type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, name=swap\n");
            loops.run("mkfs.ext4", "-q", "-F", "-b", "4096", "-L", "rear-root", "-U", ROOT_UUID, "-i", "8192", gpt + "p2");
            loops.run("mkfs.xfs", "-q", "-f", "-L", "rear-data", "-m", "uuid=" + DATA_UUID, gpt + "p3");
            loops.run("mkswap", "-L", "rear-swap", "-U", SWAP_UUID, gpt + "p4");
            // DOS: 1 primary ext4, 2 extended, 5 logical btrfs.
            String dos = loops.attach("dos", 512L * 1024 * 1024);
            loops.partition(dos, "label: dos\nlabel-id: 0x1a2b3c4d\nsize=128MiB, type=83, bootable\ntype=5\nsize=256MiB, type=83\n");
            loops.run("mkfs.ext4", "-q", "-F", "-L", "rear-boot", "-U", BOOT_UUID, dos + "p1");
            loops.run("mkfs.btrfs", "-q", "-f", "-L", "rear-btrfs", "-U", BTRFS_UUID, dos + "p5");
            // Whole disk, no table.
            String whole = loops.attach("whole", 320L * 1024 * 1024);
            loops.run("mkfs.xfs", "-q", "-f", "-L", "rear-whole", "-m", "uuid=" + WHOLE_UUID, whole);

            loops.mount(gpt + "p2", mnt);
            loops.mount(gpt + "p3", mnt.resolve("srv"));
            loops.mount(dos + "p1", mnt.resolve("boot"));
            loops.mount(whole, mnt.resolve("scratch"));
            Path top = tmp.resolve("btrfs-top");
            loops.mount(dos + "p5", top);
            for (String sub : List.of("@", "@home", "@var")) {
                loops.run("btrfs", "subvolume", "create", top.resolve(sub).toString());
            }
            loops.run("mkdir", "-p", top.resolve("@/.snapshots").toString());
            loops.run("btrfs", "subvolume", "create", top.resolve("@/.snapshots/1").toString());
            String defaultId = loops.run("btrfs", "subvolume", "list", top.toString()).stdout().lines()
                    .filter(l -> l.endsWith(" path @")).findFirst().orElseThrow().split("\\s+")[1];
            loops.run("btrfs", "subvolume", "set-default", defaultId, top.toString());
            loops.mount(dos + "p5", mnt.resolve("home"), "subvol=@home");
            loops.swapon(gpt + "p4");

            // known content on the root filesystem: 24 MiB of data written through to the disk
            loops.run("dd", "if=/dev/urandom", "of=" + mnt.resolve("data.bin"), "bs=1M", "count=24", "conv=fsync", "status=none");

            RearRun saved = rear("savelayout", "--include-loop", "--layout-dir", layoutDir.toString());
            assertThat(saved.code()).as(saved.out() + saved.err()).isZero();
            SystemDescriptor d = DescriptorFiles.load(layoutDir.resolve("descriptor.json"));

            // --- the GPT disk, field by field
            Disk g = disk(d, gpt);
            assertThat(g.partitionTable().type()).isEqualTo(PartitionTableType.GPT);
            assertThat(g.partitionTable().id()).isEqualTo(GPT_ID);
            assertThat(g.sizeBytes()).isEqualTo(1024L * 1024 * 1024);
            assertThat(g.partitionTable().firstUsableLba()).isEqualTo(2048L);
            assertThat(g.partitionTable().lastUsableLba()).isEqualTo(2L * 1024 * 1024 - 34);
            List<Partition> gp = g.partitionTable().partitions();
            assertThat(gp).extracting(Partition::number).containsExactly(1, 2, 3, 4);
            assertThat(gp).extracting(Partition::startSector).containsExactly(2048L, 133_120L, 919_552L, 1_705_984L);
            // sfdisk ends a "rest of the disk" partition on a 1 MiB boundary, before the backup GPT.
            assertThat(gp).extracting(Partition::sizeSectors).containsExactly(131_072L, 786_432L, 786_432L, 389_120L);
            assertThat(gp.get(0).type()).isEqualTo("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
            assertThat(gp.get(0).partUuid()).isEqualTo(PART1_UUID);
            assertThat(gp.get(0).name()).isEqualTo("EFI System");
            assertThat(gp.get(0).flags()).contains("esp");
            assertThat(gp.get(3).flags()).contains("swap");
            assertThat(gp).extracting(Partition::path).containsExactly(gpt + "p1", gpt + "p2", gpt + "p3", gpt + "p4");

            // --- the DOS disk
            Disk o = disk(d, dos);
            assertThat(o.partitionTable().type()).isEqualTo(PartitionTableType.DOS);
            assertThat(o.partitionTable().id()).isEqualTo("0x1a2b3c4d");
            List<Partition> op = o.partitionTable().partitions();
            assertThat(op).extracting(Partition::number).containsExactly(1, 2, 5);
            assertThat(op).extracting(Partition::kind).containsExactly(DosPartitionKind.PRIMARY, DosPartitionKind.EXTENDED, DosPartitionKind.LOGICAL);
            assertThat(op).extracting(Partition::type).containsExactly("83", "5", "83");
            assertThat(op.get(0).flags()).contains("boot");
            assertThat(op).extracting(Partition::partUuid).containsExactly("1a2b3c4d-01", "1a2b3c4d-02", "1a2b3c4d-05");

            // --- the whole disk
            Disk w = disk(d, whole);
            assertThat(w.partitionTable().type()).isEqualTo(PartitionTableType.NONE);

            // --- filesystems
            Filesystem root = fs(d, gpt + "p2");
            assertThat(root.type()).isEqualTo(FilesystemType.EXT4);
            assertThat(root.uuid()).isEqualTo(ROOT_UUID);
            assertThat(root.label()).isEqualTo("rear-root");
            assertThat(root.mounts()).extracting(Mount::mountpoint).containsExactly(mnt.toString());
            ExtParameters ext = (ExtParameters) root.parameters();
            assertThat(ext.blockSizeBytes()).isEqualTo(4096);
            assertThat(ext.inodeRatioBytes()).isEqualTo(8192L);
            assertThat(ext.features()).contains("has_journal", "extent");
            // used space at capture: statvfs (f_blocks - f_bfree) * f_frsize, as stat -f reports it
            String[] sf = loops.run("stat", "-f", "-c", "%S %b %f", mnt.toString()).stdout().strip().split(" ");
            long statUsed = (Long.parseLong(sf[1]) - Long.parseLong(sf[2])) * Long.parseLong(sf[0]);
            assertThat(root.usedBytes()).isEqualTo(statUsed).isGreaterThanOrEqualTo(24L << 20).isLessThan(ext.blockCount() * 4096);
            assertThat(fs(d, gpt + "p3").usedBytes()).as("xfs: statvfs too").isPositive();
            assertThat(fs(d, dos + "p5").usedBytes()).as("btrfs: statvfs too").isPositive();

            Filesystem data = fs(d, gpt + "p3");
            assertThat(data.type()).isEqualTo(FilesystemType.XFS);
            assertThat(data.uuid()).isEqualTo(DATA_UUID);
            assertThat(data.label()).isEqualTo("rear-data");
            assertThat(data.mounts()).extracting(Mount::mountpoint).containsExactly(mnt.resolve("srv").toString());
            assertThat(((XfsParameters) data.parameters()).blockSizeBytes()).isEqualTo(4096);

            Filesystem boot = fs(d, dos + "p1");
            assertThat(boot.uuid()).isEqualTo(BOOT_UUID);
            assertThat(boot.label()).isEqualTo("rear-boot");

            Filesystem wholeFs = fs(d, whole);
            assertThat(wholeFs.uuid()).isEqualTo(WHOLE_UUID);
            assertThat(wholeFs.mounts()).extracting(Mount::mountpoint).containsExactly(mnt.resolve("scratch").toString());

            Filesystem btrfs = fs(d, dos + "p5");
            assertThat(btrfs.uuid()).isEqualTo(BTRFS_UUID);
            assertThat(btrfs.label()).isEqualTo("rear-btrfs");
            assertThat(btrfs.mounts()).extracting(Mount::mountpoint).containsExactlyInAnyOrder(top.toString(), mnt.resolve("home").toString());
            BtrfsParameters bp = (BtrfsParameters) btrfs.parameters();
            assertThat(bp.subvolumes()).extracting(BtrfsSubvolume::path).containsExactlyInAnyOrder("@", "@home", "@var", "@/.snapshots/1");
            assertThat(bp.subvolumes()).filteredOn(s -> s.path().equals("@home")).extracting(BtrfsSubvolume::mountpoint)
                    .containsExactly(mnt.resolve("home").toString());
            assertThat(bp.defaultSubvolumeId()).isEqualTo(Long.parseLong(defaultId));
            assertThat(bp.nodeSizeBytes()).isEqualTo(16384);

            // --- swap
            Swap swap = d.swap().stream().filter(s -> s.device().equals(gpt + "p4")).findFirst().orElseThrow();
            assertThat(swap.uuid()).isEqualTo(SWAP_UUID);
            assertThat(swap.label()).isEqualTo("rear-swap");

            // --- checklayout: unchanged, then relabelled, then a new partition
            // more data changes the used space, not the layout: no difference
            loops.run("dd", "if=/dev/zero", "of=" + mnt.resolve("more.bin"), "bs=1M", "count=8", "conv=fsync", "status=none");
            RearRun same = rear("checklayout", "--include-loop", "--layout-dir", layoutDir.toString());
            assertThat(same.code()).as(same.out() + same.err()).isZero();

            loops.run("e2label", gpt + "p2", "relabelled");
            RearRun relabelled = rear("checklayout", "--include-loop", "--layout-dir", layoutDir.toString());
            assertThat(relabelled.code()).as(relabelled.out()).isEqualTo(1);
            assertThat(relabelled.out()).contains("\"rear-root\" → \"relabelled\"");

            loops.runWithInput("type=83\n", "sfdisk", "--quiet", "--append", "--no-reread", dos);
            loops.addPartitions(dos);
            RearRun grown = rear("checklayout", "--include-loop", "--layout-dir", layoutDir.toString());
            assertThat(grown.code()).as(grown.out()).isEqualTo(1);
            assertThat(grown.out()).contains("+ partition part:" + dos.substring(5) + "p6");
        }
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
}
