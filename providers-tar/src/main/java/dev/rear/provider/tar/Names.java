package dev.rear.provider.tar;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as Linux has them: bytes, not text. A name that is valid UTF-8 is kept as that text;
 * each byte of a name that is not (an old Latin-1 {@code caf\xe9}) is kept as one character
 * {@code U+DC80..U+DCFF} (the "surrogate escape" of PEP 383: a lone low surrogate, which decoding
 * UTF-8 never produces, so the mapping is lossless both ways). Every name rear handles is such a
 * string; {@link #encode} gives back the exact bytes.
 *
 * <p>The JVM decodes file names with {@code sun.jnu.encoding} (the locale's: UTF-8 in a UTF-8
 * locale, ASCII in {@code C}) and shows a byte it cannot decode as U+FFFD, but a {@link Path} read
 * from a directory keeps the original bytes. {@link Path#toUri()} percent-encodes exactly those
 * bytes and {@link Path#of(URI)} decodes them back, which is the byte-exact bridge used here (no
 * JDK internals, whatever the locale). libc calls take these bytes ({@link Posix}).
 */
final class Names {

    private Names() {}

    private static final boolean JNU_UTF8 = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));

    static char escapeByte(byte b) {
        return (char) (0xDC00 | (b & 0xff));
    }

    /**
     * Whether the character at {@code i} is an escaped byte: in {@code U+DC80..U+DCFF} and not the
     * second half of a surrogate pair (a character beyond U+FFFF decoded from valid UTF-8).
     */
    static boolean isEscapedByte(String s, int i) {
        char c = s.charAt(i);
        return c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    static byte escapedByte(char c) {
        return (byte) (c & 0xff);
    }

    /** Whether the name is text (valid UTF-8): holds no escaped byte. */
    static boolean isText(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (isEscapedByte(name, i)) {
                return false;
            }
        }
        return true;
    }

    /** The name for these bytes: UTF-8 where valid, each other byte escaped. */
    static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    static String decode(byte[] bytes, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, off, len, StandardCharsets.US_ASCII);
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        CharBuffer out = CharBuffer.allocate(len * 2 + 4);
        while (in.hasRemaining()) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    out.put(escapeByte(in.get()));
                }
            } else if (r.isUnderflow()) {
                break;
            }
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    /** The exact bytes of a name. */
    static byte[] encode(String name) {
        if (isText(name)) {
            return name.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 8);
        int start = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || isEscapedByte(name, i)) {
                out.writeBytes(name.substring(start, i).getBytes(StandardCharsets.UTF_8));
                if (i < name.length()) {
                    out.write(escapedByte(name.charAt(i)));
                }
                start = i + 1;
            }
        }
        return out.toByteArray();
    }

    /** The exact bytes of a path as the kernel sees it, made absolute. */
    static byte[] bytes(Path p) {
        String raw = p.toAbsolutePath().toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c); // toUri escapes every non-ASCII byte, so the rest is ASCII
            }
        }
        byte[] b = out.toByteArray();
        if (b.length > 1 && b[b.length - 1] == '/') { // toUri marks a directory with a trailing slash
            return java.util.Arrays.copyOf(b, b.length - 1);
        }
        return b;
    }

    /** The name of a path as rear keeps it: its toString, unless the JVM could not decode its bytes. */
    static String of(Path p) {
        String s = p.toString();
        if (s.indexOf('\uFFFD') < 0 && (JNU_UTF8 || isAscii(s))) {
            return s;
        }
        return decode(bytes(p));
    }

    /** The last component of {@code child}'s name. */
    static String fileName(Path child) {
        String s = child.getFileName().toString();
        if (s.indexOf('\uFFFD') < 0 && (JNU_UTF8 || isAscii(s))) {
            return s;
        }
        String all = decode(bytes(child));
        return all.substring(all.lastIndexOf('/') + 1);
    }

    /** The path with this absolute name. */
    static Path path(String absolute) {
        if ((JNU_UTF8 && isText(absolute)) || isAscii(absolute)) {
            return Path.of(absolute);
        }
        return Path.of(URI.create("file://" + percent(encode(absolute))));
    }

    /** {@code parent/child} with the child's exact bytes. */
    static Path resolve(Path parent, String child) {
        if ((JNU_UTF8 && isText(child)) || isAscii(child)) {
            return parent.resolve(child);
        }
        byte[] p = bytes(parent);
        byte[] c = encode(child);
        byte[] all = new byte[p.length + 1 + c.length];
        System.arraycopy(p, 0, all, 0, p.length);
        all[p.length] = '/';
        System.arraycopy(c, 0, all, p.length + 1, c.length);
        return Path.of(URI.create("file://" + percent(all)));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String percent(byte[] b) {
        StringBuilder out = new StringBuilder(b.length * 2);
        for (byte x : b) {
            int v = x & 0xff;
            if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') || "/-._~".indexOf(v) >= 0) {
                out.append((char) v);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16))).append(Character.toUpperCase(Character.forDigit(v & 15, 16)));
            }
        }
        return out.toString();
    }
}
