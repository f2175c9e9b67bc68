package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.testkit.BackupProviderContract;
import dev.rear.testkit.InvalidSettings;
import dev.rear.testkit.TreeSnapshot;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The tar provider passes the whole provider contract, and does what its javadoc says besides. */
class TarBackupProviderTest extends BackupProviderContract {

    @Override
    protected BackupProvider provider() {
        return new TarBackupProvider();
    }

    @Override
    protected ProviderSettings validSettings(Path dir) throws IOException {
        Path store = Files.createDirectories(dir.resolve("backups"));
        // the contract runs on chains (every backup kept, so several restore points); plain() is ReaR's default layout
        return ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "testhost")
                .set("BACKUP_TYPE", "incremental").build();
    }

    /** ReaR's default NETFS layout: BACKUP_TYPE empty, one backup.tar.zst replaced by each backup. */
    private ProviderSettings plainSettings() {
        return settings().without("BACKUP_TYPE");
    }

    private dev.rear.testkit.FakeProviderContext plain() {
        return dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(plainSettings()).clock(clock()).build();
    }

    @Override
    protected List<InvalidSettings> invalidSettings(Path dir) throws IOException {
        ProviderSettings valid = validSettings(dir);
        return List.of(
                new InvalidSettings("BACKUP_URL unset", "BACKUP_URL", valid.without("BACKUP_URL")),
                new InvalidSettings("BACKUP_URL on ftp", "BACKUP_URL", valid.with("BACKUP_URL", "ftp://server/export")),
                new InvalidSettings("BACKUP_URL on nfs without an export", "BACKUP_URL", valid.with("BACKUP_URL", "nfs://server")),
                new InvalidSettings("BACKUP_URL to a missing directory", "BACKUP_URL",
                        valid.with("BACKUP_URL", dir.resolve("missing").toUri().toString())),
                new InvalidSettings("NETFS_PREFIX with a slash", "NETFS_PREFIX", valid.with("NETFS_PREFIX", "a/b")),
                new InvalidSettings("compression xz", "REAR_TAR_COMPRESSION", valid.with("REAR_TAR_COMPRESSION", "xz")),
                new InvalidSettings("gzip level 12", "REAR_TAR_COMPRESSION_LEVEL",
                        valid.with("REAR_TAR_COMPRESSION", "gzip").with("REAR_TAR_COMPRESSION_LEVEL", "12")),
                new InvalidSettings("zstd workers not a number", "REAR_TAR_ZSTD_WORKERS", valid.with("REAR_TAR_ZSTD_WORKERS", "many")),
                new InvalidSettings("relative BACKUP_PROG_INCLUDE", "BACKUP_PROG_INCLUDE", valid.with("BACKUP_PROG_INCLUDE", "etc")),
                new InvalidSettings("BACKUP_ONLY_INCLUDE without includes", "BACKUP_ONLY_INCLUDE", valid.with("BACKUP_ONLY_INCLUDE", "yes")),
                new InvalidSettings("BACKUP_TYPE weekly", "BACKUP_TYPE", valid.with("BACKUP_TYPE", "weekly")),
                new InvalidSettings("FULLBACKUPDAY Sunday", "FULLBACKUPDAY", valid.with("FULLBACKUPDAY", "Mon", "Sunday")),
                new InvalidSettings("FULLBACKUP_OUTDATED_DAYS a week", "FULLBACKUP_OUTDATED_DAYS", valid.with("FULLBACKUP_OUTDATED_DAYS", "week")),
                new InvalidSettings("NETFS_KEEP_OLD_BACKUP_COPY with a chain", "NETFS_KEEP_OLD_BACKUP_COPY",
                        valid.with("NETFS_KEEP_OLD_BACKUP_COPY", "yes")));
    }

    private Path hostDir() {
        return Path.of(URI.create(settings().require("BACKUP_URL")).getPath()).resolve("testhost");
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(BackupProvider.class).stream().map(ServiceLoader.Provider::type)).contains(TarBackupProvider.class);
    }

    @Test
    void writesTheArchiveAndItsManifestWhereReaRDoes() throws IOException {
        BackupResult r = provider().backup(BackupRequest.full(sourceTree()), plain());
        assertThat(hostDir().resolve("backup.tar.zst")).isRegularFile();
        Manifest m = Manifest.read(hostDir().resolve("backup.tar.zst.manifest"));
        assertThat(m.archiveSha256()).isEqualTo(r.contentSha256());
        assertThat(m.byPath()).containsKeys("/", "/etc/hostname", "/usr/lib/hostname-link", "/var/empty-dir");
        assertThat(m.byPath().get("/etc/hostname").sha256())
                .isEqualTo(TarWriter.sha256(new java.io.ByteArrayInputStream("sample\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(m.byPath().get("/etc/hostname").type()).isEqualTo('0');
        assertThat(m.byPath().get("/usr/lib/hostname-link").type()).isEqualTo('2');
        assertThat(hostDir()).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void gzipAndNoCompressionRoundTrip() throws IOException {
        for (String c : List.of("gzip", "none")) {
            ProviderSettings s = plainSettings().with("REAR_TAR_COMPRESSION", c);
            var ctx = dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build();
            provider().backup(BackupRequest.full(sourceTree()), ctx);
            assertThat(hostDir().resolve(c.equals("gzip") ? "backup.tar.gz" : "backup.tar")).isRegularFile();
            Path target = newDirectory("target");
            provider().restore(RestoreRequest.everything(target), dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build());
            assertThat(TreeSnapshot.of(sourceTree()).differencesIn(TreeSnapshot.of(target))).as(c).isEmpty();
            Files.delete(hostDir().resolve(c.equals("gzip") ? "backup.tar.gz.manifest" : "backup.tar.manifest"));
        }
    }

    @Test
    void excludesAndBackupProgExcludeLeaveTreesOut() {
        ProviderSettings s = settings().with("BACKUP_PROG_EXCLUDE", "/var/*", "/home/user/bin/*.sh");
        var ctx = dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build();
        provider().backup(BackupRequest.full(sourceTree()), ctx);
        Path target = newDirectory("target");
        provider().restore(RestoreRequest.everything(target), dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build());
        assertThat(TreeSnapshot.of(sourceTree()).without("var/lib", "var/empty-dir", "home/user/bin/script.sh")
                .differencesIn(TreeSnapshot.of(target))).isEmpty();
    }

    @Test
    void excludeMountpointsKeepsTheDirectoryButNotItsContents() {
        ProviderSettings s = settings().with("EXCLUDE_MOUNTPOINTS", "/home");
        var ctx = dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build();
        provider().backup(BackupRequest.full(sourceTree()), ctx);
        Path target = newDirectory("target");
        provider().restore(RestoreRequest.everything(target), dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build());
        assertThat(target.resolve("home")).isEmptyDirectory();
        assertThat(target.resolve("etc/hostname")).hasContent("sample");
    }

    @Test
    void backupOnlyIncludeTakesOnlyTheListedTrees() {
        ProviderSettings s = settings().with("BACKUP_PROG_INCLUDE", "/etc").with("BACKUP_ONLY_INCLUDE", "yes");
        var ctx = dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build();
        provider().backup(BackupRequest.full(sourceTree()), ctx);
        Path target = newDirectory("target");
        provider().restore(RestoreRequest.everything(target), dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build());
        assertThat(TreeSnapshot.of(sourceTree()).only("etc").differencesIn(TreeSnapshot.of(target))).isEmpty();
    }

    @Test
    void theBackupDirectoryItselfIsNeverArchived() throws IOException {
        Path source = sourceTree();
        Path store = Files.createDirectories(source.resolve("var/backup"));
        ProviderSettings s = plainSettings().with("BACKUP_URL", store.toUri().toString());
        var ctx = dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build();
        provider().backup(BackupRequest.full(source), ctx);
        provider().backup(BackupRequest.full(source), ctx);
        Manifest m = Manifest.read(store.resolve("testhost/backup.tar.zst.manifest"));
        assertThat(m.byPath().keySet()).noneMatch(p -> p.startsWith("/var/backup"));
    }

    @Test
    void verifyNamesTheEntryWhereACorruptedByteIs() throws IOException {
        ProviderSettings s = plainSettings().with("REAR_TAR_COMPRESSION", "none");
        var ctx = dev.rear.testkit.FakeProviderContext.builder(newDirectory("tmp")).settings(s).build();
        provider().backup(BackupRequest.full(sourceTree()), ctx);
        Path archive = hostDir().resolve("backup.tar");
        byte[] bytes = Files.readAllBytes(archive);
        int at = indexOf(bytes, "UUID=0a1b2c3d".getBytes());
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.seek(at);
            f.write('X');
        }
        VerifyResult r = provider().verify(VerifyRequest.latest(), ctx);
        assertThat(r.ok()).isFalse();
        assertThat(r.findings()).singleElement().asString().contains("/etc/fstab");
        assertThatThrownBy(() -> provider().restore(RestoreRequest.everything(newDirectory("target")), ctx))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED))
                .hasMessageContaining("entry /etc/fstab restored with SHA-256 ") // found by the file's own check, not only by the archive's hash
                .hasMessageContaining("is damaged and the target root holds an incomplete restore");
    }

    @Test
    void verifyNamesTheEntryWhereATruncatedArchiveEnds() throws IOException {
        provider().backup(BackupRequest.full(sourceTree()), plain());
        Path archive = hostDir().resolve("backup.tar.zst");
        long size = Files.size(archive);
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.setLength(size / 2);
        }
        VerifyResult r = provider().verify(VerifyRequest.latest(), plain());
        assertThat(r.ok()).isFalse();
        assertThat(r.findings()).singleElement().asString().contains("damaged at entry /");
        assertThatThrownBy(() -> provider().restore(RestoreRequest.everything(newDirectory("target")), plain()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED))
                .hasMessageContaining("stopped at entry /");
    }

    @Test
    void aMissingManifestIsNotFound() throws IOException {
        provider().backup(BackupRequest.full(sourceTree()), plain());
        Files.delete(hostDir().resolve("backup.tar.zst.manifest"));
        assertThatThrownBy(() -> provider().verify(VerifyRequest.latest(), plain()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
