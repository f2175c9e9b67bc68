package dev.rear.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a directory tree holds, for comparing a restored tree with its source: every entry below
 * the root (the root itself excluded) by relative path, with its type, size and SHA-256 (regular
 * files), link target (symbolic links), permissions and — for regular files — modification time
 * in whole seconds. Symbolic links are never followed.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param entries the entries by relative path ({@code "etc/fstab"}), sorted
 * @since 0.1
 */
public record TreeSnapshot(SortedMap<String, Entry> entries) {

    /** What is compared. */
    public enum Attribute {
        /** Size and SHA-256 of regular files. */
        CONTENT,
        /** POSIX permissions ({@code rwxr-x---}) of files and directories (not of symbolic links). */
        PERMISSIONS,
        /** Modification time of regular files, in whole seconds. */
        MODIFIED_TIME
    }

    /**
     * One entry.
     *
     * @param type         {@code dir}, {@code file}, {@code symlink} or {@code other}
     * @param size         bytes, for regular files with {@link Attribute#CONTENT}; else {@code null}
     * @param sha256       content hash, for regular files with {@link Attribute#CONTENT}; else {@code null}
     * @param linkTarget   the target as stored in the link, for symbolic links; else {@code null}
     * @param permissions  e.g. {@code rw-r--r--} with {@link Attribute#PERMISSIONS}; else {@code null}
     * @param modifiedSeconds epoch seconds of the last modification, for regular files with
     *                     {@link Attribute#MODIFIED_TIME}; else {@code null}
     */
    public record Entry(String type, @Nullable Long size, @Nullable String sha256, @Nullable String linkTarget,
                        @Nullable String permissions, @Nullable Long modifiedSeconds) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(type);
            if (size != null) {
                b.append(' ').append(size).append(" B");
            }
            if (sha256 != null) {
                b.append(" sha256:").append(sha256, 0, 12);
            }
            if (linkTarget != null) {
                b.append(" -> ").append(linkTarget);
            }
            if (permissions != null) {
                b.append(' ').append(permissions);
            }
            if (modifiedSeconds != null) {
                b.append(" mtime ").append(modifiedSeconds);
            }
            return b.toString();
        }
    }

    public TreeSnapshot {
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    /** A snapshot of everything below {@code root}, comparing every {@link Attribute}. */
    public static TreeSnapshot of(Path root) {
        return of(root, EnumSet.allOf(Attribute.class));
    }

    /** A snapshot of everything below {@code root}, comparing only {@code attributes} (types and link targets always). */
    public static TreeSnapshot of(Path root, Set<Attribute> attributes) {
        SortedMap<String, Entry> out = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        out.put(rel(dir), entry(dir, attrs));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    out.put(rel(file), entry(file, attrs));
                    return FileVisitResult.CONTINUE;
                }

                private String rel(Path p) {
                    return root.relativize(p).toString();
                }

                private Entry entry(Path p, BasicFileAttributes attrs) throws IOException {
                    String perms = null;
                    if (attributes.contains(Attribute.PERMISSIONS) && !attrs.isSymbolicLink()) {
                        perms = PosixFilePermissions.toString(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions());
                    }
                    if (attrs.isDirectory()) {
                        return new Entry("dir", null, null, null, perms, null);
                    }
                    if (attrs.isSymbolicLink()) {
                        return new Entry("symlink", null, null, Files.readSymbolicLink(p).toString(), null, null);
                    }
                    if (attrs.isRegularFile()) {
                        boolean content = attributes.contains(Attribute.CONTENT);
                        return new Entry("file", content ? attrs.size() : null, content ? sha256(p) : null, null, perms,
                                attributes.contains(Attribute.MODIFIED_TIME) ? attrs.lastModifiedTime().toInstant().getEpochSecond() : null);
                    }
                    return new Entry("other", null, null, null, perms, null);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tree " + root + ": " + e.getMessage(), e);
        }
        return new TreeSnapshot(out);
    }

    /** This snapshot without the entries at or below these relative paths. */
    public TreeSnapshot without(String... relativePaths) {
        SortedMap<String, Entry> kept = new TreeMap<>(entries);
        for (String r : relativePaths) {
            kept.keySet().removeIf(k -> k.equals(r) || k.startsWith(r + "/"));
        }
        return new TreeSnapshot(kept);
    }

    /** This snapshot with only the entries at or below these relative paths. */
    public TreeSnapshot only(String... relativePaths) {
        SortedMap<String, Entry> kept = new TreeMap<>(entries);
        kept.keySet().removeIf(k -> java.util.Arrays.stream(relativePaths).noneMatch(r -> k.equals(r) || k.startsWith(r + "/")));
        return new TreeSnapshot(kept);
    }

    /**
     * How {@code actual} differs from this (expected) snapshot, one line per entry: {@code missing},
     * {@code extra} or {@code differs}; empty when they are the same.
     */
    public List<String> differencesIn(TreeSnapshot actual) {
        List<String> out = new ArrayList<>();
        Set<String> all = new TreeSet<>(entries.keySet());
        all.addAll(actual.entries.keySet());
        for (String path : all) {
            Entry e = entries.get(path);
            Entry a = actual.entries.get(path);
            if (a == null) {
                out.add("missing: " + path + " (" + e + ")");
            } else if (e == null) {
                out.add("extra:   " + path + " (" + a + ")");
            } else if (!e.equals(a)) {
                out.add("differs: " + path + ": expected " + e + ", found " + a);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            b.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return b.toString();
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
