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

    /** Fails with REFUSED, with the numbers, when {@code dir} has less room than the estimate. */
    static void checkSpace(Path dir, String target, Estimate estimate) {
        long free;
        try {
            FileStore store = Files.getFileStore(dir);
            free = store.getUsableSpace();
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "cannot read the free space of " + dir + " (" + target + "): " + e.getMessage(), e);
        }
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
