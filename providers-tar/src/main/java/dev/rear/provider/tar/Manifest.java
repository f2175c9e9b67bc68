package dev.rear.provider.tar;

import dev.rear.api.spi.BackupKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The manifest written beside an archive after it is complete: a header, then one line per entry
 * in archive order ({@code <type> TAB <size> TAB <sha256 or -> TAB <path>}, the path with {@code %},
 * TAB, CR and newline percent-encoded, and each byte of a name that is not UTF-8 as {@code %XX}, see
 * {@link Names}), then the archive's size and SHA-256. A sparse file's hash is {@code sparse:} and
 * the SHA-256 of its data extents with their offsets ({@link TarWriter#sparseDigestHeader}), not of
 * its holes.
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
 *
 * <p>An archive of a chain ({@code BACKUP_TYPE=incremental|differential}, see {@link Chain}) has
 * more header lines after {@code archive}: {@code kind full|incremental|differential}, for an
 * incremental or differential one {@code base <archive name> <its SHA-256>} (what it builds on), and
 * {@code index-sha256 <sha256>} (of the {@link TreeIndex} written beside it); and after its entries
 * one {@code deleted <path>} line per path that was in its base and is gone (or changed type), so
 * that restoring the chain gives exactly the tree of that day.
 */
record Manifest(Instant created, String archive, List<Line> entries, long archiveBytes, String archiveSha256,
                @Nullable BackupKind kind, @Nullable String base, @Nullable String baseSha256, @Nullable String indexSha256,
                List<String> deleted) {

    record Line(char type, long size, String sha256, String path) {
        String format() {
            return type + "\t" + size + "\t" + sha256 + "\t" + escape(path);
        }
    }

    static final String MAGIC = "rear-tar-manifest 1";

    Manifest {
        entries = List.copyOf(entries);
        deleted = List.copyOf(deleted);
    }

    /** The manifest of a single full archive, not part of a chain ({@code backup.tar.zst}). */
    Manifest(Instant created, String archive, List<Line> entries, long archiveBytes, String archiveSha256) {
        this(created, archive, entries, archiveBytes, archiveSha256, null, null, null, null, List.of());
    }

    /** Whether this archive belongs to a chain (was written with a kind, base and index). */
    boolean chained() {
        return kind != null;
    }

    void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder(MAGIC).append('\n');
        b.append("created ").append(created).append('\n');
        b.append("archive ").append(archive).append('\n');
        if (kind != null) {
            b.append("kind ").append(kind.name().toLowerCase(Locale.ROOT)).append('\n');
        }
        if (base != null) {
            b.append("base ").append(base).append(' ').append(baseSha256).append('\n');
        }
        if (indexSha256 != null) {
            b.append("index-sha256 ").append(indexSha256).append('\n');
        }
        for (Line l : entries) {
            b.append(l.format()).append('\n');
        }
        for (String d : deleted) {
            b.append("deleted ").append(escape(d)).append('\n');
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
        List<String> deleted = new ArrayList<>();
        BackupKind kind = null;
        String base = null;
        String baseSha = null;
        String indexSha = null;
        for (String l : lines.subList(3, lines.size() - 2)) {
            if (l.length() > 1 && l.charAt(1) == '\t') {
                String[] f = l.split("\t", 4);
                if (f.length != 4) {
                    throw new IOException("the manifest " + file + " has a malformed line: " + l);
                }
                entries.add(new Line(f[0].charAt(0), Long.parseLong(f[1]), f[2], unescape(f[3])));
            } else if (l.startsWith("deleted ")) {
                deleted.add(unescape(l.substring(8)));
            } else if (l.startsWith("kind ")) {
                try {
                    kind = BackupKind.valueOf(l.substring(5).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IOException("the manifest " + file + " names an unknown kind: " + l);
                }
            } else if (l.startsWith("base ") && l.indexOf(' ', 5) > 0) {
                base = l.substring(5, l.indexOf(' ', 5));
                baseSha = l.substring(l.indexOf(' ', 5) + 1);
            } else if (l.startsWith("index-sha256 ")) {
                indexSha = l.substring(13);
            } else {
                throw new IOException("the manifest " + file + " has a malformed line: " + l);
            }
        }
        return new Manifest(Instant.parse(lines.get(1).substring(8)), lines.get(2).substring(8), entries,
                Long.parseLong(lines.get(lines.size() - 2).substring(14)), lines.get(lines.size() - 1).substring(15),
                kind, base, baseSha, indexSha, deleted);
    }

    Map<String, Line> byPath() {
        Map<String, Line> m = new TreeMap<>();
        entries.forEach(l -> m.put(l.path(), l));
        return m;
    }

    /** {@code %}, TAB, CR, LF percent-encoded; a byte of a non-UTF-8 name (see {@link Names}) as {@code %XX}. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '\t' || c == '\n' || c == '\r') {
                b.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else if (Names.isEscapedByte(s, i)) {
                b.append('%').append(String.format(Locale.ROOT, "%02X", Names.escapedByte(c) & 0xff));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && isHex(s, i + 1) && isHex(s, i + 2)) {
                int v = Integer.parseInt(s.substring(i + 1, i + 3), 16);
                b.append(v >= 0x80 ? Names.escapeByte((byte) v) : (char) v);
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }
}
