package dev.rear.engine.rescue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a private key that anyone holding the file can use (no passphrase) from one that is
 * protected, by reading its header — as ReaR leaves out SSH keys without passphrase (ReaR #1511,
 * #2155): OpenSSH's own format ({@code openssh-key-v1}, cipher {@code none} when unprotected), the
 * PEM forms ({@code Proc-Type: 4,ENCRYPTED} when protected) and PKCS#8 ({@code PRIVATE KEY} versus
 * {@code ENCRYPTED PRIVATE KEY}).
 */
public final class PrivateKeys {
    private PrivateKeys() {}

    /** What a file is, as far as keys go. */
    public enum Kind {
        /** Not a private key. */
        NOT_A_KEY,
        /** A private key usable without a passphrase: never copied. */
        UNPROTECTED,
        /** A private key encrypted with a passphrase. */
        PROTECTED
    }

    /** Keys are small; a file larger than this is not read. */
    static final int MAX_KEY_BYTES = 64 * 1024;

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----\\s*(.*?)-----END \\1PRIVATE KEY-----", Pattern.DOTALL);
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    /** Reads the start of {@code file} (not following a symbolic link) and classifies it. */
    public static Kind classify(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Kind.NOT_A_KEY;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(MAX_KEY_BYTES);
        }
        return classify(new String(head, StandardCharsets.ISO_8859_1));
    }

    /** Classifies the text of a file; any private-key block that is unprotected makes it {@link Kind#UNPROTECTED}. */
    public static Kind classify(String text) {
        Matcher m = BLOCK.matcher(text);
        Kind result = Kind.NOT_A_KEY;
        while (m.find()) {
            Kind k = block(m.group(1).strip(), m.group(2));
            if (k == Kind.UNPROTECTED) {
                return k;
            }
            result = k;
        }
        if (result == Kind.NOT_A_KEY && text.contains("PRIVATE KEY-----")) {
            // a key block we could not take apart: treat as usable, leaving it out is the safe side
            return Kind.UNPROTECTED;
        }
        return result;
    }

    private static Kind block(String type, String body) {
        if (type.equals("ENCRYPTED")) {
            return Kind.PROTECTED;
        }
        if (type.equals("OPENSSH")) {
            byte[] bin;
            try {
                bin = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                return Kind.UNPROTECTED;
            }
            ByteBuffer b = ByteBuffer.wrap(bin);
            if (bin.length < OPENSSH_MAGIC.length + 4 || !ByteBuffer.wrap(bin, 0, OPENSSH_MAGIC.length).equals(ByteBuffer.wrap(OPENSSH_MAGIC))) {
                return Kind.UNPROTECTED;
            }
            b.position(OPENSSH_MAGIC.length);
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                return Kind.UNPROTECTED;
            }
            byte[] cipher = new byte[len];
            b.get(cipher);
            return new String(cipher, StandardCharsets.US_ASCII).equals("none") ? Kind.UNPROTECTED : Kind.PROTECTED;
        }
        // PEM: RSA, DSA, EC, or PKCS#8 "PRIVATE KEY"
        return body.contains("Proc-Type: 4,ENCRYPTED") ? Kind.PROTECTED : Kind.UNPROTECTED;
    }
}
