package dev.rear.provider.tar;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * POSIX ACLs between GNU tar's text form ({@code SCHILY.acl.access}/{@code SCHILY.acl.default}:
 * {@code user::rw-,user:bob:r--:1000,group::r--,mask::r--,other::r--}, where a named entry carries
 * its numeric id as a fourth field or as the qualifier) and the kernel's binary xattr form
 * ({@code system.posix_acl_access}: version 2, then tag u16, perm u16, id u32, little-endian).
 * rear itself writes the binary xattr; it reads both.
 */
final class Acls {

    private Acls() {}

    private static final int USER_OBJ = 0x01;
    private static final int USER = 0x02;
    private static final int GROUP_OBJ = 0x04;
    private static final int GROUP = 0x08;
    private static final int MASK = 0x10;
    private static final int OTHER = 0x20;
    private static final long UNDEFINED = 0xffffffffL;

    /** GNU tar's text form of a binary ACL xattr, numeric ids: {@code user::rw-,user:1000:r--,group::r--,mask::r--,other::---}. */
    static String toText(byte[] xattr) {
        ByteBuffer b = ByteBuffer.wrap(xattr).order(ByteOrder.LITTLE_ENDIAN);
        if (xattr.length < 4 || (xattr.length - 4) % 8 != 0 || b.getInt() != 2) {
            throw new IllegalArgumentException("not a version 2 POSIX ACL xattr of " + xattr.length + " bytes");
        }
        StringBuilder out = new StringBuilder();
        while (b.hasRemaining()) {
            int tag = b.getShort() & 0xffff;
            int perm = b.getShort() & 0xffff;
            long id = b.getInt() & 0xffffffffL;
            String t = switch (tag) {
                case USER_OBJ -> "user::";
                case USER -> "user:" + id + ":";
                case GROUP_OBJ -> "group::";
                case GROUP -> "group:" + id + ":";
                case MASK -> "mask::";
                case OTHER -> "other::";
                default -> throw new IllegalArgumentException("unknown ACL tag " + tag);
            };
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(t).append((perm & 4) != 0 ? 'r' : '-').append((perm & 2) != 0 ? 'w' : '-').append((perm & 1) != 0 ? 'x' : '-');
        }
        return out.toString();
    }

    static byte[] fromText(String text) {
        List<long[]> entries = new ArrayList<>();
        for (String raw : text.split("[,\n]")) {
            String s = raw.strip();
            int hash = s.indexOf('#');
            if (hash >= 0) {
                s = s.substring(0, hash).strip();
            }
            if (s.isEmpty()) {
                continue;
            }
            String[] f = s.split(":", -1);
            if (f.length < 3) {
                throw new IllegalArgumentException("ACL entry '" + s + "' has fewer than three fields");
            }
            String tag = f[0];
            String qualifier = f[1];
            int perm = perms(f[2], s);
            boolean named = !qualifier.isEmpty();
            long id = UNDEFINED;
            if (named) {
                String number = f.length >= 4 && !f[3].isEmpty() ? f[3] : qualifier;
                try {
                    id = Long.parseLong(number);
                } catch (NumberFormatException e) {
                    id = idOf(tag.startsWith("u") ? "/etc/passwd" : "/etc/group", qualifier, s);
                }
            }
            int t = switch (tag) {
                case "user", "u" -> named ? USER : USER_OBJ;
                case "group", "g" -> named ? GROUP : GROUP_OBJ;
                case "mask", "m" -> MASK;
                case "other", "o" -> OTHER;
                default -> throw new IllegalArgumentException("ACL entry '" + s + "' has the unknown tag " + tag);
            };
            entries.add(new long[] {t, perm, t == USER || t == GROUP ? id : UNDEFINED});
        }
        entries.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[2]));
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(2);
        for (long[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]).putInt((int) e[2]);
        }
        return b.array();
    }

    /** The id of a user or group name from this system's passwd or group file. */
    private static long idOf(String file, String name, String entry) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(file))) {
                String[] f = line.split(":");
                if (f.length >= 3 && f[0].equals(name)) {
                    return Long.parseLong(f[2]);
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // fall through to the refusal below
        }
        throw new IllegalArgumentException("ACL entry '" + entry + "' names " + name + ", unknown in " + file + ", without a numeric id");
    }

    private static int perms(String p, String entry) {
        int v = 0;
        for (char c : p.toCharArray()) {
            switch (c) {
                case 'r' -> v |= 4;
                case 'w' -> v |= 2;
                case 'x' -> v |= 1;
                case '-' -> { }
                default -> throw new IllegalArgumentException("ACL entry '" + entry + "' has the bad permission " + p);
            }
        }
        return v;
    }
}
