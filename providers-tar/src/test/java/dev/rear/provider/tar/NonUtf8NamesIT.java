package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As root on a loop-mounted ext4: file names that are not UTF-8 (old Latin-1 names, stray bytes), in
 * file, directory, symlink and symlink-target names, with hard links and xattrs, are kept byte for
 * byte: rear to rear, rear's archive extracted by GNU tar, GNU tar's archive restored by rear, and
 * an incremental chain over a rename of such a file. The JVM runs in whatever locale the build has
 * (a UTF-8 one, or C): the names never pass through its platform encoding. Skipped, with the reason
 * printed, when not root or without losetup, mkfs.ext4 or GNU tar.
 */
class NonUtf8NamesIT {

    @TempDir
    Path tmp;
    private final List<Path> mounts = new ArrayList<>();
    private final List<String> loops = new ArrayList<>();

    @BeforeEach
    void requireRootAndTools() {
        if (!Posix.isRoot()) {
            System.out.println("NonUtf8NamesIT skipped: needs root (loop devices, mount)");
            assumeTrue(false, "needs root");
        }
        for (String tool : List.of("losetup", "mkfs.ext4", "tar", "mount")) {
            boolean found = List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/").stream().anyMatch(d -> Files.isExecutable(Path.of(d + tool)));
            if (!found) {
                System.out.println("NonUtf8NamesIT skipped: " + tool + " missing");
                assumeTrue(false, tool + " missing");
            }
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        List<String> problems = new ArrayList<>();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (run("umount", mounts.get(i).toString()) != 0) {
                run("umount", "-l", mounts.get(i).toString());
                problems.add("umount " + mounts.get(i));
            }
        }
        for (String loop : loops) {
            if (run("losetup", "-d", loop) != 0) {
                problems.add("losetup -d " + loop);
            }
        }
        assertThat(problems).as("cleanup").isEmpty();
    }

    private static int run(String... argv) throws IOException, InterruptedException {
        return sh(null, argv).exit;
    }

    private record Out(int exit, String text) {}

    private static Out sh(Path dir, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " timed out");
        }
        return new Out(p.exitValue(), out);
    }

    private static void check(Path dir, String... argv) throws IOException, InterruptedException {
        Out o = sh(dir, argv);
        assertThat(o.exit).as("%s: %s", String.join(" ", argv), o.text).isZero();
    }

    private Path ext4() throws Exception {
        Path image = tmp.resolve("ext4.img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(256L << 20);
        }
        Out o = sh(null, "losetup", "--find", "--show", image.toString());
        assertThat(o.exit).as("losetup: %s", o.text).isZero();
        String loop = o.text.strip();
        assertThat(loop).startsWith("/dev/loop");
        loops.add(loop);
        check(null, "mkfs.ext4", "-q", "-F", loop);
        Path mp = Files.createDirectories(tmp.resolve("mnt"));
        check(null, "mount", loop, mp.toString());
        mounts.add(mp);
        return mp;
    }

    /** Latin-1 and stray bytes, made by the shell's printf so no Java encoding is involved. */
    private static void makeNames(Path src) throws Exception {
        check(src, "/bin/sh", "-c", String.join(" && ",
                "printf 'caf\\351 latin-1\\n' > \"$(printf 'caf\\351')\"",
                "mkdir \"$(printf 'r\\351pertoire')\"",
                "printf 'stray\\n' > \"$(printf 'r\\351pertoire/f\\377\\376')\"",
                "ln \"$(printf 'caf\\351')\" \"$(printf 'r\\351pertoire/hard-caf\\351')\"",
                "ln -s \"$(printf 'caf\\351')\" \"$(printf 'lien-\\351')\"",
                "ln -s \"$(printf '../r\\351pertoire/f\\377\\376')\" \"$(printf 'r\\351pertoire/up')\"",
                "printf 'utf-8\\n' > \"$(printf '\\303\\274n\\303\\257c\\303\\266d\\303\\251')\"", // UTF-8 "ünïcödé"
                "chmod 0640 \"$(printf 'caf\\351')\"",
                "setfattr -n user.note -v 'on a latin-1 name' \"$(printf 'r\\351pertoire/f\\377\\376')\" 2>/dev/null || true",
                "mkdir -p \"$(printf 'deep/\\344\\366\\374/\\344\\366\\374\\351')\""));
    }

    private static String bytesOf(Path dir) throws Exception {
        Out o = sh(dir, "/bin/sh", "-c", "find . | LC_ALL=C sort | od -An -c | tr -s ' \\n' ' '");
        assertThat(o.exit).isZero();
        return o.text;
    }

    private static FakeProviderContext context(Path tmp, ProviderSettings s) throws IOException {
        return FakeProviderContext.builder(Files.createTempDirectory(tmp, "ctx")).settings(s).build();
    }

    @Test
    void namesThatAreNotUtf8SurviveRearAndGnuTarBothWays() throws Exception {
        Path mnt = ext4();
        Path src = Files.createDirectories(mnt.resolve("src"));
        makeNames(src);
        Map<String, String> expected = TreeComparator.describe(src);
        assertThat(expected.keySet()).contains("/caf%E9", "/r%E9pertoire/f%FF%FE", "/lien-%E9", "/ünïcödé", "/deep/%E4%F6%FC/%E4%F6%FC%E9");
        assertThat(expected.get("/lien-%E9")).endsWith("-> caf%E9");
        String listing = bytesOf(src);
        assertThat(listing).contains("c a f 351").contains("r 351 p e r t o i r e / f 377 376");

        Path store = Files.createDirectories(tmp.resolve("store"));
        ProviderSettings plain = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host")
                .set("REAR_TAR_COMPRESSION", "none").build();
        TarBackupProvider provider = new TarBackupProvider();
        BackupResult r = provider.backup(BackupRequest.full(src), context(tmp, plain));
        assertThat(r.warnings()).isEmpty();

        // rear -> rear
        Path byRear = Files.createDirectories(mnt.resolve("by-rear"));
        provider.restore(RestoreRequest.everything(byRear), context(tmp, plain));
        assertThat(TreeComparator.differences(expected, TreeComparator.describe(byRear))).as("rear -> rear").isEmpty();
        assertThat(bytesOf(byRear)).isEqualTo(listing);

        // rear -> GNU tar, in the C locale and in a UTF-8 one
        for (String locale : List.of("C", "C.UTF-8")) {
            Path byGnu = Files.createDirectories(mnt.resolve("by-gnu-tar-" + locale));
            check(null, "env", "LC_ALL=" + locale, "tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf",
                    store.resolve("host/backup.tar").toString(), "-C", byGnu.toString());
            assertThat(TreeComparator.differences(expected, TreeComparator.describe(byGnu))).as("rear -> GNU tar in " + locale).isEmpty();
            assertThat(bytesOf(byGnu)).isEqualTo(listing);
        }

        // GNU tar -> rear, archives GNU tar wrote in both locales
        for (String locale : List.of("C", "C.UTF-8")) {
            Path gnuStore = Files.createDirectories(tmp.resolve("gnu-" + locale + "/host"));
            check(null, "env", "LC_ALL=" + locale, "tar", "--xattrs", "--xattrs-include=*", "--format=posix", "--numeric-owner", "-cpf",
                    gnuStore.resolve("backup.tar").toString(), "-C", src.toString(), ".");
            Path fromGnu = Files.createDirectories(mnt.resolve("gnu-" + locale + "-by-rear"));
            List<String> warnings = new ArrayList<>();
            Extractor x = new Extractor(fromGnu, true, warnings::add);
            try (TarReader reader = new TarReader(TarBackupProvider.decompressor(Files.newInputStream(gnuStore.resolve("backup.tar"))))) {
                for (TarReader.Entry e; (e = reader.next()) != null; ) {
                    x.extract(e, reader);
                }
            }
            x.finish();
            assertThat(warnings).isEmpty();
            assertThat(TreeComparator.differences(expected, TreeComparator.describe(fromGnu))).as("GNU tar (" + locale + ") -> rear").isEmpty();
            assertThat(bytesOf(fromGnu)).isEqualTo(listing);
        }
    }

    @Test
    void anIncrementalChainFollowsARenameOfANonUtf8Name() throws Exception {
        Path mnt = ext4();
        Path src = Files.createDirectories(mnt.resolve("src"));
        makeNames(src);
        Path store = Files.createDirectories(tmp.resolve("store"));
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host")
                .set("BACKUP_TYPE", "incremental").build();
        TarBackupProvider provider = new TarBackupProvider();
        dev.rear.testkit.MutableClock clock = new dev.rear.testkit.MutableClock(java.time.Instant.parse("2030-03-04T05:06:00Z"));
        BackupResult full = provider.backup(BackupRequest.full(src), FakeProviderContext.builder(Files.createTempDirectory(tmp, "c")).settings(s)
                .clock(clock).build());
        Map<String, String> before = TreeComparator.describe(src);
        clock.advance(java.time.Duration.ofHours(1));
        Thread.sleep(30);
        check(src, "/bin/sh", "-c", "mv \"$(printf 'caf\\351')\" \"$(printf 'caf\\351-renomm\\351')\" && rm -r \"$(printf 'deep/\\344\\366\\374')\"");
        BackupResult inc = provider.backup(BackupRequest.full(src).withKind(BackupKind.INCREMENTAL),
                FakeProviderContext.builder(Files.createTempDirectory(tmp, "c")).settings(s).clock(clock).build());
        assertThat(inc.kind()).isEqualTo(BackupKind.INCREMENTAL);
        Manifest m = Manifest.read(store.resolve("host/" + inc.restorePointId() + ".tar.zst.manifest"));
        assertThat(m.deleted()).containsExactly(Names.decode("/caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)),
                Names.decode("/deep/\u00e4\u00f6\u00fc".getBytes(StandardCharsets.ISO_8859_1)));
        Map<String, String> after = TreeComparator.describe(src);

        Path atFull = Files.createDirectories(mnt.resolve("at-full"));
        provider.restore(RestoreRequest.everything(atFull).from(RestorePointSelector.byId(full.restorePointId())), context(tmp, s));
        assertThat(TreeComparator.differences(before, TreeComparator.describe(atFull))).isEmpty();
        Path atInc = Files.createDirectories(mnt.resolve("at-inc"));
        provider.restore(RestoreRequest.everything(atInc).from(RestorePointSelector.byId(inc.restorePointId())), context(tmp, s));
        assertThat(TreeComparator.differences(after, TreeComparator.describe(atInc))).isEmpty();
        assertThat(bytesOf(atInc)).isEqualTo(bytesOf(src));
    }
}
