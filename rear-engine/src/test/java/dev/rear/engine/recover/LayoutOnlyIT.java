package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.descriptor.BtrfsParameters;
import dev.rear.api.descriptor.BtrfsSubvolume;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.journal.RunState;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root: a GPT disk (ext4 with label and UUID, xfs, swap) and a DOS disk (primary ext4,
 * extended, logical btrfs with subvolumes and a default one) on loop devices; {@code rear savelayout};
 * the originals detached; {@code rear layoutonly} onto two new blank loop devices; rediscovered and
 * compared field by field with the original descriptor under the mapping.
 */
class LayoutOnlyIT {

    static final String ROOT_UUID = "3b8f1c2e-5d4a-4e6f-9a1b-2c3d4e5f6a7c";
    static final String DATA_UUID = "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5a";
    static final String SWAP_UUID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1e";
    static final String BOOT_UUID = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0fa";
    static final String BTRFS_UUID = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1b";
    static final String GPT_ID = "6A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4E";

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requirements() {
        LoopDevices.assumeUsable("losetup", "sfdisk", "partx", "mkfs.ext4", "mkfs.xfs", "mkfs.btrfs", "mkswap", "lsblk", "findmnt",
                "blkid", "tune2fs", "xfs_info", "btrfs", "wipefs", "udevadm");
    }

    static RearRun rear(String... args) {
        return RearRun.withoutConfig(tmp, args);
    }

    @Test
    void layoutonlyRecreatesTheLayoutOnNewDisks() throws Exception {
        Path mnt = tmp.resolve("mnt");
        Path layoutDir = tmp.resolve("layout");
        Path targetRoot = tmp.resolve("target-root");
        String gpt;
        String dos;
        SystemDescriptor d;
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(tmp.resolve("orig")))) {
            gpt = loops.attach("gpt", 1024L * 1024 * 1024);
            loops.partition(gpt, "label: gpt\nlabel-id: " + GPT_ID + "\n"
                    + "size=384MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root\n"
                    + "size=384MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=data\n"
                    + "type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, name=swap\n");
            loops.run("mkfs.ext4", "-q", "-F", "-L", "rear-root", "-U", ROOT_UUID, gpt + "p1");
            loops.run("mkfs.xfs", "-q", "-f", "-L", "rear-data", "-m", "uuid=" + DATA_UUID, gpt + "p2");
            loops.run("mkswap", "-L", "rear-swap", "-U", SWAP_UUID, gpt + "p3");
            dos = loops.attach("dos", 512L * 1024 * 1024);
            loops.partition(dos, "label: dos\nlabel-id: 0x2a2b3c4d\nsize=128MiB, type=83, bootable\ntype=5\nsize=256MiB, type=83\n");
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
            RearRun saved = rear(savelayout(layoutDir));
            assertThat(saved.code()).as(saved.out() + saved.err()).isZero();
            onlyLoops(layoutDir.resolve("descriptor.json"), tmp.resolve("loops.json"), mnt);
            d = DescriptorFiles.load(tmp.resolve("loops.json"));
        }
        // The originals are gone (unmounted, detached): their UUIDs would clash with the copies' otherwise.
        Path journal = tmp.resolve("layoutonly.jsonl");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(tmp.resolve("new")))) {
            String gptNew = loops.attach("gpt-new", 1024L * 1024 * 1024);
            String dosNew = loops.attach("dos-new", 512L * 1024 * 1024);
            Files.createDirectories(targetRoot);
            try {
                RearRun lo = rear("layoutonly", tmp.resolve("loops.json").toString(), "--target", gpt + "=" + gptNew,
                        "--target", dos + "=" + dosNew, "--yes", "--journal", journal.toString(), "--target-root", targetRoot.toString());
                assertThat(lo.code()).as(lo.out() + lo.err()).isZero();
                assertThat(lo.out()).contains("layoutonly: succeeded");
                RunState st = JournalReader.read(journal).state();
                assertThat(st.remaining()).isEmpty();

                RearRun again = rear(savelayout(tmp.resolve("layout2")));
                assertThat(again.code()).as(again.out() + again.err()).isZero();
                SystemDescriptor r = DescriptorFiles.load(tmp.resolve("layout2").resolve("descriptor.json"));
                Map<String, String> map = Map.of(gpt, gptNew, dos, dosNew);
                for (Map.Entry<String, String> e : map.entrySet()) {
                    Disk o = disk(d, e.getKey());
                    Disk n = disk(r, e.getValue());
                    assertThat(n.sizeBytes()).isEqualTo(o.sizeBytes());
                    assertThat(n.partitionTable().type()).isEqualTo(o.partitionTable().type());
                    assertThat(n.partitionTable().id()).isEqualTo(o.partitionTable().id());
                    List<Partition> op = o.partitionTable().partitions();
                    List<Partition> np = n.partitionTable().partitions();
                    assertThat(np).extracting(Partition::number).isEqualTo(op.stream().map(Partition::number).toList());
                    assertThat(np).extracting(Partition::startSector).isEqualTo(op.stream().map(Partition::startSector).toList());
                    assertThat(np).extracting(Partition::sizeSectors).isEqualTo(op.stream().map(Partition::sizeSectors).toList());
                    assertThat(np).extracting(Partition::type).isEqualTo(op.stream().map(Partition::type).toList());
                    assertThat(np).extracting(Partition::kind).isEqualTo(op.stream().map(Partition::kind).toList());
                    assertThat(np).extracting(Partition::name).isEqualTo(op.stream().map(Partition::name).toList());
                    assertThat(np).extracting(Partition::partUuid).isEqualTo(op.stream().map(Partition::partUuid).toList());
                    for (Partition p : op) {
                        String np2 = e.getValue() + "p" + p.number();
                        d.filesystems().stream().filter(f -> f.device().equals(p.path())).findFirst().ifPresent(f -> {
                            Filesystem nf = fs(r, np2);
                            assertThat(nf.type()).isEqualTo(f.type());
                            assertThat(nf.uuid()).isEqualTo(f.uuid());
                            assertThat(nf.label()).isEqualTo(f.label());
                            if (f.parameters() instanceof BtrfsParameters ob) {
                                BtrfsParameters nb = (BtrfsParameters) nf.parameters();
                                assertThat(nb.subvolumes()).extracting(BtrfsSubvolume::path)
                                        .containsExactlyInAnyOrderElementsOf(ob.subvolumes().stream().map(BtrfsSubvolume::path).toList());
                                String odef = ob.subvolumes().stream().filter(s -> Long.valueOf(s.id()).equals(ob.defaultSubvolumeId()))
                                        .map(BtrfsSubvolume::path).findFirst().orElse(null);
                                String ndef = nb.subvolumes().stream().filter(s -> Long.valueOf(s.id()).equals(nb.defaultSubvolumeId()))
                                        .map(BtrfsSubvolume::path).findFirst().orElse(null);
                                assertThat(ndef).isEqualTo(odef);
                            }
                            assertThat(nf.mounts()).extracting(m -> m.mountpoint()).containsAll(f.mounts().stream()
                                    .map(m -> m.mountpoint().equals("/") ? targetRoot.toString() : targetRoot + m.mountpoint()).toList());
                        });
                    }
                }
                Swap os = d.swap().stream().filter(s -> s.device().equals(gpt + "p3")).findFirst().orElseThrow();
                assertThat(os.uuid()).isEqualTo(SWAP_UUID);
                assertThat(blkid(loops, gptNew + "p3")).contains("TYPE=swap", "UUID=" + SWAP_UUID, "LABEL=rear-swap");
            } finally {
                cleanMounts(loops, targetRoot, List.of(gptNew, dosNew));
            }
        }
    }

    /**
     * The descriptor of the loop devices alone, as if {@code mnt} were {@code /}: other disks and what is
     * on them are left out, mountpoints under {@code mnt} lose that prefix, others (the btrfs top level) go.
     */
    static void onlyLoops(Path in, Path out, Path mnt) throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode t = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.rear.engine.descriptor.DescriptorJson.parseTree(Files.readAllBytes(in), in.toString());
        java.util.Set<String> keep = new java.util.TreeSet<>();
        com.fasterxml.jackson.databind.node.ArrayNode disks = t.putArray("disks-new");
        for (com.fasterxml.jackson.databind.JsonNode x : t.get("disks")) {
            if (x.get("path").asText().startsWith("/dev/loop")) {
                keep.add(x.get("path").asText());
                disks.add(x);
            }
        }
        t.set("disks", disks);
        t.remove("disks-new");
        java.util.function.Predicate<String> on = dev -> keep.stream().anyMatch(k -> dev.equals(k) || dev.startsWith(k + "p"));
        com.fasterxml.jackson.databind.node.ArrayNode fss = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (com.fasterxml.jackson.databind.JsonNode f : t.get("filesystems")) {
            if (!on.test(f.get("device").asText())) {
                continue;
            }
            com.fasterxml.jackson.databind.node.ArrayNode mounts = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (com.fasterxml.jackson.databind.JsonNode m : f.path("mounts")) {
                String mp = rebase(m.get("mountpoint").asText(), mnt);
                if (mp != null) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) m).put("mountpoint", mp);
                    mounts.add(m);
                }
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) f).set("mounts", mounts);
            for (com.fasterxml.jackson.databind.JsonNode sv : f.path("parameters").path("subvolumes")) {
                if (sv.hasNonNull("mountpoint")) {
                    String mp = rebase(sv.get("mountpoint").asText(), mnt);
                    if (mp == null) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) sv).remove("mountpoint");
                    } else {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) sv).put("mountpoint", mp);
                    }
                }
            }
            fss.add(f);
        }
        t.set("filesystems", fss);
        com.fasterxml.jackson.databind.node.ArrayNode swaps = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (com.fasterxml.jackson.databind.JsonNode x : t.path("swap")) {
            if (on.test(x.get("device").asText())) {
                swaps.add(x);
            }
        }
        t.set("swap", swaps);
        t.putArray("excluded");
        t.remove("bootloader");
        Files.write(out, dev.rear.engine.descriptor.DescriptorJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(t));
    }

    static @org.jspecify.annotations.Nullable String rebase(String mp, Path mnt) {
        if (mp.equals(mnt.toString())) {
            return "/";
        }
        return mp.startsWith(mnt + "/") ? mp.substring(mnt.toString().length()) : null;
    }

    /** savelayout with the loop devices. */
    static String[] savelayout(Path dir) {
        return new String[] {"savelayout", "--include-loop", "--layout-dir", dir.toString()};
    }

    static String blkid(LoopDevices loops, String dev) {
        return loops.run("blkid", "-c", "/dev/null", "-p", "-o", "export", dev).stdout();
    }

    /** Unmounts whatever layoutonly mounted under the target root (and a btrfs work mount of a failed step), deepest first. */
    static void cleanMounts(LoopDevices loops, Path root, List<String> devices) {
        try {
            List<String> mps = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> HostProbe.unescape(l.split(" ")[4]))
                    .filter(m -> m.startsWith(root.toString())
                            || devices.stream().anyMatch(dv -> m.startsWith("/run/rear/btrfs/" + dv.substring(5) + "p")
                                    || m.startsWith("/run/rear/check/" + dv.substring(5) + "p"))).sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
            for (String m : mps) {
                try {
                    loops.run("umount", "-l", m);
                } catch (RuntimeException e) {
                    // keep going
                }
            }
        } catch (java.io.IOException e) {
            // nothing to clean
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
