package dev.rear.provider.tar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest written beside an archive after it is complete: a header, then one line per entry
 * in archive order ({@code <type> TAB <size> TAB <sha256 or -> TAB <path>}, the path with {@code %},
 * TAB and newline percent-encoded), then the archive's size and SHA-256. A sparse file's hash is
 * {@code sparse:} and the SHA-256 of its data extents with their offsets
 * ({@link TarWriter#sparseDigestHeader}), not of its holes.
 *
 * <pre>
 * rear-tar-manifest 1
 * created 2026-11-26T14:00:00Z
 * archive backup.tar.zst
 * 5	0	-	/
 * 0	12	5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03	/etc/hostname
 * archive-bytes 4096
 * archive-sha256 ...
 * </pre>
 */
record Manifest(Instant created, String archive, List<Line> entries, long archiveBytes, String archiveSha256) {

    record Line(char type, long size, String sha256, String path) {
        String format() {
            return type + "\t" + size + "\t" + sha256 + "\t" + escape(path);
        }
    }

    static final String MAGIC = "rear-tar-manifest 1";

    void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(MAGIC).append('\n');
        b.append("created ").append(created).append('\n');
        b.append("archive ").append(archive).append('\n');
        for (Line l : entries) {
            b.append(l.format()).append('\n');
        }
        b.append("archive-bytes ").append(archiveBytes).append('\n');
        b.append("archive-sha256 ").append(archiveSha256).append('\n');
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    static Manifest read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 5 || !lines.get(0).equals(MAGIC) || !lines.get(1).startsWith("created ") || !lines.get(2).startsWith("archive ")
                || !lines.get(lines.size() - 2).startsWith("archive-bytes ") || !lines.get(lines.size() - 1).startsWith("archive-sha256 ")) {
            throw new IOException("the manifest " + file + " is not a complete rear tar manifest");
        }
        List<Line> entries = new ArrayList<>();
        for (String l : lines.subList(3, lines.size() - 2)) {
            String[] f = l.split("\t", 4);
            if (f.length != 4 || f[0].length() != 1) {
                throw new IOException("the manifest " + file + " has a malformed line: " + l);
            }
            entries.add(new Line(f[0].charAt(0), Long.parseLong(f[1]), f[2], unescape(f[3])));
        }
        return new Manifest(Instant.parse(lines.get(1).substring(8)), lines.get(2).substring(8), entries,
                Long.parseLong(lines.get(lines.size() - 2).substring(14)), lines.get(lines.size() - 1).substring(15));
    }

    Map<String, Line> byPath() {
        Map<String, Line> m = new TreeMap<>();
        entries.forEach(l -> m.put(l.path(), l));
        return m;
    }

    static String escape(String s) {
        return s.replace("%", "%25").replace("\t", "%09").replace("\n", "%0A").replace("\r", "%0D");
    }

    static String unescape(String s) {
        return s.replace("%0D", "\r").replace("%0A", "\n").replace("%09", "\t").replace("%25", "%");
    }
}
