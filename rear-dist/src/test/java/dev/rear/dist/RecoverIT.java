package dev.rear.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.StepStarted;
import dev.rear.api.event.StepSucceeded;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root, end to end with the real tar provider: a small system on an ext4 loop
 * filesystem (modes, owners, setuid, a symlink, a hardlink, mtimes), {@code rear mkbackuponly} with
 * {@code BACKUP=NETFS BACKUP_URL=file://...}, {@code rear savelayout} of the loop disk, then
 * {@code rear recover --yes --descriptor --mapping} onto a blank loop disk; a corrupted archive
 * refused in pre-flight without a byte written to the target; a recovery killed (SIGKILL) while
 * restoring, then {@code --resume}.
 */
class RecoverIT {

    static final String FS_UUID = "4c2f9a1e-7b3d-4e5f-8a6b-1c2d3e4f5a6b";
    static final long DISK = 512L << 20;
    static final int DATA_FILES = 64;

    @TempDir
    static Path tmp;

    static Path conf;
    static Path store;
    static Path descriptor;
    static String original;
    static Map<String, String> backupFacts;

    @BeforeAll
    static void backupAndDescribe() throws Exception {
        LoopDevices.assumeUsable("losetup", "sfdisk", "partx", "mkfs.ext4", "wipefs", "blkid", "lsblk", "findmnt", "tune2fs", "udevadm",
                "mount", "umount");
        conf = Files.createDirectories(tmp.resolve("etc-rear"));
        store = Files.createDirectories(tmp.resolve("backup-store"));
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=file://" + store + "\nNETFS_PREFIX=rear-it\n");
        Path mnt = tmp.resolve("orig-root");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(tmp.resolve("orig")))) {
            original = loops.attach("orig", DISK);
            loops.partition(original, "label: gpt\nlabel-id: 5B3C2D1E-0F9A-4B8C-9D7E-6F5A4B3C2D1E\n"
                    + "size=448MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root\n");
            loops.run("mkfs.ext4", "-q", "-F", "-L", "rear-it-root", "-U", FS_UUID, original + "p1");
            loops.mount(original + "p1", mnt);
            sourceTree(mnt);
            RearRun backup = rear("mkbackuponly", "--source-root", mnt.toString(), "--journal", tmp.resolve("backup.jsonl").toString());
            assertThat(backup.code()).as(backup.out() + backup.err()).isZero();
            assertThat(backup.out()).containsPattern("mkbackuponly: backed up \\d+ files, 16.0 MiB in .* to " + store
                    + "/rear-it/backup.tar.zst, " + store + "/rear-it/backup.tar.zst.manifest; manifest sha256 [0-9a-f]{64}; journal ");
            backupFacts = succeeded(tmp.resolve("backup.jsonl"), "backup");
            RearRun saved = rear("savelayout", "--include-loop", "--layout-dir", tmp.resolve("layout").toString());
            assertThat(saved.code()).as(saved.out() + saved.err()).isZero();
            descriptor = tmp.resolve("loop.json");
            onlyDisk(tmp.resolve("layout/descriptor.json"), descriptor, original, mnt);
        }
        // The original is detached: its UUIDs would clash with the copies' otherwise.
    }

    static RearRun rear(String... args) {
        return rearWith(conf, args);
    }

    /** {@code rear -c confDir ARGS} in this JVM: never this machine's /etc/rear. */
    static RearRun rearWith(Path confDir, String... args) {
        return RearRun.withConfig(confDir, args);
    }

    /** Files with modes, owners, setuid, a symlink, a hardlink, set mtimes, and some random data to restore for a while. */
    static void sourceTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "rear-it\n");
        Files.setPosixFilePermissions(root.resolve("etc/hostname"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setAttribute(root.resolve("etc/shadow"), "unix:gid", 42);
        Files.createDirectories(root.resolve("usr/bin"));
        Files.write(root.resolve("usr/bin/passwd"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        Files.setPosixFilePermissions(root.resolve("usr/bin/passwd"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(root.resolve("usr/bin/passwd"), "unix:mode", 04755);
        Files.createDirectories(root.resolve("home/alice"));
        Files.setAttribute(root.resolve("home/alice"), "unix:uid", 1000);
        Files.setAttribute(root.resolve("home/alice"), "unix:gid", 1000);
        Files.setPosixFilePermissions(root.resolve("home/alice"), PosixFilePermissions.fromString("rwx------"));
        Files.writeString(root.resolve("home/alice/notes.txt"), "call the data centre\n");
        Files.setAttribute(root.resolve("home/alice/notes.txt"), "unix:uid", 1000);
        Files.setLastModifiedTime(root.resolve("home/alice/notes.txt"), FileTime.from(Instant.parse("2021-03-04T05:06:07.123456789Z")));
        Files.createLink(root.resolve("home/alice/notes-link.txt"), root.resolve("home/alice/notes.txt"));
        Files.createSymbolicLink(root.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/Europe/Berlin"));
        Files.createDirectories(root.resolve("data"));
        Random r = new Random(42);
        byte[] block = new byte[256 << 10];
        for (int i = 0; i < DATA_FILES; i++) {
            r.nextBytes(block);
            Files.write(root.resolve(String.format("data/blob-%03d", i)), block);
        }
    }

    /** The saved descriptor with only {@code disk} and what is on it, mountpoints under {@code mnt} made relative to it. */
    static void onlyDisk(Path in, Path out, String disk, Path mnt) throws IOException {
        ObjectNode t = (ObjectNode) DescriptorJson.parseTree(Files.readAllBytes(in), in.toString());
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode disks = f.arrayNode();
        t.get("disks").forEach(x -> {
            if (x.get("path").asText().equals(disk)) {
                disks.add(x);
            }
        });
        assertThat(disks).as("savelayout described " + disk).hasSize(1);
        t.set("disks", disks);
        ArrayNode fss = f.arrayNode();
        for (JsonNode fs : t.get("filesystems")) {
            if (!fs.get("device").asText().startsWith(disk + "p")) {
                continue;
            }
            ArrayNode mounts = f.arrayNode();
            for (JsonNode m : fs.path("mounts")) {
                String mp = m.get("mountpoint").asText();
                if (mp.equals(mnt.toString())) {
                    ((ObjectNode) m).put("mountpoint", "/");
                    mounts.add(m);
                }
            }
            ((ObjectNode) fs).set("mounts", mounts);
            fss.add(fs);
        }
        t.set("filesystems", fss);
        t.putArray("swap");
        t.putArray("raidArrays");
        t.putArray("encryption");
        t.putArray("excluded");
        if (t.has("lvm")) {
            ObjectNode lvm = f.objectNode();
            t.get("lvm").fieldNames().forEachRemaining(n -> lvm.putArray(n));
            t.set("lvm", lvm);
        }
        t.remove("bootloader");
        Files.write(out, DescriptorJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(t));
    }

    static Map<String, String> succeeded(Path journal, String step) {
        return JournalReader.read(journal).events().stream().filter(StepSucceeded.class::isInstance).map(StepSucceeded.class::cast)
                .filter(s -> s.stepId().equals(step)).findFirst().orElseThrow(() -> new AssertionError(step + " did not succeed in " + journal))
                .facts();
    }

    static Path mapping(String target) throws IOException {
        Path m = tmp.resolve("disk_mappings-" + target.substring(5));
        Files.writeString(m, original + " " + target + "\n");
        return m;
    }

    @Test
    void recoverOntoABlankDiskRestoresEveryFileWithItsAttributes() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("target-root"));
        Path journal = tmp.resolve("recover.jsonl");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(tmp.resolve("new")))) {
            String target = loops.attach("new", DISK);
            try {
                RearRun r = rear("recover", "--yes", "--descriptor", descriptor.toString(), "--mapping", mapping(target).toString(),
                        "--target-root", root.toString(), "--journal", journal.toString());
                assertThat(r.code()).as(r.out() + r.err()).isZero();
                assertThat(r.out()).contains("pre-flight: backup verified (every byte read back and checked against the manifest): restore point "
                        + backupFacts.get("restorePoint"), "journal: " + journal, "  $ wipefs --all --force " + target,
                        "  $ mkfs.ext4 ", "recover: succeeded", "; restored " + backupFacts.get("files") + " files, 16.0 MiB of restore point "
                        + backupFacts.get("restorePoint") + "; journal " + journal);
                assertThat(blkid(loops, target + "p1")).contains("UUID=" + FS_UUID, "TYPE=ext4", "LABEL=rear-it-root");
                // Finalize verified the layout and unmounted everything: look at the recovered filesystem as its next boot will.
                assertThat(succeeded(journal, "verify")).isNotNull();
                assertThat(succeeded(journal, "unmount")).isNotNull();
                assertThat(mounted(root)).as("the target root is unmounted after the recovery").isFalse();
                loops.mount(target + "p1", root);

                assertThat(root.resolve("etc/hostname")).hasContent("rear-it");
                assertThat(mode(root.resolve("etc/hostname"))).isEqualTo(0644);
                assertThat(mode(root.resolve("etc/shadow"))).isEqualTo(0640);
                assertThat(Files.getAttribute(root.resolve("etc/shadow"), "unix:gid")).isEqualTo(42);
                assertThat(mode(root.resolve("usr/bin/passwd"))).isEqualTo(04755);
                assertThat(mode(root.resolve("home/alice"))).isEqualTo(0700);
                assertThat(Files.getAttribute(root.resolve("home/alice"), "unix:uid")).isEqualTo(1000);
                assertThat(Files.getAttribute(root.resolve("home/alice/notes.txt"), "unix:uid")).isEqualTo(1000);
                assertThat(Files.getLastModifiedTime(root.resolve("home/alice/notes.txt")).toInstant())
                        .isEqualTo(Instant.parse("2021-03-04T05:06:07.123456789Z"));
                assertThat(Files.getAttribute(root.resolve("home/alice/notes-link.txt"), "unix:ino"))
                        .isEqualTo(Files.getAttribute(root.resolve("home/alice/notes.txt"), "unix:ino"));
                assertThat(Files.getAttribute(root.resolve("home/alice/notes.txt"), "unix:nlink")).isEqualTo(2);
                assertThat(Files.readSymbolicLink(root.resolve("etc/localtime"))).isEqualTo(Path.of("/usr/share/zoneinfo/Europe/Berlin"));
                try (Stream<Path> s = Files.list(root.resolve("data"))) {
                    assertThat(s.count()).isEqualTo(DATA_FILES);
                }
                // The recovery's record went with the recovered system: its journal, copied just before the final unmount.
                Path journalCopy = root.resolve("var/log/rear/recover/" + journal.getFileName());
                assertThat(JournalReader.read(journalCopy).events()).contains(new StepStarted("unmount"));
                assertThat(succeeded(journal, "unmount")).containsEntry("journalCopy", journalCopy.toString());

                Map<String, String> facts = succeeded(journal, "restore");
                assertThat(facts).containsEntry("provider", "tar").containsEntry("restorePoint", backupFacts.get("restorePoint"))
                        .containsEntry("contentSha256", backupFacts.get("contentSha256")).containsEntry("files", backupFacts.get("files"))
                        .containsEntry("bytes", backupFacts.get("bytes")).containsEntry("warnings", "0");
                assertThat(root.resolve("var/lib/rear/recovery/restore-complete")).content()
                        .contains("restorePoint=" + backupFacts.get("restorePoint"), "contentSha256=" + backupFacts.get("contentSha256"));
                assertThat(JournalReader.read(journal).state().remaining()).isEmpty();
            } finally {
                unmountUnder(loops, root);
            }
        }
    }

    @Test
    void aCorruptedArchiveIsRefusedInPreFlightWithNoWriteToAnyDevice() throws Exception {
        Path damaged = Files.createDirectories(tmp.resolve("damaged-store/rear-it"));
        for (String name : List.of("backup.tar.zst", "backup.tar.zst.manifest")) {
            Files.copy(store.resolve("rear-it").resolve(name), damaged.resolve(name));
        }
        try (RandomAccessFile f = new RandomAccessFile(damaged.resolve("backup.tar.zst").toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }
        Path conf2 = Files.createDirectories(tmp.resolve("etc-rear-damaged"));
        Files.writeString(conf2.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=file://" + damaged.getParent() + "\nNETFS_PREFIX=rear-it\n");
        Path journal = tmp.resolve("refused.jsonl");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(tmp.resolve("refused")))) {
            String target = loops.attach("refused", DISK);
            Path image = tmp.resolve("refused/refused.img");
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.seek(DISK / 2);
                f.write("the old contents of this disk".getBytes(StandardCharsets.US_ASCII));
            }
            String before = sha256(image);
            RearRun r = rearWith(conf2, "recover", "--yes", "--descriptor", descriptor.toString(),
                    "--mapping", mapping(target).toString(), "--target-root", tmp.resolve("refused-root").toString(),
                    "--journal", journal.toString());
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(4);
            assertThat(r.err()).containsPattern("pre-flight: the backup \\(restore point [^)]+\\) cannot be restored: "
                    + "(entry /data/blob-\\d{3}|the archive .* is damaged at entry /data/blob-\\d{3}).*; nothing was written to any disk");
            assertThat(sha256(image)).as("not one byte of the target changed").isEqualTo(before);
            System.out.println("RecoverIT: refused as it should be: " + r.err().strip());
            assertThat(journal).doesNotExist();
            assertThat(r.out()).doesNotContain("wipefs");
        }
    }

    @Test
    void aRecoveryKilledWhileRestoringIsResumed() throws Exception {
        Path lib = Path.of("target", "rear", "lib").toAbsolutePath();
        assumeTrue(Files.isDirectory(lib), "the distribution " + lib + " is not built (mvn package)");
        Path root = Files.createDirectories(tmp.resolve("killed-root"));
        Path journal = tmp.resolve("killed.jsonl");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(tmp.resolve("killed")))) {
            String target = loops.attach("killed", DISK);
            try {
                // A separate rear process, interpreted only (-Xint) so the restore takes seconds, killed with SIGKILL once
                // it has restored some of the data files and before it wrote its marker.
                String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                List<String> argv = new ArrayList<>(List.of(javaBin, "-Xint", "-cp", lib + "/*", "dev.rear.engine.cli.Main", "-v", "-c",
                        conf.toString(), "recover", "--yes", "--descriptor", descriptor.toString(), "--mapping", mapping(target).toString(),
                        "--target-root", root.toString(), "--journal", journal.toString()));
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
                Path data = root.resolve("data");
                Path marker = root.resolve("var/lib/rear/recovery/restore-complete");
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                long restored = 0;
                while (System.nanoTime() < deadline && p.isAlive()) {
                    restored = count(data);
                    if (restored >= 8) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(p.isAlive()).as("rear still restoring (log: %s)", Files.readString(tmp.resolve("killed.log"))).isTrue();
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(marker).as("killed before the restore completed").doesNotExist();
                assertThat(restored).isLessThan(DATA_FILES);
                List<JournalEvent> events = JournalReader.read(journal).events();
                assertThat(events.get(events.size() - 1)).isEqualTo(new StepStarted("restore"));
                assertThat(JournalReader.read(journal).state().remaining()).startsWith("restore");

                RearRun resumed = rear("recover", "--resume", "--yes", "--descriptor", descriptor.toString(), "--mapping",
                        mapping(target).toString(), "--target-root", root.toString(), "--journal", journal.toString());
                assertThat(resumed.code()).as(resumed.out() + resumed.err()).isZero();
                assertThat(resumed.err()).contains("holds files of an interrupted restore");
                assertThat(mounted(root)).as("the target root is unmounted after the recovery").isFalse();
                loops.mount(target + "p1", root);
                Map<String, String> facts = succeeded(journal, "restore");
                assertThat(facts).containsEntry("restorePoint", backupFacts.get("restorePoint")).containsEntry("files", backupFacts.get("files"))
                        .containsKey("overwrotePartial");
                assertThat(count(data)).isEqualTo(DATA_FILES);
                assertThat(root.resolve("home/alice/notes.txt")).hasContent("call the data centre");
                assertThat(marker).exists();
                assertThat(JournalReader.read(journal).state().remaining()).isEmpty();
                long restoreStarts = JournalReader.read(journal).events().stream().filter(e -> e.equals(new StepStarted("restore"))).count();
                assertThat(restoreStarts).isEqualTo(2);
                long mkfsStarts = JournalReader.read(journal).events().stream()
                        .filter(e -> e instanceof StepStarted s && s.stepId().startsWith("mkfs:")).count();
                assertThat(mkfsStarts).as("nothing done before the kill is done again").isEqualTo(1);
            } finally {
                unmountUnder(loops, root);
            }
        }
    }

    static boolean mounted(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                .anyMatch(m -> m.equals(dir.toString()));
    }

    static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static String blkid(LoopDevices loops, String dev) {
        return loops.run("blkid", "-c", "/dev/null", "-p", "-o", "export", dev).stdout();
    }

    static String sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Unmounts whatever the recovery mounted under {@code root}, deepest first. */
    static void unmountUnder(LoopDevices loops, Path root) {
        try {
            List<String> mps = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                    .filter(m -> m.equals(root.toString()) || m.startsWith(root + "/"))
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList();
            for (String m : mps) {
                try {
                    loops.run("umount", "-l", m);
                } catch (RuntimeException e) {
                    // keep going
                }
            }
        } catch (IOException e) {
            // nothing mounted
        }
    }
}
