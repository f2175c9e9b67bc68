package dev.rear.provider.galaxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.MutableClock;
import dev.rear.testkit.RecordingCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores against the simulated CommServe, each scenario ending with the verdict and the message
 * an administrator would need: the latest backup, a point in time, "Completed w/ one or more
 * errors", a failed job, a session that expires (once, and again), a job past the timeout (killed),
 * a job pending with a failure reason (killed), the password asked at the console, a wrong password.
 */
class GalaxyScenarioTest {

    private static final String OLD_END = "2029/12/30 21:14:40";
    private static final String NEW_END = "2029/12/31 21:12:09";

    @TempDir
    Path dir;

    private GalaxySimulator sim;
    private RecordingCommandRunner runner;
    private Path target;
    private final MutableClock clock = new MutableClock(FakeProviderContext.DEFAULT_START);
    private int contexts;

    @BeforeEach
    void commServeWithTwoBackups() throws IOException {
        sim = GalaxySimulator.install(dir.resolve("sim"));
        Path old = sim.backupJob("4101", "2029/12/30 21:00:05", OLD_END);
        Files.createDirectories(old.resolve("etc"));
        Files.writeString(old.resolve("etc/hostname"), "testhost-before\n");
        Files.writeString(old.resolve("etc/fstab"), "UUID=1 / ext4 defaults 0 1\n");
        Path newer = sim.backupJob("4117", "2029/12/31 21:00:03", NEW_END);
        Files.createDirectories(newer.resolve("etc"));
        Files.createDirectories(newer.resolve("home/alice"));
        Files.writeString(newer.resolve("etc/hostname"), "testhost\n");
        Files.writeString(newer.resolve("etc/fstab"), "UUID=1 / ext4 defaults 0 1\n");
        Files.writeString(newer.resolve("home/alice/notes.txt"), "written on the 31st\n");
        sim.backupJob("4120", "Failed", "2030/01/01 21:00:00", "2030/01/01 21:00:30");
        runner = sim.runner();
        target = Files.createDirectories(dir.resolve("mnt/local"));
    }

    private FakeProviderContext context(ProviderSettings settings, Consumer<FakeProviderContext.Builder> adjust) {
        FakeProviderContext.Builder b = FakeProviderContext.builder(dir.resolve("tmp-" + (++contexts))).settings(settings)
                .commands(runner).clock(clock);
        adjust.accept(b);
        return b.build();
    }

    private FakeProviderContext context(ProviderSettings settings) {
        return context(settings, b -> { });
    }

    private ProviderSettings settings() {
        return sim.settings().build();
    }

    private long count(String program) {
        return runner.commands().stream().filter(c -> c.program().endsWith("/" + program)).count();
    }

    private void assertNoPasswordAnywhere(FakeProviderContext ctx, String... messages) throws IOException {
        assertThat(ctx.leakedSecrets()).isEmpty();
        assertThat(runner.displayed()).noneMatch(l -> l.contains(GalaxySimulator.PASSWORD));
        assertThat(sim.calls()).noneMatch(l -> l.contains(GalaxySimulator.PASSWORD));
        assertThat(List.of(messages)).noneMatch(m -> m.contains(GalaxySimulator.PASSWORD));
    }

    @Test
    void restoreOfTheLatestBackupCopiesItIntoTheTargetRootAndLogsOut() throws IOException {
        FakeProviderContext ctx = context(settings());
        RestoreResult r = new GalaxyBackupProvider().restore(RestoreRequest.everything(target), ctx);

        assertThat(target.resolve("etc/hostname")).hasContent("testhost");
        assertThat(target.resolve("home/alice/notes.txt")).hasContent("written on the 31st");
        assertThat(r.restorePointId()).isEqualTo("4117");
        assertThat(r.restorePointTime()).isEqualTo(LocalDateTime.of(2029, 12, 31, 21, 12, 9).atZone(ZoneId.systemDefault()).toInstant());
        assertThat(r.warnings()).isEmpty();
        assertThat(r.facts()).containsEntry("jobId", "31900347").containsEntry("backupSet", "defaultBackupSet").containsEntry("client", "testhost")
                .containsEntry("jobStatus", "Completed").doesNotContainKey("browseTo");

        String request = sim.request("31900347");
        assertThat(request).isEqualTo("[sourceclient]\ntesthost\n[level]\n1\n[options]\nQR_PRESERVE_LEVEL\nQR_DO_NOT_OVERWRITE_FILE_ON_DISK\n"
                + "[dataagent]\nQ_LINUX_FS\n[backupset]\ndefaultBackupSet\n[sourcepaths]\n/\n[destinationpath]\n" + target + "\n");
        assertThat(sim.commserve.resolve("jobs/31900347/request.mode")).as("the argument file is the owner's only").hasContent("600");
        try (var files = Files.list(ctx.tempDirectory())) {
            assertThat(files).as("the argument file is removed after the restore").isEmpty();
        }
        assertThat(runner.displayed().get(0)).endsWith("qlist backupset -c testhost -a Q_LINUX_FS");
        assertThat(runner.displayed()).anyMatch(l -> l.endsWith("qlogin -cs commserv.example.test -u rear-restore -clp ***"));
        assertThat(runner.displayed().get(runner.displayed().size() - 1)).endsWith("qlogout");
        assertThat(sim.sessions()).as("logged out").isEmpty();
        assertThat(ctx.progress().phases()).anyMatch(p -> p.contains("job 31900347: Running"));
        assertThat(ctx.pauses()).contains(GalaxySettings.DEFAULT_POLL_INTERVAL);
        assertThat(target.resolve(sim.base.toString().substring(1)).resolve("certificates/client.crt"))
                .as("the agent's certificates carried into the restored system").exists();
        assertThat(target.resolve(sim.root.toString().substring(1)).resolve("iDataAgent/jobResults")).isDirectory();
        assertNoPasswordAnywhere(ctx);
    }

    @Test
    void pointInTimeRestoresTheOlderTreeBrowsingToItsEndTime() throws IOException {
        var between = LocalDateTime.of(2029, 12, 31, 12, 0).atZone(ZoneId.systemDefault()).toInstant();
        RestoreResult r = new GalaxyBackupProvider().restore(RestoreRequest.everything(target).from(RestorePointSelector.asOf(between)),
                context(settings()));
        assertThat(r.restorePointId()).isEqualTo("4101");
        assertThat(r.facts()).containsEntry("browseTo", OLD_END);
        assertThat(target.resolve("etc/hostname")).hasContent("testhost-before");
        assertThat(target.resolve("home/alice/notes.txt")).doesNotExist();
        assertThat(sim.request("31900347")).contains("QR_RECOVER_POINT_IN_TIME\n").endsWith("[browseto]\n" + OLD_END + "\n");
    }

    @Test
    void pitRecoveryIndexOneIsTheSecondNewestJobAsInReaR() throws IOException {
        RestoreResult r = new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings().with(GalaxySettings.PIT_RECOVERY, "1")));
        assertThat(r.restorePointId()).isEqualTo("4101");
        assertThat(target.resolve("etc/hostname")).hasContent("testhost-before");
        assertThat(sim.request("31900347")).endsWith("[browseto]\n" + OLD_END + "\n");
    }

    @Test
    void pitRecoveryThatIsNoJobsEndTimeIsRefusedNamingTheSettingAndTheTimes() {
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings().with(GalaxySettings.PIT_RECOVERY, "2029/12/31 00:00:00"))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(e.getMessage()).contains("GALAXY11_PIT_RECOVERY=2029/12/31 00:00:00", OLD_END, NEW_END);
        assertThat(count("qoperation")).isZero();
    }

    @Test
    void completedWithErrorsIsAWarningNamingTheReason() throws IOException {
        sim.nextRestore("Pending;Running;Completed w/ one or more errors|4294967295|4294967295 -> Failed to restore 1 file(s):"
                + " [/etc/shadow] Permission denied");
        RestoreResult r = new GalaxyBackupProvider().restore(RestoreRequest.everything(target), context(settings()));
        assertThat(r.warnings()).hasSize(1);
        Diagnostic w = r.warnings().get(0);
        assertThat(w.severity()).isEqualTo(Diagnostic.Severity.WARNING);
        assertThat(w.message()).contains("Commvault restore job 31900347 ended 'Completed w/ one or more errors'",
                "Failed to restore 1 file(s): [/etc/shadow] Permission denied", "qlist job -j 31900347");
        assertThat(r.facts()).containsEntry("jobStatus", "Completed w/ one or more errors");
        assertThat(target.resolve("etc/hostname")).hasContent("testhost");
    }

    @Test
    void aFailedJobIsAnErrorWithItsReasonAndStillLogsOut() throws IOException {
        sim.nextRestore("Pending;Running;Failed|402653226|402653226 -> Cannot start restore program on host [testhost*testhost*8400*8402]"
                + " - a network error occurred or the product's services are not running.");
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings())), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).contains("Commvault restore job 31900347", "ended 'Failed'", "Cannot start restore program",
                "the product's services are not running", target + " holds at most a partial restore");
        assertThat(count("qlogout")).isEqualTo(1);
        assertThat(sim.sessions()).isEmpty();
        assertThat(sim.killed("31900347")).as("a failed job is not killed").isFalse();
    }

    @Test
    void aSessionThatExpiresWhileWaitingIsRenewedOnce() throws IOException {
        sim.sessionUses(3);
        FakeProviderContext ctx = context(settings());
        RestoreResult r = new GalaxyBackupProvider().restore(RestoreRequest.everything(target), ctx);
        assertThat(r.facts()).containsEntry("jobStatus", "Completed");
        assertThat(count("qlogin")).isEqualTo(2);
        assertThat(ctx.log().lines()).anyMatch(l -> l.contains("session to the CommServe commserv.example.test expired; logging in again"));
        assertThat(target.resolve("etc/hostname")).hasContent("testhost");
        assertNoPasswordAnywhere(ctx);
    }

    @Test
    void aSessionThatExpiresAgainIsAClearAuthenticationError() throws IOException {
        sim.sessionUses(1);
        FakeProviderContext ctx = context(settings());
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target), ctx),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("session to the CommServe commserv.example.test ended again", "Error 0x268: User not logged in",
                "QSDKSessionTimeout");
        assertThat(count("qlogin")).isEqualTo(2);
        assertNoPasswordAnywhere(ctx, e.getMessage());
    }

    @Test
    void aJobStillRunningAtTheTimeoutIsKilledAndSaysSo() throws IOException {
        sim.nextRestore("Pending;Running");
        FakeProviderContext ctx = context(settings().with(GalaxySettings.RESTORE_TIMEOUT, "300").with(GalaxySettings.POLL_INTERVAL, "60"));
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target), ctx),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMED_OUT);
        assertThat(e.getMessage()).contains("Commvault restore job 31900347 was still 'Running' after 5 min", "GALAXY11_RESTORE_TIMEOUT=300 s",
                "rear killed it with 'qoperation jobcontrol -o kill -j 31900347'");
        assertThat(sim.killed("31900347")).isTrue();
        assertThat(ctx.pauses()).hasSize(5).allMatch(d -> d.equals(Duration.ofSeconds(60)));
        assertThat(count("qlogout")).isEqualTo(1);
    }

    @Test
    void aJobPendingWithAFailureReasonIsKilledAsReaRDoes() throws IOException {
        sim.nextRestore("Pending;Pending|402653226|402653226 -> Cannot start restore program on host [testhost*testhost*8400*8402]");
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings())), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).contains("is 'Pending' with a failure reason", "Cannot start restore program", "rear killed it");
        assertThat(sim.killed("31900347")).isTrue();
    }

    @Test
    void cancellingWhileWaitingKillsTheJob() throws IOException {
        sim.nextRestore("Pending;Running");
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings(), b -> b.cancelAfterPauses(2))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.CANCELLED);
        assertThat(e.getMessage()).contains("waiting for Commvault restore job 31900347", "rear killed the job");
        assertThat(sim.killed("31900347")).isTrue();
    }

    @Test
    void withoutAPasswordSettingTheConsoleIsAskedAndTheAnswerNeverShown() throws IOException {
        FakeProviderContext ctx = context(settings().without(GalaxySettings.PASSWORD), b -> b.answer(GalaxySimulator.PASSWORD));
        new GalaxyBackupProvider().restore(RestoreRequest.everything(target), ctx);
        assertThat(ctx.questions()).containsExactly("Password of the Commvault user rear-restore on the CommServe commserv.example.test");
        assertThat(target.resolve("etc/hostname")).hasContent("testhost");
        assertThat(runner.displayed()).noneMatch(l -> l.contains(GalaxySimulator.PASSWORD));
    }

    @Test
    void unattendedWithoutAPasswordNamesTheSetting() {
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings().without(GalaxySettings.PASSWORD))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("no password to log in to the CommServe commserv.example.test as rear-restore", "GALAXY11_PASSWORD");
        assertThat(count("qoperation")).isZero();
    }

    @Test
    void aWrongPasswordIsRefusedWithQloginsWordsAndNotTheWrongPassword() throws IOException {
        String wrong = "not-the-Password";
        ProviderSettings s = sim.settings().secret(GalaxySettings.PASSWORD, wrong).build();
        FakeProviderContext ctx = context(s);
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target), ctx),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("qlogin as rear-restore to the CommServe commserv.example.test failed with exit code 2",
                "qlogin: Error 0x10d: Invalid Commcell user name or password", "GALAXY11_PASSWORD").doesNotContain(wrong);
        assertThat(ctx.leakedSecrets()).isEmpty();
        assertThat(count("qoperation")).isZero();
    }

    @Test
    void anUnknownBackupSetIsNotFoundListingTheClientsSets() {
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings().with(GalaxySettings.BACKUPSET, "weekly"))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("client testhost has no backup set 'weekly' (GALAXY11_BACKUPSET); it has defaultBackupSet");
    }

    @Test
    void anUnknownClientIsNotFoundWithTheCommServesWords() {
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings().with(GalaxySettings.CLIENT, "otherhost"))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("client otherhost", "Client [otherhost] not found");
    }

    @Test
    void severalBackupSetsAreAskedForAndUnattendedNamesTheSetting() throws IOException {
        sim.backupSet(GalaxySimulator.CLIENT, "weekly");
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().listRestorePoints(context(settings())),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(e.getMessage()).contains("2 backup sets (defaultBackupSet, weekly)", "set GALAXY11_BACKUPSET");
        FakeProviderContext ctx = context(settings(), b -> b.answer("defaultBackupSet"));
        assertThat(new GalaxyBackupProvider().listRestorePoints(ctx)).extracting(p -> p.id()).containsExactly("4101", "4117");
        assertThat(ctx.questions()).singleElement().asString().contains("defaultBackupSet, weekly");
    }

    @Test
    void overwriteReplacesFilesOnDiskAndOmitsReaRsDoNotOverwriteOption() throws IOException {
        Files.createDirectories(target.resolve("etc"));
        Files.writeString(target.resolve("etc/hostname"), "left from before\n");
        Files.writeString(target.resolve("stray.txt"), "not in the backup\n");
        new GalaxyBackupProvider().restore(RestoreRequest.everything(target).withOverwrite(dev.rear.api.spi.OverwritePolicy.OVERWRITE),
                context(settings()));
        assertThat(target.resolve("etc/hostname")).hasContent("testhost");
        assertThat(target.resolve("stray.txt")).hasContent("not in the backup");
        assertThat(sim.request("31900347")).doesNotContain("QR_DO_NOT_OVERWRITE_FILE_ON_DISK");
    }

    @Test
    void aSessionAlreadyThereIsUsedAndLeftAlone() throws Exception {
        Process login = new ProcessBuilder(sim.base.resolve("qlogin").toString(), "-u", GalaxySimulator.USER, "-clp", GalaxySimulator.PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(login.waitFor()).isZero();
        FakeProviderContext ctx = context(settings().without(GalaxySettings.USER).without(GalaxySettings.PASSWORD));
        new GalaxyBackupProvider().restore(RestoreRequest.everything(target), ctx);
        assertThat(target.resolve("etc/hostname")).hasContent("testhost");
        assertThat(count("qlogin")).isZero();
        assertThat(count("qlogout")).as("someone else's session is not ended").isZero();
        assertThat(sim.sessions()).hasSize(1);
    }

    @Test
    void notLoggedInAndNoUserNamesBothSettings() {
        ProviderException e = catchThrowableOfType(() -> new GalaxyBackupProvider().restore(RestoreRequest.everything(target),
                context(settings().without(GalaxySettings.USER).without(GalaxySettings.PASSWORD))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("not logged in to the CommServe commserv.example.test and GALAXY11_USER is not set",
                "set GALAXY11_USER and GALAXY11_PASSWORD");
    }

    @Test
    void verifyResolvesThePointInTimeAsRestoreDoesSoRecoverKeepsIt() throws IOException {
        ProviderSettings s = settings().with(GalaxySettings.PIT_RECOVERY, OLD_END);
        dev.rear.api.spi.VerifyResult v = new GalaxyBackupProvider().verify(dev.rear.api.spi.VerifyRequest.latest(), context(s));
        assertThat(v.ok()).isTrue();
        assertThat(v.restorePointId()).isEqualTo("4101");
        assertThat(v.depth()).isEqualTo(dev.rear.api.spi.VerifyResult.Depth.CATALOG);
        assertThat(v.facts()).containsEntry("browseTo", OLD_END);
        assertThat(v.findings()).singleElement().extracting(Diagnostic::message).asString()
                .contains("lists backup job 4101", "its data and media were not read");
        // rear recover restores the restore point its pre-flight verified, by id
        RestoreResult r = new GalaxyBackupProvider().restore(RestoreRequest.everything(target).from(RestorePointSelector.byId(v.restorePointId())),
                context(s));
        assertThat(r.facts()).containsEntry("browseTo", OLD_END);
        assertThat(target.resolve("etc/hostname")).hasContent("testhost-before");
    }
}
