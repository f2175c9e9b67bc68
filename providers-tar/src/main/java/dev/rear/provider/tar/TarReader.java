package dev.rear.provider.tar;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads ustar, PAX (incl. GNU's PAX sparse formats 0.1 and 1.0) and GNU long-name tar archives.
 * Written here rather than on Commons Compress's {@code TarArchiveInputStream} because that decodes
 * every PAX value as a UTF-8 string, which destroys binary {@code SCHILY.xattr.*} values
 * ({@code security.capability}, {@code system.posix_acl_*}); this reader keeps PAX values as bytes.
 * Damage is reported, never skipped: a bad header checksum or an archive that ends inside an entry is
 * an {@link IOException} naming the entry.
 */
final class TarReader implements AutoCloseable {

    /** One entry; {@code size} is the real (expanded) size, {@code sparse} the data extents when sparse. */
    record Entry(String name, char type, int mode, long uid, long gid, String uname, String gname, long mtimeSec, long mtimeNsec,
                 long size, @Nullable String linkName, int devMajor, int devMinor, Map<String, byte[]> pax,
                 @Nullable List<long[]> sparse) {

        boolean isDirectory() {
            return type == '5';
        }

        /** Extended attributes ({@code SCHILY.xattr.<name>}) of the entry. */
        Map<String, byte[]> xattrs() {
            Map<String, byte[]> out = new LinkedHashMap<>();
            pax.forEach((k, v) -> {
                if (k.startsWith("SCHILY.xattr.")) {
                    out.put(k.substring("SCHILY.xattr.".length()), v);
                }
            });
            return out;
        }
    }

    private final InputStream in;
    private final byte[] block = new byte[512];
    private byte @Nullable [] skipBuffer;
    private long offset;
    private long remainingData; // raw bytes of the current entry not yet consumed
    private long padding;
    private @Nullable Entry current;
    private @Nullable String previousName;
    private boolean ended;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The name of the entry being read or the last one read, for messages. */
    @Nullable String currentName() {
        return current != null ? current.name() : previousName;
    }

    /** The next entry, or null at the end of the archive. */
    @Nullable Entry next() throws IOException {
        if (ended) {
            return null;
        }
        skipRest();
        if (current != null) {
            previousName = current.name();
        }
        current = null;
        Map<String, byte[]> pax = new LinkedHashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            long headerAt = offset;
            if (!readBlock(true)) {
                throw new EOFException("the archive ends without its end-of-archive blocks after " + after());
            }
            if (isZero(block)) {
                ended = true;
                return null;
            }
            checkChecksum(headerAt);
            char type = (char) (block[156] == 0 ? '0' : block[156]);
            long size = number(124, 12);
            if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                byte[] data = readData(size, headerAt);
                if (type == 'x') {
                    parsePax(data, pax, headerAt);
                } else if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else if (type == 'K') {
                    longLink = cString(data, 0, data.length);
                }
                continue;
            }
            if (type == 'S') {
                throw new IOException("entry " + cString(block, 0, 100) + " at offset " + headerAt
                        + " is an old-GNU sparse file (tar --format=gnu --sparse), which rear does not read; use --format=posix");
            }
            String name = cString(block, 0, 100);
            String prefix = cString(block, 345, 155);
            boolean ustar = cString(block, 257, 6).startsWith("ustar");
            if (ustar && !prefix.isEmpty() && block[263] == '0') {
                name = prefix + "/" + name; // POSIX ustar, not GNU's "ustar  " where these bytes hold times
            }
            if (longName != null) {
                name = longName;
            }
            if (pax.containsKey("path")) {
                name = utf8(pax.get("path"));
            }
            String link = cString(block, 157, 100);
            if (longLink != null) {
                link = longLink;
            }
            if (pax.containsKey("linkpath")) {
                link = utf8(pax.get("linkpath"));
            }
            if (pax.containsKey("size")) {
                size = Long.parseLong(utf8(pax.get("size")));
            }
            int mode = (int) number(100, 8);
            long uid = pax.containsKey("uid") ? Long.parseLong(utf8(pax.get("uid"))) : number(108, 8);
            long gid = pax.containsKey("gid") ? Long.parseLong(utf8(pax.get("gid"))) : number(116, 8);
            String uname = pax.containsKey("uname") ? utf8(pax.get("uname")) : cString(block, 265, 32);
            String gname = pax.containsKey("gname") ? utf8(pax.get("gname")) : cString(block, 297, 32);
            long sec = number(136, 12);
            long nsec = 0;
            if (pax.containsKey("mtime")) {
                String t = utf8(pax.get("mtime"));
                java.math.BigDecimal d = new java.math.BigDecimal(t);
                sec = d.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
                nsec = d.subtract(java.math.BigDecimal.valueOf(sec)).movePointRight(9).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
            }
            int major = ustar ? (int) number(329, 8) : 0;
            int minor = ustar ? (int) number(337, 8) : 0;
            remainingData = size;
            padding = (512 - size % 512) % 512;
            long realSize = size;
            List<long[]> sparse = null;
            if (pax.containsKey("GNU.sparse.name")) {
                name = utf8(pax.get("GNU.sparse.name"));
            }
            if (pax.containsKey("GNU.sparse.realsize") || pax.containsKey("GNU.sparse.size")) {
                realSize = Long.parseLong(utf8(pax.getOrDefault("GNU.sparse.realsize", pax.get("GNU.sparse.size"))));
                if ("1".equals(str(pax.get("GNU.sparse.major")))) {
                    sparse = readSparseMap1(name, headerAt);
                } else if (pax.containsKey("GNU.sparse.map")) {
                    sparse = pairs(utf8(pax.get("GNU.sparse.map")), name);
                } else {
                    throw new IOException("entry " + name + " at offset " + headerAt + " uses a PAX sparse format rear does not read"
                            + " (GNU.sparse 0.0); GNU tar's default 1.0 and 0.1 are read");
                }
            }
            if (type == '7') {
                type = '0';
            }
            current = new Entry(name, type, mode, uid, gid, uname, gname, sec, nsec, type == '0' ? realSize : 0,
                    link.isEmpty() ? null : link, major, minor, pax, sparse);
            return current;
        }
    }

    private String after() {
        return previousName == null && current == null ? "the start" : "entry " + currentName();
    }

    /** The current entry's content, expanded (holes as zeros) to its real size. */
    InputStream content() {
        Entry e = current;
        if (e == null) {
            throw new IllegalStateException("no current entry");
        }
        List<long[]> extents = e.sparse() == null ? List.of(new long[] {0, remainingData}) : e.sparse();
        long total = e.size();
        return new InputStream() {
            long pos;
            int index;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= total) {
                    return -1;
                }
                while (index < extents.size() && pos >= extents.get(index)[0] + extents.get(index)[1]) {
                    index++;
                }
                long limit = total - pos;
                if (index < extents.size() && pos < extents.get(index)[0]) {
                    int n = (int) Math.min(len, extents.get(index)[0] - pos);
                    java.util.Arrays.fill(b, off, off + n, (byte) 0);
                    pos += n;
                    return n;
                }
                if (index >= extents.size()) {
                    int n = (int) Math.min(len, limit);
                    java.util.Arrays.fill(b, off, off + n, (byte) 0);
                    pos += n;
                    return n;
                }
                long[] x = extents.get(index);
                int n = (int) Math.min(len, x[0] + x[1] - pos);
                n = readRaw(b, off, n, e.name());
                pos += n;
                return n;
            }
        };
    }

    /**
     * Reads the current entry's stored data: the content of a regular file, or of a sparse file its
     * data extents one after the other (holes not expanded). Fails when the archive ends early.
     */
    int readData(byte[] b, int off, int len) throws IOException {
        Entry e = current;
        if (e == null) {
            throw new IllegalStateException("no current entry");
        }
        return readRaw(b, off, len, e.name());
    }

    /**
     * Reads the current (regular) entry's data and returns the hash rear's manifest records for it:
     * the SHA-256 of the content, or for a sparse file {@link TarWriter#SPARSE_SHA256} and the SHA-256 of
     * {@link TarWriter#sparseDigestHeader} and the data extents.
     */
    String contentSha256() throws IOException {
        return contentSha256(false);
    }

    /**
     * As {@link #contentSha256()}, but with {@code wholeContent} a sparse file's hash is the plain
     * SHA-256 of its whole content, holes as zeros, as manifests written before sparse hashes hold it.
     */
    String contentSha256(boolean wholeContent) throws IOException {
        Entry e = current;
        if (e == null) {
            throw new IllegalStateException("no current entry");
        }
        java.security.MessageDigest md = TarWriter.sha256();
        if (e.sparse() != null && wholeContent) {
            if (skipBuffer == null) {
                skipBuffer = new byte[64 * 1024];
            }
            long pos = 0;
            for (long[] x : e.sparse()) {
                TarWriter.updateZeros(md, x[0] - pos);
                for (long done = 0; done < x[1]; ) {
                    int n = readRaw(skipBuffer, 0, (int) Math.min(skipBuffer.length, x[1] - done), e.name());
                    md.update(skipBuffer, 0, n);
                    done += n;
                }
                pos = x[0] + x[1];
            }
            TarWriter.updateZeros(md, e.size() - pos);
            return java.util.HexFormat.of().formatHex(md.digest());
        }
        if (e.sparse() != null) {
            md.update(TarWriter.sparseDigestHeader(e.sparse(), e.size()));
        }
        if (skipBuffer == null) {
            skipBuffer = new byte[64 * 1024];
        }
        while (remainingData > 0) {
            int n = readRaw(skipBuffer, 0, (int) Math.min(skipBuffer.length, remainingData), e.name());
            md.update(skipBuffer, 0, n);
        }
        return (e.sparse() != null ? TarWriter.SPARSE_SHA256 : "") + java.util.HexFormat.of().formatHex(md.digest());
    }

    private int readRaw(byte[] b, int off, int len, String name) throws IOException {
        if (remainingData <= 0) {
            throw new IOException("entry " + name + " holds less data than its header and sparse map say");
        }
        int n = in.read(b, off, (int) Math.min(len, remainingData));
        if (n < 0) {
            throw new EOFException("truncated archive: entry " + name + " ends " + remainingData + " bytes early, at offset " + offset);
        }
        remainingData -= n;
        offset += n;
        return n;
    }

    private List<long[]> readSparseMap1(String name, long headerAt) throws IOException {
        List<Long> numbers = new ArrayList<>();
        StringBuilder digits = new StringBuilder();
        long expected = -1;
        while (expected < 0 || numbers.size() < 1 + 2 * expected) {
            if (remainingData < 512) {
                throw new IOException("entry " + name + " at offset " + headerAt + ": its sparse map is longer than its data");
            }
            byte[] b = new byte[512];
            int got = 0;
            while (got < 512) {
                got += readRaw(b, got, 512 - got, name);
            }
            for (int i = 0; i < 512 && (expected < 0 || numbers.size() < 1 + 2 * expected); i++) {
                if (b[i] == '\n') {
                    numbers.add(Long.parseLong(digits.toString()));
                    digits.setLength(0);
                    if (numbers.size() == 1) {
                        expected = numbers.get(0);
                    }
                } else if (b[i] >= '0' && b[i] <= '9') {
                    digits.append((char) b[i]);
                } else {
                    throw new IOException("entry " + name + " at offset " + headerAt + ": a bad byte in its sparse map");
                }
            }
        }
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            out.add(new long[] {numbers.get(1 + 2 * i), numbers.get(2 + 2 * i)});
        }
        return out;
    }

    private static List<long[]> pairs(String map, String name) throws IOException {
        String[] parts = map.split(",");
        if (parts.length % 2 != 0) {
            throw new IOException("entry " + name + ": GNU.sparse.map has an odd number of values");
        }
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i += 2) {
            out.add(new long[] {Long.parseLong(parts[i].trim()), Long.parseLong(parts[i + 1].trim())});
        }
        return out;
    }

    private void skipRest() throws IOException {
        if (remainingData <= 0 && padding <= 0) {
            return;
        }
        if (skipBuffer == null) {
            skipBuffer = new byte[64 * 1024];
        }
        byte[] buf = skipBuffer;
        String name = currentName();
        while (remainingData > 0) {
            readRaw(buf, 0, (int) Math.min(buf.length, remainingData), name == null ? "?" : name);
        }
        while (padding > 0) {
            int n = in.read(buf, 0, (int) padding);
            if (n < 0) {
                throw new EOFException("truncated archive: the padding of entry " + name + " is cut short");
            }
            padding -= n;
            offset += n;
        }
    }

    private byte[] readData(long size, long headerAt) throws IOException {
        if (size > 64L << 20) {
            throw new IOException("an extended header of " + size + " bytes at offset " + headerAt + " is implausible");
        }
        byte[] data = new byte[(int) size];
        int got = 0;
        while (got < size) {
            int n = in.read(data, got, (int) size - got);
            if (n < 0) {
                throw new EOFException("truncated archive: the extended header at offset " + headerAt + " after " + after() + " is cut short");
            }
            got += n;
        }
        offset += size;
        long pad = (512 - size % 512) % 512;
        byte[] p = new byte[(int) pad];
        int done = 0;
        while (done < pad) {
            int n = in.read(p, done, (int) pad - done);
            if (n < 0) {
                throw new EOFException("truncated archive after the extended header at offset " + headerAt);
            }
            done += n;
        }
        offset += pad;
        return data;
    }

    private void parsePax(byte[] data, Map<String, byte[]> pax, long headerAt) throws IOException {
        int i = 0;
        while (i < data.length) {
            if (data[i] == 0) {
                break;
            }
            int sp = i;
            while (sp < data.length && data[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("a malformed extended header record at offset " + headerAt + " after " + after());
            }
            int end = i + len;
            if (len <= 0 || end > data.length || data[end - 1] != '\n') {
                throw new IOException("a malformed extended header record at offset " + headerAt + " after " + after());
            }
            int eq = sp + 1;
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            if (eq >= end) {
                throw new IOException("an extended header record without '=' at offset " + headerAt);
            }
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
            if (value.length == 0) {
                pax.remove(key);
            } else {
                pax.put(key, value);
            }
            i = end;
        }
    }

    private boolean readBlock(boolean atHeader) throws IOException {
        int got = 0;
        while (got < 512) {
            int n = in.read(block, got, 512 - got);
            if (n < 0) {
                if (got == 0 && atHeader) {
                    return false;
                }
                throw new EOFException("truncated archive: a header block after " + after() + " is cut short");
            }
            got += n;
        }
        offset += 512;
        return true;
    }

    private void checkChecksum(long headerAt) throws IOException {
        long stored = number(148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < 512; i++) {
            byte b = (i >= 148 && i < 156) ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new IOException("corrupted archive: the header at offset " + headerAt + " after " + after()
                    + " has checksum " + stored + ", computed " + unsigned);
        }
    }

    private long number(int off, int len) throws IOException {
        if ((block[off] & 0x80) != 0) { // base-256 (GNU and star)
            long v = block[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (block[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            byte b = block[i];
            if (b == 0 || (b == ' ' && any)) {
                break;
            }
            if (b == ' ') {
                continue;
            }
            if (b < '0' || b > '7') {
                throw new IOException("corrupted archive: a non-octal byte in the header at offset " + (offset - 512) + " after " + after());
            }
            v = v * 8 + (b - '0');
            any = true;
        }
        return v;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return Names.decode(b, off, end - off);
    }

    /** A header value as a name: UTF-8, or its bytes kept (hdrcharset=BINARY, or any value that is not UTF-8), see {@link Names}. */
    private static String utf8(byte[] b) {
        return Names.decode(b);
    }

    private static @Nullable String str(byte @Nullable [] b) {
        return b == null ? null : utf8(b);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
