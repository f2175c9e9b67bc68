package dev.rear.provider.tar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Describes every entry of a tree by every attribute rear keeps (type, mode with setuid/setgid/sticky,
 * uid, gid, mtime in nanoseconds, size, content hash, link target, device numbers, extended attributes
 * of every namespace, data extents of sparse files, hard-link groups) so two trees compare line by line.
 */
final class TreeComparator {

    private TreeComparator() {}

    static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> firstByInode = new TreeMap<>();
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = new ArrayList<>(s.sorted().toList());
        }
        String rootName = Names.of(root);
        for (Path p : all) {
            String name = Names.of(p); // the exact bytes, also of a name that is not UTF-8
            String rel = Manifest.escape(name.equals(rootName) ? "/" : name.substring(rootName.length()));
            if (rel.equals("/lost+found") || rel.startsWith("/lost+found/")) {
                continue;
            }
            Map<String, Object> u = Files.readAttributes(p, "unix:mode,uid,gid,rdev,nlink,ino,dev,size", LinkOption.NOFOLLOW_LINKS);
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) u.get("mode");
            StringBuilder b = new StringBuilder();
            b.append("mode=").append(Integer.toOctalString(mode)).append(" uid=").append(u.get("uid")).append(" gid=").append(u.get("gid"));
            if (!a.isDirectory()) {
                b.append(" mtime=").append(a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            }
            if (a.isSymbolicLink()) {
                b.append(" -> ").append(Manifest.escape(Posix.readlink(name)));
            } else if (a.isRegularFile()) {
                b.append(" size=").append(a.size()).append(" sha=").append(sha(p));
                long size = a.size();
                if (size >= 64 * 1024) {
                    long data = Posix.dataExtents(name, size).stream().mapToLong(e -> e[1]).sum();
                    b.append(data < size ? " sparse" : "");
                }
                if (((Integer) u.get("nlink")) > 1) {
                    String key = u.get("ino").toString();
                    firstByInode.putIfAbsent(key, rel);
                    b.append(" hardlink-group=").append(firstByInode.get(key));
                }
            } else if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000) {
                long rdev = ((Number) u.get("rdev")).longValue();
                b.append(" dev=").append(Posix.major(rdev)).append(',').append(Posix.minor(rdev));
            }
            for (Map.Entry<String, byte[]> x : new TreeMap<>(Posix.xattrs(name)).entrySet()) {
                b.append(" xattr:").append(x.getKey()).append('=').append(HexFormat.of().formatHex(x.getValue()));
            }
            out.put(rel, b.toString());
        }
        return out;
    }

    /** Directory mtimes separately: they change while a tree is built, so compare them after restore only. */
    static Map<String, Long> directoryTimes(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(x -> Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String rel = Manifest.escape(Names.of(p).substring(Names.of(root).length()));
                if (!rel.startsWith("/lost+found") && !rel.isEmpty() && !rel.equals("/")) {
                    out.put(rel, Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS));
                }
            }
        }
        return out;
    }

    static List<String> differences(Map<String, String> expected, Map<String, String> actual) {
        List<String> out = new ArrayList<>();
        for (String k : expected.keySet()) {
            if (!actual.containsKey(k)) {
                out.add("missing " + k);
            } else if (!expected.get(k).equals(actual.get(k))) {
                out.add(k + ": expected " + expected.get(k) + "\n   actual " + actual.get(k));
            }
        }
        actual.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> out.add("unexpected " + k));
        return out;
    }

    private static String sha(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            return TarWriter.sha256(in);
        }
    }
}
