package dev.rear.provider.bacula;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.testkit.BackupProviderContract;
import dev.rear.testkit.InvalidSettings;
import dev.rear.testkit.ProcessRunner;
import dev.rear.testkit.TreeSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provider test kit against a real Bacula (one director, storage daemon and file daemon for the
 * class; each test gets its own FileSet and backup job, so its restore points are its own).
 *
 * <p>Two things differ from a provider that archives a tree itself, both Bacula's nature and not
 * bent in the provider: what a backup holds is the FileSet's business (here a FileSet whose files
 * the file daemon reads from a list file, which {@link #backupRequest} points at the kit's sample
 * tree), and Bacula records absolute paths, so a restore into {@code target} puts the sample tree at
 * {@code target/<its absolute path>} — {@link #snapshot} looks there.
 */
class BaculaContractIT extends BackupProviderContract {

    private static Path work;
    private static BaculaLoopback bacula;
    private static final AtomicInteger TESTS = new AtomicInteger();

    private Path listFile;

    @BeforeAll
    static void startBacula() throws Exception {
        BaculaLoopback.assumeAvailable();
        work = Files.createTempDirectory("bacula-contract-");
        bacula = BaculaLoopback.start(work.resolve("bacula"));
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

    @Override
    protected BackupProvider provider() {
        return new BaculaBackupProvider();
    }

    @Override
    protected ProviderSettings validSettings(Path dir) throws IOException {
        int n = TESTS.incrementAndGet();
        listFile = dir.resolve("fileset.list");
        Files.writeString(listFile, "", StandardCharsets.UTF_8);
        try {
            bacula.defineFromList("Contract" + n, "BackupContract" + n, listFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return bacula.settings().set("BACULA_FILESET", "Contract" + n).set("BACULA_JOB", "BackupContract" + n).build();
    }

    @Override
    protected List<InvalidSettings> invalidSettings(Path dir) {
        ProviderSettings ok = bacula.settings().build();
        return List.of(
                new InvalidSettings("a relative BACULA_CONF_DIR", "BACULA_CONF_DIR", ok.with("BACULA_CONF_DIR", "etc/bacula")),
                new InvalidSettings("a poll interval that is not a number", "BACULA_PROGRESS_WAIT_SECONDS", ok.with("BACULA_PROGRESS_WAIT_SECONDS", "soon")),
                new InvalidSettings("a timeout of 0", "BACULA_JOB_TIMEOUT", ok.with("BACULA_JOB_TIMEOUT", "0")),
                new InvalidSettings("a volume without a device", "BEXTRACT_DEVICE", ok.with("BEXTRACT_VOLUME", "Vol-0001")),
                new InvalidSettings("a client name with a quote", "BACULA_CLIENT", ok.with("BACULA_CLIENT", "a\"b")),
                new InvalidSettings("a time zone that is none", "BACULA_TIMEZONE", ok.with("BACULA_TIMEZONE", "Mars/Olympus")));
    }

    @Override
    protected CommandRunner commandRunner(Path dir) {
        return new ProcessRunner();
    }

    @Override
    protected BackupRequest backupRequest(Path sourceRoot) {
        settings(); // defines this test's FileSet and its list file
        try {
            Files.writeString(listFile, sourceRoot + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BackupRequest.full(sourceRoot);
    }

    @Override
    protected TreeSnapshot snapshot(Path root) {
        Path source = sourceTree();
        if (root.equals(source)) {
            return TreeSnapshot.of(root);
        }
        Path restored = root.resolve(source.toString().substring(1));
        return TreeSnapshot.of(Files.isDirectory(restored) ? restored : root);
    }
}
