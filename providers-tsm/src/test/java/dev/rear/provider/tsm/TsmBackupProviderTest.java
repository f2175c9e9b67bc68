package dev.rear.provider.tsm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.testkit.BackupProviderContract;
import dev.rear.testkit.InvalidSettings;
import dev.rear.testkit.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The TSM provider passes the whole provider contract against the dsmc simulator: backups with
 * {@code dsmc incremental -snapshotroot=}, restores, point in time, selective restore, restore
 * points, verify and the refusals. The node password comes from {@code TSM_NODE_PASSWORD} (secret),
 * so the kit's leak checks see it on every dsmc command line.
 */
class TsmBackupProviderTest extends BackupProviderContract {

    private DsmcSimulator sim;

    @Override
    protected BackupProvider provider() {
        return new TsmBackupProvider();
    }

    private DsmcSimulator sim(Path dir) throws IOException {
        if (sim == null) {
            sim = DsmcSimulator.in(dir);
        }
        return sim;
    }

    @Override
    protected ProviderSettings validSettings(Path dir) throws IOException {
        return sim(dir).settings().with(TsmSettings.NODE_PASSWORD, DsmcSimulator.PASSWORD);
    }

    @Override
    protected CommandRunner commandRunner(Path dir) {
        return new ProcessRunner(() -> DsmcSimulator.environment(clock().instant()));
    }

    @Override
    protected List<InvalidSettings> invalidSettings(Path dir) throws IOException {
        DsmcSimulator other = DsmcSimulator.in(dir);
        ProviderSettings valid = other.settings();
        Path noStanza = Files.createDirectories(dir.resolve("client-without-stanza"));
        Files.copy(other.clientDir.resolve("dsmc"), noStanza.resolve("dsmc"));
        Files.writeString(noStanza.resolve("dsm.sys"), "SErvername other\n   TCPServeraddress x\n");
        Files.writeString(noStanza.resolve("dsm.opt"), "SErvername tsmsrv1\n");
        Path noAddress = Files.createDirectories(dir.resolve("client-without-address"));
        Files.copy(other.clientDir.resolve("dsmc"), noAddress.resolve("dsmc"));
        Files.writeString(noAddress.resolve("dsm.sys"), "SErvername tsmsrv1\n   TCPPort 1500\n");
        Files.writeString(noAddress.resolve("dsm.opt"), "SErvername tsmsrv1\n");
        return List.of(
                new InvalidSettings("a client directory that does not exist", "TSM_CLIENT_DIR",
                        valid.with("TSM_CLIENT_DIR", dir.resolve("missing").toString())),
                new InvalidSettings("dsm.opt naming a stanza dsm.sys lacks", "TSM_CLIENT_DIR", valid.with("TSM_CLIENT_DIR", noStanza.toString())),
                new InvalidSettings("a stanza without TCPServeraddress", "TSM_CLIENT_DIR", valid.with("TSM_CLIENT_DIR", noAddress.toString())),
                new InvalidSettings("a restore option without a dash", "TSM_DSMC_RESTORE_OPTIONS",
                        valid.with("TSM_DSMC_RESTORE_OPTIONS", "-quiet", "verbose")),
                new InvalidSettings("a password in the restore options", "TSM_DSMC_RESTORE_OPTIONS",
                        valid.with("TSM_DSMC_RESTORE_OPTIONS", "-password=x")),
                new InvalidSettings("a point-in-time date that is no date", "TSM_RESTORE_PIT_DATE", valid.with("TSM_RESTORE_PIT_DATE", "yesterday")),
                new InvalidSettings("a point-in-time time without a date", "TSM_RESTORE_PIT_TIME", valid.with("TSM_RESTORE_PIT_TIME", "12:00:00")),
                new InvalidSettings("a relative filespace", "TSM_FILESPACES", valid.with("TSM_FILESPACES", "/", "home")),
                new InvalidSettings("a password-files flag that is neither yes nor no", "TSM_RESCUE_PASSWORD_FILES",
                        valid.with("TSM_RESCUE_PASSWORD_FILES", "maybe")),
                new InvalidSettings("a zero restore timeout", "TSM_RESTORE_TIMEOUT", valid.with("TSM_RESTORE_TIMEOUT", "0")),
                new InvalidSettings("a relative result file path", "TSM_RESULT_FILE_PATH", valid.with("TSM_RESULT_FILE_PATH", "rear")));
    }

    @Test
    void isFoundByTheServiceLoaderAsTsm() {
        assertThat(ServiceLoader.load(BackupProvider.class).stream().map(p -> p.get().id())).contains("tsm");
    }
}
