package dev.rear.engine.rescue;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.ToolNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The rescue system's Java runtime: {@code jlink} from the JDK's {@code jmods}, holding the modules
 * {@code jdeps} finds in the distribution's jars plus those only reflection and native access reach.
 * Both the module list and the linked runtime are kept in the cache directory, keyed by the JDK, the
 * jars and the module list, so a second build links nothing.
 */
final class JavaRuntime {
    private JavaRuntime() {}

    /** Reached by reflection, service loading or native access, which jdeps cannot see. */
    static final List<String> ALWAYS = List.of("java.base", "java.logging", "java.naming", "java.xml", "jdk.unsupported",
            "java.management", "jdk.zipfs", "jdk.crypto.ec", "jdk.charsets");

    /**
     * The jlink options: no Java debug attributes, headers or man pages, and the module image left
     * uncompressed — measured here (17.0.15, these modules): {@code --compress=2} makes a 24 MiB
     * {@code lib/modules} that zstd cannot shrink (23.1 MB in the initrd), {@code --compress=0} a
     * 50 MiB one that zstd -9 packs into 13.5 MB, and classes load without unzipping. The default
     * class-data-sharing archive ({@code --generate-cds-archive}, 11 MiB, 2.4 MiB in the initrd)
     * takes {@code rear --version} in the rescue system under qemu TCG from 10.6 s to 6.5 s.
     * Not {@code --strip-debug}: Debian's jlink implements it by running {@code objcopy} on every
     * native library, so on a system without binutils it fails ("Cannot run program objcopy"), and
     * Debian's libraries are shipped stripped already — the linked runtime is 98 MiB either way.
     */
    static final List<String> JLINK_OPTIONS = List.of("--strip-java-debug-attributes", "--no-header-files", "--no-man-pages", "--compress=0",
            "--generate-cds-archive");

    /**
     * Native libraries of java.desktop that only a display, sound or image/font work loads: left out,
     * as in a headless JRE, and with them X11, ALSA, freetype and glib.
     */
    static final java.util.Set<String> GUI_LIBRARIES = java.util.Set.of("libawt_xawt.so", "libjawt.so", "libjsound.so",
            "libsplashscreen.so", "libfontmanager.so", "liblcms.so", "libjavajpeg.so", "libmlib_image.so");

    /** Fails naming the package when the JDK cannot link. */
    static void check(Path javaHome) {
        if (!Files.isRegularFile(javaHome.resolve("jmods/java.base.jmod"))) {
            throw new RescueBuildException("no jmods in " + javaHome + " to link the rescue system's Java runtime from:"
                    + " install openjdk-17-jdk-headless (or point JAVA_HOME at a full JDK)");
        }
        if (!Files.isExecutable(javaHome.resolve("bin/jlink")) || !Files.isExecutable(javaHome.resolve("bin/jdeps"))) {
            throw new RescueBuildException("no jlink/jdeps in " + javaHome + "/bin: install openjdk-17-jdk-headless");
        }
    }

    /** The jars of the distribution, sorted. */
    static List<Path> jars(Path distribution) throws IOException {
        Path lib = distribution.resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw new RescueBuildException("the rear distribution " + distribution + " has no lib/ directory");
        }
        try (Stream<Path> s = Files.list(lib)) {
            List<Path> jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new RescueBuildException("no jars in " + lib + ": is the rear distribution built?");
            }
            return jars;
        }
    }

    /** The modules the runtime needs: jdeps' answer for {@code jars} (cached) plus {@link #ALWAYS}. */
    static List<String> modules(Path javaHome, List<Path> jars, CommandRunner runner, @Nullable Path cacheDir) throws IOException {
        StringBuilder key = new StringBuilder(javaHome.toString()).append('|').append(Runtime.version());
        for (Path j : jars) {
            key.append('|').append(j.getFileName()).append(':').append(Files.size(j)).append(':').append(Files.getLastModifiedTime(j).toMillis());
        }
        Path cached = cacheDir == null ? null : cacheDir.resolve("jdeps-" + hash(key.toString()).substring(0, 16) + ".txt");
        String answer;
        if (cached != null && Files.isRegularFile(cached)) {
            answer = Files.readString(cached);
        } else {
            List<String> argv = new ArrayList<>(List.of(javaHome.resolve("bin/jdeps").toString(), "--ignore-missing-deps", "--multi-release",
                    Integer.toString(Runtime.version().feature()), "--print-module-deps", "--class-path",
                    String.join(":", jars.stream().map(Path::toString).toList())));
            jars.forEach(j -> argv.add(j.toString()));
            answer = runner.run(new CommandSpec(argv, Duration.ofMinutes(5), java.util.Map.of(), java.util.Set.of(0), java.util.Set.of(), null))
                    .stdout().strip();
            answer = answer.lines().reduce((a, b) -> b).orElse("");
            if (cached != null) {
                Files.createDirectories(cacheDir);
                Path tmp = Files.createTempFile(cacheDir, "jdeps-", ".part");
                Files.writeString(tmp, answer);
                Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        TreeSet<String> mods = new TreeSet<>(ALWAYS);
        for (String m : answer.split(",")) {
            if (m.strip().matches("[a-z][a-z0-9.]*")) {
                mods.add(m.strip());
            }
        }
        return List.copyOf(mods);
    }

    /**
     * The linked runtime for {@code modules}: from the cache, or linked now (into the cache, or into
     * {@code workDir} when there is none).
     */
    static Path linked(Path javaHome, List<String> modules, CommandRunner runner, @Nullable Path cacheDir, Path workDir) throws IOException {
        String key = hash(javaHome + "|" + Runtime.version() + "|" + String.join(",", modules) + "|" + String.join(" ", JLINK_OPTIONS));
        Path dir = cacheDir != null ? cacheDir : workDir;
        Path image = dir.resolve("jre-" + key.substring(0, 16));
        if (Files.isExecutable(image.resolve("bin/java"))) {
            return image;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve("jre-" + key.substring(0, 16) + ".part");
        deleteTree(tmp);
        try {
            List<String> argv = new ArrayList<>(List.of(javaHome.resolve("bin/jlink").toString(), "--module-path",
                    javaHome.resolve("jmods").toString(), "--add-modules", String.join(",", modules)));
            argv.addAll(JLINK_OPTIONS);
            argv.addAll(List.of("--output", tmp.toString()));
            try {
                runner.run(new CommandSpec(argv, Duration.ofMinutes(10), java.util.Map.of(), java.util.Set.of(0), java.util.Set.of(), null));
            } catch (ToolNotFoundException e) {
                throw new RescueBuildException("jlink is not installed: install openjdk-17-jdk-headless", e);
            }
            Files.move(tmp, image);
            return image;
        } finally {
            deleteTree(tmp);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(x);
            }
        }
    }

    static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
