package dev.rear.provider.tar;

import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestorePointSelector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * ReaR's {@code BACKUP_TYPE=incremental|differential} on the tar provider: the archives of a chain,
 * named as ReaR names them ({@code YYYY-MM-DD-HHMM-F.tar.zst} for a full one, {@code -I} for an
 * incremental, {@code -D} for a differential, in the machine's time zone; seconds are added only
 * when a name of that minute is taken), each with its manifest (what it is based on: the base
 * archive's name and SHA-256; its deletions) and its {@link TreeIndex}. Kept side by side in the
 * host's backup directory; nothing is deleted by rear.
 *
 * <p>Unlike ReaR's {@code tar --newer=DATE} (day granularity, by mtime, deletions not tracked), a
 * chain restores exactly the tree of the day of any of its points, and a link that is missing or was
 * replaced is refused by name instead of restoring a wrong tree (ReaR issues #1062, #1145).
 *
 * <p>Which kind a backup is (one sentence logged for each decision): a full one when asked for
 * (the request's kind), when there is no full backup yet, when the chain ending in the latest backup
 * is broken, on a {@code FULLBACKUPDAY} (day names as {@code date +%a} prints them in the C locale:
 * {@code Mon .. Sun}) unless today's full backup exists, or when the last full backup is older than
 * {@code FULLBACKUP_OUTDATED_DAYS} days (default 7, as ReaR); otherwise what was asked for: an
 * incremental backup on the latest backup of the chain, or a differential one on its full backup.
 */
final class Chain {

    private Chain() {}

    static final String FULLBACKUPDAY = "FULLBACKUPDAY";
    static final String OUTDATED = "FULLBACKUP_OUTDATED_DAYS";
    static final String TYPE = "BACKUP_TYPE";
    private static final Pattern NAME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}-\\d{4}(?:\\d{2})?)-([FID])(\\.tar(?:\\.zst|\\.gz)?)");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** One restorable archive: a chain's ({@code ...-F/I/D.tar.zst}) or the single {@code backup.tar.zst}. */
    record Point(String id, Path archive, Path manifestFile, Manifest manifest) {
        BackupKind kind() {
            return manifest.kind() == null ? BackupKind.FULL : manifest.kind();
        }

        Path index() {
            return archive.resolveSibling(archive.getFileName() + ".index");
        }

        String name() {
            return archive.getFileName().toString();
        }
    }

    /** Why a backup is of the kind it is, and what it is based on. */
    record Decision(BackupKind kind, @Nullable Point base, String why) {}

    // ------------------------------------------------------------------------------------ settings

    /** Whether backups go into a chain: {@code BACKUP_TYPE} is incremental or differential, or the request is. */
    static boolean chained(ProviderSettings s, BackupKind asked) {
        String t = s.get(TYPE).orElse("");
        return asked != BackupKind.FULL || t.equals("incremental") || t.equals("differential");
    }

    static void validate(ProviderSettings s, List<Diagnostic> out) {
        String t = s.get(TYPE).orElse("");
        if (!List.of("", "full", "incremental", "differential").contains(t)) {
            out.add(Diagnostic.error(TYPE, TYPE + "=" + t + " is not a backup type: write incremental, differential, or full (or nothing)"));
        }
        for (String d : s.list(FULLBACKUPDAY)) {
            if (!DAYS.contains(d.toLowerCase(Locale.ROOT))) {
                out.add(Diagnostic.error(FULLBACKUPDAY, FULLBACKUPDAY + " holds '" + d + "', which is not a day name as date +%a prints"
                        + " it (Mon Tue Wed Thu Fri Sat Sun)"));
            }
        }
        Optional<String> days = s.get(OUTDATED);
        if (days.isPresent() && !days.get().matches("\\d{1,5}")) {
            out.add(Diagnostic.error(OUTDATED, OUTDATED + "=" + days.get() + " must be a whole number of days"));
        }
        if (!t.isEmpty() && !t.equals("full")) {
            try {
                if (s.flag("NETFS_KEEP_OLD_BACKUP_COPY", false)) {
                    out.add(Diagnostic.error("NETFS_KEEP_OLD_BACKUP_COPY", "NETFS_KEEP_OLD_BACKUP_COPY cannot be used with " + TYPE + "=" + t
                            + " (as in ReaR): a chain keeps every archive anyway"));
                }
            } catch (ProviderException e) {
                out.add(Diagnostic.error("NETFS_KEEP_OLD_BACKUP_COPY", e.getMessage()));
            }
        }
    }

    // ------------------------------------------------------------------------------------ the directory

    /**
     * Every restore point in {@code dir} (chain archives and the single backup.tar.*), oldest first.
     * A manifest that cannot be read is reported to {@code unreadable} and left out: its archive is
     * then missing to any chain that needs it, which names it.
     */
    static List<Point> scan(Path dir, java.util.function.Consumer<String> unreadable) {
        List<Point> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.manifest")) {
            for (Path m : ds) {
                String archiveName = m.getFileName().toString().substring(0, m.getFileName().toString().length() - ".manifest".length());
                Matcher x = NAME.matcher(archiveName);
                boolean chained = x.matches();
                if (!chained && !archiveName.matches("backup\\.tar(\\.zst|\\.gz)?")) {
                    continue;
                }
                Manifest manifest;
                try {
                    manifest = Manifest.read(m);
                } catch (IOException | RuntimeException e) {
                    unreadable.accept("the manifest " + m + " cannot be read, so its archive is no restore point: " + e.getMessage());
                    continue;
                }
                String id = chained ? x.group(1) + "-" + x.group(2) : manifest.created().toString();
                out.add(new Point(id, dir.resolve(archiveName), m, manifest));
            }
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "cannot list the backup directory " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing((Point p) -> p.manifest().created()).thenComparing(Point::id));
        return out;
    }

    /** The restore point id of a chain archive: its name without {@code .tar...} ({@code 2030-01-07-1000-F}). */
    static String id(String archiveName) {
        Matcher x = NAME.matcher(archiveName);
        if (!x.matches()) {
            throw new IllegalArgumentException(archiveName + " is not the name of a chain archive");
        }
        return x.group(1) + "-" + x.group(2);
    }

    /** The point a selector means: by id, the newest not after a time, or the newest. */
    static Point select(List<Point> points, RestorePointSelector selector, Path dir) {
        if (selector.id() != null) {
            return points.stream().filter(p -> p.id().equals(selector.id())).findFirst().orElseThrow(() ->
                    new ProviderException(Kind.NOT_FOUND, "there is no backup " + selector.id() + " in " + dir));
        }
        if (points.isEmpty()) {
            throw new ProviderException(Kind.NOT_FOUND, "there is no backup (an archive with its manifest) in " + dir);
        }
        if (selector.asOf() != null) {
            Instant t = selector.asOf();
            return points.stream().filter(p -> !p.manifest().created().isAfter(t)).reduce((a, b) -> b).orElseThrow(() ->
                    new ProviderException(Kind.NOT_FOUND, "there is no backup taken on or before " + t + " in " + dir + "; the oldest is "
                            + points.get(0).id() + " of " + points.get(0).manifest().created()));
        }
        return points.get(points.size() - 1);
    }

    /**
     * The archives to apply to restore {@code point}, its full backup first. Refused (kind
     * {@code REFUSED}, naming the archive) when a link is missing, has no archive of the size its
     * manifest says, or is not the archive its successor was based on (its SHA-256 differs: replaced).
     * Reads manifests only; {@link #checkHashes} reads the archives.
     */
    static List<Point> links(Point point, List<Point> all, boolean checkSizes) {
        List<Point> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Point p = point;
        while (true) {
            if (!seen.add(p.name())) {
                throw new ProviderException(Kind.REFUSED, "the chain of " + point.name() + " loops at " + p.name() + "; refused");
            }
            if (checkSizes) {
                checkPresent(p, point);
            }
            out.add(0, p);
            Manifest m = p.manifest();
            if (m.base() == null) {
                if (p.kind() != BackupKind.FULL) {
                    throw new ProviderException(Kind.REFUSED, "the " + kindName(p.kind()) + " archive " + p.archive()
                            + " names no base archive; its manifest is damaged, so " + point.name() + " cannot be restored");
                }
                return out;
            }
            Point child = p;
            Point base = all.stream().filter(x -> x.name().equals(m.base())).findFirst().orElseThrow(() ->
                    new ProviderException(Kind.REFUSED, "the " + kindName(child.kind()) + " archive " + child.archive() + " is based on "
                            + m.base() + ", which is missing from " + child.archive().getParent() + " (with its manifest); the chain of "
                            + point.name() + " is broken, nothing was written"));
            if (!base.manifest().archiveSha256().equals(m.baseSha256())) {
                throw new ProviderException(Kind.REFUSED, "the " + kindName(child.kind()) + " archive " + child.archive() + " is based on "
                        + m.base() + " with SHA-256 " + m.baseSha256() + ", but " + base.archive() + " now has SHA-256 "
                        + base.manifest().archiveSha256() + " (it was replaced by another backup); the chain of " + point.name()
                        + " is broken, nothing was written");
            }
            p = base;
        }
    }

    private static void checkPresent(Point p, Point of) {
        try {
            long size = Files.size(p.archive());
            if (size != p.manifest().archiveBytes()) {
                throw new ProviderException(Kind.REFUSED, "the archive " + p.archive() + " has " + size + " bytes, its manifest says "
                        + p.manifest().archiveBytes() + "; " + of.name() + " cannot be restored, nothing was written");
            }
        } catch (IOException e) {
            throw new ProviderException(Kind.REFUSED, "the archive " + p.archive() + " is missing (" + e.getMessage() + "); "
                    + (p == of ? "" : "it is a link of the chain of " + of.name() + ", which ") + "cannot be restored, nothing was written", e);
        }
    }

    /** Reads every archive of a chain and refuses, naming it, the first whose SHA-256 is not its manifest's. */
    static void checkHashes(List<Point> links, Runnable checkpoint) {
        for (Point p : links) {
            checkpoint.run();
            String sha;
            try (InputStream in = Files.newInputStream(p.archive())) {
                sha = TarWriter.sha256(in);
            } catch (IOException e) {
                throw new ProviderException(Kind.REFUSED, "the archive " + p.archive() + (e instanceof java.nio.file.NoSuchFileException
                        ? " is missing" : " cannot be read (" + e.getMessage() + ")") + "; the chain of " + links.get(links.size() - 1).name()
                        + " is broken, nothing was written", e);
            }
            if (!sha.equals(p.manifest().archiveSha256())) {
                throw new ProviderException(Kind.REFUSED, "the archive " + p.archive() + " has SHA-256 " + sha + ", its manifest says "
                        + p.manifest().archiveSha256() + " (damaged or replaced); the chain of " + links.get(links.size() - 1).name()
                        + " cannot be restored, nothing was written");
            }
        }
    }

    // ------------------------------------------------------------------------------------ deciding

    /**
     * What kind of backup to make now, asked for {@code asked}, given the points in the directory.
     * {@code baseUsable} tells whether a candidate base's index can be read.
     */
    static Decision decide(BackupKind asked, List<Point> points, ZonedDateTime now, ProviderSettings s, java.util.function.Predicate<Point> baseUsable) {
        List<Point> chained = points.stream().filter(p -> p.manifest().chained()).toList();
        if (asked == BackupKind.FULL) {
            return new Decision(BackupKind.FULL, null, "a full backup, as asked for");
        }
        Optional<Point> full = chained.stream().filter(p -> p.kind() == BackupKind.FULL).reduce((a, b) -> b);
        if (full.isEmpty()) {
            return new Decision(BackupKind.FULL, null, "a full backup instead of " + article(asked) + " one: there is no full backup of a chain"
                    + " in " + (points.isEmpty() ? "the backup directory" : points.get(0).archive().getParent()) + " yet");
        }
        Point f = full.get();
        Point latest = chained.get(chained.size() - 1);
        Point base = asked == BackupKind.INCREMENTAL ? latest : f;
        try {
            List<Point> chain = links(latest, points, true);
            if (!chain.get(0).equals(f)) {
                throw new ProviderException(Kind.REFUSED, "the latest backup " + latest.name() + " does not build on the latest full one " + f.name());
            }
        } catch (ProviderException e) {
            return new Decision(BackupKind.FULL, null, "a full backup instead of " + article(asked) + " one: the chain ending in "
                    + latest.name() + " is broken (" + e.getMessage() + ")");
        }
        if (!baseUsable.test(base)) {
            return new Decision(BackupKind.FULL, null, "a full backup instead of " + article(asked) + " one: the index of " + base.name()
                    + " (" + base.index().getFileName() + ") is missing or damaged, so the changes since it cannot be found");
        }
        String today = now.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        boolean fullDay = s.list(FULLBACKUPDAY).stream().anyMatch(d -> d.equalsIgnoreCase(today));
        ZonedDateTime fullAt = f.manifest().created().atZone(now.getZone());
        if (fullDay && !fullAt.toLocalDate().equals(now.toLocalDate())) {
            return new Decision(BackupKind.FULL, null, "a full backup instead of " + article(asked) + " one: today (" + today + ") is a "
                    + FULLBACKUPDAY + " and the last full backup " + f.name() + " is not from today");
        }
        int days = Integer.parseInt(s.get(OUTDATED).orElse("7"));
        if (Duration.between(f.manifest().created(), now.toInstant()).compareTo(Duration.ofDays(days)) > 0) {
            return new Decision(BackupKind.FULL, null, "a full backup instead of " + article(asked) + " one: the last full backup " + f.name()
                    + " is " + Duration.between(f.manifest().created(), now.toInstant()).toDays() + " days old, older than "
                    + OUTDATED + "=" + days);
        }
        return new Decision(asked, base, asked == BackupKind.INCREMENTAL
                ? "an incremental backup of what changed since the latest backup " + base.name()
                : "a differential backup of what changed since the full backup " + base.name());
    }

    /** A free archive name for a backup of this kind taken at {@code at}. */
    static String newName(Path dir, ZonedDateTime at, BackupKind kind, String tarSuffix) {
        String letter = switch (kind) {
            case FULL -> "F";
            case INCREMENTAL -> "I";
            case DIFFERENTIAL -> "D";
        };
        String minute = at.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT));
        String name = minute + "-" + letter + tarSuffix;
        if (taken(dir, minute)) {
            String second = at.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss", Locale.ROOT));
            if (taken(dir, second)) {
                throw new ProviderException(Kind.REFUSED, "a backup of " + second + " exists already in " + dir + "; not overwritten");
            }
            name = second + "-" + letter + tarSuffix;
        }
        return name;
    }

    private static boolean taken(Path dir, String minute) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, minute + "-*")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    static ZoneId zone() {
        return ZoneId.systemDefault();
    }

    static String kindName(BackupKind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

    private static String article(BackupKind k) {
        return k == BackupKind.INCREMENTAL ? "an incremental" : "a differential";
    }
}
