package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.event.StepSucceeded;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanOptions;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.TargetDisk;
import dev.rear.engine.recover.finalize.FinalizeActions;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root: a BIOS machine on two loop disks — a DOS disk with / (ext4) and swap, and a GPT
 * disk with a {@code bios_grub} partition and /srv (xfs), GRUB on both — described by
 * {@code rear savelayout}; the originals detached; the layout recreated on two new blank loop disks (the GPT one
 * larger, so /srv grows by the resize policy)
 * through the executor; as the "restore", a minimal Debian-like system is built in the target root from
 * this host's binaries (busybox, GRUB's tools and modules, udevadm and their shared libraries; an
 * update-initramfs that records its call, since a real build needs a kernel and its modules in the target)
 * with an /etc/fstab and /etc/default/grub naming the ORIGINAL devices; then the finalize
 * steps run for real: bind mounts, rewrites, initramfs, grub-install on both disks, update-grub,
 * verify, unmount.
 */
class FinalizeIT {

    static final String ROOT_UUID = "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e51";
    static final String SRV_UUID = "6e5d4c3b-2a19-4807-9f6e-5d4c3b2a1902";
    static final String SWAP_UUID = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c53";
    static final String GPT_ID = "3F2E1D0C-4B5A-4968-8776-A5B4C3D2E1F0";
    static final String BIOS_BOOT = "21686148-6449-6E6F-744E-656564454649";
    static final Path GRUB_I386 = Path.of("/usr/lib/grub/i386-pc");
    /** The new GPT disk is larger than the original (512 MiB): its last partition, /srv, grows with it. */
    static final long GPT_NEW_BYTES = 768L * 1024 * 1024;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requirements() {
        LoopDevices.assumeUsable("losetup", "sfdisk", "partx", "mkfs.ext4", "mkfs.xfs", "mkswap", "lsblk", "findmnt", "blkid", "tune2fs",
                "xfs_info", "wipefs", "udevadm", "chroot", "ldd", "grub-install", "grub-probe", "grub-mkimage", "grub-mkconfig", "update-grub",
                "busybox");
        assumeTrue(Files.isRegularFile(GRUB_I386.resolve("boot.img")), "GRUB's i386-pc modules are not installed (grub-pc-bin)");
    }

    /** The original machine's descriptor, the two original disk paths and the two new blank disks. */
    record Original(SystemDescriptor d, String dos, String gpt, String dosNew, String gptNew) {}

    /**
     * The original machine, described and then detached. The new blank disks are attached to {@code fresh}
     * before the originals go, so that they never get an original's loop device name.
     */
    static Original original(Path dir, LoopDevices fresh) throws Exception {
        Path mnt = dir.resolve("mnt");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(dir.resolve("orig")))) {
            String dos = loops.attach("dos", 512L * 1024 * 1024);
            loops.partition(dos, "label: dos\nlabel-id: 0x5e4d3c2b\nsize=320MiB, type=83, bootable\ntype=82\n");
            loops.run("mkfs.ext4", "-q", "-F", "-L", "rear-root", "-U", ROOT_UUID, dos + "p1");
            loops.run("mkswap", "-L", "rear-swap", "-U", SWAP_UUID, dos + "p2");
            String gpt = loops.attach("gpt", 512L * 1024 * 1024);
            loops.partition(gpt, "label: gpt\nlabel-id: " + GPT_ID + "\nsize=1MiB, type=" + BIOS_BOOT + ", name=bios\n"
                    + "type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=srv\n");
            loops.run("mkfs.xfs", "-q", "-f", "-L", "rear-srv", "-m", "uuid=" + SRV_UUID, gpt + "p2");
            loops.mount(dos + "p1", mnt);
            loops.mount(gpt + "p2", mnt.resolve("srv"));
            loops.swapon(dos + "p2");
            RearRun saved = RearRun.withoutConfig(dir, "savelayout", "--include-loop", "--layout-dir", dir.resolve("layout").toString());
            assertThat(saved.code()).as(saved.out() + saved.err()).isZero();
            Path loopsOnly = dir.resolve("loops.json");
            // only this test's two disks: other tests on this machine may have loop devices of their own attached
            LayoutOnlyIT.onlyLoops(dir.resolve("layout/descriptor.json"), loopsOnly, mnt, List.of(dos, gpt));
            // the machine booted with GRUB in the boot area of both disks (as on an md RAID1 /boot)
            ObjectNode t = (ObjectNode) DescriptorJson.parseTree(Files.readAllBytes(loopsOnly), loopsOnly.toString());
            ObjectNode bl = t.putObject("bootloader");
            bl.put("type", "grub2-bios");
            bl.putArray("installDevices").add(dos).add(gpt);
            ((ObjectNode) t.get("host")).put("firmware", "bios");
            Files.write(loopsOnly, DescriptorJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(t));
            String dosNew = fresh.attach("dos-new", 512L * 1024 * 1024);
            String gptNew = fresh.attach("gpt-new", GPT_NEW_BYTES);
            return new Original(DescriptorFiles.load(loopsOnly), dos, gpt, dosNew, gptNew);
        }
    }

    @Test
    void finalizeMakesTheRecreatedDisksBootableAndVerifiesThem() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ok"));
        Path root = Files.createDirectories(dir.resolve("target-root"));
        Path journal = dir.resolve("recover.jsonl");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(dir.resolve("new")))) {
            Original o = original(dir, loops);
            String dosNew = o.dosNew();
            String gptNew = o.gptNew();
            try {
                Plan plan = plan(o, dosNew, gptNew, root);
                long t0 = System.nanoTime();
                Executor.Outcome out = executor(o.d(), plan, root, null).run(plan, "recover", DescriptorJson.sha256(o.d()), journal, true);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("FinalizeIT: layout + finalize of 2 disks took " + ms + " ms: " + out.message());
                assertThat(out.ok()).as(out.message()).isTrue();

                // everything is unmounted, bind mounts included
                assertThat(mountsBelow(root)).isEmpty();

                // GRUB's boot code in the MBR of both disks, core.img where each points
                byte[] bootImg = Files.readAllBytes(GRUB_I386.resolve("boot.img"));
                byte[] diskboot = Files.readAllBytes(GRUB_I386.resolve("diskboot.img"));
                for (String disk : List.of(dosNew, gptNew)) {
                    byte[] mbr = read(disk, 0, 512);
                    // boot.img's jump, and its code after the BIOS parameter block and the fields grub-install fills in
                    assertThat(Arrays.copyOfRange(mbr, 0, 2)).as(disk + " jump").isEqualTo(Arrays.copyOfRange(bootImg, 0, 2));
                    // 0x66: the jump over the boot drive check, which grub-install turns into two NOPs for a hard disk
                    assertThat(Arrays.copyOfRange(mbr, 0x66, 0x68)).as(disk + " drive check").isEqualTo(new byte[] {(byte) 0x90, (byte) 0x90});
                    assertThat(Arrays.copyOfRange(mbr, 0x68, 0x1b8)).as(disk + " boot code").isEqualTo(Arrays.copyOfRange(bootImg, 0x68, 0x1b8));
                    assertThat(mbr[510] & 0xff).isEqualTo(0x55);
                    assertThat(mbr[511] & 0xff).isEqualTo(0xaa);
                    long kernelSector = ByteBuffer.wrap(mbr, 0x5c, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    long expected = disk.equals(dosNew) ? 1 : 2048; // the post-MBR gap, or the bios_grub partition's first sector
                    assertThat(kernelSector).as(disk + ": where boot.img loads core.img from").isEqualTo(expected);
                    byte[] core = read(disk, kernelSector * 512, 512);
                    assertThat(Arrays.copyOfRange(core, 0, 0x100)).as(disk + ": core.img starts with diskboot.img")
                            .isEqualTo(Arrays.copyOfRange(diskboot, 0, 0x100));
                }

                // the journal: every step succeeded, the rewrite and verify say what they did
                var state = JournalReader.read(journal).state();
                assertThat(state.remaining()).isEmpty();
                Map<String, Map<String, String>> facts = new java.util.TreeMap<>();
                for (var e : JournalReader.read(journal).events()) {
                    if (e instanceof StepSucceeded s) {
                        facts.put(s.stepId(), s.facts());
                    }
                }
                assertThat(facts.get("bootloader").get("installed")).isEqualTo("GRUB i386-pc on " + dosNew + ", " + gptNew);
                assertThat(facts.get("verify").get("verdict")).contains("matches the descriptor");
                // what the mapping and the resize explain is listed as expected
                assertThat(facts.get("verify").values()).anyMatch(v -> v.equals(o.gpt() + " and its partitions are " + gptNew
                        + " and its partitions (mapped by file)"));
                assertThat(facts.get("verify").values()).anyMatch(v -> v.equals(gptNew + " has " + GPT_NEW_BYTES + " bytes (the original 536870912)"));
                assertThat(facts.get("verify").values()).anyMatch(v -> v.startsWith(gptNew + "p2 starts at sector 4096 with ") && v.contains("resized from"));
                assertThat(plan.resize().decisions()).isNotEmpty();
                facts.forEach((k, v) -> {
                    if (!v.isEmpty()) {
                        System.out.println("FinalizeIT: facts of " + k + ": " + v);
                    }
                });
                assertThat(facts.get("rewrite:/etc/fstab").get("backup")).startsWith(root + "/etc/fstab.rear-orig-");
                assertThat(facts.get("unmount").get("unmounted")).startsWith(root + "/run, " + root + "/dev, " + root + "/sys, " + root + "/proc")
                        .endsWith(root.toString());

                // the restored files, seen from a fresh read-only mount
                loops.mount(dosNew + "p1", dir.resolve("look"), "ro");
                Path look = dir.resolve("look");
                String fstab = Files.readString(look.resolve("etc/fstab"));
                assertThat(fstab).contains(dosNew + "p1\t/\text4\terrors=remount-ro\t0\t1", dosNew + "p2\tnone\tswap\tsw\t0\t0",
                        "UUID=" + SRV_UUID + " /srv xfs defaults 0 2", "# / was on " + o.dos() + "p1 during installation");
                assertThat(fstab).doesNotContain(o.dos() + "p1\t");
                String backup = Files.readString(Path.of(facts.get("rewrite:/etc/fstab").get("backup").replace(root.toString(), look.toString())));
                assertThat(backup).isEqualTo(fstab(o));
                assertThat(Files.readString(look.resolve("etc/default/grub"))).contains("GRUB_CMDLINE_LINUX=\"root=" + dosNew + "p1 console=ttyS0\"");
                assertThat(look.resolve("boot/grub/grub.cfg")).isRegularFile();
                assertThat(look.resolve("boot/grub/i386-pc/core.img")).isRegularFile();
                assertThat(Files.readString(look.resolve("var/log/initramfs.calls"))).isEqualTo("update-initramfs -u -k all\n");
            } finally {
                LayoutOnlyIT.cleanMounts(loops, root, List.of(dosNew, gptNew));
            }
        }
    }

    @Test
    void verifyFailsNamingALabelChangedAfterTheLayoutAndLeavesTheMountsForRepair() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Path root = Files.createDirectories(dir.resolve("target-root"));
        Path journal = dir.resolve("recover.jsonl");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(dir.resolve("new")))) {
            Original o = original(dir, loops);
            String dosNew = o.dosNew();
            String gptNew = o.gptNew();
            try {
                Plan plan = plan(o, dosNew, gptNew, root);
                Executor.Outcome out = executor(o.d(), plan, root, dosNew + "p1").run(plan, "recover", DescriptorJson.sha256(o.d()), journal, true);
                assertThat(out.ok()).isFalse();
                assertThat(out.failedStep()).isEqualTo("verify");
                assertThat(out.message()).contains("differs from the descriptor in 1 way(s)", "filesystem fs:/ label: \"rear-root\" in the descriptor,"
                        + " \"relabelled\" on the targets", "everything stays mounted below " + root);
                assertThat(mountsBelow(root)).contains(root.toString(), root + "/srv", root + "/proc", root + "/dev");
            } finally {
                LayoutOnlyIT.cleanMounts(loops, root, List.of(dosNew, gptNew));
            }
        }
    }

    static Plan plan(Original o, String dosNew, String gptNew, Path root) {
        long size = 512L * 1024 * 1024;
        DiskMapping m = DiskMapping.map(o.d(), List.of(TargetDisk.of(dosNew, size), TargetDisk.of(gptNew, GPT_NEW_BYTES)),
                Map.of(o.dos(), dosNew, o.gpt(), gptNew));
        return Planner.plan(o.d(), m, new PlanOptions(ResizePolicy.Mode.LAST, false, Map.of(), null, root.toString()));
    }

    /** The executor with the finalize actions, and as the restore: the minimal system built into the target root (and a relabel, if asked). */
    static Executor executor(SystemDescriptor d, Plan plan, Path root, String relabel) {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Executor ex = FinalizeActions.register(new Executor(runner, HostProbe.linux(), Clock.systemUTC()),
                FinalizeActions.forPlan(d, plan, root.toString()));
        DiskMapping m = plan.mapping();
        return ex.withAction("restore", (step, ctx) -> {
            try {
                restoredSystem(root, fstabOf(d, m), ctx);
            } catch (IOException e) {
                throw new StepActionException("cannot build the test system: " + e.getMessage(), e);
            }
            if (relabel != null) {
                ctx.commands().run(dev.rear.api.command.CommandSpec.of("e2label", relabel, "relabelled"));
            }
            return Map.of("restored", "a minimal system from the host's binaries");
        });
    }

    static String fstabOf(SystemDescriptor d, DiskMapping m) {
        String dos = m.entries().stream().filter(e -> e.original().partitionTable().type().name().equals("DOS")).findFirst().orElseThrow().originalPath();
        return fstab(dos);
    }

    static String fstab(Original o) {
        return fstab(o.dos());
    }

    /** A Debian-like fstab naming the ORIGINAL devices, tabs and all. */
    static String fstab(String dos) {
        return "# /etc/fstab: static file system information.\n#\n"
                + "# <file system> <mount point>   <type>  <options>       <dump>  <pass>\n"
                + "# / was on " + dos + "p1 during installation\n"
                + dos + "p1\t/\text4\terrors=remount-ro\t0\t1\n"
                + "UUID=" + SRV_UUID + " /srv xfs defaults 0 2\n"
                + dos + "p2\tnone\tswap\tsw\t0\t0\n"
                + "tmpfs /tmp tmpfs mode=1777,nosuid,nodev 0 0\n";
    }

    /**
     * The "restored system": busybox as the userland, GRUB's tools and modules, udevadm (grub-probe asks it for a
     * partition's disk), update-grub and grub-mkconfig with /etc/grub.d, the shared libraries of all of them, a
     * Debian-like /etc/fstab and /etc/default/grub naming the original devices, and an update-initramfs that
     * records how it was called (a real initramfs build needs a kernel and its modules in the target).
     */
    static void restoredSystem(Path root, String fstab, StepAction.Context ctx) throws IOException {
        for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc/default", "boot/grub", "tmp", "var/log", "usr/lib", "usr/share")) {
            Files.createDirectories(root.resolve(d));
        }
        Path busybox = Path.of("/bin/busybox").toRealPath();
        Files.copy(busybox, root.resolve("bin/busybox"), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : ctx.commands().run(dev.rear.api.command.CommandSpec.of("/bin/busybox", "--list")).stdout().split("\n")) {
            Path link = root.resolve("bin").resolve(applet.strip());
            if (!applet.isBlank() && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("busybox"));
            }
        }
        Set<String> libs = new LinkedHashSet<>();
        for (String bin : List.of("/usr/sbin/grub-install", "/usr/sbin/grub-probe", "/usr/bin/grub-mkimage", "/usr/sbin/grub-mkconfig",
                "/usr/bin/grub-mkrelpath", "/usr/bin/grub-editenv", "/usr/bin/grub-file", "/usr/bin/grub-script-check", "/usr/sbin/update-grub",
                "/usr/bin/udevadm")) {
            Path src = Path.of(bin).toRealPath();
            Files.copy(src, root.resolve(bin.substring(1)), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            String ldd = ctx.commands().run(dev.rear.api.command.CommandSpec.of("ldd", src.toString()).alsoOk(1)).stdout();
            Matcher m = Pattern.compile("(/[^\\s]+\\.so[^\\s]*)").matcher(ldd);
            while (m.find()) {
                libs.add(m.group(1));
            }
        }
        for (String lib : libs) {
            Path dst = root.resolve(lib.substring(1));
            Files.createDirectories(dst.getParent());
            Files.copy(Path.of(lib), dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        copyTree(Path.of("/usr/lib/grub"), root.resolve("usr/lib/grub"));
        copyTree(Path.of("/usr/share/grub"), root.resolve("usr/share/grub"));
        copyTree(Path.of("/etc/grub.d"), root.resolve("etc/grub.d"));
        Files.writeString(root.resolve("etc/default/grub"), "GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\nGRUB_DISTRIBUTOR=Debian\n"
                + "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"root=" + fstab.lines().filter(l -> l.endsWith("\t0\t1"))
                .findFirst().orElseThrow().split("\t")[0] + " console=ttyS0\"\n");
        Files.writeString(root.resolve("etc/fstab"), fstab);
        Path initramfs = root.resolve("usr/sbin/update-initramfs");
        Files.writeString(initramfs, "#!/bin/sh\necho \"update-initramfs $*\" >> /var/log/initramfs.calls\n");
        initramfs.toFile().setExecutable(true);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    static byte[] read(String device, long offset, int len) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(device, "r")) {
            byte[] b = new byte[len];
            f.seek(offset);
            f.readFully(b);
            return b;
        }
    }

    static List<String> mountsBelow(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String mp = HostProbe.unescape(l.split(" ")[4]);
            if (mp.equals(root.toString()) || mp.startsWith(root + "/")) {
                out.add(mp);
            }
        }
        return out;
    }
}
