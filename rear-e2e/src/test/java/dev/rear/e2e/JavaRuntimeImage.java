package dev.rear.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * A Java runtime for the VM made with {@code jlink} from this JDK's jmods: the modules {@code jdeps}
 * finds in the distribution's jars, plus those only reflection and JNA reach. Kept in the cache
 * directory under a name from the JDK and the module list, so it is linked once.
 */
final class JavaRuntimeImage {
    private JavaRuntimeImage() {}

    /** Reached by reflection or native access, which jdeps cannot see. */
    static final List<String> ALWAYS = List.of("java.base", "java.logging", "java.naming", "java.xml", "jdk.unsupported",
            "java.management", "jdk.zipfs");

    /** The modules of {@code libDir}'s jars per {@code jdeps --print-module-deps}, plus {@link #ALWAYS}. */
    static List<String> modules(Path jdk, Path libDir) {
        List<String> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(libDir)) {
            s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + libDir + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("no jars in " + libDir + ": build rear-dist first (mvn -pl rear-dist -am package)");
        }
        List<String> argv = new ArrayList<>(List.of(jdk.resolve("bin/jdeps").toString(), "--ignore-missing-deps", "--multi-release",
                Integer.toString(Runtime.version().feature()), "--print-module-deps", "--class-path", String.join(":", jars)));
        argv.addAll(jars);
        HostProcess r = HostProcess.run(Duration.ofMinutes(3), argv.toArray(String[]::new)).ok();
        String last = r.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        TreeSet<String> mods = new TreeSet<>(ALWAYS);
        for (String m : last.split(",")) {
            if (m.matches("[a-z][a-z0-9.]*")) {
                mods.add(m);
            }
        }
        return List.copyOf(mods);
    }

    /** The linked runtime for {@code modules}, made now unless the cache holds it. */
    static Path linked(Path jdk, List<String> modules, Path cacheDir) {
        String key = hash(jdk + "|" + Runtime.version() + "|" + String.join(",", modules));
        Path image = cacheDir.resolve("jre-" + key.substring(0, 16));
        if (Files.isExecutable(image.resolve("bin/java"))) {
            return image;
        }
        Path tmp = cacheDir.resolve("jre-" + key.substring(0, 16) + ".part");
        try {
            Files.createDirectories(cacheDir);
            deleteTree(tmp);
            HostProcess.run(Duration.ofMinutes(5), jdk.resolve("bin/jlink").toString(), "--module-path", jdk.resolve("jmods").toString(),
                    "--add-modules", String.join(",", modules), "--strip-java-debug-attributes", "--no-header-files", "--no-man-pages",
                    "--generate-cds-archive", "--output", tmp.toString()).ok();
            Files.move(tmp, image);
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link a Java runtime into " + image + ": " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
        }
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
