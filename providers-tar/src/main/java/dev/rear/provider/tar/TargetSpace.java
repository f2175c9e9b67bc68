package dev.rear.provider.tar;

import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Checks made on the target before a backup writes a byte: that its directory takes a new file,
 * and that it has room for the archive. The room needed is estimated from the tree to be archived
 * (walked with the same includes, excludes and one-file-system rule as the backup: the data of each
 * regular file, holes of sparse files not counted, plus a header per entry) times a compression
 * ratio: the ratio of the previous backup in the same directory when there is one, else 1/3 for zstd
 * and gzip (low on purpose: the check refuses only a target that is clearly too small) and 1 for none.
 * The previous archive stays until the new one is complete, so the room is the space free now.
 * Before that walk, a quick bound from the source filesystems' usage ({@link #usageBound}) spares
 * it when the target plainly has room: on a 60,000-file tree a walk of its own, before the backup's,
 * read every inode once more (from disk, when the cache is cold).
 */
final class TargetSpace {

    /** The ratio assumed for a compressed archive when no earlier backup tells better. */
    static final double ASSUMED_RATIO = 1.0 / 3;
    private static final long HEADER = 1024;

    private TargetSpace() {}

    /** What the backup will need: bytes of data found and the estimated archive size, and how it was estimated. */
    record Estimate(long entries, long dataBytes, long archiveBytes, String how) {}

    /**
     * Fails with REFUSED when {@code dir} does not take a new file (read-only, permissions), naming
     * the directory and the reason.
     */
    static void checkWritable(Path dir, String target) {
        Path probe = null;
        try {
            Files.createDirectories(dir);
            probe = Files.createTempFile(dir, ".rear-write-test-", ".tmp");
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
            throw new ProviderException(Kind.REFUSED, "the backup target " + target + " is not writable: cannot create a file in "
                    + dir + " (" + why + ")", e);
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a stray empty probe file is harmless
                }
            }
        }
    }

    /**
     * Walks the includes as the backup will. With a {@code base} index (an incremental or differential
     * backup of a chain), only the data of regular files that changed since it counts, as only those
     * are written ({@link TreeIndex#changed}).
     */
    static Estimate estimate(Path sourceRoot, List<String> includes, Predicate<String> excluded, String compression,
                             @Nullable Manifest previous, @Nullable TreeIndex base) throws IOException {
        long[] sum = new long[2]; // entries, data bytes
        for (String include : includes) {
            Path from = include.equals("/") ? sourceRoot : sourceRoot.resolve(include.substring(1));
            if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                continue; // the backup names it
            }
            String name = sourceRoot.relativize(from).toString();
            Object dev = Files.getAttribute(from, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            walk(from, name, dev, excluded, base, sum);
        }
        long data = sum[1] + sum[0] * HEADER;
        double ratio;
        String how;
        long previousData = previous == null ? 0 : previous.entries().stream().mapToLong(Manifest.Line::size).sum();
        if (previous != null && previousData > 0 && previous.archiveBytes() > 0) {
            ratio = Math.min(1.0, (double) previous.archiveBytes() / previousData);
            how = String.format(Locale.ROOT, "%s of data in %d entries, compressed as the previous backup was (to %.0f%%)",
                    human(sum[1]), sum[0], ratio * 100);
        } else if (compression.equals("none")) {
            ratio = 1.0;
            how = human(sum[1]) + " of data in " + sum[0] + " entries, uncompressed";
        } else {
            ratio = ASSUMED_RATIO;
            how = String.format(Locale.ROOT, "%s of data in %d entries, assuming %s compresses it to a third", human(sum[1]), sum[0], compression);
        }
        return new Estimate(sum[0], sum[1], (long) Math.ceil(data * ratio), how);
    }

    private static void walk(Path file, String name, Object dev, Predicate<String> excluded, @Nullable TreeIndex base, long[] sum)
            throws IOException {
        if (!name.isEmpty() && excluded.test("/" + name)) {
            return;
        }
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, "unix:mode,size,dev", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        sum[0]++;
        int fmt = (Integer) a.get("mode") & 0170000;
        if (fmt == 0100000) {
            if (base != null && !base.changed(name.isEmpty() ? "/" : "/" + name, TreeIndex.stat(file))) {
                return; // not written by this backup
            }
            long size = (Long) a.get("size");
            if (size >= 1 << 20) {
                size = Posix.dataExtents(Names.of(file), size).stream().mapToLong(x -> x[1]).sum();
            }
            sum[1] += size;
        } else if (fmt == 0040000 && dev.equals(a.get("dev"))) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(file)) {
                for (Path child : ds) {
                    walk(child, (name.isEmpty() ? "" : name + "/") + Names.fileName(child), dev, excluded, base, sum); // exact bytes, as TarWriter
                }
            } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
                // vanished or unreadable: the backup reports it
            }
        }
    }

    /** The walk of {@link #estimate}, deferred: made only when the quick bound does not settle it. */
    interface Estimator {
        Estimate estimate() throws IOException;
    }

    /**
     * Filesystems whose used space bounds the data of their files: no transparent compression and no
     * extents shared between files to speak of. On others (btrfs, zfs, bcachefs, f2fs, ...) a file
     * can hold more than the space it takes, so their usage proves nothing.
     */
    private static final java.util.Set<String> USAGE_BOUNDS_DATA = java.util.Set.of("ext2", "ext3", "ext4", "xfs", "jfs", "reiserfs", "tmpfs",
            "vfat", "msdos", "exfat");

    /**
     * Checks that {@code dir} has room for the backup; returns, for the log, how that was judged. First
     * the quick bound ({@link #usageBound}): when the filesystems the includes are on hold, all told,
     * less than the target has free (uncompressed, with a header for every inode in use), the archive
     * fits whatever it compresses to, and the tree is not walked twice. Otherwise the walk of
     * {@code estimator} and {@link #checkSpace}.
     */
    static String checkRoom(Path dir, String target, Path sourceRoot, List<String> includes, Estimator estimator) throws IOException {
        return checkRoom(dir, target, free(dir, target), sourceRoot, includes, estimator);
    }

    /** {@link #checkRoom} with the free space of {@code dir} given. */
    static String checkRoom(Path dir, String target, long free, Path sourceRoot, List<String> includes, Estimator estimator) throws IOException {
        String bound = usageBound(sourceRoot, includes, free);
        if (bound != null) {
            return bound;
        }
        Estimate e = estimator.estimate();
        checkSpace(dir, target, free, e);
        return "room on the target: " + human(free) + " free, the backup needs an estimated " + human(e.archiveBytes()) + " (" + e.how() + ")";
    }

    /**
     * The quick bound: null when it does not show that {@code free} bytes are enough (a filesystem
     * not in {@link #USAGE_BOUNDS_DATA}, one that cannot be asked, or more in use than is free),
     * else what it found.
     */
    static @Nullable String usageBound(Path sourceRoot, List<String> includes, long free) {
        Map<Object, Path> filesystems = new java.util.LinkedHashMap<>();
        try {
            for (String include : includes) {
                Path from = include.equals("/") ? sourceRoot : sourceRoot.resolve(include.substring(1));
                if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                    filesystems.putIfAbsent(Files.getAttribute(from, "unix:dev", LinkOption.NOFOLLOW_LINKS), from);
                }
            }
            long bytes = 0;
            for (Path from : filesystems.values()) {
                String type = Files.getFileStore(from).type();
                if (!USAGE_BOUNDS_DATA.contains(type)) {
                    return null;
                }
                Posix.FsUsage u = Posix.usage(Names.of(from));
                bytes += u.usedBytes() + u.usedInodes() * HEADER;
            }
            if (filesystems.isEmpty() || bytes > free) {
                return null;
            }
            return "room on the target: " + human(free) + " free, more than the " + filesystems.size() + " source filesystem"
                    + (filesystems.size() == 1 ? "" : "s") + " hold uncompressed (" + human(bytes) + " in use, a header per inode counted)";
        } catch (IOException | RuntimeException e) {
            return null; // the walk decides
        }
    }

    private static long free(Path dir, String target) {
        try {
            FileStore store = Files.getFileStore(dir);
            return store.getUsableSpace();
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "cannot read the free space of " + dir + " (" + target + "): " + e.getMessage(), e);
        }
    }

    /** Fails with REFUSED, with the numbers, when {@code free}, the room in {@code dir}, is less than the estimate. */
    private static void checkSpace(Path dir, String target, long free, Estimate estimate) {
        if (free < estimate.archiveBytes()) {
            throw new ProviderException(Kind.REFUSED, "the backup target " + target + " has " + human(free) + " (" + free + " bytes) free in "
                    + dir + ", the backup needs an estimated " + human(estimate.archiveBytes()) + " (" + estimate.archiveBytes() + " bytes: "
                    + estimate.how() + "); free space there, or exclude data (BACKUP_PROG_EXCLUDE)");
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
