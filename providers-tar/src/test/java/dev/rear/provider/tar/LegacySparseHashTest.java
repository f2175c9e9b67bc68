package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain whose full archive was written before sparse files got {@code sparse:} hashes (its manifest
 * holds the SHA-256 of the sparse file's whole content, holes as zeros) and whose incremental was
 * written after: verify and restore compare each manifest with the hash it was written with, so the
 * old archive is neither taken for damaged nor checked less (a wrong whole-content hash still fails).
 */
class LegacySparseHashTest {

    private static final long APPARENT = 4L << 20;

    @TempDir
    Path tmp;
    private Path src;
    private Path store;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-07T10:00:00Z"));
    private ProviderSettings settings;
    private final TarBackupProvider provider = new TarBackupProvider();
    private int dirs;

    @BeforeEach
    void tree() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        store = Files.createDirectories(tmp.resolve("store"));
        settings = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host")
                .set("BACKUP_TYPE", "incremental").build();
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("disk.img").toFile(), "rw")) {
            f.setLength(APPARENT);
            f.write("start of the data ".repeat(300).getBytes(StandardCharsets.US_ASCII));
            f.seek(APPARENT / 2);
            f.write("middle of the data ".repeat(300).getBytes(StandardCharsets.US_ASCII)); // a trailing hole follows
        }
        Files.writeString(src.resolve("notes"), "v1\n");
    }

    private FakeProviderContext ctx() throws IOException {
        return FakeProviderContext.builder(Files.createDirectories(tmp.resolve("ctx-" + (++dirs)))).settings(settings).clock(clock).build();
    }

    private BackupResult backup() throws IOException {
        BackupResult r = provider.backup(BackupRequest.full(src).withKind(BackupKind.INCREMENTAL), ctx());
        clock.advance(Duration.ofHours(25));
        return r;
    }

    private Path fullManifest() throws IOException {
        try (Stream<Path> s = Files.list(store.resolve("host"))) {
            return s.filter(p -> p.getFileName().toString().contains("-F") && p.getFileName().toString().endsWith(".manifest")).findFirst()
                    .orElseThrow();
        }
    }

    /** Rewrites the sparse file's hash in a manifest as rear wrote it before sparse hashes, or as given. */
    private static void rewriteSparseHash(Path manifest, String sha) throws IOException {
        Manifest m = Manifest.read(manifest);
        List<Manifest.Line> lines = m.entries().stream()
                .map(l -> l.path().equals("/disk.img") ? new Manifest.Line(l.type(), l.size(), sha, l.path()) : l).toList();
        new Manifest(m.created(), m.archive(), lines, m.archiveBytes(), m.archiveSha256(), m.kind(), m.base(), m.baseSha256(),
                m.indexSha256(), m.deleted()).write(manifest);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return TarWriter.sha256(in);
        }
    }

    @Test
    void aChainStartedBeforeSparseHashesVerifiesAndRestores() throws IOException {
        BackupResult full = backup();
        String recorded = Manifest.read(fullManifest()).byPath().get("/disk.img").sha256();
        assertThat(recorded).as("this build writes sparse hashes").startsWith(TarWriter.SPARSE_SHA256);
        rewriteSparseHash(fullManifest(), sha256(src.resolve("disk.img"))); // as the full archive's rear wrote it
        Files.writeString(src.resolve("notes"), "v2, longer\n");
        BackupResult incr = backup();
        assertThat(incr.kind()).isEqualTo(BackupKind.INCREMENTAL);

        for (String id : List.of(full.restorePointId(), incr.restorePointId())) {
            VerifyResult v = provider.verify(new VerifyRequest(RestorePointSelector.byId(id)), ctx());
            assertThat(v.findings()).as("verify of " + id).isEmpty();
        }
        Path target = Files.createDirectories(tmp.resolve("target"));
        provider.restore(RestoreRequest.everything(target).from(RestorePointSelector.byId(incr.restorePointId())), ctx());
        assertThat(sha256(target.resolve("disk.img"))).isEqualTo(sha256(src.resolve("disk.img")));
        assertThat(Files.size(target.resolve("disk.img"))).isEqualTo(APPARENT);
        assertThat(Files.readString(target.resolve("notes"))).isEqualTo("v2, longer\n");
    }

    @Test
    void aWrongWholeContentHashIsStillFound() throws IOException {
        BackupResult full = backup();
        String wrong = TarWriter.sha256(new java.io.ByteArrayInputStream("not the disk".getBytes(StandardCharsets.US_ASCII)));
        rewriteSparseHash(fullManifest(), wrong);

        VerifyResult v = provider.verify(new VerifyRequest(RestorePointSelector.byId(full.restorePointId())), ctx());
        assertThat(v.findings()).singleElement().satisfies(d -> assertThat(d.message()).contains("/disk.img").contains(wrong));
        Path target = Files.createDirectories(tmp.resolve("target"));
        assertThatThrownBy(() -> provider.restore(RestoreRequest.everything(target).from(RestorePointSelector.byId(full.restorePointId())), ctx()))
                .isInstanceOf(ProviderException.class).hasMessageContaining("/disk.img").hasMessageContaining("says " + wrong);
    }
}
