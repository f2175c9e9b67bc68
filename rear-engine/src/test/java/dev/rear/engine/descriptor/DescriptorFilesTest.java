package dev.rear.engine.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.descriptor.SystemDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading refuses with every violation; writing replaces a file whole and leaves no temporary behind. */
class DescriptorFilesTest {

    @TempDir
    Path tmp;

    private static final Path SAMPLE = Path.of("..", "descriptors", "samples", "uefi-luks2-lvm.json");

    @Test
    void writeThenLoadGivesTheSameDescriptorAndTheSameIdentity() {
        SystemDescriptor d = DescriptorFiles.load(SAMPLE);
        Path out = tmp.resolve("layout/descriptor.json");
        DescriptorFiles.write(out, d);
        SystemDescriptor back = DescriptorFiles.load(out);
        assertThat(back).isEqualTo(d);
        assertThat(DescriptorJson.sha256(back)).isEqualTo(DescriptorJson.sha256(d));
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path out = tmp.resolve("descriptor.json");
        Files.writeString(out, "old content that is longer than nothing");
        DescriptorFiles.write(out, DescriptorFiles.load(SAMPLE));
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(SAMPLE));
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void writeIntoAnUnwritablePlaceSaysWhere() throws IOException {
        Path blocker = tmp.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        assertThatThrownBy(() -> DescriptorFiles.write(blocker.resolve("descriptor.json"), DescriptorFiles.load(SAMPLE)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("descriptor.json");
    }

    @Test
    void loadOfABrokenDescriptorCarriesEveryViolation() {
        Path broken = SAMPLE.resolveSibling("invalid/luks-device-missing.json");
        assertThatThrownBy(() -> DescriptorFiles.load(broken))
                .isInstanceOfSatisfying(DescriptorInvalidException.class, e -> {
                    assertThat(e.getMessage()).contains("luks-device-missing.json is not a valid descriptor: 1 violation")
                            .contains("$.encryption[0].device");
                    assertThat(e.violations()).extracting(Violation::rule).containsExactly("luks-device-missing");
                });
    }
}
