package dev.rear.provider.tar;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The state of every path a backup of a chain walked (whether or not it wrote it): type, inode,
 * size, mtime and ctime in nanoseconds. Kept beside the archive ({@code <archive>.index}, gzip'd
 * text, its SHA-256 in the manifest) as the base the next incremental or differential backup
 * compares the tree with, as GNU tar's {@code --listed-incremental} snapshot file is.
 *
 * <p>A path is changed when any of the five differs, not only the mtime: an mtime can be set back
 * ({@code tar -x}, {@code cp -p}, {@code rsync -a}, {@code touch -d}: a file put back from elsewhere
 * keeps its old mtime); {@code chmod}, {@code chown}, {@code setfacl} and {@code setfattr} change
 * only the ctime, which no program can set back; a file replaced by another of the same size and
 * mtime ({@code mv new old}) has another inode; the size catches a file truncated and rewritten
 * within the mtime's granularity. A directory whose entries changed (a file added, removed or
 * renamed) has a new mtime and ctime, so it is written again with its metadata. A path gone since
 * the base, or whose type changed, is recorded as deleted ({@link #deletedSince}).
 */
final class TreeIndex {

    /** What decides whether a path changed. */
    record Stat(char type, long ino, long size, long mtime, long ctime) {}

    private static final String MAGIC = "rear-tar-index 1";
    private final Map<String, Stat> entries = new HashMap<>();

    void put(String path, Stat s) {
        entries.put(path, s);
    }

    Stat get(String path) {
        return entries.get(path);
    }

    int size() {
        return entries.size();
    }

    /** The state of {@code file}, not following a symbolic link. */
    static Stat stat(Path file) throws IOException {
        Map<String, Object> u = Files.readAttributes(file, "unix:mode,ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) u.get("mode");
        char type = switch (mode & 0170000) {
            case 0040000 -> '5';
            case 0100000 -> '0';
            case 0120000 -> '2';
            case 0010000 -> '6';
            case 0020000 -> '3';
            case 0060000 -> '4';
            default -> 's';
        };
        return new Stat(type, ((Number) u.get("ino")).longValue(), type == '5' ? 0 : ((Number) u.get("size")).longValue(),
                ((FileTime) u.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), ((FileTime) u.get("ctime")).to(TimeUnit.NANOSECONDS));
    }

    /** Whether {@code path} with state {@code now} must be written in a backup based on this index. */
    boolean changed(String path, Stat now) {
        Stat before = entries.get(path);
        return before == null || !before.equals(now);
    }

    /**
     * The paths of this (base) index that {@code now} lacks or holds with another type, without
     * those below a path already listed (deleting a directory deletes what it holds), sorted.
     */
    List<String> deletedSince(TreeIndex now) {
        TreeSet<String> gone = new TreeSet<>();
        entries.forEach((p, s) -> {
            Stat n = now.entries.get(p);
            if (n == null || n.type() != s.type()) {
                gone.add(p);
            }
        });
        Set<String> top = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String p : gone) {
            boolean under = false;
            for (String a = parent(p); a != null; a = parent(a)) {
                if (top.contains(a)) {
                    under = true;
                    break;
                }
            }
            if (!under) {
                top.add(p);
                out.add(p);
            }
        }
        return out;
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? (p.equals("/") ? null : "/") : p.substring(0, i);
    }

    /** Writes the index, returning its SHA-256. */
    String write(Path file) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(raw, 1 << 16), StandardCharsets.UTF_8))) {
            w.write(MAGIC);
            w.write('\n');
            for (String p : new TreeSet<>(entries.keySet())) {
                Stat s = entries.get(p);
                w.write(s.type() + "\t" + s.ino() + "\t" + s.size() + "\t" + s.mtime() + "\t" + s.ctime() + "\t" + Manifest.escape(p) + "\n");
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            return TarWriter.sha256(in);
        }
    }

    /** Reads an index, refusing one whose SHA-256 is not {@code sha256} (when given). */
    static TreeIndex read(Path file, String sha256) throws IOException {
        if (sha256 != null) {
            try (InputStream in = Files.newInputStream(file)) {
                String actual = TarWriter.sha256(in);
                if (!actual.equals(sha256)) {
                    throw new IOException("the index " + file + " has SHA-256 " + actual + ", its manifest says " + sha256);
                }
            }
        }
        TreeIndex idx = new TreeIndex();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.UTF_8))) {
            if (!MAGIC.equals(r.readLine())) {
                throw new IOException("the index " + file + " is not a rear tar index");
            }
            for (String l; (l = r.readLine()) != null; ) {
                String[] f = l.split("\t", 6);
                if (f.length != 6 || f[0].length() != 1) {
                    throw new IOException("the index " + file + " has a malformed line: " + l);
                }
                idx.put(Manifest.unescape(f[5]), new Stat(f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]), Long.parseLong(f[4])));
            }
        }
        return idx;
    }
}
