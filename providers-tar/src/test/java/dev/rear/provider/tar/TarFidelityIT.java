package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.testkit.FakeProviderContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As root: a corpus with every case on a loop-mounted ext4 and xfs, backed up by rear, restored
 * elsewhere on the same filesystem by rear and by GNU tar, and a GNU tar archive restored by rear;
 * every attribute of every entry compared. Also a restore into a full filesystem. Loop devices and
 * mounts made here are removed in every outcome. Skipped, with the reason printed, when not root or
 * without losetup/mkfs/GNU tar.
 */
class TarFidelityIT {

    private static final long SPARSE_APPARENT = 6L << 30;

    @TempDir
    Path tmp;
    private final List<Path> mounts = new ArrayList<>();
    private final List<String> loops = new ArrayList<>();

    @BeforeEach
    void requireRoot() {
        boolean root = Posix.isRoot();
        if (!root) {
            System.out.println("TarFidelityIT skipped: needs root (loop devices, mknod, trusted.* xattrs, chown)");
        }
        assumeTrue(root, "needs root");
        for (String tool : List.of("/usr/sbin/losetup", "/usr/bin/tar", "/usr/bin/mount")) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr/sbin/", "/sbin/").replace("/usr/bin/", "/bin/")))) {
                System.out.println("TarFidelityIT skipped: " + tool + " missing");
                assumeTrue(false, tool + " missing");
            }
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        List<String> problems = new ArrayList<>();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (run(false, "umount", mounts.get(i).toString()) != 0) {
                run(false, "umount", "-l", mounts.get(i).toString());
                problems.add("umount " + mounts.get(i));
            }
        }
        for (String loop : loops) {
            if (run(false, "losetup", "-d", loop) != 0) {
                problems.add("losetup -d " + loop);
            }
        }
        assertThat(problems).as("cleanup").isEmpty();
    }

    private static int run(boolean check, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " timed out");
        }
        if (check && p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " exited " + p.exitValue() + ": " + out);
        }
        return p.exitValue();
    }

    private Path loopFilesystem(String type, long bytes) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs." + type)) || Files.isExecutable(Path.of("/sbin/mkfs." + type)),
                "mkfs." + type + " missing");
        Path image = tmp.resolve(type + ".img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(bytes);
        }
        ProcessBuilder pb = new ProcessBuilder("losetup", "--find", "--show", image.toString());
        Process p = pb.start();
        String loop = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("losetup").isZero();
        assertThat(loop).startsWith("/dev/loop");
        loops.add(loop);
        if (type.equals("ext4")) {
            run(true, "mkfs.ext4", "-q", "-F", loop);
        } else {
            run(true, "mkfs." + type, "-q", "-f", loop);
        }
        Path mp = Files.createDirectories(tmp.resolve("mnt-" + type));
        run(true, "mount", loop, mp.toString());
        mounts.add(mp);
        return mp;
    }

    private static FakeProviderContext context(Path tmp, ProviderSettings s) throws IOException {
        return FakeProviderContext.builder(Files.createTempDirectory(tmp, "ctx")).settings(s).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4", "xfs"})
    void everyAttributeOfEveryEntrySurvivesRearAndGnuTarBothWays(String fs) throws Exception {
        Path mnt = loopFilesystem(fs, 2L << 30);
        Path src = Files.createDirectories(mnt.resolve("src"));
        Corpus.build(src, true, SPARSE_APPARENT, true);
        Map<String, String> expected = TreeComparator.describe(src);
        Map<String, Long> dirTimes = TreeComparator.directoryTimes(src);
        Path store = Files.createDirectories(tmp.resolve("store-" + fs));
        TarBackupProvider provider = new TarBackupProvider();

        // rear -> rear, zstd
        ProviderSettings zstd = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host").build();
        provider.backup(BackupRequest.full(src), context(tmp, zstd));
        assertThat(provider.verify(VerifyRequest.latest(), context(tmp, zstd)).ok()).isTrue();
        assertThat(Files.size(store.resolve("host/backup.tar.zst"))).as("sparse data only").isLessThan(64L << 20);
        Path byRear = Files.createDirectories(mnt.resolve("restored-by-rear"));
        RestoreResult r = provider.restore(RestoreRequest.everything(byRear), context(tmp, zstd));
        assertThat(r.warnings()).isEmpty();
        assertThat(TreeComparator.differences(expected, TreeComparator.describe(byRear))).as("rear -> rear on " + fs).isEmpty();
        assertThat(TreeComparator.directoryTimes(byRear)).isEqualTo(dirTimes);

        // rear -> GNU tar
        ProviderSettings plain = zstd.with("REAR_TAR_COMPRESSION", "none").with("NETFS_PREFIX", "plain");
        provider.backup(BackupRequest.full(src), context(tmp, plain));
        Path byGnu = Files.createDirectories(mnt.resolve("restored-by-gnu-tar"));
        run(true, "tar", "--xattrs", "--xattrs-include=*", "--acls", "--numeric-owner", "-xpf",
                store.resolve("plain/backup.tar").toString(), "-C", byGnu.toString());
        assertThat(TreeComparator.differences(expected, TreeComparator.describe(byGnu))).as("rear -> GNU tar on " + fs).isEmpty();

        // GNU tar -> rear
        Path gnuStore = Files.createDirectories(tmp.resolve("gnu-" + fs + "/host"));
        Path gnuArchive = gnuStore.resolve("backup.tar");
        run(true, "tar", "--xattrs", "--xattrs-include=*", "--acls", "--sparse", "--format=posix", "--numeric-owner", "-cpf",
                gnuArchive.toString(), "-C", src.toString(), ".");
        Path fromGnu = Files.createDirectories(mnt.resolve("gnu-archive-restored-by-rear"));
        List<String> warnings = new ArrayList<>();
        Extractor x = new Extractor(fromGnu, true, warnings::add);
        try (TarReader reader = new TarReader(TarBackupProvider.decompressor(Files.newInputStream(gnuArchive)))) {
            for (TarReader.Entry e; (e = reader.next()) != null; ) {
                x.extract(e, reader);
            }
        }
        x.finish();
        assertThat(warnings).isEmpty();
        assertThat(TreeComparator.differences(expected, TreeComparator.describe(fromGnu))).as("GNU tar -> rear on " + fs).isEmpty();
    }

    /**
     * Independent of rear's own attribute code: the corpus gets its ACLs, xattrs, capability, owners and
     * device nodes from the system's tools ({@code setfacl}, {@code setfattr}, {@code setcap}, {@code chown},
     * {@code mknod}), and after rear's backup and restore the system's tools ({@code getfacl},
     * {@code getfattr}, {@code getcap}, {@code find -printf}) must print the same for the restored tree.
     */
    @Test
    void theSystemsOwnToolsSeeTheSameTreeAfterARestore() throws Exception {
        for (String tool : List.of("setfacl", "getfacl", "setfattr", "getfattr", "setcap", "getcap", "mknod", "find")) {
            if (run(false, "sh", "-c", "command -v " + tool) != 0) {
                System.out.println("TarFidelityIT.theSystemsOwnTools skipped: " + tool + " missing (Debian: acl, attr, libcap2-bin, coreutils, findutils)");
                assumeTrue(false, tool + " missing");
            }
        }
        Path mnt = loopFilesystem("ext4", 512L << 20);
        Path src = Files.createDirectories(mnt.resolve("src"));
        Files.createDirectories(src.resolve("etc/ssl/private"));
        Files.writeString(src.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(src.resolve("etc/ssl/private/key.pem"), "-----BEGIN PRIVATE KEY-----\n");
        Files.createDirectories(src.resolve("srv/share/sub"));
        Files.writeString(src.resolve("srv/share/sub/report.txt"), "quarterly\n");
        Files.createDirectories(src.resolve("usr/bin"));
        Files.writeString(src.resolve("usr/bin/ping"), "not really ping\n");
        Files.writeString(src.resolve("usr/bin/sudo"), "not really sudo\n");
        Files.createDirectories(src.resolve("dev"));
        String s = src.toString();
        run(true, "chown", "0:42", s + "/etc/shadow");
        run(true, "chmod", "0640", s + "/etc/shadow");
        run(true, "chmod", "0700", s + "/etc/ssl/private");
        run(true, "chown", "-R", "1001:1002", s + "/srv/share");
        run(true, "setfacl", "-m", "u:1003:rwx,g:1004:r-x,m::rwx", s + "/srv/share");
        run(true, "setfacl", "-d", "-m", "u:1003:rwx,g:1004:r-x,o::---", s + "/srv/share");
        run(true, "setfacl", "-m", "u:1005:r--", s + "/srv/share/sub/report.txt");
        run(true, "setfattr", "-n", "user.origin", "-v", "scanner-7", s + "/srv/share/sub/report.txt");
        run(true, "setfattr", "-n", "user.blob", "-v", "0x00ff80103d20", s + "/srv/share/sub/report.txt");
        run(true, "setfattr", "-n", "trusted.overlay.opaque", "-v", "y", s + "/srv/share/sub");
        run(true, "setcap", "cap_net_raw,cap_net_admin+ep", s + "/usr/bin/ping");
        run(true, "chmod", "4755", s + "/usr/bin/sudo");
        run(true, "mknod", "-m", "0666", s + "/dev/null", "c", "1", "3");
        run(true, "mknod", "-m", "0660", s + "/dev/loop7", "b", "7", "7");
        run(true, "mknod", "-m", "0600", s + "/dev/initctl", "p");
        run(true, "ln", s + "/usr/bin/sudo", s + "/usr/bin/sudoedit");
        run(true, "ln", "-s", "../usr/bin/sudo", s + "/etc/sudo-link");
        run(true, "touch", "-h", "-d", "2001-02-03 04:05:06.789012345", s + "/etc/sudo-link");

        Path store = Files.createDirectories(tmp.resolve("store-tools"));
        ProviderSettings zstd = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host").build();
        TarBackupProvider provider = new TarBackupProvider();
        provider.backup(BackupRequest.full(src), context(tmp, zstd));
        Path restored = Files.createDirectories(mnt.resolve("restored"));
        assertThat(provider.restore(RestoreRequest.everything(restored), context(tmp, zstd)).warnings()).isEmpty();

        for (List<String> probe : List.of(
                List.of("getfacl", "-R", "-p", "-n", "."),
                List.of("getfattr", "-R", "-h", "-d", "-m", "-", "-e", "hex", "."),
                List.of("getcap", "-r", "."),
                List.of("find", ".", "-printf", "%p %y %#m %U:%G %n %s %TY-%Tm-%Td %TT %l %D\\n"))) {
            String before = output(src, probe);
            String after = output(restored, probe);
            assertThat(after).as(String.join(" ", probe)).isEqualTo(before);
        }
        assertThat(output(src, List.of("getcap", "-r", "."))).contains("cap_net_admin,cap_net_raw=ep");
        assertThat(output(restored, List.of("getfacl", "-p", "-n", "srv/share"))).contains("default:user:1003:rwx");
        assertThat(output(restored, List.of("find", "dev", "-printf", "%p %y %Hr\\n")))
                .contains("dev/null c", "dev/loop7 b", "dev/initctl p");
    }

    /** What {@code argv} prints run in {@code dir}, its lines sorted (the tools list in directory order). */
    private static String output(Path dir, List<String> argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
        if (argv.get(0).equals("find")) {
            return out.lines().sorted().collect(java.util.stream.Collectors.joining("\n"));
        }
        // getfacl/getfattr print blocks separated by blank lines: sort the blocks
        return java.util.Arrays.stream(out.split("\n\n")).map(String::strip).filter(b -> !b.isEmpty()).sorted()
                .collect(java.util.stream.Collectors.joining("\n\n"));
    }

    @Test
    void aFullTargetFilesystemStopsTheRestoreNamingTheEntry() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("small"), "fits\n");
        byte[] random = new byte[4 << 20];
        new java.util.Random(1).nextBytes(random);
        Files.write(src.resolve("zz-big.bin"), random);
        Path store = Files.createDirectories(tmp.resolve("store"));
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host").build();
        TarBackupProvider provider = new TarBackupProvider();
        provider.backup(BackupRequest.full(src), context(tmp, s));
        Path full = Files.createDirectories(tmp.resolve("full"));
        run(true, "mount", "-t", "tmpfs", "-o", "size=1m", "rear-it-full", full.toString());
        mounts.add(full);
        assertThatThrownBy(() -> provider.restore(RestoreRequest.everything(full), context(tmp, s)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED))
                .hasMessageContaining("/zz-big.bin").hasMessageContaining("full");
    }

    @Test
    void anotherFilesystemBelowTheSourceIsNotEntered() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("kept"), "kept\n");
        Path mp = Files.createDirectories(src.resolve("mounted"));
        run(true, "mount", "-t", "tmpfs", "-o", "size=1m,mode=0711", "rear-it-xdev", mp.toString());
        mounts.add(mp);
        Files.writeString(mp.resolve("on-the-other-filesystem"), "left out\n");
        Path store = Files.createDirectories(tmp.resolve("store"));
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host").build();
        TarBackupProvider provider = new TarBackupProvider();
        provider.backup(BackupRequest.full(src), context(tmp, s));
        Manifest m = Manifest.read(store.resolve("host/backup.tar.zst.manifest"));
        assertThat(m.byPath().keySet()).containsExactly("/", "/kept", "/mounted");
        Path target = Files.createDirectories(tmp.resolve("target"));
        provider.restore(RestoreRequest.everything(target), context(tmp, s));
        assertThat(target.resolve("mounted")).isEmptyDirectory();
        assertThat(Integer.toOctalString((Integer) Files.getAttribute(target.resolve("mounted"), "unix:mode"))).isEqualTo("40711");
    }

    /**
     * ReaR's includes are the layout's mount points: {@code /boot} and {@code /var} below {@code /}
     * are filesystems of their own, and their contents must be in the archive once — a walk of
     * {@code /} alone stops at them. Same-filesystem includes below another are not walked twice.
     */
    @Test
    void includedMountPointsBelowTheRootAreBackedUpWithTheirContentsOnce() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src-mp"));
        Files.writeString(src.resolve("kept"), "kept\n");
        Files.createDirectories(src.resolve("etc/sub"));
        Files.writeString(src.resolve("etc/sub/conf"), "conf\n");
        Path boot = Files.createDirectories(src.resolve("boot"));
        run(true, "mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "rear-it-boot", boot.toString());
        mounts.add(boot);
        Files.createDirectories(boot.resolve("grub"));
        Files.writeString(boot.resolve("vmlinuz"), "kernel\n");
        Files.writeString(boot.resolve("grub/grub.cfg"), "menuentry\n");
        Path var = Files.createDirectories(src.resolve("var"));
        run(true, "mount", "-t", "tmpfs", "-o", "size=1m", "rear-it-var", var.toString());
        mounts.add(var);
        Files.createDirectories(var.resolve("lib/dpkg"));
        Files.writeString(var.resolve("lib/dpkg/status"), "Package: rear\n");
        Path store = Files.createDirectories(tmp.resolve("store-mp"));
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host").build();
        TarBackupProvider provider = new TarBackupProvider();
        provider.backup(BackupRequest.full(src).withIncludes(List.of("/", "/var", "/boot/", "/etc/sub", "/var/lib")), context(tmp, s));
        Manifest m = Manifest.read(store.resolve("host/backup.tar.zst.manifest"));
        assertThat(m.byPath().keySet()).contains("/boot", "/boot/vmlinuz", "/boot/grub/grub.cfg", "/var/lib/dpkg/status", "/etc/sub/conf", "/kept");
        List<String> names = m.entries().stream().map(Manifest.Line::path).toList();
        assertThat(names).as("every entry once").doesNotHaveDuplicates();
        Path target = Files.createDirectories(tmp.resolve("target-mp"));
        provider.restore(RestoreRequest.everything(target), context(tmp, s));
        assertThat(target.resolve("boot/grub/grub.cfg")).hasContent("menuentry");
        assertThat(target.resolve("var/lib/dpkg/status")).hasContent("Package: rear");
        assertThat(Integer.toOctalString((Integer) Files.getAttribute(target.resolve("boot"), "unix:mode")))
                .as("the mounted filesystem's root mode").isEqualTo("40700");
    }
}
