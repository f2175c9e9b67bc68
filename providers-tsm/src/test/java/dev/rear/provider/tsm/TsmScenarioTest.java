package dev.rear.provider.tsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.Progress;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestorePoint;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.MutableClock;
import dev.rear.testkit.ProcessRunner;
import dev.rear.testkit.TreeSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a 3 a.m. administrator meets, against the dsmc simulator: a machine with the filespaces
 * {@code /}, {@code /home}, {@code /srv/data with blanks} and {@code /scratch} (the last not part of
 * the recreated layout), backed up with {@code dsmc incremental}, then restored — completely, as of
 * a point in time, with skipped files (rc 4), warnings (rc 8), a hard failure (rc 12), an expired or
 * missing password, an unreachable server and a dsmc that hangs. Each test asserts the verdict and
 * the words the administrator reads.
 */
class TsmScenarioTest {

    static final Instant T1 = Instant.parse("2030-03-01T02:00:00Z");

    @TempDir
    Path dir;

    DsmcSimulator sim;
    MutableClock clock;
    ProcessRunner runner;
    Path source;
    Path target;
    Path mountinfo;
    int contexts;

    @BeforeEach
    void machine() throws IOException {
        sim = DsmcSimulator.in(dir.resolve("sim")).storePassword(DsmcSimulator.PASSWORD);
        Files.writeString(sim.server.resolve("client-mounts"), "/home\n/srv/data with blanks\n/scratch\n");
        clock = new MutableClock(T1);
        runner = new ProcessRunner(() -> DsmcSimulator.environment(clock.instant()));
        source = Files.createDirectories(dir.resolve("live"));
        write("etc/hostname", "db01\n");
        write("etc/fstab", "/dev/vg/root / ext4 defaults 0 1\n");
        write("home/alice/notes.txt", "alice's notes\n");
        write("home/alice/locked.db", "a database in use\n");
        write("home/bob/.profile", "export EDITOR=vi\n");
        write("srv/data with blanks/report 2030.csv", "a,b\n1,2\n");
        write("scratch/tmpfile", "not in the layout\n");
        target = Files.createDirectories(dir.resolve("mnt/local"));
        for (String mp : List.of("home", "srv/data with blanks")) {
            Files.createDirectories(target.resolve(mp));
        }
        mountinfo = dir.resolve("mountinfo");
        String t = target.toString();
        Files.writeString(mountinfo, String.join("\n",
                "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
                "101 22 7:0 / " + t + " rw,relatime - ext4 /dev/mapper/vg-root rw",
                "102 101 7:1 / " + t + "/home rw,relatime - xfs /dev/mapper/vg-home rw",
                "103 101 7:2 / " + t.replace(" ", "\\040") + "/srv/data\\040with\\040blanks rw,relatime - ext4 /dev/sdb1 rw", ""));
    }

    private void write(String rel, String content) throws IOException {
        Path p = source.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2030-02-01T00:00:00Z")));
    }

    private TsmBackupProvider provider() {
        return new TsmBackupProvider(mountinfo);
    }

    private FakeProviderContext context(ProviderSettings settings, Consumer<FakeProviderContext.Builder> adjust) {
        FakeProviderContext.Builder b = FakeProviderContext.builder(dir.resolve("tmp-" + (++contexts))).settings(settings
                .withSecrets(List.of(TsmSettings.NODE_PASSWORD))).commands(runner).clock(clock);
        adjust.accept(b);
        return b.build();
    }

    private FakeProviderContext context() {
        return context(sim.settings(), b -> { });
    }

    private BackupResult backup() {
        BackupResult r = provider().backup(new BackupRequest(BackupKind.FULL, source, List.of("/", "/home", "/srv/data with blanks", "/scratch"),
                List.of(), null), context());
        clock.advance(Duration.ofHours(1));
        return r;
    }

    private List<String> restoreCommands() {
        return displayed().stream().filter(c -> c.contains(" restore ")).toList();
    }

    /** The commands run, without the -errorlogname= every dsmc call gets (into the operation's temporary directory). */
    private List<String> displayed() {
        return runner.displayed().stream().map(c -> c.replaceAll(" -errorlogname=\\S+", "")).toList();
    }

    @Test
    void restoresTheFilespacesOfTheRecreatedLayoutRootFirst() throws IOException {
        BackupResult b = backup();
        assertThat(b.restorePointId()).isEqualTo("2030-03-01T02:00:00");
        assertThat(displayed()).anyMatch(c -> c.endsWith("incremental -tapeprompt=no -snapshotroot=" + source + "/home /home"));

        FakeProviderContext ctx = context();
        RestoreResult r = provider().restore(RestoreRequest.everything(target), ctx);

        assertThat(r.restoredPaths()).containsExactly("/", "/home", "/srv/data with blanks");
        assertThat(r.restorePointId()).isEqualTo(b.restorePointId());
        String dsmc = sim.clientDir.resolve("dsmc").toString();
        assertThat(restoreCommands()).containsExactly(
                dsmc + " restore /* " + target + "/ -subdir=yes -replace=all -tapeprompt=no",
                dsmc + " restore /home/* " + target + "/home/ -subdir=yes -replace=all -tapeprompt=no",
                dsmc + " restore '/srv/data with blanks/*' '" + target + "/srv/data with blanks/' -subdir=yes -replace=all -tapeprompt=no");
        TreeSnapshot expected = TreeSnapshot.of(source).without("scratch/tmpfile");
        assertThat(expected.differencesIn(TreeSnapshot.of(target))).isEmpty();
        assertThat(target.resolve("scratch/tmpfile")).doesNotExist();
        assertThat(ctx.log().lines()).anyMatch(l -> l.contains("filespace /scratch is not restored") && l.contains("TSM_FILESPACES"));
        assertThat(ctx.progress().phases()).contains("restoring / (1 of 3)", "restoring /home (2 of 3)", "restoring /srv/data with blanks (3 of 3)");
        assertThat(r.files()).isPositive();
        assertThat(r.bytes()).isPositive();
        assertThat(ctx.progress().reports()).extracting(Progress::bytesDone).isSorted();
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void tsmFilespacesChoosesTheFilespacesAndTheirOrderAndRestoreOptionsAreAppended() throws IOException {
        backup();
        ProviderSettings s = sim.settings().with(TsmSettings.FILESPACES, "/home", "/scratch")
                .with(TsmSettings.RESTORE_OPTIONS, "-verbose");
        RestoreResult r = provider().restore(RestoreRequest.everything(target), context(s, b -> { }));
        assertThat(r.restoredPaths()).containsExactly("/home", "/scratch");
        assertThat(restoreCommands()).allMatch(c -> c.endsWith("-subdir=yes -replace=all -tapeprompt=no -verbose"));
        assertThat(target.resolve("scratch/tmpfile")).hasContent("not in the layout");
        assertThat(target.resolve("etc/hostname")).doesNotExist();

        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target)
                .withOverwrite(dev.rear.api.spi.OverwritePolicy.OVERWRITE), context(sim.settings().with(TsmSettings.FILESPACES, "/opt"),
                b -> { })), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("TSM_FILESPACES names /opt").contains("/srv/data with blanks");
    }

    @Test
    void pointInTimeRestoresTheOlderVersionsAndLeavesOutLaterFiles() throws IOException {
        BackupResult first = backup();
        write("etc/hostname", "db01-renamed\n");
        write("home/alice/added-later.txt", "new\n");
        BackupResult second = backup();
        assertThat(second.restorePointId()).isEqualTo("2030-03-01T03:00:00");

        List<RestorePoint> points = provider().listRestorePoints(context());
        assertThat(points).extracting(RestorePoint::id).containsExactly(first.restorePointId(), second.restorePointId());
        assertThat(points.get(1).paths()).contains("/", "/home");

        RestoreResult r = provider().restore(RestoreRequest.everything(target).from(RestorePointSelector.asOf(T1.plus(Duration.ofMinutes(30)))),
                context());
        assertThat(r.restorePointId()).isEqualTo(first.restorePointId());
        assertThat(restoreCommands()).allMatch(c -> c.contains("-dateformat=5 -pitdate=2030.03.01 -pittime=02:00:00"));
        assertThat(target.resolve("etc/hostname")).hasContent("db01");
        assertThat(target.resolve("home/alice/added-later.txt")).doesNotExist();
        assertThat(target.resolve("home/alice/notes.txt")).hasContent("alice's notes");
    }

    @Test
    void pointInTimeFromTheSettingsAndBeforeAnyBackup() throws IOException {
        backup();
        write("etc/hostname", "db01-renamed\n");
        backup();
        ProviderSettings s = sim.settings().with(TsmSettings.PIT_DATE, "2030-03-01").with(TsmSettings.PIT_TIME, "02:30:00");
        RestoreResult r = provider().restore(RestoreRequest.everything(target), context(s, b -> { }));
        assertThat(r.restorePointId()).isEqualTo("2030-03-01T02:00:00");
        assertThat(target.resolve("etc/hostname")).hasContent("db01");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(empty),
                context(sim.settings().with(TsmSettings.PIT_DATE, "2030-02-28"), b -> { })), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("no backup of").contains("as of 2030-02-28T23:59:59").contains("TSM_RESTORE_PIT_DATE")
                .contains("the oldest restore point is 2030-03-01T02:00:00");
    }

    @Test
    void theRestorePointThePreFlightVerifiedIsTheOneRestored() throws IOException {
        backup();
        // a later incremental of a filespace outside the recreated layout makes the node's newest point
        provider().backup(new BackupRequest(BackupKind.FULL, source, List.of("/scratch"), List.of(), null), context());
        clock.advance(Duration.ofMinutes(5));
        VerifyResult v = provider().verify(VerifyRequest.latest(), context());
        assertThat(v.restorePointId()).isEqualTo("2030-03-01T03:00:00");

        RestoreResult r = provider().restore(RestoreRequest.everything(target).from(RestorePointSelector.byId(v.restorePointId())), context());
        assertThat(r.restorePointId()).isEqualTo(v.restorePointId());
        assertThat(r.restoredPaths()).containsExactly("/", "/home", "/srv/data with blanks");
        assertThat(restoreCommands()).noneMatch(c -> c.contains("-pitdate"));

        Path other = Files.createDirectories(dir.resolve("other"));
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(other)
                .from(RestorePointSelector.byId("2031-01-01T00:00:00")), context()), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("that time has not come yet");
    }

    @Test
    void someFilesSkippedIsAWarningWithTheCountAndTheMessages() throws IOException {
        backup();
        sim.fault("restore", "FAULT_FILESPACE=/home", "FAULT_RC=4",
                "FAULT_SKIP=" + DsmcSimulator.array(List.of("/home/alice/locked.db", "/home/bob/.profile")),
                "FAULT_MESSAGES=" + DsmcSimulator.array(List.of(
                        "ANS4037E Object '/home/alice/locked.db' changed during processing. Object skipped.",
                        "ANS4037E Object '/home/bob/.profile' changed during processing. Object skipped.")));
        FakeProviderContext ctx = context();
        RestoreResult r = provider().restore(RestoreRequest.everything(target), ctx);

        assertThat(r.restoredPaths()).containsExactly("/", "/home", "/srv/data with blanks");
        assertThat(r.warnings()).extracting(Diagnostic::message).containsExactly("TSM restore of /home finished with rc 4: 2 files not"
                + " restored (ANS4037E Object '/home/alice/locked.db' changed during processing. Object skipped.; ANS4037E Object"
                + " '/home/bob/.profile' changed during processing. Object skipped.); see the log");
        assertThat(target.resolve("home/alice/locked.db")).doesNotExist();
        assertThat(target.resolve("home/alice/notes.txt")).hasContent("alice's notes");
        assertThat(target.resolve("srv/data with blanks/report 2030.csv")).exists();
        assertThat(ctx.log().lines()).anyMatch(l -> l.contains("ANS4037E Object '/home/alice/locked.db'"));
    }

    @Test
    void aWarningIsAWarningResult() throws IOException {
        backup();
        sim.fault("restore", "FAULT_FILESPACE=/", "FAULT_RC=8",
                "FAULT_MESSAGES=( 'ANS1115W File '\\''/etc/fstab'\\'' excluded by Include/Exclude list' )");
        RestoreResult r = provider().restore(RestoreRequest.everything(target), context());
        assertThat(r.warnings()).extracting(Diagnostic::message).containsExactly("TSM restore of / finished with rc 8, at least one warning"
                + " (ANS1115W File '/etc/fstab' excluded by Include/Exclude list); see the log");
        assertThat(r.restoredPaths()).hasSize(3);
    }

    @Test
    void aHardFailureStopsNamingTheCommandRcMessagesAndWhatIsLeft() throws IOException {
        backup();
        sim.fault("restore", "FAULT_FILESPACE=/home", "FAULT_RC=12",
                "FAULT_MESSAGES=( 'ANS1312E Server media mount not possible' )");
        FakeProviderContext ctx = context();
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target), ctx),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).startsWith("TSM restore of /home failed: '" + sim.clientDir.resolve("dsmc") + " restore /home/* ")
                .contains(" -errorlogname=")
                .contains("exited with rc 12 (ANS1312E Server media mount not possible)")
                .endsWith("restored before: /; not restored: /home, /srv/data with blanks");
        assertThat(target.resolve("etc/hostname")).exists();
        assertThat(target.resolve("home/alice/notes.txt")).doesNotExist();
        assertThat(runner.displayed()).allMatch(c -> c.contains(" -errorlogname=" + dir.resolve("tmp-")));
        assertThat(ctx.log().lines()).anyMatch(l -> l.startsWith("DEBUG dsmc restore of /home error log: ") && l.endsWith("ANS1312E Server media mount not possible"));
    }

    @Test
    void aFilespaceMissingOnTheServerIsAnErrorWithAns4000e() throws IOException {
        backup();
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target).onlyPaths(List.of("/home/carol")),
                context()), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).contains("rc 12").contains("ANS1302E No objects on server match query");
    }

    @Test
    void anExpiredPasswordIsRefusedWithWhatToDoAndNothingIsAsked() throws IOException {
        backup();
        sim.expire();
        FakeProviderContext ctx = context(sim.settings(), b -> b.answer("never used"));
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target), ctx), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("TSM node password has expired on server tsmsrv1 (tsm-server.example:1500)")
                .contains("ANS1352E Session rejected: Your password has expired.").contains("UPDATE NODE");
        assertThat(ctx.questions()).isEmpty();
        assertThat(restoreCommands()).isEmpty();
        assertThat(TreeSnapshot.of(target).entries().values()).allMatch(x -> x.type().equals("dir"));
    }

    @Test
    void withoutAPasswordFileTheNodePasswordIsAskedAndNeverShown() throws IOException {
        backup();
        Files.delete(sim.passwordDir.resolve("TSM.KDB"));
        FakeProviderContext ctx = context(sim.settings(), b -> b.answer(DsmcSimulator.PASSWORD));
        RestoreResult r = provider().restore(RestoreRequest.everything(target), ctx);
        assertThat(r.restoredPaths()).hasSize(3);
        assertThat(ctx.questions()).singleElement().asString().contains("TSM node password for server tsmsrv1 (tsm-server.example:1500)");
        assertThat(runner.displayed()).noneMatch(c -> c.contains(DsmcSimulator.PASSWORD));
        assertThat(restoreCommands()).allMatch(c -> c.endsWith(" -tapeprompt=no ***"));
        assertThat(ctx.log().lines()).noneMatch(l -> l.contains(DsmcSimulator.PASSWORD));
        // passwordaccess generate ignores -password=: dsmc ran on a copy of dsm.sys saying prompt, the site's file untouched
        assertThat(runner.specs().get(runner.specs().size() - 1).extraEnv().get("DSM_DIR")).startsWith(ctx.tempDirectory().toString());
        assertThat(Files.readString(ctx.tempDirectory().resolve("dsm-dir/dsm.sys"))).contains("passwordaccess prompt")
                .doesNotContain("generate");
        assertThat(Files.readString(sim.clientDir.resolve("dsm.sys"))).contains("passwordaccess        generate");
    }

    @Test
    void withoutAPasswordFileAndNobodyToAskTheRefusalSaysHowToFixIt() throws IOException {
        backup();
        Files.delete(sim.passwordDir.resolve("TSM.KDB"));
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target), context()),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("ANS1503E Valid password not available for server 'TSMSRV1'")
                .contains("TSM_NODE_PASSWORD").contains("TSM_RESCUE_PASSWORD_FILES=yes");
    }

    @Test
    void aWrongTypedPasswordIsRefused() throws IOException {
        backup();
        Files.delete(sim.passwordDir.resolve("TSM.KDB"));
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target),
                context(sim.settings(), b -> b.answer("wrong-password"))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("refused the node password that was typed (ANS1025E Session rejected: Authentication failure)")
                .doesNotContain("wrong-password");
    }

    @Test
    void anUnreachableServerNamesTheAddressToCheck() throws IOException {
        sim.down();
        ProviderException e = catchThrowableOfType(() -> provider().verify(VerifyRequest.latest(), context()), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("TSM server tsmsrv1 (tsm-server.example:1500) cannot be reached")
                .contains("ANS1017E Session rejected: TCP/IP connection failure.").contains("TCPServeraddress");
    }

    @Test
    void aDsmcThatHangsIsKilledAtTheTimeoutAndReported() throws IOException {
        backup();
        sim.fault("restore", "FAULT_FILESPACE=/home", "FAULT_HANG=60");
        ProviderSettings s = sim.settings().with(TsmSettings.RESTORE_TIMEOUT, "2");
        long t0 = System.nanoTime();
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target), context(s, b -> { })),
                ProviderException.class);
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMED_OUT);
        assertThat(e.getMessage()).startsWith("dsmc restore of /home did not finish within 2 s and was killed (TSM_RESTORE_TIMEOUT=2 s)")
                .contains("restored before: /; not restored: /home, /srv/data with blanks");
        assertThat(seconds).as("seconds until the hanging dsmc was given up").isLessThan(30);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(sim.server.toString())))
                .as("simulator processes left running").isEmpty();
    }

    @Test
    void theOperationsDeadlineAlsoStopsAHangingDsmc() throws IOException {
        backup();
        sim.fault("restore", "FAULT_FILESPACE=/", "FAULT_HANG=60");
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target),
                context(sim.settings(), b -> b.deadline(Duration.ofSeconds(2)))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMED_OUT);
        assertThat(e.getMessage()).startsWith("dsmc restore of / did not finish within 2 s and was killed (the operation's deadline)");
    }

    @Test
    void aKilledDsmcIsAFailureNamingItsExitCode() throws IOException {
        backup();
        sim.fault("restore", "FAULT_FILESPACE=/home", "FAULT_SIGNAL=KILL");
        ProviderException e = catchThrowableOfType(() -> provider().restore(RestoreRequest.everything(target), context()),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).contains("restore /home/* ").contains("failed with exit code 137, which is not a dsmc return code")
                .endsWith("restored before: /; not restored: /home, /srv/data with blanks");
    }

    @Test
    void backupExcludesAreReportedAsNotAppliedAndSymlinkedOptionFilesAreCarried() throws IOException {
        BackupResult b = provider().backup(new BackupRequest(BackupKind.FULL, source, List.of("/"), List.of("/tmp/*", "*.cache"), null),
                context());
        assertThat(b.warnings()).extracting(Diagnostic::message).containsExactly("TSM backs up by its own include-exclude list (INCLEXCL in"
                + " dsm.sys); these patterns were not applied: /tmp/* *.cache");
        assertThat(b.facts()).containsEntry("dsmcExitCodes", "0");

        Path real = Files.createDirectories(dir.resolve("site-config")).resolve("dsm.opt");
        Files.move(sim.clientDir.resolve("dsm.opt"), real);
        Files.createSymbolicLink(sim.clientDir.resolve("dsm.opt"), real);
        RescueRequirements r = provider().rescueRequirements(context());
        assertThat(r.files()).extracting(RescueRequirements.RescuePath::path).contains(sim.clientDir + "/dsm.opt", real.toString());
    }

    @Test
    void verifyChecksTheCatalogOfEachFilespace() throws IOException {
        BackupResult b = backup();
        VerifyResult v = provider().verify(VerifyRequest.latest(), context());
        assertThat(v.ok()).isTrue();
        assertThat(v.depth()).isEqualTo(VerifyResult.Depth.CATALOG);
        assertThat(v.restorePointId()).isEqualTo(b.restorePointId());
        assertThat(Long.parseLong(v.facts().get("objectsListed"))).isPositive();

        VerifyResult missing = provider().verify(VerifyRequest.latest(), context(sim.settings().with(TsmSettings.FILESPACES, "/", "/opt"), x -> { }));
        assertThat(missing.ok()).isFalse();
        assertThat(missing.findings()).extracting(Diagnostic::message).anyMatch(m -> m.contains("has no filespace /opt"));
    }

    @Test
    void aFailedBackupIsAnErrorAndIncrementalKindsAreExplained() throws IOException {
        sim.fault("incremental", "FAULT_FILESPACE=/home", "FAULT_RC=12", "FAULT_MESSAGES=( 'ANS1311E Server out of data storage space' )");
        ProviderException e = catchThrowableOfType(() -> backup(), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).startsWith("TSM backup of /home failed").contains("rc 12 (ANS1311E Server out of data storage space)");

        ProviderException inc = catchThrowableOfType(() -> provider().backup(BackupRequest.full(source).withKind(BackupKind.INCREMENTAL),
                context()), ProviderException.class);
        assertThat(inc.kind()).isEqualTo(ProviderException.Kind.UNSUPPORTED);
        assertThat(inc.getMessage()).contains("leave BACKUP_TYPE unset");
    }

    @Test
    void rescueRequirementsLeaveThePasswordStoreOutUnlessAskedTo() throws IOException {
        RescueRequirements r = provider().rescueRequirements(context());
        String client = sim.clientDir.toString();
        assertThat(r.programs()).containsExactly(client + "/dsmc");
        assertThat(r.files()).extracting(RescueRequirements.RescuePath::path).contains(client + "/dsm.sys", client + "/dsm.opt");
        assertThat(r.secretItems()).contains(sim.passwordDir + "/TSM.KDB", sim.passwordDir + "/TSM.sth", sim.passwordDir + "/TSM.IDX",
                sim.passwordDir + "/TSM.PWD");
        assertThat(r.environment()).contains(new RescueRequirements.RescueVariable("DSM_DIR", client, false));
        assertThat(r.libraryDirectories()).contains("/opt/tivoli/tsm/client/api/bin64");

        RescueRequirements carried = provider().rescueRequirements(context(sim.settings().with(TsmSettings.PASSWORD_FILES, "yes"), b -> { }));
        assertThat(carried.secretItems()).isEmpty();
        assertThat(carried.files()).extracting(RescueRequirements.RescuePath::path).contains(sim.passwordDir + "/TSM.KDB");
    }
}
