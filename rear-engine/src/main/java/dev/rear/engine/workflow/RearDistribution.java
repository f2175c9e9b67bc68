package dev.rear.engine.workflow;

import dev.rear.engine.rescue.RescueBuildException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where this rear runs from, and the JDK that makes the rescue system's Java runtime. */
public final class RearDistribution {
    private RearDistribution() {}

    /**
     * The distribution directory this rear runs from — the one holding {@code bin/rear} and
     * {@code lib/*.jar} (rear-dist's {@code target/rear}, or an installed prefix): {@code REAR_HOME}
     * when set, else the parent of the {@code lib/} directory holding the engine's jar. Empty when
     * rear runs from classes (a build tree, tests).
     */
    public static Optional<Path> locate() {
        String env = System.getenv("REAR_HOME");
        if (env != null && !env.isBlank() && isDistribution(Path.of(env))) {
            return Optional.of(Path.of(env).toAbsolutePath().normalize());
        }
        try {
            CodeSource cs = RearDistribution.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                return Optional.empty();
            }
            Path jar = Path.of(cs.getLocation().toURI());
            if (!Files.isRegularFile(jar) || jar.getParent() == null || jar.getParent().getParent() == null) {
                return Optional.empty();
            }
            Path dist = jar.getParent().getParent();
            return isDistribution(dist) ? Optional.of(dist.toAbsolutePath().normalize()) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code dir/bin/rear} and {@code dir/lib/} exist. */
    static boolean isDistribution(Path dir) {
        return Files.isRegularFile(dir.resolve("bin/rear")) && Files.isDirectory(dir.resolve("lib"));
    }

    /**
     * The JDK to run {@code jlink} with: {@code javaHome} (this JVM's {@code java.home}) when it has
     * {@code jmods}, else the first {@code /usr/lib/jvm/*17*} that has.
     *
     * @throws RescueBuildException naming the Debian package when there is none
     */
    public static Path jdk(Path javaHome, Path jvmDir) {
        if (hasJmods(javaHome)) {
            return javaHome;
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(jvmDir, "*17*")) {
            s.forEach(candidates::add);
        } catch (IOException | RuntimeException e) {
            // none there
        }
        candidates.sort(null);
        for (Path c : candidates) {
            if (hasJmods(c)) {
                return c;
            }
        }
        throw new RescueBuildException("no JDK with jlink and jmods: " + javaHome + " has none and neither has any " + jvmDir
                + "/*17*; the rescue system's Java runtime is made with jlink: install openjdk-17-jdk-headless (Debian)");
    }

    static boolean hasJmods(Path home) {
        return Files.isRegularFile(home.resolve("jmods/java.base.jmod")) && Files.isExecutable(home.resolve("bin/jlink"));
    }
}
