package dev.rear.provider.galaxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandSpec;
import dev.rear.testkit.RecordingCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator prints what Commvault prints: its output, given the sample's data, equals the captured samples byte for byte. */
class GalaxySimulatorFidelityTest {

    @TempDir
    Path dir;

    private GalaxySimulator sim;
    private RecordingCommandRunner runner;

    @BeforeEach
    void install() throws IOException {
        sim = GalaxySimulator.install(dir.resolve("sim"));
        runner = sim.runner();
    }

    private CommandResult q(String program, String... args) {
        List<String> argv = new ArrayList<>(List.of(sim.base.resolve(program).toString()));
        argv.addAll(List.of(args));
        return runner.run(new CommandSpec(argv, CommandSpec.DEFAULT_TIMEOUT, Map.of(), Set.of(0, 1, 2), Set.of(), null));
    }

    private void login() {
        assertThat(q("qlogin", "-u", GalaxySimulator.USER, "-clp", GalaxySimulator.PASSWORD).exitCode()).isZero();
    }

    @Test
    void jobHistoryIsTheCapturedSample() throws IOException {
        String policy = "RZ1_RZ2_BB14_DD_FS_028d_NoAux";
        Files.writeString(sim.commserve.resolve("clients/testhost/defaultBackupSet.jobs"),
                "31427228|Completed|" + policy + "|default|<default>|2023/04/01 17:30:16|2023/04/01 17:30:55\n"
                + "31439021|Completed|" + policy + "|default|<default>|2023/04/02 17:30:09|2023/04/02 17:31:09\n");
        login();
        CommandResult r = q("qlist", "jobhistory", "-c", "testhost", "-js", "Completed", "-jt", "Backup", "-dispJobTime", "-b",
                "defaultBackupSet", "-a", "Q_LINUX_FS");
        assertThat(r.stdout()).isEqualTo(QOutputTest.fixture("qlist-jobhistory-completed.txt"));
    }

    @Test
    void aKilledJobIsTheCapturedSample() throws IOException {
        Files.createDirectories(sim.backupJob("31439021", "2023/04/02 17:30:09", "2023/04/02 17:31:09"));
        sim.nextRestore("Killed|318767965, 402653226|318767965 -> Killed by svc_ansible_commvault_test. Reason:[].~402653226 -> Cannot start"
                + " restore program on host [FQDN*HOST*8400*8402] - a network error occurred or the product's services are not running.");
        login();
        Path af = Files.writeString(dir.resolve("args"), new ArgumentFile(null, "testhost", "defaultBackupSet",
                Files.createDirectories(dir.resolve("target")).toString(), null, true).text());
        CommandResult submitted = q("qoperation", "restore", "-af", af.toString());
        assertThat(submitted.stdout()).isEqualTo("31900347  \n");
        CommandResult r = q("qlist", "job", "-j", "31900347", "-co", "sr");
        assertThat(r.stdout()).isEqualTo(QOutputTest.fixture("qlist-job-co-sr-killed.txt"));
    }

    @Test
    void withoutASessionEveryQcommandSaysNotLoggedInWithExitCode2() {
        CommandResult r = q("qlist", "backupset", "-c", "testhost", "-a", "Q_LINUX_FS");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("qlist: Error 0x268: User not logged in\n");
        assertThat(q("qlogout").stderr()).isEqualTo("qlogout: Error 0x268: User not logged in\n");
        login();
        assertThat(q("qlist", "backupset", "-c", "testhost", "-a", "Q_LINUX_FS").stdout()).isEqualTo("defaultBackupSet  \n");
        assertThat(q("qlist", "job", "-j", "1", "-co", "sr").stdout()).isEqualTo("No jobs to display\n");
    }
}
