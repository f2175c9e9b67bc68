package dev.rear.provider.galaxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.RecordingCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the rescue system gets for Commvault, as ReaR's prep/GALAXY11 decides it. */
class GalaxyRescueRequirementsTest {

    @TempDir
    Path dir;

    private RescueRequirements requirements(ProviderSettings settings, RecordingCommandRunner runner) {
        return new GalaxyBackupProvider().rescueRequirements(FakeProviderContext.builder(dir.resolve("tmp")).settings(settings)
                .commands(runner).build());
    }

    @Test
    void installDirectoriesComeFromCommvaultStatusAsInReaR() throws IOException {
        RecordingCommandRunner runner = RecordingCommandRunner.strict().when("commvault", "status")
                .thenAnswer(0, QOutputTest.fixture("commvault-status.txt"));
        RescueRequirements r = requirements(ProviderSettings.builder().set(GalaxySettings.USER, "rear-restore")
                .markSecret(List.of(GalaxySettings.PASSWORD)).build(), runner);

        assertThat(runner.displayed()).containsExactly("commvault status");
        assertThat(r.directories()).extracting(RescueRequirements.RescuePath::path).containsExactly("/etc/CommVaultRegistry", "/opt/commvault");
        assertThat(r.programs()).contains("/opt/commvault/Base/qlogin", "/opt/commvault/Base/qlist", "/opt/commvault/Base/qoperation",
                "/opt/commvault/Base/qlogout", "chgrp", "touch");
        assertThat(r.excludes()).contains("/opt/commvault/iDataAgent/jobResults/*", "/opt/commvault/Updates/*",
                "/var/log/commvault/Log_Files/*", "/opt/commvault/Base/Temp/*", "/opt/commvault/qsession*", "/opt/commvault/Base/.qsession*");
        assertThat(r.libraryDirectories()).containsExactly("/opt/commvault/Base");
        assertThat(r.environment()).contains(new RescueRequirements.RescueVariable("GALAXY11_HOME_DIRECTORY", "/opt/commvault/Base", false),
                new RescueRequirements.RescueVariable("GALAXY11_JOBS_RESULTS_DIRECTORY", "/opt/commvault/iDataAgent/jobResults", false),
                new RescueRequirements.RescueVariable("GALAXY11_PASSWORD", null, true));
        assertThat(r.secretItems()).contains("GALAXY11_PASSWORD");
        assertThat(r.services()).singleElement().satisfies(s -> {
            assertThat(s.start()).containsExactly("/opt/commvault/Base/Galaxy", "start");
            assertThat(s.stop()).containsExactly("/opt/commvault/Base/Galaxy", "stop");
            assertThat(s.readinessCheck()).containsExactly("/bin/sh", "-c", "! '/opt/commvault/Base/Galaxy' list | grep -q N/A");
        });
    }

    @Test
    void sessionFilesOfALiveInstallAreLeftOutAsSecretsAndTheArgumentFileIsCarried() throws IOException {
        GalaxySimulator sim = GalaxySimulator.install(dir.resolve("sim"));
        Files.writeString(sim.base.resolve("qsessions.0"), "encrypted session\n");
        Path args = Files.writeString(dir.resolve("restore.args"), "[commcell]\ncommserv\n");
        RescueRequirements r = requirements(sim.settings().set(GalaxySettings.ARGUMENT_FILE, args.toString())
                .set(GalaxySettings.COPY_AS_IS, List.of(sim.root.resolve("Log_Files").toString())).build(), RecordingCommandRunner.strict());
        assertThat(r.files()).contains(new RescueRequirements.RescuePath(args.toString(), false, null));
        assertThat(r.files()).filteredOn(RescueRequirements.RescuePath::secret).extracting(RescueRequirements.RescuePath::path)
                .containsExactly(sim.base.resolve("qsessions.0").toString());
        assertThat(r.directories()).extracting(RescueRequirements.RescuePath::path).contains(sim.root.resolve("CommVaultRegistry").toString(),
                sim.root.toString());
    }

    @Test
    void aCommvaultStatusWithoutTheHomeDirectoryNamesTheSetting() {
        RecordingCommandRunner runner = RecordingCommandRunner.strict().when("commvault", "status").thenAnswer(0, "[ General ]\n Version = 11.26.35\n");
        ProviderException e = catchThrowableOfType(() -> requirements(ProviderSettings.empty(), runner), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED);
        assertThat(e.getMessage()).contains("'commvault status' shows no 'Core Directory'", "GALAXY11_CORE_DIRECTORY");
    }
}
