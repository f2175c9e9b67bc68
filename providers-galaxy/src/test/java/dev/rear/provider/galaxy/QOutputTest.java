package dev.rear.provider.galaxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The qcommand parsers on the outputs captured in ReaR's comments (fixtures/*.txt, see the .meta files). */
class QOutputTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = QOutputTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void killedJobWithTwoReasonsAndTheirMessages() throws IOException {
        QOutput.JobStatus s = QOutput.jobStatus(fixture("qlist-job-co-sr-killed.txt")).orElseThrow();
        assertThat(s.status()).isEqualTo("Killed");
        assertThat(s.reasonCodes()).containsExactly("318767965", "402653226");
        assertThat(s.messages()).containsExactly("318767965 -> Killed by svc_ansible_commvault_test. Reason:[].",
                "402653226 -> Cannot start restore program on host [FQDN*HOST*8400*8402] - a network error occurred or the product's"
                        + " services are not running.");
        assertThat(s.failed()).isTrue();
        assertThat(s.completed()).isFalse();
        assertThat(s.detail()).contains("Killed by svc_ansible_commvault_test", "Cannot start restore program");
    }

    @Test
    void pendingJobWithoutReasonColumn() throws IOException {
        QOutput.JobStatus s = QOutput.jobStatus(fixture("qlist-job-co-s-pending.txt")).orElseThrow();
        assertThat(s.status()).isEqualTo("Pending");
        assertThat(s.reasonCodes()).isEmpty();
        assertThat(s.active()).isTrue();
        assertThat(s.failed()).isFalse();
    }

    @Test
    void completedWithErrorsIsOneStatusOfSeveralWords() {
        String out = "STATUS                             FAILURE REASON          \n"
                + "------                             --------------          \n"
                + "Completed w/ one or more errors    4294967295              \n";
        QOutput.JobStatus s = QOutput.jobStatus(out).orElseThrow();
        assertThat(s.status()).isEqualTo("Completed w/ one or more errors");
        assertThat(s.reasonCodes()).containsExactly("4294967295");
        assertThat(s.completed()).isTrue();
        assertThat(s.completedWithProblems()).isTrue();
        assertThat(QOutput.jobStatus("STATUS    \n------    \nCompleted \n").orElseThrow().completedWithProblems()).isFalse();
    }

    @Test
    void unknownJobIsEmptyAndGarbageIsAnError() {
        assertThat(QOutput.jobStatus("No jobs to display\n")).isEmpty();
        assertThatThrownBy(() -> QOutput.jobStatus("qlist: something else\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no job status");
    }

    @Test
    void jobHistoryRowsWithTimes() throws IOException {
        List<QOutput.HistoryJob> jobs = QOutput.jobHistory(fixture("qlist-jobhistory-completed.txt"));
        assertThat(jobs).extracting(QOutput.HistoryJob::jobId).containsExactly("31439021", "31427228");
        QOutput.HistoryJob newest = jobs.get(0);
        assertThat(newest.status()).isEqualTo("Completed");
        assertThat(newest.storagePolicy()).isEqualTo("RZ1_RZ2_BB14_DD_FS_028d_NoAux");
        assertThat(newest.subclient()).isEqualTo("default");
        assertThat(newest.instance()).isEqualTo("<default>");
        assertThat(newest.startTime()).isEqualTo("2023/04/02 17:30:09");
        assertThat(newest.endTime()).isEqualTo("2023/04/02 17:31:09");
        assertThat(newest.end()).isEqualTo(java.time.LocalDateTime.of(2023, 4, 2, 17, 31, 9));
    }

    @Test
    void noJobHistoryIsEmptyAndAMangledLineIsAnError() {
        assertThat(QOutput.jobHistory("No job history found\n")).isEmpty();
        assertThatThrownBy(() -> QOutput.jobHistory("31439021    Completed    only three\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("31439021");
    }

    @Test
    void backupSetsWithTrailingBlanks() {
        assertThat(QOutput.backupSets("defaultBackupSet  \nweekly full  \n\n")).containsExactly("defaultBackupSet", "weekly full");
    }

    @Test
    void jobIdWithTrailingBlanks() {
        assertThat(QOutput.jobId("31900347   \n")).isEqualTo("31900347");
        assertThatThrownBy(() -> QOutput.jobId("qoperation: done\n")).hasMessageContaining("no job id");
    }

    @Test
    void commvaultStatusGivesTheInstallDirectories() throws IOException {
        var st = QOutput.status(fixture("commvault-status.txt"));
        assertThat(st).containsEntry("Home Directory", "/opt/commvault/Base").containsEntry("Core Directory", "/opt/commvault")
                .containsEntry("Log Directory", "/var/log/commvault/Log_Files").containsEntry("Temp Directory", "/opt/commvault/Base/Temp")
                .containsEntry("Job Results Directory", "/opt/commvault/iDataAgent/jobResults")
                .containsEntry("CommServe Host Name", "commserv.some.domain");
    }

    @Test
    void commServeHostFromTheRegistry() {
        assertThat(QOutput.commServeHost("sCSGUID 1234\nCSHOSTNAME commserv.some.domain\n")).contains("commserv.some.domain");
        assertThat(QOutput.commServeHost("nothing here\n")).isEmpty();
    }
}
