package dev.rear.engine.layout;

import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the layout is kept: {@code <dir>/descriptor.json} (ReaR keeps its {@code disklayout.conf} in
 * {@code /var/lib/rear/layout/}) and {@code <dir>/history/<time>-<content hash>.json}, one file per
 * distinct version. Two versions are distinct when their content differs; the capture time and
 * the filesystems' used space (capture details, which {@code checklayout} ignores too) alone do
 * not make a new version, so running {@code savelayout} from cron every few minutes adds a
 * history entry only when something changed. {@code descriptor.json} always carries the newest
 * used space, which recovery onto a smaller disk works from.
 */
public final class LayoutStore {

    /** ReaR's layout directory. */
    public static final Path DEFAULT_DIR = Path.of("/var/lib/rear/layout");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern HISTORY_NAME = Pattern.compile("^(\\d{8}T\\d{6}Z)-([0-9a-f]{12})\\.json$");

    private final Path dir;

    public LayoutStore(Path dir) {
        this.dir = dir;
    }

    /** The current descriptor file. */
    public Path descriptorFile() {
        return dir.resolve("descriptor.json");
    }

    /** The history directory. */
    public Path historyDir() {
        return dir.resolve("history");
    }

    /**
     * The identity of what a descriptor describes: the SHA-256 of its canonical form with the
     * capture time and the filesystems' used space left out.
     */
    public static String contentHash(SystemDescriptor d) {
        List<Filesystem> fs = d.filesystems().stream().map(f -> f.withUsedBytes(null)).toList();
        return DescriptorJson.sha256(new SystemDescriptor(d.schema(), Instant.EPOCH, d.host(), d.disks(), d.raidArrays(), d.lvm(),
                d.encryption(), fs, d.swap(), d.bootloader(), d.network(), d.excluded()));
    }

    /** What {@link #save} did. */
    public record Saved(Path descriptor, Optional<Path> newHistoryEntry, String contentHash) {}

    /**
     * Writes the descriptor (atomically) and, when its content differs from the newest history
     * entry, a new history entry.
     */
    public Saved save(SystemDescriptor d) {
        String hash = contentHash(d);
        Optional<Path> added = Optional.empty();
        Optional<HistoryEntry> newest = history().stream().reduce((a, b) -> b);
        if (newest.isEmpty() || !newest.get().contentHash().equals(hash.substring(0, 12))) {
            Path entry = historyDir().resolve(STAMP.format(d.capturedAt()) + "-" + hash.substring(0, 12) + ".json");
            DescriptorFiles.write(entry, d);
            added = Optional.of(entry);
        }
        DescriptorFiles.write(descriptorFile(), d);
        return new Saved(descriptorFile(), added, hash);
    }

    /** Whether a layout has been saved. */
    public boolean hasDescriptor() {
        return Files.isRegularFile(descriptorFile());
    }

    /** One version in the history. */
    public record HistoryEntry(Path file, String stamp, String contentHash) {}

    /** Every history entry, oldest first. Files in the directory that are not history entries are ignored. */
    public List<HistoryEntry> history() {
        if (!Files.isDirectory(historyDir())) {
            return List.of();
        }
        List<HistoryEntry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(historyDir())) {
            s.forEach(p -> {
                Matcher m = HISTORY_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new HistoryEntry(p, m.group(1), m.group(2)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + historyDir() + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(HistoryEntry::stamp).thenComparing(e -> e.file().getFileName().toString()));
        return out;
    }
}
