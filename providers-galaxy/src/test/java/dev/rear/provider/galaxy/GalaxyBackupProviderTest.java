package dev.rear.provider.galaxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.testkit.BackupProviderContract;
import dev.rear.testkit.InvalidSettings;
import dev.rear.testkit.SampleTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The Galaxy provider passes the provider contract against the simulated CommServe. */
class GalaxyBackupProviderTest extends BackupProviderContract {

    @Override
    protected BackupProvider provider() {
        return new GalaxyBackupProvider();
    }

    @Override
    protected ProviderSettings validSettings(Path dir) throws IOException {
        GalaxySimulator sim = GalaxySimulator.install(dir.resolve("sim"));
        SampleTrees.standard(sim.backupJob("4101", "2029/12/30 21:00:05", "2029/12/30 21:14:40"));
        SampleTrees.standard(sim.backupJob("4117", "2029/12/31 21:00:03", "2029/12/31 21:12:09"));
        return sim.settings().build();
    }

    @Override
    protected CommandRunner commandRunner(Path dir) {
        return GalaxySimulator.at(Path.of(settings().require(GalaxySettings.HOME_DIRECTORY)).getParent()).runner();
    }

    @Override
    protected List<InvalidSettings> invalidSettings(Path dir) throws IOException {
        ProviderSettings valid = validSettings(dir);
        Path empty = Files.createFile(dir.resolve("empty.args"));
        return List.of(
                new InvalidSettings("a password without a user", GalaxySettings.USER, valid.without(GalaxySettings.USER)),
                new InvalidSettings("a poll interval in words", GalaxySettings.POLL_INTERVAL, valid.with(GalaxySettings.POLL_INTERVAL, "often")),
                new InvalidSettings("a poll interval of 0", GalaxySettings.POLL_INTERVAL, valid.with(GalaxySettings.POLL_INTERVAL, "0")),
                new InvalidSettings("a restore timeout of 0", GalaxySettings.RESTORE_TIMEOUT, valid.with(GalaxySettings.RESTORE_TIMEOUT, "0")),
                new InvalidSettings("a point in time in words", GalaxySettings.PIT_RECOVERY, valid.with(GalaxySettings.PIT_RECOVERY, "yesterday")),
                new InvalidSettings("a point in time in US order", GalaxySettings.PIT_RECOVERY,
                        valid.with(GalaxySettings.PIT_RECOVERY, "12/31/2029 21:12:09")),
                new InvalidSettings("a missing argument file", GalaxySettings.ARGUMENT_FILE,
                        valid.with(GalaxySettings.ARGUMENT_FILE, dir.resolve("missing.args").toString())),
                new InvalidSettings("an empty argument file", GalaxySettings.ARGUMENT_FILE, valid.with(GalaxySettings.ARGUMENT_FILE, empty.toString())),
                new InvalidSettings("an instance that is no instance", GalaxySettings.INSTANCE, valid.with(GalaxySettings.INSTANCE, "default")),
                new InvalidSettings("a relative home directory", GalaxySettings.HOME_DIRECTORY, valid.with(GalaxySettings.HOME_DIRECTORY, "opt/commvault")),
                new InvalidSettings("a home directory that is not there", GalaxySettings.HOME_DIRECTORY,
                        valid.with(GalaxySettings.HOME_DIRECTORY, dir.resolve("nowhere").toString())),
                new InvalidSettings("a backup set of two lines", GalaxySettings.BACKUPSET,
                        valid.with(GalaxySettings.BACKUPSET, "defaultBackupSet\n[destinationpath]")),
                new InvalidSettings("a client starting a section", GalaxySettings.CLIENT, valid.with(GalaxySettings.CLIENT, "[sourceclient]")),
                new InvalidSettings("a relative COPY_AS_IS_GALAXY11 entry", GalaxySettings.COPY_AS_IS, valid.with(GalaxySettings.COPY_AS_IS, "etc/x")));
    }

    @Test
    void isFoundByServiceLoaderAsGalaxy() {
        assertThat(ServiceLoader.load(BackupProvider.class).stream().map(ServiceLoader.Provider::type)).contains(GalaxyBackupProvider.class);
        assertThat(provider().id()).isEqualTo("galaxy");
        assertThat(provider().capabilities()).containsExactlyInAnyOrder(Capability.RESTORE, Capability.POINT_IN_TIME,
                Capability.LIST_RESTORE_POINTS, Capability.VERIFY);
        assertThat(provider().secretSettings()).containsExactly(GalaxySettings.PASSWORD);
    }

    @Test
    void restorePointsAreTheCompletedBackupJobsOldestFirst() {
        var points = provider().listRestorePoints(newContext());
        assertThat(points).extracting(p -> p.id()).containsExactly("4101", "4117");
        assertThat(points.get(1).createdAt()).isEqualTo(java.time.LocalDateTime.of(2029, 12, 31, 21, 12, 9)
                .atZone(java.time.ZoneId.systemDefault()).toInstant());
        assertThat(points.get(0).description()).contains("4101", "defaultBackupSet", "2029/12/30 21:14:40");
    }
}
