package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The original layout of the host-tier recovery tests, built on loop devices, saved with
 * {@code rear savelayout}, and detached again (the copies' UUIDs would clash with it otherwise):
 * a GPT disk (ext4 with label and UUID, xfs, swap) and a DOS disk (primary ext4, extended, logical
 * btrfs with two subvolumes, one of them the default).
 *
 * @param descriptor the descriptor file of the loop devices alone
 * @param d          that descriptor
 * @param gpt        the GPT disk's original path
 * @param dos        the DOS disk's original path
 */
record Originals(Path descriptor, SystemDescriptor d, String gpt, String dos) {

    // Fresh identities per test JVM: mkfs.btrfs refuses a UUID that any block device on the machine has,
    // and other tests (other worktrees on this machine) build layouts of their own at the same time.
    static final String ROOT_UUID = UUID.randomUUID().toString();
    static final String DATA_UUID = UUID.randomUUID().toString();
    static final String SWAP_UUID = UUID.randomUUID().toString();
    static final String BOOT_UUID = UUID.randomUUID().toString();
    static final String BTRFS_UUID = UUID.randomUUID().toString();
    static final String GPT_ID = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
    static final String DOS_ID = String.format("0x%08x", new java.util.Random().nextInt() | 0x10000000);
    static final long GPT_BYTES = 1024L * 1024 * 1024;
    static final long DOS_BYTES = 512L * 1024 * 1024;

    static final String[] TOOLS = {"losetup", "sfdisk", "partx", "mkfs.ext4", "mkfs.xfs", "mkfs.btrfs", "mkswap", "lsblk", "findmnt",
        "blkid", "tune2fs", "xfs_info", "btrfs", "wipefs", "udevadm"};

    /** Builds, saves and detaches the originals under {@code tmp}. */
    static Originals create(Path tmp) throws IOException {
        Path mnt = tmp.resolve("mnt");
        Path layoutDir = tmp.resolve("layout");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(tmp.resolve("orig")))) {
            String gpt = loops.attach("gpt", GPT_BYTES);
            loops.partition(gpt, "label: gpt\nlabel-id: " + GPT_ID + "\n"
                    + "size=384MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root\n"
                    + "size=384MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=data\n"
                    + "type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, name=swap\n");
            loops.run("mkfs.ext4", "-q", "-F", "-L", "rear-root", "-U", ROOT_UUID, gpt + "p1");
            loops.run("mkfs.xfs", "-q", "-f", "-L", "rear-data", "-m", "uuid=" + DATA_UUID, gpt + "p2");
            loops.run("mkswap", "-L", "rear-swap", "-U", SWAP_UUID, gpt + "p3");
            String dos = loops.attach("dos", DOS_BYTES);
            loops.partition(dos, "label: dos\nlabel-id: " + DOS_ID + "\nsize=128MiB, type=83, bootable\ntype=5\nsize=256MiB, type=83\n");
            loops.run("mkfs.ext4", "-q", "-F", "-L", "rear-boot", "-U", BOOT_UUID, dos + "p1");
            loops.run("mkfs.btrfs", "-q", "-f", "-L", "rear-btrfs", "-U", BTRFS_UUID, dos + "p5");
            loops.mount(gpt + "p1", mnt);
            loops.mount(gpt + "p2", mnt.resolve("srv"));
            loops.mount(dos + "p1", mnt.resolve("boot"));
            Path top = tmp.resolve("btrfs-top");
            loops.mount(dos + "p5", top);
            for (String sub : List.of("@", "@home")) {
                loops.run("btrfs", "subvolume", "create", top.resolve(sub).toString());
            }
            String defaultId = loops.run("btrfs", "subvolume", "list", top.toString()).stdout().lines()
                    .filter(l -> l.endsWith(" path @")).findFirst().orElseThrow().split("\\s+")[1];
            loops.run("btrfs", "subvolume", "set-default", defaultId, top.toString());
            loops.mount(dos + "p5", mnt.resolve("home"), "subvol=@home");
            loops.swapon(gpt + "p3");
            RearRun saved = RearRun.withoutConfig(tmp, LayoutOnlyIT.savelayout(layoutDir, List.of(gpt, dos)));
            assertThat(saved.code()).as(saved.out() + saved.err()).isZero();
            Path desc = tmp.resolve("loops.json");
            LayoutOnlyIT.onlyLoops(layoutDir.resolve("descriptor.json"), desc, mnt, List.of(gpt, dos));
            return new Originals(desc, DescriptorFiles.load(desc), gpt, dos);
        }
    }
}
