package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every fixture of capture-host-fixtures.sh (scenarios {@code host-*} and {@code netns-*}) says
 * where it came from: a {@code <scenario>.meta} sidecar with the exact command and versions.
 */
class CapturedFixturesTest {

    @Test
    void everyFixtureHasASidecarNamingCommandVersionsAndDate() throws IOException {
        List<Path> fixtures;
        try (Stream<Path> files = Files.walk(Fixtures.ROOT)) {
            fixtures = files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".meta"))
                    .filter(p -> p.getFileName().toString().startsWith("host-")
                            || p.getFileName().toString().startsWith("netns-"))
                    .toList();
        }
        assertThat(fixtures).hasSizeGreaterThan(50);
        for (Path f : fixtures) {
            String name = f.getFileName().toString();
            Path meta = f.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".meta");
            assertThat(meta).as("sidecar of " + f).exists();
            assertThat(Files.readAllLines(meta)).as(meta.toString())
                    .anyMatch(l -> l.startsWith("command: ") && l.length() > "command: ".length())
                    .anyMatch(l -> l.startsWith("tool-version: "))
                    .anyMatch(l -> l.startsWith("debian: "))
                    .anyMatch(l -> l.startsWith("kernel: "))
                    .anyMatch(l -> l.matches("captured: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"))
                    .contains("captured-by: descriptors/tools/capture-host-fixtures.sh");
        }
    }
}
