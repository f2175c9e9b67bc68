package dev.rear.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * The Debian 12 (bookworm) root of the e2e source systems: {@code debootstrap --variant=minbase}
 * with the packages of a real server ({@code source/packages.txt}), made on the host by
 * {@code source/debootstrap.sh} from the Debian mirror this machine's apt uses, kept as a plain
 * tar (the installer VM reads it as a raw disk) in the sources cache, named by a key of the
 * mirror, the package list and the script. Built under a file lock, so that two test JVMs do not
 * both run debootstrap; the test is skipped, with the reason, when debootstrap, root or the
 * mirror is missing.
 */
final class DebianRoot {
    private DebianRoot() {}

    static final String SUITE = "bookworm";

    /** Where the root tarball and the installed source images are kept: outside target/, so that mvn clean keeps them. */
    static Path cacheDir() {
        return Path.of(System.getProperty("rear.e2e.sources", "/var/cache/rear-e2e")).toAbsolutePath().normalize();
    }

    /** The packages debootstrap adds to minbase. */
    static List<String> packages() {
        return resource("packages.txt").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The mirror: -Drear.e2e.mirror, else the one apt uses for bookworm, else deb.debian.org. */
    static String mirror() {
        String p = System.getProperty("rear.e2e.mirror");
        if (p != null && !p.isBlank()) {
            return p.strip();
        }
        try {
            Path deb822 = Path.of("/etc/apt/sources.list.d/debian.sources");
            if (Files.isReadable(deb822)) {
                Optional<String> m = mirrorFromDeb822(Files.readString(deb822), SUITE);
                if (m.isPresent()) {
                    return m.get();
                }
            }
            Path list = Path.of("/etc/apt/sources.list");
            if (Files.isReadable(list)) {
                Optional<String> m = mirrorFromList(Files.readString(list), SUITE);
                if (m.isPresent()) {
                    return m.get();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read apt's sources: " + e.getMessage(), e);
        }
        return "http://deb.debian.org/debian";
    }

    /** The first URI of a deb822 stanza of type deb whose Suites has exactly {@code suite}. */
    static Optional<String> mirrorFromDeb822(String text, String suite) {
        for (String stanza : text.split("\\n\\s*\\n")) {
            List<String> types = field(stanza, "Types");
            List<String> suites = field(stanza, "Suites");
            List<String> uris = field(stanza, "URIs");
            if (types.contains("deb") && suites.contains(suite) && !uris.isEmpty()) {
                return Optional.of(uris.get(0));
            }
        }
        return Optional.empty();
    }

    /** The URI of the first one-line {@code deb URI SUITE ...} entry. */
    static Optional<String> mirrorFromList(String text, String suite) {
        for (String line : text.lines().toList()) {
            String[] f = line.replaceAll("\\[[^]]*]", " ").strip().split("\\s+");
            if (f.length >= 3 && f[0].equals("deb") && f[2].equals(suite)) {
                return Optional.of(f[1]);
            }
        }
        return Optional.empty();
    }

    private static List<String> field(String stanza, String name) {
        for (String line : stanza.lines().toList()) {
            if (!line.startsWith("#") && line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return List.of(line.substring(name.length() + 1).strip().split("\\s+"));
            }
        }
        return List.of();
    }

    /** The cache key: the mirror, the package list and the script that makes the root. */
    static String key(String mirror, List<String> packages, String script) {
        return sha256("mirror=" + mirror + "\npackages=" + String.join(",", packages) + "\n" + script).substring(0, 16);
    }

    /** The root tarball, made now unless the cache holds it; the time it took is printed. */
    static Path tarball() {
        String mirror = mirror();
        List<String> packages = packages();
        String script = resource("debootstrap.sh");
        Path cache = cacheDir();
        Path target = cache.resolve("debian12-root-" + key(mirror, packages, script) + ".tar");
        if (Files.isRegularFile(target)) {
            return target;
        }
        List<String> missing = new ArrayList<>();
        if (VmHost.which("debootstrap").isEmpty()) {
            missing.add("debootstrap (package debootstrap)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (debootstrap and chroot)");
        }
        if (!missing.isEmpty()) {
            throw new TestAbortedException("cannot make the Debian root " + target + "; missing: " + String.join("; ", missing));
        }
        String unreachable = unreachable(mirror);
        if (unreachable != null) {
            throw new TestAbortedException("cannot make the Debian root: the mirror " + mirror + " is unreachable (" + unreachable
                    + "); set -Drear.e2e.mirror=URL or put the tarball at " + target);
        }
        try {
            Files.createDirectories(cache);
            synchronized (DebianRoot.class) { // the file lock is per JVM: threads of one JVM queue here first
                try (FileChannel ch = FileChannel.open(cache.resolve(".debootstrap.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = ch.lock()) {
                    if (Files.isRegularFile(target)) {
                        return target; // another run made it while this one waited
                    }
                    Path work = Files.createTempDirectory(cache, "debootstrap-");
                    try {
                        Path sh = work.resolve("debootstrap.sh");
                        Files.writeString(sh, script);
                        Instant t0 = Instant.now();
                        System.out.printf("rear-e2e: debootstrap %s from %s into %s (some minutes)%n", SUITE, mirror, target);
                        HostProcess r = HostProcess.run(Duration.ofMinutes(45), "sh", sh.toString(), mirror, String.join(",", packages),
                                work.toString(), target.toString());
                        if (r.exitCode() != 0 || !Files.isRegularFile(target)) {
                            throw new IllegalStateException("debootstrap of the Debian root failed (exit " + r.exitCode() + "):\n" + tail(r.stdout(), 30)
                                    + "\n" + tail(r.stderr(), 30));
                        }
                        System.out.printf("rear-e2e: Debian root %s (%d MiB) made in %.0fs%n", target.getFileName(), Files.size(target) >> 20,
                                Duration.between(t0, Instant.now()).toMillis() / 1000.0);
                    } finally {
                        unmountUnder(work);
                        JavaRuntimeImage.deleteTree(work);
                    }
                    return target;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the Debian root in " + cache + ": " + e.getMessage(), e);
        }
    }

    /** Why {@code mirror} cannot be reached, or null when its bookworm Release file answers. */
    static String unreachable(String mirror) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(mirror.replaceFirst("/$", "") + "/dists/" + SUITE + "/InRelease").toURL().openConnection();
            c.setRequestMethod("HEAD");
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            int code = c.getResponseCode();
            c.disconnect();
            return code == 200 ? null : "HTTP " + code;
        } catch (IOException | IllegalArgumentException e) {
            return e.toString();
        }
    }

    /** A failed debootstrap may leave proc/sys mounted in its root: those go before the tree is removed. */
    private static void unmountUnder(Path dir) throws IOException {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].startsWith(dir.toString() + "/")) {
                mounts.add(f[1]);
            }
        }
        for (int i = mounts.size() - 1; i >= 0; i--) {
            HostProcess r = HostProcess.run(Duration.ofSeconds(30), "umount", "-l", mounts.get(i));
            if (r.exitCode() != 0) {
                throw new IOException("cannot unmount " + mounts.get(i) + " (left by debootstrap): " + r.stderr().strip());
            }
        }
    }

    static String resource(String name) {
        try (InputStream in = DebianRoot.class.getResourceAsStream("source/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource dev/rear/e2e/source/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
