package dev.rear.provider.tar;

import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Extracts a tar archive into a target root and nowhere else. Refused, with a {@link ProviderException}
 * of kind {@code REFUSED} naming the entry: absolute names, names with {@code ..}, entries whose parent
 * inside the target is a symbolic link (also one made earlier by the same archive) or not a directory,
 * and hard links whose target is refused by the same rules. Device nodes are made only by root (else
 * skipped with a warning); ownership is set only by root. Any I/O failure, a full filesystem included,
 * stops the restore with a {@code FAILED} exception naming the entry.
 */
final class Extractor {

    /** One entry written: its name as {@code /path}, type, size and, for regular files, SHA-256 of its content. */
    record Done(String name, char type, long size, String sha256) {}

    private static final long UTIME_OMIT = (1L << 30) - 2;
    private final Path root;
    private final boolean asRoot;
    private final Consumer<String> warnings;
    private final List<Object[]> directories = new ArrayList<>();
    private final byte[] buffer = new byte[256 * 1024];
    /**
     * Directories below the root that this extraction has seen to be real directories (made or
     * checked): their components need no new check. A path leaves the set when an entry replaces it,
     * so a directory turned into a symbolic link by the archive is checked again.
     */
    private final java.util.Set<Path> checked = new java.util.HashSet<>();

    private interface Make<T> {
        T make() throws IOException;
    }

    Extractor(Path root, boolean asRoot, Consumer<String> warnings) {
        this.root = root;
        this.asRoot = asRoot;
        this.warnings = warnings;
    }

    /** Splits an archive name into safe components (empty for the root itself), or refuses it. */
    static List<String> components(String name) {
        if (name.startsWith("/")) {
            throw new ProviderException(Kind.REFUSED, "entry " + name + " has an absolute name; rear archives hold names relative"
                    + " to the root, so this archive is refused (nothing is written outside the target root)");
        }
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new ProviderException(Kind.REFUSED, "entry " + name + " climbs out with '..'; refused");
            }
            if (c.indexOf('\0') >= 0) {
                throw new ProviderException(Kind.REFUSED, "entry " + name + " holds a NUL byte; refused");
            }
            out.add(c);
        }
        return out;
    }

    /** Resolves components below the root, creating missing parents and refusing symbolic-link or non-directory parents. */
    private Path parentOf(List<String> comps, String name, boolean create) throws IOException {
        Path p = root;
        for (int i = 0; i < comps.size() - 1; i++) {
            p = Names.resolve(p, comps.get(i));
            if (checked.contains(p)) {
                continue;
            }
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                if (!create) {
                    throw new ProviderException(Kind.REFUSED, "entry " + name + ": " + p + " does not exist in the target root");
                }
                Files.createDirectory(p);
                checked.add(p);
                continue;
            }
            if (a.isSymbolicLink()) {
                throw new ProviderException(Kind.REFUSED, "entry " + name + " would be written through the symbolic link "
                        + root.relativize(p) + "; refused");
            }
            if (!a.isDirectory()) {
                throw new ProviderException(Kind.REFUSED, "entry " + name + ": its parent " + root.relativize(p) + " is not a directory; refused");
            }
            checked.add(p);
        }
        return p;
    }

    /**
     * Makes {@code target} with {@code make}, which fails with {@link FileAlreadyExistsException} when
     * something is there already: that is then removed (a non-empty directory cannot be, which stops
     * the restore) and made again, except that an existing directory is kept when {@code keepDirectory}
     * (then null is returned). Trying first saves a stat per entry in the usual empty target.
     */
    private <T> @org.jspecify.annotations.Nullable T make(Path target, boolean keepDirectory, Make<T> make) throws IOException {
        try {
            return make.make();
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (keepDirectory && a.isDirectory()) {
                return null;
            }
            forget(target);
            Files.delete(target);
            return make.make();
        }
    }

    private void forget(Path p) {
        checked.removeIf(c -> c.startsWith(p));
    }

    /** Writes one entry. */
    Done extract(TarReader.Entry e, TarReader reader) {
        return extract(e, reader, false);
    }

    /**
     * Writes one entry; with {@code wholeContentHash}, a sparse file's hash is that of its whole
     * content, holes as zeros (what a manifest written before sparse hashes records, see
     * {@link TarWriter#wholeContentHash}).
     */
    Done extract(TarReader.Entry e, TarReader reader, boolean wholeContentHash) {
        String name = e.name();
        try {
            List<String> comps = components(name);
            String shown = "/" + String.join("/", comps);
            if (comps.isEmpty()) {
                if (e.isDirectory()) {
                    directories.add(new Object[] {root, e});
                    return new Done("/", '5', 0, "-");
                }
                throw new ProviderException(Kind.REFUSED, "entry " + name + " names the target root itself but is not a directory");
            }
            Path parent = parentOf(comps, name, true);
            Path target = Names.resolve(parent, comps.get(comps.size() - 1));
            String sha = "-";
            switch (e.type()) {
                case '5' -> {
                    make(target, true, () -> Files.createDirectory(target));
                    checked.add(target);
                    directories.add(new Object[] {target, e});
                    return new Done(shown, '5', 0, "-");
                }
                case '0' -> {
                    FileChannel ch = make(target, false, () -> FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS));
                    sha = writeFile(ch, e, reader, wholeContentHash);
                }
                case '2' -> make(target, false, () -> {
                    Posix.symlink(e.linkName() == null ? "" : e.linkName(), Names.of(target));
                    return target;
                });
                case '1' -> {
                    String linkName = e.linkName() == null ? "" : e.linkName();
                    List<String> lc = components(linkName);
                    if (lc.isEmpty()) {
                        throw new ProviderException(Kind.REFUSED, "entry " + name + " is a hard link to the root; refused");
                    }
                    Path to = Names.resolve(parentOf(lc, name, false), lc.get(lc.size() - 1));
                    BasicFileAttributes ta = Files.readAttributes(to, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (ta.isDirectory()) {
                        throw new ProviderException(Kind.REFUSED, "entry " + name + " is a hard link to the directory " + linkName + "; refused");
                    }
                    make(target, false, () -> Files.createLink(target, to));
                    return new Done(shown, '1', 0, "-");
                }
                case '6', '3', '4' -> {
                    if (e.type() != '6' && !asRoot) {
                        warnings.accept("device node " + shown + " skipped: only root makes device nodes");
                        return new Done(shown, e.type(), 0, "-");
                    }
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        forget(target);
                        Files.delete(target); // a non-empty directory fails here, and stops the restore
                    }
                    if (e.type() == '6') {
                        Posix.mkfifo(Names.of(target), e.mode());
                    } else {
                        Posix.mknod(Names.of(target), e.type() == '3' ? Posix.S_IFCHR : Posix.S_IFBLK, e.mode(), e.devMajor(), e.devMinor());
                    }
                }
                default -> {
                    warnings.accept("entry " + shown + " of tar type '" + e.type() + "' skipped");
                    return new Done(shown, e.type(), 0, "-");
                }
            }
            applyMetadata(target, e);
            return new Done(shown, e.type(), e.type() == '0' ? e.size() : 0, sha);
        } catch (IOException x) {
            throw failed(name, x);
        }
    }

    private ProviderException failed(String name, IOException x) {
        String why = String.valueOf(x.getMessage());
        if (why.contains("No space left on device")) {
            why = "the target filesystem is full (No space left on device)";
        }
        return new ProviderException(Kind.FAILED, "restore into " + root + " stopped at entry " + TarBackupProvider.shown(name) + ": " + why
                + "; the target root holds an incomplete restore", x);
    }

    private String writeFile(FileChannel channel, TarReader.Entry e, TarReader reader, boolean wholeContentHash) throws IOException {
        if (e.sparse() != null) {
            return writeSparse(channel, e, reader, wholeContentHash);
        }
        MessageDigest md = TarWriter.sha256();
        try (FileChannel ch = channel) {
            long pos = 0;
            long size = e.size();
            while (pos < size) {
                int want = (int) Math.min(buffer.length, size - pos);
                int got = 0;
                while (got < want) {
                    got += reader.readData(buffer, got, want - got); // an archive that ends early throws
                }
                md.update(buffer, 0, got);
                ByteBuffer bb = ByteBuffer.wrap(buffer, 0, got);
                long at = pos;
                while (bb.hasRemaining()) {
                    at += ch.write(bb, at);
                }
                pos += got;
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Writes the data extents where they belong, leaving the holes between them holes. */
    private String writeSparse(FileChannel channel, TarReader.Entry e, TarReader reader, boolean wholeContentHash) throws IOException {
        MessageDigest md = TarWriter.sha256();
        List<long[]> extents = e.sparse();
        if (!wholeContentHash) {
            md.update(TarWriter.sparseDigestHeader(extents, e.size()));
        }
        long pos = 0;
        try (FileChannel ch = channel) {
            for (long[] x : extents) {
                if (wholeContentHash) {
                    TarWriter.updateZeros(md, x[0] - pos);
                    pos = x[0] + x[1];
                }
                long done = 0;
                while (done < x[1]) {
                    int n = reader.readData(buffer, 0, (int) Math.min(buffer.length, x[1] - done));
                    md.update(buffer, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                    long at = x[0] + done;
                    while (bb.hasRemaining()) {
                        at += ch.write(bb, at);
                    }
                    done += n;
                }
            }
            if (ch.size() < e.size()) {
                ch.write(ByteBuffer.wrap(new byte[1]), e.size() - 1); // a trailing hole: the size, one byte allocated
            }
        }
        if (wholeContentHash) {
            TarWriter.updateZeros(md, e.size() - pos);
            return HexFormat.of().formatHex(md.digest());
        }
        return TarWriter.SPARSE_SHA256 + HexFormat.of().formatHex(md.digest());
    }

    private void applyMetadata(Path target, TarReader.Entry e) throws IOException {
        String p = Names.of(target);
        if (asRoot) {
            Posix.lchown(p, e.uid(), e.gid());
        }
        if (e.type() != '2') {
            Posix.chmod(p, e.mode());
        }
        Map<String, byte[]> xattrs = new java.util.LinkedHashMap<>(e.xattrs());
        aclFromText(e, "SCHILY.acl.access", "system.posix_acl_access", xattrs);
        aclFromText(e, "SCHILY.acl.default", "system.posix_acl_default", xattrs);
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            try {
                Posix.setXattr(p, x.getKey(), x.getValue());
            } catch (IOException ex) {
                warnings.accept("extended attribute " + x.getKey() + " of /" + root.relativize(target) + " not restored: " + ex.getMessage());
            }
        }
        Posix.setTimes(p, 0, UTIME_OMIT, e.mtimeSec(), e.mtimeNsec());
    }

    private void aclFromText(TarReader.Entry e, String key, String xattr, Map<String, byte[]> xattrs) {
        byte[] text = e.pax().get(key);
        if (text != null && !xattrs.containsKey(xattr)) {
            try {
                xattrs.put(xattr, Acls.fromText(new String(text, java.nio.charset.StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException ex) {
                warnings.accept(key + " of " + e.name() + " not restored: " + ex.getMessage());
            }
        }
    }

    /**
     * Removes {@code path} ({@code /a/b} as in a manifest) from the target root, with everything below
     * it and never following a symbolic link: a deletion an incremental or differential archive
     * recorded. Nothing there is fine; a parent that is a symbolic link or not a directory means the
     * path is not there either.
     */
    void delete(String path) {
        try {
            List<String> comps = components(path.startsWith("/") ? path.substring(1) : path);
            if (comps.isEmpty()) {
                throw new ProviderException(Kind.REFUSED, "a deletion of the target root itself (" + path + ") is refused");
            }
            Path p = root;
            for (int i = 0; i < comps.size(); i++) {
                p = Names.resolve(p, comps.get(i));
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (java.nio.file.NoSuchFileException e) {
                    return;
                }
                if (i < comps.size() - 1 && (a.isSymbolicLink() || !a.isDirectory())) {
                    return;
                }
            }
            Path target = p;
            forget(target);
            Files.walkFileTree(target, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.delete(f);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
            directories.removeIf(d -> ((Path) d[0]).startsWith(target));
        } catch (IOException x) {
            throw failed(path.startsWith("/") ? path.substring(1) : path, x);
        }
    }

    /**
     * Sets the modes, owners and times of directories, deepest first, once their contents are in; a
     * directory extracted from several archives of a chain gets the metadata of the last one.
     */
    void finish() {
        java.util.Set<Path> done = new java.util.HashSet<>();
        for (int i = directories.size() - 1; i >= 0; i--) {
            Path dir = (Path) directories.get(i)[0];
            TarReader.Entry e = (TarReader.Entry) directories.get(i)[1];
            if (!done.add(dir)) {
                continue;
            }
            try {
                applyMetadata(dir, e);
            } catch (IOException x) {
                throw failed(e.name(), x);
            }
        }
        directories.clear();
    }
}
