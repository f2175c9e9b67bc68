package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fixtures written by {@code descriptors/tools/capture-vm-fixtures.sh} and
 * {@code capture-efi-fixtures.sh} (all {@code vm-*}): each has its {@code .meta} sidecar saying how
 * it was made, and none holds the capture's test passphrase or a dm-crypt table line.
 */
class VmFixtureSidecarsTest {

    /** Surefire runs in the module directory. */
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");
    static final Path SCRIPT = Path.of("..", "descriptors", "tools", "capture-vm-fixtures.sh");

    static List<Path> vmFixtures() throws IOException {
        try (Stream<Path> s = Files.walk(FIXTURES)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith("vm-"))
                    .filter(p -> !p.toString().endsWith(".meta"))
                    .sorted()
                    .toList();
        }
    }

    static Path sidecar(Path fixture) {
        String name = fixture.getFileName().toString();
        return fixture.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".meta");
    }

    @Test
    void everyFixtureHasASidecarNamingCommandVersionsAndKernel() throws IOException {
        List<Path> fixtures = vmFixtures();
        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(30);
        for (Path f : fixtures) {
            Path meta = sidecar(f);
            assertThat(meta).as("sidecar of " + f).isRegularFile();
            List<String> lines = Files.readAllLines(meta, StandardCharsets.UTF_8);
            assertThat(lines).as(meta.toString())
                    .anyMatch(l -> l.startsWith("command: "))
                    .contains("exit-status: 0")
                    .anyMatch(l -> l.startsWith("tool-version: ") && l.length() > "tool-version: ".length())
                    .anyMatch(l -> l.startsWith("package: "))
                    .anyMatch(l -> l.startsWith("debian: "))
                    .anyMatch(l -> l.startsWith("kernel: "))
                    .anyMatch(l -> l.startsWith("captured: "))
                    .containsAnyOf("captured-by: descriptors/tools/capture-vm-fixtures.sh",
                            "captured-by: descriptors/tools/capture-efi-fixtures.sh",
                            "captured-by: rear-e2e/src/test/resources/dev/rear/e2e/guest/storage-scenario.sh");
            assertThat(Files.size(f)).as(f + " is not empty").isPositive();
        }
    }

    @Test
    void noFixtureHoldsThePassphraseOrACryptTable() throws IOException {
        String script = Files.readString(SCRIPT, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("TEST_PASSPHRASE='([^']+)'").matcher(script);
        assertThat(m.find()).as("the script defines its test passphrase").isTrue();
        String passphrase = m.group(1);

        List<Path> all = new ArrayList<>(vmFixtures());
        all.addAll(all.stream().map(VmFixtureSidecarsTest::sidecar).toList());
        for (Path f : all) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertThat(text).as(f.toString()).doesNotContain(passphrase);
            if (f.getParent().getFileName().toString().equals("dmsetup")) {
                assertThat(text).as(f.toString()).doesNotContainPattern("(?m)^\\S+: \\d+ \\d+ crypt ");
            }
        }
    }
}
