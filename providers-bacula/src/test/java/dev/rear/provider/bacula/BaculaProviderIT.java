package dev.rear.provider.bacula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.OverwritePolicy;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestorePoint;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.ProcessRunner;
import dev.rear.testkit.SampleTrees;
import dev.rear.testkit.TreeSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * providers-bacula against a real Bacula 9.6 (director, storage daemon, file daemon, SQLite catalog)
 * on 127.0.0.1, started once for the class by {@link BaculaLoopback}. Needs root and Debian's
 * bacula-director, bacula-director-sqlite3, bacula-sd, bacula-fd, bacula-console and sqlite3; skips
 * with the reason otherwise.
 */
class BaculaProviderIT {

    private static Path work;
    private static BaculaLoopback bacula;
    private static Path data;
    private static BackupResult dataBackup;
    private static long dataBackupMillis;

    private final BaculaBackupProvider provider = new BaculaBackupProvider();

    @BeforeAll
    static void startBacula() throws Exception {
        BaculaLoopback.assumeAvailable();
        work = Files.createTempDirectory("bacula-it-");
        bacula = BaculaLoopback.start(work.resolve("bacula"));
        System.out.println("[bacula-it] director, storage daemon and file daemon answered after " + bacula.startup().toMillis() + " ms");
        data = work.resolve("data");
        Files.createDirectories(data);
        SampleTrees.standard(data);
        Files.setAttribute(data.resolve("home/user/.profile"), "unix:uid", 1234);
        Files.setAttribute(data.resolve("home/user/.profile"), "unix:gid", 4321);
        Files.setAttribute(data.resolve("etc/fstab"), "unix:uid", 65534);
        bacula.define("DataSet", "BackupData", List.of(data));
        long t0 = System.nanoTime();
        dataBackup = new BaculaBackupProvider().backup(BackupRequest.full(Path.of("/")), context(settings("DataSet", "BackupData").build()));
        dataBackupMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[bacula-it] backup job " + dataBackup.restorePointId() + " through the provider took " + dataBackupMillis + " ms");
    }

    @AfterAll
    static void stopBacula() {
        if (bacula != null) {
            bacula.close();
        }
        if (work != null) {
            BaculaLoopback.deleteTree(work);
        }
    }

    private static ProviderSettings.Builder settings(String fileset, String job) {
        return bacula.settings().set("BACULA_FILESET", fileset).set("BACULA_JOB", job);
    }

    private static FakeProviderContext context(ProviderSettings s) throws IOException {
        Path tmp = Files.createTempDirectory(work, "ctx-");
        return FakeProviderContext.builder(tmp).settings(s.withSecrets(new BaculaBackupProvider().secretSettings()))
                .commands(new ProcessRunner()).build();
    }

    private static Path newTarget() throws IOException {
        return Files.createTempDirectory(work, "target-");
    }

    /** Where Bacula puts a backed-up absolute path when restoring with where=target. */
    private static Path inTarget(Path target, Path original) {
        return target.resolve(original.toString().substring(1));
    }

    /** Owner and group of every entry, by relative path. */
    private static Map<String, String> owners(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                out.put(root.relativize(p).toString(), Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                        + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS));
            }
        }
        return out;
    }

    @Test
    void backupThroughTheProviderIsAListedRestorePoint() throws IOException {
        assertThat(dataBackup.facts()).containsEntry("jobStatus", "T").containsEntry("fileset", "DataSet").containsEntry("client", "test-fd");
        assertThat(dataBackup.files()).isGreaterThan(10);
        assertThat(dataBackup.warnings()).isEmpty();
        List<RestorePoint> points = provider.listRestorePoints(context(settings("DataSet", "BackupData").build()));
        assertThat(points).extracting(RestorePoint::id).contains(dataBackup.restorePointId());
        assertThat(points).extracting(RestorePoint::createdAt).isSorted();
        dev.rear.api.spi.VerifyResult v = provider.verify(new dev.rear.api.spi.VerifyRequest(RestorePointSelector.byId(dataBackup.restorePointId())),
                context(settings("DataSet", "BackupData").build()));
        assertThat(v.ok()).as("findings %s", v.findings()).isTrue();
        assertThat(v.facts()).containsEntry("jobIds", dataBackup.restorePointId()).containsEntry("volumes", "Vol-0001");
    }

    @Test
    void restoreIntoAnEmptyRootReproducesTheTree() throws IOException {
        Path target = newTarget();
        FakeProviderContext ctx = context(settings("DataSet", "BackupData").build());
        long t0 = System.nanoTime();
        RestoreResult r = provider.restore(RestoreRequest.everything(target), ctx);
        System.out.println("[bacula-it] restore through the provider took " + (System.nanoTime() - t0) / 1_000_000 + " ms, "
                + ctx.progress().reports().size() + " progress reports");
        assertThat(r.restorePointId()).isEqualTo(dataBackup.restorePointId());
        assertThat(r.warnings()).isEmpty();
        assertThat(r.facts()).containsEntry("jobStatus", "T").containsKey("restoreJobId");
        Path restored = inTarget(target, data);
        assertThat(TreeSnapshot.of(data).differencesIn(TreeSnapshot.of(restored))).as("restored tree vs source").isEmpty();
        assertThat(owners(restored)).as("owners restored").isEqualTo(owners(data));
        assertThat(Files.readSymbolicLink(restored.resolve("usr/lib/hostname-link"))).isEqualTo(Path.of("../../etc/hostname"));
        assertThat(ctx.progress().reports()).anyMatch(p -> p.phase().startsWith("Bacula restore job "));
    }

    @Test
    void anUnknownClientIsRefusedNamingTheKnownOnesAndNothingIsRestored() throws Exception {
        String before = bacula.console("list jobs jobtype=R");
        Path target = newTarget();
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.restore(RestoreRequest.everything(target), context(settings("DataSet", "BackupData").set("BACULA_CLIENT", "nosuch-fd").build())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("no client 'nosuch-fd'").contains("'test-fd'").contains("BACULA_CLIENT");
        assertThat(TreeSnapshot.of(target).entries()).isEmpty();
        assertThat(bacula.console("list jobs jobtype=R")).as("no restore job was queued").isEqualTo(before);
    }

    @Test
    void anUnknownFileSetIsRefusedNamingTheKnownOnes() throws Exception {
        Path target = newTarget();
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.restore(RestoreRequest.everything(target), context(settings("NoSuchSet", "BackupData").build())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("no FileSet 'NoSuchSet'").contains("'DataSet'");
        assertThat(TreeSnapshot.of(target).entries()).isEmpty();
    }

    @Test
    void pointInTimeRestoresTheFirstOfTwoBackups() throws Exception {
        Path pit = work.resolve("pit");
        Files.createDirectories(pit);
        Files.writeString(pit.resolve("state.txt"), "first\n", StandardCharsets.UTF_8);
        bacula.define("PitSet", "BackupPit", List.of(pit));
        ProviderSettings s = settings("PitSet", "BackupPit").build();
        BackupResult first = provider.backup(BackupRequest.full(Path.of("/")), context(s));
        Thread.sleep(1100); // Bacula's times have whole seconds: let the second backup start in a later second
        Files.writeString(pit.resolve("state.txt"), "second, longer\n", StandardCharsets.UTF_8);
        Files.writeString(pit.resolve("new.txt"), "only in the second\n", StandardCharsets.UTF_8);
        BackupResult second = provider.backup(BackupRequest.full(Path.of("/")), context(s));
        assertThat(second.createdAt()).isAfter(first.createdAt());

        Path asOf = newTarget();
        RestoreResult r = provider.restore(RestoreRequest.everything(asOf).from(RestorePointSelector.asOf(first.createdAt())), context(s));
        assertThat(r.restorePointId()).isEqualTo(first.restorePointId());
        assertThat(inTarget(asOf, pit).resolve("state.txt")).hasContent("first");
        assertThat(inTarget(asOf, pit).resolve("new.txt")).doesNotExist();

        Path byId = newTarget();
        provider.restore(RestoreRequest.everything(byId).from(RestorePointSelector.byId(first.restorePointId())), context(s));
        assertThat(inTarget(byId, pit).resolve("state.txt")).hasContent("first");

        Path latest = newTarget();
        RestoreResult l = provider.restore(RestoreRequest.everything(latest), context(s));
        assertThat(l.restorePointId()).isEqualTo(second.restorePointId());
        assertThat(inTarget(latest, pit).resolve("state.txt")).hasContent("second, longer");
        assertThat(inTarget(latest, pit).resolve("new.txt")).hasContent("only in the second");

        Path tooEarly = newTarget();
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(tooEarly)
                .from(RestorePointSelector.asOf(first.createdAt().minusSeconds(3600))), context(s)));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("no backup from before");
        ProviderException unknown = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(tooEarly)
                .from(RestorePointSelector.byId("999999")), context(s)));
        assertThat(unknown.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
    }

    @Test
    void aRestoreTheFileDaemonCannotWriteFailsWithTheStatusAndTheJobLog() throws IOException {
        Path target = newTarget();
        // the first component of the backed-up path is a file in the target: the FD cannot make its directories
        Files.writeString(target.resolve(data.getName(0).toString()), "in the way\n", StandardCharsets.UTF_8);
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(
                RestoreRequest.everything(target).withOverwrite(OverwritePolicy.OVERWRITE), context(settings("DataSet", "BackupData").build())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).contains("JobStatus E (Terminated with errors)").contains("Error:").contains("list joblog jobid=");
        System.out.println("[bacula-it] failed restore verdict: " + e.getMessage());
    }

    @Test
    void aJobStillRunningAtTheTimeoutIsCancelled() throws Exception {
        Path target = newTarget();
        // the fake context's pause advances its clock by the poll interval at once: one poll later the 1 s timeout has passed
        ProviderSettings s = settings("DataSet", "BackupData").set("BACULA_JOB_TIMEOUT", "1").build();
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(target), context(s)));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMED_OUT);
        assertThat(e.getMessage()).contains("BACULA_JOB_TIMEOUT").contains("cancelled");
        String jobId = e.getMessage().replaceAll(".*restore job (\\d+) .*", "$1");
        String status = "";
        for (int i = 0; i < 50 && !status.matches("(?s).*JobStatus: [AETf].*"); i++) {
            Thread.sleep(200);
            status = bacula.console("llist jobid=" + jobId);
        }
        assertThat(status).as("the timed-out job in the catalog").contains("JobStatus: A");
    }

    @Test
    void withoutADirectorBextractRestoresFromTheVolumeTheStorageDaemonWrote() throws Exception {
        Path unreachable = work.resolve("unreachable-bconsole.conf");
        Files.writeString(unreachable, Files.readString(bacula.bconsoleConf()).replace(Integer.toString(BaculaLoopback.DIR_PORT), "19199"));
        ProviderSettings s = settings("DataSet", "BackupData").set("BACULA_BCONSOLE_CONF", unreachable.toString())
                .set("BEXTRACT_DEVICE", bacula.volumes().toString()).set("BEXTRACT_VOLUME", "Vol-0001").build();
        Path target = newTarget();
        long t0 = System.nanoTime();
        RestoreResult r = provider.restore(RestoreRequest.everything(target), context(s));
        System.out.println("[bacula-it] offline bextract restore took " + (System.nanoTime() - t0) / 1_000_000 + " ms, " + r.files() + " files");
        assertThat(r.facts()).containsEntry("mode", "bextract");
        assertThat(r.warnings()).anyMatch(w -> w.message().contains("bextract"));
        Path restored = inTarget(target, data);
        assertThat(TreeSnapshot.of(data).differencesIn(TreeSnapshot.of(restored))).as("bextract-restored tree vs source").isEmpty();
        assertThat(owners(restored)).isEqualTo(owners(data));

        // a director whose name does not resolve fails at once (a refused port costs bconsole 15 s of retries)
        Path unresolvable = work.resolve("unresolvable-bconsole.conf");
        Files.writeString(unresolvable, Files.readString(bacula.bconsoleConf()).replace("127.0.0.1", "no-such-director.invalid"));
        Path noOffline = newTarget();
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(noOffline),
                context(settings("DataSet", "BackupData").set("BACULA_BCONSOLE_CONF", unresolvable.toString()).build())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("Connecting to Director no-such-director.invalid:19101").contains("BEXTRACT_DEVICE");
        assertThat(TreeSnapshot.of(noOffline).entries()).isEmpty();
    }

    @Test
    void withTheConsoleConfigLeftOutThePasswordMakesAPrivateOneAndAWrongOneIsRefused() throws Exception {
        ProviderSettings.Builder b = settings("DataSet", "BackupData").set("BACULA_BCONSOLE_CONF", work.resolve("left-out.conf").toString())
                .set("BACULA_DIRECTOR_NAME", BaculaLoopback.DIRECTOR).set("BACULA_DIRECTOR_ADDRESS", "127.0.0.1")
                .set("BACULA_DIRECTOR_PORT", Integer.toString(BaculaLoopback.DIR_PORT));
        FakeProviderContext ok = context(b.set("BACULA_CONSOLE_PASSWORD", "dir-secret").build());
        assertThat(provider.listRestorePoints(ok)).extracting(RestorePoint::id).contains(dataBackup.restorePointId());
        assertThat(ok.leakedSecrets()).isEmpty();
        FakeProviderContext wrong = context(b.set("BACULA_CONSOLE_PASSWORD", "not-the-secret").build());
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.listRestorePoints(wrong));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).doesNotContain("not-the-secret");
    }

    @Test
    void anIncrementalBackupIsRestoredWithItsFullBackup() throws Exception {
        Path inc = work.resolve("inc");
        Files.createDirectories(inc);
        Files.writeString(inc.resolve("base.txt"), "base\n", StandardCharsets.UTF_8);
        bacula.define("IncSet", "BackupInc", List.of(inc));
        ProviderSettings s = settings("IncSet", "BackupInc").build();
        BackupResult asked = provider.backup(BackupRequest.full(Path.of("/")).withKind(dev.rear.api.spi.BackupKind.INCREMENTAL), context(s));
        assertThat(asked.kind()).as("no full backup yet: Bacula upgrades to Full").isEqualTo(dev.rear.api.spi.BackupKind.FULL);
        assertThat(asked.warnings()).anyMatch(w -> w.message().contains("as Full"));
        Thread.sleep(1100);
        Files.writeString(inc.resolve("added.txt"), "added\n", StandardCharsets.UTF_8);
        BackupResult incr = provider.backup(BackupRequest.full(Path.of("/")).withKind(dev.rear.api.spi.BackupKind.INCREMENTAL), context(s));
        assertThat(incr.kind()).isEqualTo(dev.rear.api.spi.BackupKind.INCREMENTAL);
        Path byId = newTarget();
        RestoreResult r = provider.restore(RestoreRequest.everything(byId).from(RestorePointSelector.byId(incr.restorePointId())), context(s));
        assertThat(r.facts().get("jobIds")).isEqualTo(asked.restorePointId() + "," + incr.restorePointId());
        assertThat(inTarget(byId, inc).resolve("base.txt")).hasContent("base");
        assertThat(inTarget(byId, inc).resolve("added.txt")).hasContent("added");
    }


    @Test
    void aBackupThatCouldNotReadAFileIsAWarningNamingIt() throws Exception {
        Path missing = work.resolve("vanished-before-the-backup");
        bacula.define("WarnSet", "BackupWarn", List.of(data, missing));
        BackupResult r = provider.backup(BackupRequest.full(Path.of("/")), context(settings("WarnSet", "BackupWarn").build()));
        assertThat(r.facts()).containsEntry("jobStatus", "T").containsEntry("jobErrors", "1");
        assertThat(r.warnings()).singleElement().extracting(d -> d.message()).asString()
                .contains("JobStatus T (Completed successfully) and 1 error")
                .contains("Could not stat \"" + missing + "\": ERR=No such file or directory")
                .contains("Backup OK -- with warnings");
        System.out.println("[bacula-it] backup with a warning: " + r.warnings().get(0).message());
    }

    @Test
    void theRescueServiceStartsTheFileDaemonIsReadyAndStops() throws Exception {
        // a second file daemon on its own port, from a bacula-fd.conf as a live system has it
        Path conf = Files.createDirectories(work.resolve("svc/conf"));
        Path wd = Files.createDirectories(work.resolve("svc/working"));
        Path pids = Files.createDirectories(work.resolve("svc/run"));
        Files.writeString(conf.resolve("bacula-fd.conf"), Files.readString(bacula.confDir().resolve("bacula-fd.conf"))
                .replace("FDport = " + BaculaLoopback.FD_PORT, "FDport = 19112")
                .replace(bacula.root().resolve("fd").toString(), wd.toString()).replace(bacula.root().resolve("run").toString(), pids.toString()));
        Files.copy(bacula.bconsoleConf(), conf.resolve("bconsole.conf"));
        RescueRequirements r = provider.rescueRequirements(context(ProviderSettings.builder().set("BACULA_CONF_DIR", conf.toString()).build()));
        assertThat(r.files()).extracting(RescueRequirements.RescuePath::path).contains(conf.resolve("bacula-fd.conf").toString(),
                conf.resolve("bconsole.conf").toString());
        assertThat(r.directories()).extracting(RescueRequirements.RescuePath::path).contains(wd.toString(), pids.toString());
        assertThat(r.programs()).contains("/usr/sbin/bacula-fd", "/usr/sbin/bconsole", "/usr/sbin/bextract");
        assertThat(r.libraryDirectories()).contains("/usr/lib/bacula");
        RescueRequirements.RescueService fd = r.services().get(0);
        assertThat(fd.name()).isEqualTo("bacula-fd");
        assertThat(exit(fd.readinessCheck())).as("nothing listens before the start").isNotZero();
        try {
            long t0 = System.nanoTime();
            assertThat(exit(fd.start())).as("bacula-fd daemonizes with exit code 0").isZero();
            int polls = 0;
            while (exit(fd.readinessCheck()) != 0) {
                assertThat(++polls).as("readiness within %s", fd.readinessTimeout()).isLessThan(100);
                Thread.sleep(100);
            }
            System.out.println("[bacula-it] rescue service bacula-fd ready after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(pids.resolve("bacula-fd.19112.pid")).exists();
        } finally {
            assertThat(exit(fd.stop())).isZero();
        }
        for (int i = 0; i < 50 && exit(fd.readinessCheck()) == 0; i++) {
            Thread.sleep(100);
        }
        assertThat(exit(fd.readinessCheck())).as("the port is closed after the stop").isNotZero();
    }

    private static int exit(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
