package dev.rear.provider.bacula;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bconsole parsers on outputs captured from Bacula 9.6.7 (see each fixture's {@code .meta}). */
class BconsoleOutputTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = BconsoleOutputTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sessionHeaderNamesTheDirectorAndItsVersion() throws IOException {
        String[] d = BconsoleOutput.director(fixture("ref-session-header.txt")).orElseThrow();
        assertThat(d[0]).isEqualTo("test-dir");
        assertThat(d[1]).startsWith("9.6.7");
    }

    @Test
    void queuedJobIdOfRunAndRestore() throws IOException {
        assertThat(BconsoleOutput.queuedJobId(fixture("ref-run-job.txt"))).hasValue(1);
        assertThat(BconsoleOutput.queuedJobId(fixture("ref-restore-select-all.txt"))).hasValue(2);
        assertThat(BconsoleOutput.queuedJobId(fixture("captured-restore-before-nothing.txt"))).isEmpty();
    }

    @Test
    void selectedJobIdsOfARestore() throws IOException {
        assertThat(BconsoleOutput.selectedJobIds(fixture("ref-restore-select-all.txt"))).containsExactly(1L);
        assertThat(BconsoleOutput.selectedJobIds("You have selected the following JobIds: 2,7\n")).containsExactly(2L, 7L);
    }

    @Test
    void theSilentClientSubstitutionIsSeen() throws IOException {
        String out = fixture("captured-restore-unknown-client.txt");
        assertThat(BconsoleOutput.substitutions(out)).containsExactly("Automatically selected Client: test-fd");
        assertThat(BconsoleOutput.substitutions(fixture("captured-list-jobs-unknown-client.txt")))
                .containsExactly("Automatically selected Client: test-fd");
    }

    @Test
    void llistRecordsOfOneJob() throws IOException {
        List<Map<String, String>> r = BconsoleOutput.records(fixture("ref-llist-jobid.txt"));
        assertThat(r).hasSize(1);
        assertThat(r.get(0)).containsEntry("JobId", "1").containsEntry("JobStatus", "T").containsEntry("ClientName", "test-fd")
                .containsEntry("StartTime", "2026-11-26 09:39:24").containsEntry("FileSet", "TestSet").containsEntry("JobErrors", "0");
        Map<String, String> e = BconsoleOutput.records(fixture("captured-llist-jobid-error.txt")).get(0);
        assertThat(e).containsEntry("JobStatus", "E").containsEntry("JobErrors", "5").containsEntry("Comment", "");
        assertThat(BconsoleOutput.records(fixture("captured-llist-jobid-missing.txt"))).isEmpty();
    }

    @Test
    void llistOfTheClientsJobsGivesEveryRecordAsAJob() throws IOException {
        List<Map<String, String>> r = BconsoleOutput.records(fixture("captured-llist-jobs-client.txt"));
        assertThat(r).extracting(m -> m.get("JobId")).containsExactly("1", "2");
        BaculaBackupProvider.Job j = BaculaBackupProvider.job(r.get(1), ZoneOffset.UTC).orElseThrow();
        assertThat(j.id()).isEqualTo(2);
        assertThat(j.started()).isEqualTo(Instant.parse("2026-11-26T18:53:16Z"));
        assertThat(j.kind()).isEqualTo(dev.rear.api.spi.BackupKind.FULL);
        assertThat(j.bytes()).isEqualTo(100008);
        assertThat(j.fileset()).isEqualTo("TestSet");
    }

    @Test
    void answersAreSplitAtTheEchoedCommands() throws IOException {
        List<String> a = BconsoleOutput.answers(fixture("captured-dot-clients-filesets.txt"), List.of(".clients", ".filesets"));
        assertThat(BconsoleOutput.names(a.get(0))).containsExactly("test-fd");
        assertThat(BconsoleOutput.names(a.get(1))).containsExactly("TestSet");
        assertThat(BconsoleOutput.answers("Connecting to Director x\n", List.of("version"))).containsExactly("");
    }

    @Test
    void theJobLogOfAFailedRestoreGivesItsErrorLines() throws IOException {
        List<String> log = BconsoleOutput.joblog(fixture("captured-list-joblog-error.txt"));
        assertThat(log.get(0)).isEqualTo("test-dir JobId 6: Start Restore Job RestoreFiles.2026-11-26_18.53.29_12");
        assertThat(log).hasSize(13);
        assertThat(log.get(log.size() - 1)).contains("Termination:            *** Restore Error ***");
        List<String> errors = BconsoleOutput.errorLines(log);
        assertThat(errors).hasSize(6);
        assertThat(errors.get(0)).isEqualTo("test-fd JobId 6: Error: mkpath.c:140 Cannot create directory /proc/sys/rear: ERR=No such file or directory");
        assertThat(errors.get(5)).isEqualTo("Termination:            *** Restore Error ***");
    }

    @Test
    void theJobLogOfABackupWithWarningsGivesTheFileItCouldNotRead() throws IOException {
        Map<String, String> r = BconsoleOutput.records(fixture("captured-llist-jobid-warning.txt")).get(0);
        assertThat(r).containsEntry("JobStatus", "T").containsEntry("JobErrors", "1");
        assertThat(JobStatus.verdict('T', 1)).isEqualTo(JobStatus.Verdict.WARNING);
        List<String> errors = BconsoleOutput.errorLines(BconsoleOutput.joblog(fixture("captured-list-joblog-warning.txt")));
        assertThat(errors).containsExactly("test-fd JobId 1:      Could not stat \"/tmp/bx/t4/does-not-exist\": ERR=No such file or directory",
                "Termination:            Backup OK -- with warnings");
    }

    @Test
    void theFileDaemonsStatusGivesARunningRestoresProgress() throws IOException {
        BconsoleOutput.ClientProgress p = BconsoleOutput.clientProgress(fixture("ref-status-client-running.txt"), 5).orElseThrow();
        assertThat(p.files()).isEqualTo(2);
        assertThat(p.expected()).isEqualTo(6);
        assertThat(p.bytes()).isEqualTo(65536);
        assertThat(p.file()).isEqualTo("$T/restore$T/data/sub/b.bin");
        assertThat(BconsoleOutput.clientProgress(fixture("ref-status-client-running.txt"), 4)).isEmpty();
        assertThat(BconsoleOutput.clientProgress(fixture("ref-status-client-idle.txt"), 1)).as("No Jobs running.").isEmpty();
    }

    @Test
    void jobMediaTableAndVolumeRecord() throws IOException {
        List<String> a = BconsoleOutput.answers(fixture("captured-jobmedia-volume.txt"), List.of("list jobmedia jobid=1", "llist volume=Vol-0001"));
        List<Map<String, String>> media = BconsoleOutput.table(a.get(0));
        assertThat(media).singleElement().satisfies(r -> assertThat(r).containsEntry("JobId", "1").containsEntry("VolumeName", "Vol-0001")
                .containsEntry("LastIndex", "5"));
        Map<String, String> vol = BconsoleOutput.records(a.get(1), "MediaId").get(0);
        assertThat(vol).containsEntry("VolumeName", "Vol-0001").containsEntry("VolStatus", "Append").containsEntry("Enabled", "1");
        assertThat(BconsoleOutput.table(fixture("ref-list-jobs.txt"))).extracting(r -> r.get("JobStatus")).containsExactly("T", "T");
    }

    @Test
    void bvfsJobChain() throws IOException {
        List<String> a = BconsoleOutput.answers(fixture("captured-bvfs-get-jobids.txt"), List.of(".bvfs_get_jobids jobid=7", ".bvfs_get_jobids jobid=2"));
        assertThat(BconsoleOutput.jobIdList(a.get(0))).containsExactly(2L, 7L);
        assertThat(BconsoleOutput.jobIdList(a.get(1))).containsExactly(2L);
    }

    @Test
    void bextractCountsTheFilesItRestored() throws IOException {
        assertThat(BconsoleOutput.filesRestored(fixture("captured-bextract.txt"))).hasValue(10);
    }

    @Test
    void catalogTimesAreTheDirectorsLocalTime() {
        assertThat(BconsoleOutput.time("2026-11-26 09:39:24", ZoneOffset.ofHours(1))).hasValue(Instant.parse("2026-11-26T08:39:24Z"));
        assertThat(BconsoleOutput.time("0", ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void statusLettersAndVerdicts() {
        assertThat(JobStatus.describe('E')).isEqualTo("E (Terminated with errors)");
        assertThat(JobStatus.describe('A')).isEqualTo("A (Canceled by user)");
        assertThat(JobStatus.finished('R')).isFalse();
        assertThat(JobStatus.finished('C')).isFalse();
        assertThat(JobStatus.finished('T')).isTrue();
        assertThat(JobStatus.finished('f')).isTrue();
        assertThat(JobStatus.verdict('T', 0)).isEqualTo(JobStatus.Verdict.OK);
        assertThat(JobStatus.verdict('T', 3)).isEqualTo(JobStatus.Verdict.WARNING);
        assertThat(JobStatus.verdict('W', 0)).isEqualTo(JobStatus.Verdict.WARNING);
        assertThat(JobStatus.verdict('E', 5)).isEqualTo(JobStatus.Verdict.ERROR);
        assertThat(JobStatus.verdict('A', 0)).isEqualTo(JobStatus.Verdict.ERROR);
    }

    @Test
    void fileDaemonConfigGivesNameAndDirectories() {
        BaculaConf c = BaculaConf.parse("""
                Director {
                  Name = test-dir   # the director
                  Password = "fd-secret"
                }
                FileDaemon {                          # this is me
                  Name = "web1-fd"
                  FDport = 9102
                  WorkingDirectory = /var/lib/bacula
                  Pid Directory = /run/bacula
                  Maximum Concurrent Jobs = 20
                  PKI Keypair = "/etc/bacula/web1.pem"; PKI Signatures = yes
                }
                Messages {
                  Name = Standard
                  director = test-dir = all, !skipped, !restored
                }
                """);
        BaculaConf.Resource fd = c.first("FileDaemon").orElseThrow();
        assertThat(fd.get("Name")).hasValue("web1-fd");
        assertThat(fd.get("PidDirectory")).hasValue("/run/bacula");
        assertThat(fd.get("Pid Directory")).hasValue("/run/bacula");
        assertThat(fd.get("PKI Signatures")).hasValue("yes");
        assertThat(c.first("Director").orElseThrow().get("Name")).hasValue("test-dir");
        assertThat(c.all("Messages")).hasSize(1);
    }
}
