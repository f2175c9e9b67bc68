package dev.rear.provider.tar;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a POSIX (PAX) tar archive that GNU tar extracts with {@code --xattrs --acls}. Commons
 * Compress writes the ustar blocks; this class writes each entry's PAX extended header itself
 * (raw bytes, so binary {@code SCHILY.xattr.*} values such as {@code security.capability} and
 * POSIX ACLs survive) and keeps the ustar fields within their limits so Commons adds none of its own.
 * Sparse files are written in GNU's PAX 1.0 sparse format.
 */
final class TarWriter implements Closeable {

    /** What happened to one entry: for the manifest and the warnings. */
    record Written(String name, char type, long size, String sha256) {}

    interface Listener {
        void written(Written entry);

        void warning(String message);
    }

    private static final long SPARSE_MIN = 64 * 1024;
    private final TarArchiveOutputStream tar;
    private final Listener listener;
    private final Map<String, String> hardlinks = new HashMap<>();
    private final byte[] buffer = new byte[256 * 1024];
    /** User and group names by id: the JDK asks the name service (reading /etc/passwd) on every call. */
    private final Map<Long, String> userNames = new HashMap<>();
    private final Map<Long, String> groupNames = new HashMap<>();
    private long paxCounter;
    private @org.jspecify.annotations.Nullable Selector selector;
    /** Started by the first {@link #addTree}; not used for an incremental or differential backup, which reads few of the files it visits. */
    private @org.jspecify.annotations.Nullable Prefetcher prefetcher;

    /** Decides, for an incremental or differential backup, whether an entry the walk reaches is written. */
    interface Selector {
        /** True to write {@code file} (named {@code name}, "" for the root); a directory not written is still descended into. */
        boolean write(Path file, String name) throws IOException;
    }

    /** Writes only what {@code s} selects from now on (null: everything). */
    void select(@org.jspecify.annotations.Nullable Selector s) {
        this.selector = s;
    }

    TarWriter(OutputStream out, Listener listener) {
        this.tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
        tar.setAddPaxHeadersForNonAsciiNames(false);
        this.listener = listener;
    }

    /**
     * Adds {@code dir} and everything below it, named {@code name} ("" for the root, else relative
     * without a leading slash), not descending into other filesystems and leaving out paths
     * (absolute as seen from the source root) that {@code excluded} accepts.
     */
    void addTree(Path file, String name, Predicate<String> excluded, Runnable checkpoint) throws IOException {
        addTree(file, name, excluded, checkpoint, false);
    }

    /**
     * As {@link #addTree(Path, String, Predicate, Runnable)}; with {@code topWritten}, the entry of
     * {@code file} itself was written already (a mount point, by the walk of the filesystem above
     * it) and only what is below it is added.
     */
    void addTree(Path file, String name, Predicate<String> excluded, Runnable checkpoint, boolean topWritten) throws IOException {
        if (prefetcher == null) {
            prefetcher = new Prefetcher();
        }
        Posix.Stat top = Posix.lstat(Names.of(file));
        walk(file, name, top.dev(), excluded, checkpoint, top, topWritten);
    }

    private void walk(Path file, String name, long dev, Predicate<String> excluded, Runnable checkpoint, Posix.Stat a)
            throws IOException {
        walk(file, name, dev, excluded, checkpoint, a, false);
    }

    private void walk(Path file, String name, long dev, Predicate<String> excluded, Runnable checkpoint, Posix.Stat a,
            boolean written) throws IOException {
        checkpoint.run();
        if (!name.isEmpty() && excluded.test("/" + name)) {
            return;
        }
        boolean descend = written ? a.isDirectory()
                : selector == null || selector.write(file, name) ? add(file, name, a) : a.isDirectory();
        if (descend) {
            if (a.dev() != dev) {
                return; // a mount point: the directory itself, not its contents (--one-file-system)
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(file)) {
                ds.forEach(children::add);
            }
            children.sort(null);
            // first the attributes of all, so that the regular files' reads can be announced (see Prefetcher)
            int n = children.size();
            String[] childNames = new String[n];
            Posix.Stat[] attrs = new Posix.Stat[n];
            long[] tickets = new long[n];
            for (int i = 0; i < n; i++) {
                Path child = children.get(i);
                // the name's exact bytes, also when they are not valid in the JVM's sun.jnu.encoding (see Names)
                childNames[i] = (name.isEmpty() ? "" : name + "/") + Names.fileName(child);
                try {
                    attrs[i] = Posix.lstat(Names.of(child));
                } catch (java.nio.file.NoSuchFileException e) {
                    continue;
                }
                if (prefetcher != null && selector == null && attrs[i].isRegularFile() && attrs[i].size() > 0
                        && !excluded.test("/" + childNames[i])) {
                    tickets[i] = prefetcher.submit(Names.of(child), attrs[i].size());
                }
            }
            for (int i = 0; i < n; i++) {
                try {
                    if (attrs[i] == null) {
                        listener.warning("vanished while being read: /" + childNames[i]);
                        continue;
                    }
                    walk(children.get(i), childNames[i], dev, excluded, checkpoint, attrs[i]);
                } catch (java.nio.file.NoSuchFileException e) {
                    listener.warning("vanished while being read: /" + childNames[i]);
                } finally {
                    if (tickets[i] != 0) {
                        prefetcher.passed(tickets[i]);
                    }
                }
            }
        }
    }

    /** Writes one entry; true when it is a directory to descend into. */
    boolean add(Path file, String name, Posix.Stat a) throws IOException {
        int mode = a.mode();
        int fmt = mode & 0170000;
        String path = Names.of(file);
        char type;
        String link = null;
        switch (fmt) {
            case 0040000 -> type = '5';
            case 0100000 -> type = '0';
            case 0120000 -> {
                type = '2';
                link = Posix.readlink(path);
            }
            case 0010000 -> type = '6';
            case 0020000 -> type = '3';
            case 0060000 -> type = '4';
            case 0140000 -> {
                listener.warning("socket skipped: /" + name);
                return false;
            }
            default -> {
                listener.warning("unknown file type " + Integer.toOctalString(fmt) + " skipped: /" + name);
                return false;
            }
        }
        String entryName = name.isEmpty() ? "./" : type == '5' ? name + "/" : name;
        if (type == '0' && a.nlink() > 1) {
            String key = a.dev() + ":" + a.ino();
            String first = hardlinks.putIfAbsent(key, name);
            if (first != null) {
                type = '1';
                link = first;
            }
        }
        Map<String, byte[]> pax = new LinkedHashMap<>();
        long sec = a.mtimeSec();
        long nsec = a.mtimeNsec(); // 0 to 999999999, also for a time before 1970
        if (nsec != 0 || sec < 0 || sec > 077777777777L) {
            pax.put("mtime", java.math.BigDecimal.valueOf(sec).add(java.math.BigDecimal.valueOf(nsec, 9)).stripTrailingZeros().toPlainString()
                    .getBytes(StandardCharsets.US_ASCII));
        }
        long uid = a.uid();
        long gid = a.gid();
        if (uid > 07777777) {
            pax.put("uid", Long.toString(uid).getBytes(StandardCharsets.US_ASCII));
        }
        if (gid > 07777777) {
            pax.put("gid", Long.toString(gid).getBytes(StandardCharsets.US_ASCII));
        }
        String uname = userNames.get(uid);
        String gname = groupNames.get(gid);
        if (uname == null || gname == null) { // a new id: its name from the JDK (the name service), once
            Map<String, Object> named = Files.readAttributes(file, "unix:uid,gid,owner,group", LinkOption.NOFOLLOW_LINKS);
            uname = uname != null ? uname : nameOf(userNames, uid, named, "uid", "owner");
            gname = gname != null ? gname : nameOf(groupNames, gid, named, "gid", "group");
        }
        if (uname.equals(Long.toString(uid))) {
            uname = "";
        }
        if (gname.equals(Long.toString(gid))) {
            gname = "";
        }
        if (!fitsUstar(uname, 32)) {
            pax.put("uname", uname.getBytes(StandardCharsets.UTF_8));
        }
        if (!fitsUstar(gname, 32)) {
            pax.put("gname", gname.getBytes(StandardCharsets.UTF_8));
        }
        if (link != null && !fitsUstar(link, 100)) {
            pax.put("linkpath", Names.encode(link));
        }
        for (Map.Entry<String, byte[]> x : Posix.xattrs(path).entrySet()) {
            pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
            String aclKey = x.getKey().equals("system.posix_acl_access") ? "SCHILY.acl.access"
                    : x.getKey().equals("system.posix_acl_default") ? "SCHILY.acl.default" : null;
            if (aclKey != null) {
                try { // also GNU tar's text form, which is what tar --acls restores
                    pax.put(aclKey, Acls.toText(x.getValue()).getBytes(StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    listener.warning(x.getKey() + " of /" + name + " kept as an xattr only: " + e.getMessage());
                }
            }
        }
        List<long[]> extents = null;
        long size = type == '0' ? a.size() : 0;
        long dataSize = size;
        byte[] sparseMap = null;
        if (type == '0' && size >= SPARSE_MIN) {
            List<long[]> found = Posix.dataExtents(path, size);
            long data = found.stream().mapToLong(e -> e[1]).sum();
            if (data < size) {
                extents = new ArrayList<>(found);
                if (extents.isEmpty() || extents.get(extents.size() - 1)[0] + extents.get(extents.size() - 1)[1] < size) {
                    extents.add(new long[] {size, 0});
                }
                StringBuilder m = new StringBuilder().append(extents.size()).append('\n');
                for (long[] e : extents) {
                    m.append(e[0]).append('\n').append(e[1]).append('\n');
                }
                byte[] text = m.toString().getBytes(StandardCharsets.US_ASCII);
                sparseMap = java.util.Arrays.copyOf(text, (text.length + 511) / 512 * 512);
                dataSize = sparseMap.length + data;
                pax.put("GNU.sparse.major", "1".getBytes(StandardCharsets.US_ASCII));
                pax.put("GNU.sparse.minor", "0".getBytes(StandardCharsets.US_ASCII));
                pax.put("GNU.sparse.name", Names.encode(entryName));
                pax.put("GNU.sparse.realsize", Long.toString(size).getBytes(StandardCharsets.US_ASCII));
            }
        }
        String ustarName = entryName;
        if (sparseMap != null) {
            ustarName = placeholder("GNUSparseFile.0/" + file.getFileName());
        } else if (!fitsUstar(entryName, 100)) {
            pax.put("path", Names.encode(entryName));
            ustarName = placeholder(entryName);
            if (type == '5' && !ustarName.endsWith("/")) {
                ustarName = ustarName.substring(0, Math.min(ustarName.length(), 98)) + "/";
            }
        }
        if (dataSize > 077777777777L) {
            pax.put("size", Long.toString(dataSize).getBytes(StandardCharsets.US_ASCII));
        }
        if (!Names.isText(entryName) || (link != null && !Names.isText(link))) {
            // as GNU tar does for a name that is not UTF-8: the values are raw bytes (POSIX pax, hdrcharset)
            Map<String, byte[]> first = new LinkedHashMap<>();
            first.put("hdrcharset", "BINARY".getBytes(StandardCharsets.US_ASCII));
            first.putAll(pax);
            pax = first;
        }
        if (type != '5' && ustarName.endsWith("/")) {
            // a placeholder cut at a '/': Commons Compress takes any name ending in '/' for a directory
            // (size 0), and the file's data would then not fit its own entry
            ustarName = ustarName.substring(0, ustarName.length() - 1) + "_";
        }
        TarArchiveEntry e = new TarArchiveEntry(ustarName, (byte) type, true);
        e.setMode(mode & 07777);
        e.setUserId(uid > 07777777 ? 0 : uid);
        e.setGroupId(gid > 07777777 ? 0 : gid);
        e.setUserName(fitsUstar(uname, 32) ? uname : "");
        e.setGroupName(fitsUstar(gname, 32) ? gname : "");
        e.setModTime(FileTime.from(Math.max(0, Math.min(sec, 077777777777L)), java.util.concurrent.TimeUnit.SECONDS));
        if (link != null) {
            e.setLinkName(fitsUstar(link, 100) ? link : placeholder(link));
        }
        if (type == '3' || type == '4') {
            long rdev = a.rdev();
            e.setDevMajor((int) Posix.major(rdev));
            e.setDevMinor((int) Posix.minor(rdev));
        }
        e.setSize(dataSize);
        String sha = "-";
        // opened before the header is written: a file that vanishes now is skipped, not half-written
        try (FileChannel ch = type == '0' ? FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS) : null) {
            if (!pax.isEmpty()) {
                writePax(pax, sec);
            }
            tar.putArchiveEntry(e);
            if (ch != null) {
                MessageDigest md = sha256();
                if (sparseMap == null) {
                    copy(ch, 0, size, md, name);
                } else {
                    tar.write(sparseMap);
                    md.update(sparseDigestHeader(extents, size));
                    for (long[] x : extents) {
                        copy(ch, x[0], x[1], md, name);
                    }
                }
                sha = (sparseMap == null ? "" : SPARSE_SHA256) + java.util.HexFormat.of().formatHex(md.digest());
            }
        }
        tar.closeArchiveEntry();
        listener.written(new Written(name.isEmpty() ? "/" : "/" + name, type, size, sha));
        return type == '5';
    }

    /**
     * The name of {@code id} from {@code named} (the file's {@code unix:} attributes), cached in {@code cache};
     * when the file's id changed since its stat, the number, not cached.
     */
    private static String nameOf(Map<Long, String> cache, long id, Map<String, Object> named, String idKey, String principalKey) {
        if (((Number) named.get(idKey)).longValue() != id) {
            return Long.toString(id);
        }
        String name = ((java.security.Principal) named.get(principalKey)).getName();
        cache.put(id, name);
        return name;
    }

    private void copy(FileChannel ch, long offset, long length, MessageDigest md, String name) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer);
        long done = 0;
        while (done < length) {
            bb.clear().limit((int) Math.min(buffer.length, length - done));
            int n = ch.read(bb, offset + done);
            if (n < 0) {
                // as GNU tar: the header promised the size, so the rest is zeros, and the change is reported
                listener.warning("/" + name + " shrank while being read: " + (length - done) + " bytes from offset " + (offset + done)
                        + " archived as zeros");
                java.util.Arrays.fill(buffer, (byte) 0);
                while (done < length) {
                    int z = (int) Math.min(buffer.length, length - done);
                    md.update(buffer, 0, z);
                    tar.write(buffer, 0, z);
                    done += z;
                }
                return;
            }
            md.update(buffer, 0, n);
            tar.write(buffer, 0, n);
            done += n;
        }
    }

    private void writePax(Map<String, byte[]> pax, long mtimeSec) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> x : pax.entrySet()) {
            body.writeBytes(record(x.getKey(), x.getValue()));
        }
        byte[] bytes = body.toByteArray();
        TarArchiveEntry h = new TarArchiveEntry("PaxHeaders.0/entry" + (++paxCounter), TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        h.setSize(bytes.length);
        h.setMode(0644);
        h.setModTime(FileTime.from(Math.max(0, Math.min(mtimeSec, 077777777777L)), java.util.concurrent.TimeUnit.SECONDS));
        tar.putArchiveEntry(h);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** One PAX record, {@code "<len> <key>=<value>\n"}, its length counting itself. */
    static byte[] record(String key, byte[] value) {
        int rest = 1 + key.getBytes(StandardCharsets.UTF_8).length + 1 + value.length + 1;
        int len = rest + Integer.toString(rest).length();
        if (Integer.toString(len).length() != Integer.toString(rest).length()) {
            len++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        out.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value);
        out.write('\n');
        return out.toByteArray();
    }

    private static boolean fitsUstar(String s, int max) {
        return s.length() < max && s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private static String placeholder(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return b.length() > 99 ? b.substring(0, 99) : b.toString();
    }

    /**
     * What a sparse file's manifest hash starts with: it is the SHA-256 of {@link #sparseDigestHeader}
     * followed by the data extents, not of the expanded content, so that gigabytes of holes are
     * neither hashed at backup nor at restore.
     */
    static final String SPARSE_SHA256 = "sparse:";

    private static final byte[] ZEROS = new byte[64 * 1024];

    /** Feeds {@code n} zero bytes to {@code md}: a hole, for the whole-content hash of a sparse file. */
    static void updateZeros(MessageDigest md, long n) {
        for (long left = n; left > 0; left -= ZEROS.length) {
            md.update(ZEROS, 0, (int) Math.min(ZEROS.length, left));
        }
    }

    /**
     * Whether {@code recorded}, a manifest's hash of a sparse file, is the SHA-256 of its whole
     * content, holes as zeros, as rear wrote before {@link #SPARSE_SHA256} hashes: such a manifest is
     * checked with that hash rather than taken for a damaged archive.
     */
    static boolean wholeContentHash(@org.jspecify.annotations.Nullable String recorded) {
        return recorded != null && !recorded.equals("-") && !recorded.startsWith(SPARSE_SHA256);
    }

    /** {@code rear-sparse SIZE\n} then {@code OFFSET LENGTH\n} for each non-empty data extent, in order. */
    static byte[] sparseDigestHeader(List<long[]> extents, long size) {
        StringBuilder b = new StringBuilder("rear-sparse ").append(size).append('\n');
        for (long[] x : extents) {
            if (x[1] > 0) {
                b.append(x[0]).append(' ').append(x[1]).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[256 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    void finish() throws IOException {
        tar.finish();
    }

    @Override
    public void close() throws IOException {
        if (prefetcher != null) {
            prefetcher.close();
        }
        tar.close();
    }
}
