package dev.rear.e2e;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * The file tree of an initramfs, written as an uncompressed newc cpio archive (the kernel unpacks
 * it into its rootfs). Every entry is owned by root; parent directories are added as needed. Host
 * files are read when the archive is written, and identified for {@link #contentHash()} by path,
 * size and modification time, so that an unchanged tree is recognised without reading it.
 */
final class Initramfs {

    private sealed interface Node permits Dir, HostFile, Inline, Link {}

    private record Dir(int mode) implements Node {}

    private record HostFile(Path source, int mode) implements Node {}

    private record Inline(byte[] content, int mode) implements Node {}

    private record Link(String target) implements Node {}

    private final Map<String, Node> nodes = new TreeMap<>();

    /** A directory (and its parents). */
    Initramfs dir(String guestPath) {
        String p = normal(guestPath);
        while (!p.isEmpty() && !(nodes.get(p) instanceof Dir)) {
            if (nodes.containsKey(p)) {
                throw new IllegalArgumentException(p + " is already in the initramfs, not as a directory");
            }
            nodes.put(p, new Dir(0755));
            p = parent(p);
        }
        return this;
    }

    /** A copy of the host file {@code source} (symbolic links followed) with the given permission bits. */
    Initramfs file(String guestPath, Path source, int mode) {
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException(source + " is not a regular file");
        }
        return put(guestPath, new HostFile(source.toAbsolutePath(), mode));
    }

    /** A host file with its own permission bits (executable or not). */
    Initramfs file(String guestPath, Path source) {
        return file(guestPath, source, Files.isExecutable(source) ? 0755 : 0644);
    }

    Initramfs text(String guestPath, String content, int mode) {
        return put(guestPath, new Inline(content.getBytes(StandardCharsets.UTF_8), mode));
    }

    Initramfs symlink(String guestPath, String target) {
        return put(guestPath, new Link(target));
    }

    /** Whether something is at {@code guestPath}. */
    boolean has(String guestPath) {
        return nodes.containsKey(normal(guestPath));
    }

    /**
     * The host directory {@code hostDir} under {@code guestDir}: directories, regular files (with
     * their executable bit) and symbolic links as links.
     */
    Initramfs tree(String guestDir, Path hostDir) {
        dir(guestDir);
        try (Stream<Path> walk = Files.walk(hostDir)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                String rel = hostDir.relativize(p).toString();
                if (rel.isEmpty()) {
                    continue;
                }
                String g = normal(guestDir) + "/" + rel;
                if (Files.isSymbolicLink(p)) {
                    symlink(g, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p)) {
                    dir(g);
                } else {
                    file(g, p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hostDir + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Leaves {@code guestPath} (a file or link) out again. */
    Initramfs remove(String guestPath) {
        nodes.remove(normal(guestPath));
        return this;
    }

    int size() {
        return nodes.size();
    }

    /** SHA-256 (hex) of the tree's description: paths, kinds, modes, inline contents, host files' path, size and mtime. */
    String contentHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Node> e : nodes.entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                Node n = e.getValue();
                String desc;
                if (n instanceof Dir d) {
                    desc = "d" + Integer.toOctalString(d.mode());
                } else if (n instanceof Link l) {
                    desc = "l" + l.target();
                } else if (n instanceof Inline i) {
                    desc = "i" + Integer.toOctalString(i.mode()) + ":" + HexFormat.of().formatHex(sha256(i.content()));
                } else {
                    HostFile f = (HostFile) n;
                    desc = "f" + Integer.toOctalString(f.mode()) + ":" + f.source() + ":" + Files.size(f.source())
                            + ":" + Files.getLastModifiedTime(f.source()).toMillis();
                }
                md.update(desc.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat a file of the initramfs: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the archive to {@code out}. */
    void write(OutputStream out) throws IOException {
        CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW);
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            String name = e.getKey();
            Node n = e.getValue();
            if (n instanceof Dir d) {
                cpio.putArchiveEntry(entry(name, CpioConstants.C_ISDIR | d.mode(), 0, 2));
                cpio.closeArchiveEntry();
            } else if (n instanceof Link l) {
                byte[] t = l.target().getBytes(StandardCharsets.UTF_8);
                cpio.putArchiveEntry(entry(name, CpioConstants.C_ISLNK | 0777, t.length, 1));
                cpio.write(t);
                cpio.closeArchiveEntry();
            } else if (n instanceof Inline i) {
                cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | i.mode(), i.content().length, 1));
                cpio.write(i.content());
                cpio.closeArchiveEntry();
            } else {
                HostFile f = (HostFile) n;
                long size = Files.size(f.source());
                cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | f.mode(), size, 1));
                try (InputStream in = Files.newInputStream(f.source())) {
                    long copied = in.transferTo(cpio);
                    if (copied != size) {
                        throw new IOException(f.source() + " changed while it was archived (" + size + " bytes expected, " + copied + " read)");
                    }
                }
                cpio.closeArchiveEntry();
            }
        }
        cpio.finish();
        cpio.flush();
    }

    /**
     * The archive in {@code cacheDir} named by its {@link #contentHash()}: written (to a temporary
     * file, then renamed) only when it is not there yet.
     */
    Path writeCached(Path cacheDir) {
        Path target = cacheDir.resolve("initramfs-" + contentHash().substring(0, 16) + ".cpio");
        try {
            if (Files.isRegularFile(target)) {
                Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
                return target;
            }
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "initramfs-", ".part");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                    write(out);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            prune(cacheDir, KEEP);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the initramfs " + target + ": " + e.getMessage(), e);
        }
    }

    /** How many archives {@link #writeCached} keeps: one per scenario in use, each some 150 MiB. */
    static final int KEEP = 4;

    /** Removes all but the {@code keep} most recently used archives of {@code cacheDir}. */
    static void prune(Path cacheDir, int keep) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(cacheDir)) {
            all = s.filter(p -> p.getFileName().toString().matches("initramfs-[0-9a-f]+\\.cpio")).collect(java.util.stream.Collectors.toList());
        }
        all.sort(java.util.Comparator.comparing((Path p) -> {
            try {
                return Files.getLastModifiedTime(p);
            } catch (IOException e) {
                return java.nio.file.attribute.FileTime.fromMillis(0);
            }
        }).reversed());
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(old);
        }
    }

    /** Names of the entries, sorted (for tests and messages). */
    List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    private Initramfs put(String guestPath, Node n) {
        String p = normal(guestPath);
        Node old = nodes.get(p);
        if (old != null && !old.equals(n)) {
            throw new IllegalArgumentException(p + " is in the initramfs twice, with different contents");
        }
        String parent = parent(p);
        if (!parent.isEmpty()) {
            dir(parent);
        }
        nodes.put(p, n);
        return this;
    }

    private static CpioArchiveEntry entry(String name, int mode, long size, int links) {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, size);
        e.setMode(mode);
        e.setUID(0);
        e.setGID(0);
        e.setNumberOfLinks(links);
        e.setTime(0);
        return e;
    }

    private static String normal(String guestPath) {
        String p = guestPath.replaceAll("/+", "/").replaceFirst("^/", "").replaceFirst("/$", "");
        if (p.contains("/../") || p.startsWith("../") || p.equals("..")) {
            throw new IllegalArgumentException("not a plain guest path: " + guestPath);
        }
        return p;
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i < 0 ? "" : p.substring(0, i);
    }

    private static byte[] sha256(byte[] b) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
