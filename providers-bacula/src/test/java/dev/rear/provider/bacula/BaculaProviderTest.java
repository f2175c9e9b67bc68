package dev.rear.provider.bacula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.RecordingCommandRunner;
import dev.rear.testkit.RecordingCommandRunner.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's decisions without a Bacula: a scripted director answers each bconsole session
 * (echoing the commands fed on stdin, as bconsole does) with answers taken from outputs captured
 * from Bacula 9.6.7 where one exists, and with {@code llist jobid=N} records for the job states a
 * test needs.
 */
class BaculaProviderTest {

    @TempDir
    Path dir;

    private final BaculaBackupProvider provider = new BaculaBackupProvider();
    private final Map<String, Function<String, String>> answers = new LinkedHashMap<>();
    private final Deque<String> jobStates = new ArrayDeque<>();
    private final List<String> sessions = new ArrayList<>();
    private RecordingCommandRunner runner;
    private Path conf;

    @BeforeEach
    void director() throws IOException {
        conf = Files.createDirectories(dir.resolve("etc-bacula"));
        Files.writeString(conf.resolve("bconsole.conf"), "Director {\n  Name = test-dir\n  DIRport = 9101\n  address = 127.0.0.1\n  Password = \"x\"\n}\n");
        Files.writeString(conf.resolve("bacula-fd.conf"), "FileDaemon {\n  Name = test-fd\n}\n");
        answers.put("version", c -> "test-dir Version: 9.6.7 (10 December 2020) x86_64-pc-linux-gnu debian bookworm/sid\n");
        answers.put(".clients", c -> "test-fd\n");
        answers.put(".filesets", c -> "TestSet\n");
        answers.put(".jobs type=R", c -> "RestoreFiles\n");
        answers.put(".jobs type=B", c -> "BackupTest\n");
        answers.put("llist jobs client=test-fd jobtype=B", c -> answer("ref-llist-jobid.txt", "llist jobid=1"));
        answers.put("llist jobid=", c -> jobStates.size() > 1 ? jobStates.poll() : jobStates.peek());
        answers.put("cancel jobid=", c -> "3000 JobId=" + c.replaceAll("\\D", "") + " Job=\"RestoreFiles\" marked to be canceled.\n");
        answers.put("status client=", c -> answer("ref-status-client-running.txt", "nothing"));
        answers.put("list joblog jobid=", c -> answer("captured-list-joblog-error.txt", "list joblog jobid=6"));
        runner = RecordingCommandRunner.strict();
        runner.when("/usr/sbin/bconsole").thenRespond(this::session);
    }

    /** The answer part of a captured session, for one of its commands. */
    private static String answer(String fixture, String command) {
        try {
            String text = BconsoleOutputTest.fixture(fixture);
            return text.contains(command + "\n") ? text.substring(text.indexOf(command + "\n") + command.length() + 1) : text;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Answer session(CommandSpec spec) {
        String in = new String(spec.stdin(), StandardCharsets.UTF_8);
        sessions.add(in);
        StringBuilder out = new StringBuilder("Connecting to Director 127.0.0.1:9101\n1000 OK: 103 test-dir Version: 9.6.7 (10 December 2020)\n"
                + "Enter a period to cancel a command.\n");
        for (String c : in.split("\n")) {
            out.append(c).append('\n');
            if (c.equals("quit")) {
                break;
            }
            Function<String, String> a = answers.entrySet().stream().filter(e -> c.equals(e.getKey()) || c.startsWith(e.getKey()))
                    .reduce((x, y) -> y).map(Map.Entry::getValue).orElse(x -> c.split(" ")[0] + ": is an invalid command.\n");
            out.append(a.apply(c));
        }
        return Answer.ok(out.toString());
    }

    private static String record(long id, String type, char status, long errors) {
        return """
                           JobId: %d
                             Job: X.2026-11-26_09.39.21_03
                            Name: %s
                            Type: %s
                           Level: F
                      ClientName: test-fd
                       JobStatus: %c
                       StartTime: 2026-11-26 09:39:30
                        JobFiles: 5
                        JobBytes: 100006
                       JobErrors: %d
                         FileSet: TestSet
                """.formatted(id, type.equals("R") ? "RestoreFiles" : "BackupTest", type, status, errors);
    }

    private FakeProviderContext context(ProviderSettings.Builder b) {
        return FakeProviderContext.builder(dir.resolve("tmp-" + sessions.size() + "-" + System.nanoTime())).settings(b.build()
                .withSecrets(provider.secretSettings())).commands(runner).build();
    }

    private ProviderSettings.Builder settings() {
        return ProviderSettings.builder().set("BACULA_CONF_DIR", conf.toString()).set("BACULA_BIN_DIR", "/usr/sbin");
    }

    private Path target() throws IOException {
        return Files.createDirectories(dir.resolve("target-" + System.nanoTime()));
    }

    private boolean restoreQueued() {
        return sessions.stream().anyMatch(s -> s.contains("\nrestore ") || s.startsWith("restore "));
    }

    @Test
    void theClientDefaultsToTheFileDaemonsNameAndAnUnknownOneIsRefusedBeforeAnyRestore() throws IOException {
        answers.put(".clients", c -> "web1-fd\ndb1-fd\n");
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(target()), context(settings())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("no client 'test-fd' (the default: set BACULA_CLIENT)").contains("'web1-fd', 'db1-fd'");
        assertThat(restoreQueued()).isFalse();
    }

    @Test
    void aSuccessfulRestoreWaitsThroughTheJobStatesAndReportsThem() throws IOException {
        // the captured restore answer queues job 2; the captured file daemon status shows job 5 running: renumbered to match
        jobStates.addAll(List.of(record(5, "R", 'C', 0), record(5, "R", 'R', 0), record(5, "R", 'T', 0)));
        answers.put("restore ", c -> answer("ref-restore-select-all.txt", "nothing").replace("JobId=2", "JobId=5"));
        FakeProviderContext ctx = context(settings());
        RestoreResult r = provider.restore(RestoreRequest.everything(target()), ctx);
        assertThat(r.restorePointId()).isEqualTo("1");
        assertThat(r.warnings()).isEmpty();
        assertThat(r.facts()).containsEntry("restoreJobId", "5").containsEntry("jobStatus", "T").containsEntry("jobIds", "1");
        assertThat(ctx.progress().reports()).extracting(p -> p.phase()).contains("Bacula restore job 5 C (Created, not yet running)",
                "Bacula restore job 5 R (Running)", "Bacula restore job 5 T (Completed successfully)");
        // while it runs, the file daemon's own count (status client=): 2 of 6 files, 65,536 bytes
        assertThat(ctx.progress().reports()).filteredOn(p -> p.phase().endsWith("R (Running)")).singleElement()
                .satisfies(p -> {
                    assertThat(p.filesDone()).isEqualTo(2);
                    assertThat(p.filesTotal()).isEqualTo(6);
                    assertThat(p.bytesDone()).isEqualTo(65536);
                });
        assertThat(ctx.pauses()).hasSize(2);
        String restore = sessions.stream().filter(s -> s.startsWith("restore ")).findFirst().orElseThrow();
        assertThat(restore).startsWith("restore client=test-fd fileset=TestSet where=" + dir).contains(" current select all done yes\nquit\n");
    }

    @Test
    void errorsCountedOnACompletedJobAreAWarningWithTheJobLog() throws IOException {
        answers.put("restore ", c -> answer("ref-restore-select-all.txt", "nothing"));
        jobStates.add(record(2, "R", 'T', 3));
        RestoreResult r = provider.restore(RestoreRequest.everything(target()), context(settings()));
        assertThat(r.warnings()).singleElement().extracting(Diagnostic::message).asString()
                .contains("JobStatus T (Completed successfully) and 3 errors")
                .contains("test-fd JobId 6: Error: mkpath.c:140 Cannot create directory /proc/sys/rear")
                .contains("see 'list joblog jobid=2'");
    }

    @Test
    void aFatalErrorFailsNamingTheLetter() throws IOException {
        answers.put("restore ", c -> answer("ref-restore-select-all.txt", "nothing"));
        jobStates.add(record(2, "R", 'f', 1));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(target()), context(settings())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).contains("JobStatus f (Fatal error) and 1 error:").contains("Termination:            *** Restore Error ***");
    }

    @Test
    void whenBaculaSelectsAnotherJobTheQueuedRestoreIsCancelled() throws IOException {
        answers.put("llist jobs client=test-fd jobtype=B", c -> answer("captured-llist-jobs-client.txt", "llist jobs client=test-fd jobtype=B jobstatus=T"));
        answers.put("restore ", c -> answer("ref-restore-select-all.txt", "nothing")); // selects job 1, the latest is 2
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(target()), context(settings())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).contains("selected job(s) [1] where rear expected job 2").contains("restore job 2 was cancelled");
        assertThat(sessions).anyMatch(s -> s.startsWith("cancel jobid=2 yes"));
    }

    @Test
    void aSubstitutedClientInTheRestoreAnswerIsCancelledToo() throws IOException {
        answers.put("restore ", c -> answer("captured-restore-unknown-client.txt", "select all done no") + "Job queued. JobId=9\n");
        answers.put("llist jobs client=test-fd jobtype=B", c -> answer("captured-llist-jobs-client.txt", "llist jobs client=test-fd jobtype=B jobstatus=T"));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(target()), context(settings())));
        assertThat(e.getMessage()).contains("Automatically selected Client: test-fd").contains("was cancelled");
    }

    @Test
    void aQuestionFromBconsoleIsAFailureNotAnAnswer() throws IOException {
        answers.put("restore ", c -> "The defined FileSet resources are:\n     1: DataSet\n     2: IncSet\nSelect FileSet resource (1-2): ");
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(target()), context(settings())));
        assertThat(e.getMessage()).contains("bconsole asked a question rear cannot answer").contains("Select FileSet resource");
    }

    @Test
    void severalRestoreJobsNeedBaculaRestoreJob() throws IOException {
        answers.put(".jobs type=R", c -> "RestoreFiles\nRestoreElsewhere\n");
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(target()), context(settings())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(e.getMessage()).contains("'RestoreFiles', 'RestoreElsewhere'").contains("BACULA_RESTORE_JOB");
    }

    @Test
    void aRefusedConsolePasswordIsAnAuthenticationFailure() throws IOException {
        runner.when("/usr/sbin/bconsole").thenAnswer(new Answer(1, answer("captured-badpw.out", "nothing"), ""));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.listRestorePoints(context(settings())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("the console password does not match");
    }

    @Test
    void anUnreachableDirectorWithoutBextractNamesTheOfflineSettings() throws IOException {
        runner.when("/usr/sbin/bconsole").thenAnswer(new Answer(1, answer("captured-unreachable.out", "nothing"), ""));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.restore(RestoreRequest.everything(target()), context(settings())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("Connecting to Director 127.0.0.1:19299").contains("BEXTRACT_DEVICE");
    }

    @Test
    void theConsolePasswordGoesIntoAPrivateConfigNeverOntoTheCommandLine() throws IOException {
        Files.delete(conf.resolve("bconsole.conf"));
        String[] seen = new String[1];
        runner.when("/usr/sbin/bconsole").thenRespond(spec -> {
            Path file = Path.of(spec.argv().get(3));
            try {
                seen[0] = Files.readString(file) + " " + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return session(spec);
        });
        FakeProviderContext ctx = context(settings().set("BACULA_DIRECTOR_NAME", "bk-dir").set("BACULA_DIRECTOR_ADDRESS", "10.1.2.3")
                .secret("BACULA_CONSOLE_PASSWORD", "s3cret-console"));
        provider.listRestorePoints(ctx);
        assertThat(seen[0]).contains("Name = \"bk-dir\"").contains("Address = \"10.1.2.3\"").contains("DIRport = 9101")
                .contains("Password = \"s3cret-console\"").endsWith("rw-------");
        assertThat(runner.commands()).allSatisfy(c -> assertThat(String.join(" ", c.argv())).doesNotContain("s3cret-console"));
        assertThat(ctx.leakedSecrets()).isEmpty();
    }

    @Test
    void aBackupRunsTheJobForTheClientAndSaysWhatTheFileSetDecides() throws IOException {
        answers.put("run job=", c -> answer("ref-run-job.txt", "nothing"));
        jobStates.add(record(1, "B", 'T', 0));
        BackupResult r = provider.backup(new BackupRequest(dev.rear.api.spi.BackupKind.FULL, Path.of("/"), List.of("/", "/home"),
                List.of("/tmp/*"), null), context(settings().set("BACULA_JOB", "BackupTest")));
        assertThat(r.restorePointId()).isEqualTo("1");
        assertThat(sessions).anyMatch(s -> s.startsWith("run job=BackupTest client=test-fd level=Full yes\n"));
        assertThat(r.warnings()).singleElement().extracting(Diagnostic::message).asString().contains("FileSet TestSet")
                .contains("[/, /home]").contains("[/tmp/*]");
    }

    @Test
    void verifyChecksTheChainsVolumesAndTheFileDaemonInTheCatalog() throws IOException {
        answers.put(".bvfs_get_jobids jobid=", c -> "1\n");
        answers.put("llist jobid=", c -> answer("ref-llist-jobid.txt", "nothing"));
        answers.put("list jobmedia jobid=", c -> answer("captured-jobmedia-volume.txt", "list jobmedia jobid=1"));
        answers.put("llist volume=", c -> answer("captured-jobmedia-volume.txt", "llist volume=Vol-0001"));
        answers.put("status client=", c -> answer("captured-status-client-up.txt", "status client=test-fd"));
        dev.rear.api.spi.VerifyResult ok = provider.verify(dev.rear.api.spi.VerifyRequest.latest(), context(settings()));
        assertThat(ok.ok()).as("findings %s", ok.findings()).isTrue();
        assertThat(ok.depth()).isEqualTo(dev.rear.api.spi.VerifyResult.Depth.CATALOG);
        assertThat(ok.facts()).containsEntry("volumes", "Vol-0001").containsEntry("jobIds", "1");

        answers.put("llist volume=", c -> answer("captured-jobmedia-volume.txt", "llist volume=Vol-0001").replace("VolStatus: Append", "VolStatus: Purged"));
        answers.put("status client=", c -> answer("captured-status-client-down.txt", "status client=test-fd"));
        dev.rear.api.spi.VerifyResult bad = provider.verify(dev.rear.api.spi.VerifyRequest.latest(), context(settings()));
        assertThat(bad.ok()).isFalse();
        assertThat(bad.findings()).extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("the volume Vol-0001 is Purged"))
                .anySatisfy(m -> assertThat(m).contains("cannot reach the file daemon test-fd").contains("Failed to connect to Client test-fd"));
    }

    @Test
    void restorePointTimesAreTheDirectorsLocalTimesInBaculaTimezone() throws IOException {
        List<dev.rear.api.spi.RestorePoint> utc = provider.listRestorePoints(context(settings().set("BACULA_TIMEZONE", "UTC")));
        List<dev.rear.api.spi.RestorePoint> berlin = provider.listRestorePoints(context(settings().set("BACULA_TIMEZONE", "Europe/Berlin")));
        assertThat(utc).singleElement().satisfies(p -> assertThat(p.createdAt()).isEqualTo(java.time.Instant.parse("2026-11-26T09:39:24Z")));
        assertThat(berlin).singleElement().satisfies(p -> assertThat(p.createdAt()).isEqualTo(java.time.Instant.parse("2026-11-26T08:39:24Z")));
    }

    @Test
    void aBackupWithoutBaculaJobIsMisconfigured() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.backup(BackupRequest.full(Path.of("/")), context(settings())));
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(e.getMessage()).contains("BACULA_JOB");
    }
}
