package dev.rear.engine.rescue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * The file tree of the rescue system's root, as the kernel will unpack it from a newc cpio archive.
 * Paths are relative to the root ({@code usr/sbin/mdadm}); parent directories are added as needed;
 * every entry is owned by root. Regular files are read from the live system only when the archive
 * is written. A hard link names another regular file of the tree; in the archive both share an inode
 * number and the data travels with the first, which is how the kernel's unpacker links them.
 */
public final class RescueTree {

    /** What a path of the tree is. */
    public sealed interface Node permits Dir, HostFile, Inline, Symlink, HardLink {}

    /** A directory with its permission bits. */
    public record Dir(int mode) implements Node {}

    /** A copy of a file of the live system (symbolic links followed). */
    public record HostFile(Path source, int mode) implements Node {}

    /** A file whose content the builder made. */
    public record Inline(byte[] content, int mode) implements Node {}

    /** A symbolic link. */
    public record Symlink(String target) implements Node {}

    /** A second name of the regular file {@code target} (a tree path). */
    public record HardLink(String target) implements Node {}

    private final Map<String, Node> nodes = new TreeMap<>();

    /** A directory (and its parents), mode 0755. */
    public RescueTree dir(String path) {
        return dir(path, 0755);
    }

    /** A directory with {@code mode} (and its parents, 0755). */
    public RescueTree dir(String path, int mode) {
        String p = normal(path);
        if (p.isEmpty()) {
            return this;
        }
        Node old = nodes.get(p);
        if (old != null && !(old instanceof Dir)) {
            throw new IllegalArgumentException("/" + p + " is already in the rescue tree, not as a directory");
        }
        addParents(p);
        nodes.put(p, new Dir(mode));
        return this;
    }

    /** A copy of the live file {@code source} with its own permission bits (0755 when executable, else 0644). */
    public RescueTree file(String path, Path source) {
        return file(path, source, Files.isExecutable(source) ? 0755 : 0644);
    }

    /** A copy of the live file {@code source} with {@code mode}. */
    public RescueTree file(String path, Path source, int mode) {
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException(source + " is not a regular file");
        }
        return put(path, new HostFile(source.toAbsolutePath(), mode));
    }

    /** A file holding {@code content} (UTF-8). */
    public RescueTree text(String path, String content, int mode) {
        return bytes(path, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    /** A file holding {@code content}. */
    public RescueTree bytes(String path, byte[] content, int mode) {
        return put(path, new Inline(content.clone(), mode));
    }

    /** A symbolic link to {@code target}. */
    public RescueTree symlink(String path, String target) {
        return put(path, new Symlink(target));
    }

    /** A hard link to the regular file {@code target} of this tree (added before). */
    public RescueTree hardlink(String path, String target) {
        String t = normal(target);
        Node n = nodes.get(t);
        if (!(n instanceof HostFile) && !(n instanceof Inline)) {
            throw new IllegalArgumentException("a hard link needs a regular file of the tree; /" + t + " is " + (n == null ? "absent" : n));
        }
        return put(path, new HardLink(t));
    }

    /** Whether something is at {@code path}. */
    public boolean has(String path) {
        return nodes.containsKey(normal(path));
    }

    /** What is at {@code path}, or {@code null}. */
    public Node get(String path) {
        return nodes.get(normal(path));
    }

    /** Leaves {@code path} out again (not a directory's content). */
    public RescueTree remove(String path) {
        nodes.remove(normal(path));
        return this;
    }

    /** How many entries (directories, files, links) the archive will hold. */
    public int entries() {
        return nodes.size();
    }

    /** The tree's paths, sorted. */
    public List<String> paths() {
        return List.copyOf(nodes.keySet());
    }

    /** The size of the files' contents and link targets: what the unpacked tree occupies, roughly. */
    public long contentBytes() throws IOException {
        long total = 0;
        for (Node n : nodes.values()) {
            if (n instanceof HostFile f) {
                total += Files.size(f.source());
            } else if (n instanceof Inline i) {
                total += i.content().length;
            } else if (n instanceof Symlink l) {
                total += l.target().length();
            }
        }
        return total;
    }

    /**
     * Writes the tree as a newc cpio archive (parents before children, files with data, hard links
     * sharing their file's inode) and finishes it; {@code out} is left open.
     */
    public void writeCpio(OutputStream out) throws IOException {
        Map<String, Integer> linkCount = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            if (n instanceof HardLink h) {
                linkCount.merge(h.target(), 1, Integer::sum);
            }
        }
        Map<String, Long> inodes = new LinkedHashMap<>();
        long nextInode = 1;
        CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW);
        List<Map.Entry<String, Node>> all = new ArrayList<>(nodes.entrySet());
        for (Map.Entry<String, Node> e : all) {
            String name = e.getKey();
            Node n = e.getValue();
            if (n instanceof Dir d) {
                cpio.putArchiveEntry(entry(name, CpioConstants.C_ISDIR | d.mode(), 0, 2, nextInode++));
            } else if (n instanceof Symlink l) {
                byte[] t = l.target().getBytes(StandardCharsets.UTF_8);
                cpio.putArchiveEntry(entry(name, CpioConstants.C_ISLNK | 0777, t.length, 1, nextInode++));
                cpio.write(t);
            } else if (n instanceof HardLink h) {
                Node target = nodes.get(h.target());
                int mode = target instanceof HostFile f ? f.mode() : ((Inline) target).mode();
                long ino = inodes.computeIfAbsent(h.target(), k -> -1L);
                if (ino < 0) {
                    throw new IllegalStateException("hard link /" + name + " sorts before its file /" + h.target());
                }
                cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | mode, 0, 1 + linkCount.get(h.target()), ino));
            } else {
                int links = 1 + linkCount.getOrDefault(name, 0);
                long ino = nextInode++;
                inodes.put(name, ino);
                if (n instanceof Inline i) {
                    cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | i.mode(), i.content().length, links, ino));
                    cpio.write(i.content());
                } else {
                    HostFile f = (HostFile) n;
                    long size = Files.size(f.source());
                    cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | f.mode(), size, links, ino));
                    try (InputStream in = Files.newInputStream(f.source())) {
                        long copied = in.transferTo(cpio);
                        if (copied != size) {
                            throw new IOException(f.source() + " changed while it was archived (" + size + " bytes expected, "
                                    + copied + " read)");
                        }
                    }
                }
            }
            cpio.closeArchiveEntry();
        }
        cpio.finish();
        cpio.flush();
    }

    /**
     * A directory of the live system under {@code path}: directories, regular files with their
     * permission bits, symbolic links as links; {@code keep} decides per live path (true: copy).
     */
    public RescueTree tree(String path, Path liveDir, java.util.function.Predicate<Path> keep) throws IOException {
        dir(path);
        try (var walk = Files.walk(liveDir)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                String rel = liveDir.relativize(p).toString();
                if (rel.isEmpty() || !keep.test(p)) {
                    continue;
                }
                String g = normal(path) + "/" + rel;
                if (Files.isSymbolicLink(p)) {
                    symlink(g, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dir(g);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    file(g, p);
                }
            }
        }
        return this;
    }

    private RescueTree put(String path, Node n) {
        String p = normal(path);
        if (p.isEmpty()) {
            throw new IllegalArgumentException("the root itself is no file");
        }
        Node old = nodes.get(p);
        if (old != null && !sameNode(old, n)) {
            throw new IllegalArgumentException("/" + p + " is in the rescue tree twice, with different contents");
        }
        addParents(p);
        nodes.put(p, n);
        return this;
    }

    private static boolean sameNode(Node a, Node b) {
        if (a instanceof Inline x && b instanceof Inline y) {
            return x.mode() == y.mode() && java.util.Arrays.equals(x.content(), y.content());
        }
        return a.equals(b);
    }

    private void addParents(String p) {
        String parent = parent(p);
        while (!parent.isEmpty()) {
            Node n = nodes.get(parent);
            if (n instanceof Dir) {
                return;
            }
            if (n != null) {
                throw new IllegalArgumentException("/" + parent + " is in the rescue tree, but not as a directory");
            }
            nodes.put(parent, new Dir(0755));
            parent = parent(parent);
        }
    }

    private static CpioArchiveEntry entry(String name, int mode, long size, int links, long inode) {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, size);
        e.setMode(mode);
        e.setUID(0);
        e.setGID(0);
        e.setNumberOfLinks(links);
        e.setInode(inode);
        e.setTime(0);
        return e;
    }

    /** {@code /usr//sbin/} → {@code usr/sbin}; refuses {@code ..}. */
    static String normal(String path) {
        String p = path.replaceAll("/+", "/").replaceFirst("^/", "").replaceFirst("/$", "");
        for (String part : p.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("not a plain path in the rescue tree: " + path);
            }
        }
        return p;
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i < 0 ? "" : p.substring(0, i);
    }
}
