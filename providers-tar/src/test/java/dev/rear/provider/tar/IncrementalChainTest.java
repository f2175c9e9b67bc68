package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestorePoint;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.MutableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BACKUP_TYPE=incremental and differential on real trees: a chain of full, incremental and
 * differential archives, each restore point restored into an empty root and compared, attribute by
 * attribute (and directory mtimes), with the tree as it was when that backup was taken; an empty
 * incremental; broken chains (a link missing, damaged, or replaced by another backup) refused by
 * name before anything is written; and each reason for a full backup instead of an incremental one.
 */
class IncrementalChainTest {

    @TempDir
    Path tmp;
    private Path src;
    private Path store;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-07T10:00:00Z")); // a Monday
    private ProviderSettings settings;
    private final TarBackupProvider provider = new TarBackupProvider();
    private int dirs;

    @BeforeEach
    void tree() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        store = Files.createDirectories(tmp.resolve("store"));
        settings = ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "host")
                .set("BACKUP_TYPE", "incremental").build();
        Files.createDirectories(src.resolve("etc"));
        Files.writeString(src.resolve("etc/a.conf"), "a=1\n");
        Files.writeString(src.resolve("etc/b.conf"), "b=1\n");
        Files.createDirectories(src.resolve("data/dir/deeper"));
        Files.writeString(src.resolve("data/dir/x"), "x\n");
        Files.writeString(src.resolve("data/dir/deeper/y"), "y\n");
        Files.writeString(src.resolve("data/old-name"), "renamed later\n");
        Files.writeString(src.resolve("data/keep"), "same size 1\n");
        Files.writeString(src.resolve("data/h1"), "hard\n");
        Files.createLink(src.resolve("data/h2"), src.resolve("data/h1"));
        Files.createSymbolicLink(src.resolve("data/link"), Path.of("keep"));
        Files.createDirectories(src.resolve("data/becomes-a-file"));
        Files.writeString(src.resolve("data/becomes-a-file/inside"), "i\n");
        Files.writeString(src.resolve("etc/xattr-only"), "x\n");
        Files.writeString(src.resolve("etc/owner-only"), "o\n");
    }

    private FakeProviderContext ctx() {
        return ctx(settings);
    }

    private FakeProviderContext ctx(ProviderSettings s) {
        try {
            return FakeProviderContext.builder(Files.createDirectories(tmp.resolve("ctx-" + (++dirs)))).settings(s).clock(clock).build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private BackupResult backup(BackupKind kind) {
        return backup(kind, ctx());
    }

    private BackupResult backup(BackupKind kind, FakeProviderContext c) {
        BackupResult r = provider.backup(BackupRequest.full(src).withKind(kind), c);
        clock.advance(Duration.ofHours(25));
        pause(); // file times have the kernel's clock-tick granularity: changes come after the backup's last stat
        return r;
    }

    private static void pause() {
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The tree as the comparison sees it: every attribute of every entry, and directory mtimes. */
    private static Map<String, String> state(Path root) throws IOException {
        Map<String, String> out = new LinkedHashMap<>(TreeComparator.describe(root));
        TreeComparator.directoryTimes(root).forEach((k, v) -> out.merge(k, " dir-mtime=" + v, String::concat));
        return out;
    }

    private Path restore(String id) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("target-" + (++dirs)));
        provider.restore(RestoreRequest.everything(target).from(RestorePointSelector.byId(id)), ctx());
        return target;
    }

    private Path hostDir() {
        return store.resolve("host");
    }

    @Test
    void everyPointOfAChainRestoresExactlyTheTreeOfItsDay() throws IOException {
        List<String> ids = new ArrayList<>();
        List<Map<String, String>> trees = new ArrayList<>();

        BackupResult full = backup(BackupKind.INCREMENTAL); // nothing to build on yet: a full one, said so
        assertThat(full.kind()).isEqualTo(BackupKind.FULL);
        assertThat(full.warnings()).singleElement().asString().contains("no full backup");
        ids.add(full.restorePointId());
        trees.add(state(src));
        String fullName = Instant.parse("2030-01-07T10:00:00Z").atZone(Chain.zone())
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + "-F"; // ReaR's naming, local time
        assertThat(full.restorePointId()).isEqualTo(fullName);
        assertThat(hostDir().resolve(fullName + ".tar.zst")).isRegularFile();

        // add, modify, delete a tree, rename, chmod only, a same-size rewrite with its old mtime put back, a new hard link
        Files.writeString(src.resolve("etc/new.conf"), "new\n");
        Files.writeString(src.resolve("etc/a.conf"), "a=2 longer\n");
        deleteTree(src.resolve("data/dir"));
        Files.move(src.resolve("data/old-name"), src.resolve("data/new-name"));
        Posix.chmod(src.resolve("etc/b.conf").toString(), 0600);
        FileTime keepTime = Files.getLastModifiedTime(src.resolve("data/keep"));
        Files.writeString(src.resolve("data/keep"), "same size 2\n");
        Files.setLastModifiedTime(src.resolve("data/keep"), keepTime);
        Files.createLink(src.resolve("etc/h3"), src.resolve("data/h1"));
        Posix.setXattr(src.resolve("etc/xattr-only").toString(), "user.note", "only an xattr changed".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (Posix.isRoot()) {
            Posix.lchown(src.resolve("etc/owner-only").toString(), 1234, 2345); // chown only: the ctime tells
        }
        FakeProviderContext c1 = ctx();
        BackupResult i1 = backup(BackupKind.INCREMENTAL, c1);
        assertThat(i1.kind()).isEqualTo(BackupKind.INCREMENTAL);
        assertThat(i1.basedOn()).isEqualTo(full.restorePointId());
        assertThat(c1.log().lines()).anyMatch(l -> l.contains("an incremental backup of what changed since the latest backup " + fullName + ".tar.zst"));
        ids.add(i1.restorePointId());
        trees.add(state(src));
        Manifest m1 = Manifest.read(hostDir().resolve(i1.restorePointId() + ".tar.zst.manifest"));
        assertThat(m1.kind()).isEqualTo(BackupKind.INCREMENTAL);
        assertThat(m1.base()).isEqualTo(fullName + ".tar.zst");
        assertThat(m1.baseSha256()).isEqualTo(full.contentSha256());
        assertThat(m1.deleted()).containsExactly("/data/dir", "/data/old-name");
        assertThat(m1.byPath().keySet()).contains("/etc/new.conf", "/etc/a.conf", "/etc/b.conf", "/data/keep", "/data/new-name", "/etc/h3",
                "/data/h1", "/data/h2", "/etc", "/data", "/etc/xattr-only").doesNotContain("/data/link", "/data/becomes-a-file/inside");
        if (Posix.isRoot()) {
            assertThat(m1.byPath()).containsKey("/etc/owner-only");
        } else {
            assertThat(m1.byPath()).doesNotContainKey("/etc/owner-only");
        }

        // more changes: a directory becomes a file, a file goes, a directory is added
        deleteTree(src.resolve("data/becomes-a-file"));
        Files.writeString(src.resolve("data/becomes-a-file"), "now a file\n");
        Files.delete(src.resolve("etc/new.conf"));
        Files.createDirectories(src.resolve("srv/www"));
        Files.writeString(src.resolve("srv/www/index.html"), "<p>hi</p>\n");
        BackupResult i2 = backup(BackupKind.INCREMENTAL);
        assertThat(i2.basedOn()).isEqualTo(i1.restorePointId());
        ids.add(i2.restorePointId());
        trees.add(state(src));

        Files.writeString(src.resolve("etc/b.conf"), "b=2\n");
        BackupResult d = backup(BackupKind.DIFFERENTIAL);
        assertThat(d.kind()).isEqualTo(BackupKind.DIFFERENTIAL);
        assertThat(d.basedOn()).as("a differential builds on the full backup").isEqualTo(full.restorePointId());
        assertThat(d.restorePointId()).endsWith("-D");
        ids.add(d.restorePointId());
        trees.add(state(src));
        Manifest md = Manifest.read(hostDir().resolve(d.restorePointId() + ".tar.zst.manifest"));
        assertThat(md.deleted()).containsExactly("/data/becomes-a-file", "/data/dir", "/data/old-name");

        BackupResult empty = backup(BackupKind.INCREMENTAL); // nothing changed (ReaR #1062: empty incrementals)
        assertThat(empty.kind()).isEqualTo(BackupKind.INCREMENTAL);
        assertThat(empty.basedOn()).isEqualTo(d.restorePointId());
        assertThat(empty.files()).isZero();
        Manifest me = Manifest.read(hostDir().resolve(empty.restorePointId() + ".tar.zst.manifest"));
        assertThat(me.entries()).isEmpty();
        assertThat(me.deleted()).isEmpty();
        ids.add(empty.restorePointId());
        trees.add(state(src));

        for (int k = 0; k < ids.size(); k++) {
            Path target = restore(ids.get(k));
            assertThat(TreeComparator.differences(trees.get(k), state(target))).as("restore point %s", ids.get(k)).isEmpty();
        }
        Path latest = Files.createDirectories(tmp.resolve("latest"));
        assertThat(provider.restore(RestoreRequest.everything(latest), ctx()).restorePointId()).isEqualTo(empty.restorePointId());
        Path asOf = Files.createDirectories(tmp.resolve("as-of"));
        Instant betweenI1AndI2 = Instant.parse("2030-01-08T12:00:00Z");
        assertThat(provider.restore(RestoreRequest.everything(asOf).from(RestorePointSelector.asOf(betweenI1AndI2)), ctx()).restorePointId())
                .isEqualTo(i1.restorePointId());
        assertThat(TreeComparator.differences(trees.get(1), state(asOf))).isEmpty();

        List<RestorePoint> points = provider.listRestorePoints(ctx());
        assertThat(points).extracting(RestorePoint::id).containsExactlyElementsOf(ids);
        assertThat(points).extracting(RestorePoint::kind).containsExactly(BackupKind.FULL, BackupKind.INCREMENTAL, BackupKind.INCREMENTAL,
                BackupKind.DIFFERENTIAL, BackupKind.INCREMENTAL);
        assertThat(points).extracting(RestorePoint::basedOn).containsExactly(null, ids.get(0), ids.get(1), ids.get(0), ids.get(3));
        assertThat(points).allSatisfy(p -> assertThat(p.bytes()).isPositive());
        assertThat(points.get(4).description()).contains("0 entries", "a chain of 3 archives");

        VerifyResult v = provider.verify(new VerifyRequest(RestorePointSelector.byId(i2.restorePointId())), ctx());
        assertThat(v.ok()).as("findings %s", v.findings()).isTrue();
        assertThat(v.facts()).containsEntry("archives", "3");
    }

    @Test
    void anIncrementalWhoseBaseWasReplacedIsRefusedNamingItAndWritesNothing() throws IOException {
        BackupResult full = backup(BackupKind.FULL);
        Files.writeString(src.resolve("etc/a.conf"), "changed\n");
        BackupResult inc = backup(BackupKind.INCREMENTAL);
        // ReaR #1145: another full backup written under the base's name (same minute, or copied back)
        BackupResult other = backup(BackupKind.FULL);
        for (String suffix : List.of("", ".manifest", ".index")) {
            Files.move(hostDir().resolve(other.restorePointId() + ".tar.zst" + suffix), hostDir().resolve(full.restorePointId() + ".tar.zst" + suffix),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path target = Files.createDirectories(tmp.resolve("target"));
        assertThatThrownBy(() -> provider.restore(RestoreRequest.everything(target).from(RestorePointSelector.byId(inc.restorePointId())), ctx()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED))
                .hasMessageContaining(full.restorePointId() + ".tar.zst").hasMessageContaining("replaced").hasMessageContaining("nothing was written");
        assertThat(target).isEmptyDirectory();
        assertThat(provider.listRestorePoints(ctx())).extracting(RestorePoint::id).doesNotContain(inc.restorePointId());
        VerifyResult v = provider.verify(new VerifyRequest(RestorePointSelector.byId(inc.restorePointId())), ctx());
        assertThat(v.ok()).isFalse();
        assertThat(v.findings()).singleElement().asString().contains("replaced");
    }

    @Test
    void aMissingLinkIsRefusedNamingItAndTheNextBackupIsAFullOne() throws IOException {
        backup(BackupKind.FULL);
        Files.writeString(src.resolve("etc/a.conf"), "changed once\n");
        BackupResult i1 = backup(BackupKind.INCREMENTAL);
        Files.writeString(src.resolve("etc/a.conf"), "changed twice\n");
        BackupResult i2 = backup(BackupKind.INCREMENTAL);
        Files.delete(hostDir().resolve(i1.restorePointId() + ".tar.zst"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        assertThatThrownBy(() -> provider.restore(RestoreRequest.everything(target), ctx()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED))
                .hasMessageContaining(i1.restorePointId() + ".tar.zst").hasMessageContaining(i2.restorePointId());
        assertThat(target).isEmptyDirectory();

        Files.delete(hostDir().resolve(i1.restorePointId() + ".tar.zst.manifest"));
        assertThatThrownBy(() -> provider.restore(RestoreRequest.everything(target), ctx()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED))
                .hasMessageContaining("based on " + i1.restorePointId() + ".tar.zst, which is missing");
        assertThat(target).isEmptyDirectory();

        FakeProviderContext c = ctx();
        BackupResult next = backup(BackupKind.INCREMENTAL, c);
        assertThat(next.kind()).isEqualTo(BackupKind.FULL);
        assertThat(c.log().lines()).anyMatch(l -> l.contains("a full backup instead of an incremental one: the chain ending in " + i2.restorePointId()
                + ".tar.zst is broken"));
    }

    @Test
    void aDamagedLinkIsRefusedNamingItBeforeAnythingIsWritten() throws IOException {
        backup(BackupKind.FULL);
        Files.writeString(src.resolve("etc/a.conf"), "changed once\n");
        BackupResult i1 = backup(BackupKind.INCREMENTAL);
        Files.writeString(src.resolve("etc/b.conf"), "changed too\n");
        BackupResult i2 = backup(BackupKind.INCREMENTAL);
        Path archive = hostDir().resolve(i1.restorePointId() + ".tar.zst");
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x55);
        }
        Path target = Files.createDirectories(tmp.resolve("target"));
        assertThatThrownBy(() -> provider.restore(RestoreRequest.everything(target).from(RestorePointSelector.byId(i2.restorePointId())), ctx()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED))
                .hasMessageContaining(archive.toString()).hasMessageContaining("SHA-256").hasMessageContaining("nothing was written");
        assertThat(target).isEmptyDirectory();
        VerifyResult v = provider.verify(new VerifyRequest(RestorePointSelector.byId(i2.restorePointId())), ctx());
        assertThat(v.ok()).isFalse();
        assertThat(v.findings()).singleElement().asString().contains(archive.toString());
    }

    @Test
    void aFullBackupDayOrAnOutdatedFullBackupMakesAFullOne() {
        BackupResult full = backup(BackupKind.FULL); // Monday; the clock is now Tuesday 11:00
        String today = clock.instant().atZone(Chain.zone()).getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        FakeProviderContext c = ctx(settings.with("FULLBACKUPDAY", "Sat", today));
        BackupResult onDay = backup(BackupKind.INCREMENTAL, c);
        assertThat(onDay.kind()).isEqualTo(BackupKind.FULL);
        assertThat(c.log().lines()).anyMatch(l -> l.contains("today (" + today + ") is a FULLBACKUPDAY and the last full backup " + full.restorePointId()));

        BackupResult inc = backup(BackupKind.INCREMENTAL);
        assertThat(inc.kind()).isEqualTo(BackupKind.INCREMENTAL);
        assertThat(inc.basedOn()).isEqualTo(onDay.restorePointId());

        clock.advance(Duration.ofDays(3));
        FakeProviderContext c2 = ctx(settings.with("FULLBACKUP_OUTDATED_DAYS", "3"));
        BackupResult outdated = backup(BackupKind.DIFFERENTIAL, c2);
        assertThat(outdated.kind()).isEqualTo(BackupKind.FULL);
        assertThat(c2.log().lines()).anyMatch(l -> l.contains("the last full backup " + onDay.restorePointId() + ".tar.zst is 5 days old, older than"
                + " FULLBACKUP_OUTDATED_DAYS=3"));
    }

    @Test
    void aPlainFullBackupStaysReaRsSingleArchive() {
        ProviderSettings plain = settings.without("BACKUP_TYPE");
        BackupResult r = provider.backup(BackupRequest.full(src), ctx(plain));
        assertThat(hostDir().resolve("backup.tar.zst")).isRegularFile();
        assertThat(r.kind()).isEqualTo(BackupKind.FULL);
        assertThat(provider.listRestorePoints(ctx(plain))).singleElement().extracting(RestorePoint::id).isEqualTo(r.restorePointId());
    }

    @Test
    void aDamagedIndexMakesTheNextBackupAFullOne() throws IOException {
        BackupResult full = backup(BackupKind.FULL);
        Path index = hostDir().resolve(full.restorePointId() + ".tar.zst.index");
        Files.write(index, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        FakeProviderContext c = ctx();
        BackupResult next = backup(BackupKind.INCREMENTAL, c);
        assertThat(next.kind()).isEqualTo(BackupKind.FULL);
        assertThat(c.log().lines()).anyMatch(l -> l.contains("the index of " + full.restorePointId() + ".tar.zst")
                && l.contains("is missing or damaged"));
        assertThat(c.log().lines()).anyMatch(l -> l.contains("SHA-256"));
    }

    @Test
    void anExplicitBaseIsUsedAndAnUnknownOrUnchainedOneIsRefused() throws IOException {
        BackupResult full = backup(BackupKind.FULL);
        Files.writeString(src.resolve("etc/a.conf"), "one\n");
        BackupResult i1 = backup(BackupKind.INCREMENTAL);
        Files.writeString(src.resolve("etc/a.conf"), "two\n");
        BackupResult onFull = provider.backup(new BackupRequest(BackupKind.INCREMENTAL, src, List.of("/"), List.of(), full.restorePointId()), ctx());
        assertThat(onFull.basedOn()).isEqualTo(full.restorePointId());
        assertThat(Manifest.read(hostDir().resolve(onFull.restorePointId() + ".tar.zst.manifest")).byPath()).containsKey("/etc/a.conf");
        assertThat(i1.basedOn()).isEqualTo(full.restorePointId());
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> provider.backup(new BackupRequest(BackupKind.INCREMENTAL, src, List.of("/"), List.of(), "1999-01-01-0000-F"), ctx()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND))
                .hasMessageContaining("1999-01-01-0000-F");
        BackupResult single = provider.backup(BackupRequest.full(src), ctx(settings.without("BACKUP_TYPE")));
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> provider.backup(new BackupRequest(BackupKind.INCREMENTAL, src, List.of("/"), List.of(), single.restorePointId()), ctx()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED))
                .hasMessageContaining("not part of a chain");
    }

    @Test
    void backupsOfTheSameMinuteGetSecondsAndOfTheSameSecondAreRefused() {
        BackupResult a = provider.backup(BackupRequest.full(src), ctx());
        clock.advance(Duration.ofSeconds(10));
        BackupResult b = provider.backup(BackupRequest.full(src).withKind(BackupKind.INCREMENTAL), ctx());
        assertThat(a.restorePointId()).matches("\\d{4}-\\d{2}-\\d{2}-\\d{4}-F");
        assertThat(b.restorePointId()).matches("\\d{4}-\\d{2}-\\d{2}-\\d{6}-I");
        assertThatThrownBy(() -> provider.backup(BackupRequest.full(src).withKind(BackupKind.INCREMENTAL), ctx()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED))
                .hasMessageContaining("exists already");
        assertThat(provider.listRestorePoints(ctx())).extracting(RestorePoint::id).containsExactly(a.restorePointId(), b.restorePointId());
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
