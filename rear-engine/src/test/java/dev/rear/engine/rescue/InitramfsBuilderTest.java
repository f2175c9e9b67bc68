package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.ProgressSink;
import dev.rear.api.spi.RescueRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the builder refuses before it starts, naming what is missing and the package that brings it; nothing is written. */
class InitramfsBuilderTest {

    static RescueSpec spec(Path root, Path kernel, Path jdk, Path out) {
        return new RescueSpec(root, kernel, "6.1.0-test", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                RescueRequirements.none(), root.resolve("dist"), jdk, null, List.of(), RescueSpec.Compression.ZSTD, root.resolve("work"),
                null, out);
    }

    static void build(RescueSpec s) {
        new InitramfsBuilder().build(s, spec -> {
            throw new AssertionError("nothing may run before the preconditions hold: " + spec);
        }, ProgressSink.NONE);
    }

    @Test
    void aMissingKernelNamesKernelFileAndThePackage(@TempDir Path tmp) {
        Path out = tmp.resolve("initrd");
        assertThatThrownBy(() -> build(spec(tmp, tmp.resolve("vmlinuz"), tmp, out))).isInstanceOf(RescueBuildException.class)
                .hasMessageContaining("vmlinuz (KERNEL_FILE) does not exist").hasMessageContaining("linux-image-amd64");
        assertThat(out).doesNotExist();
    }

    @Test
    void missingModulesNameKernelVersion(@TempDir Path tmp) throws IOException {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "kernel");
        assertThatThrownBy(() -> build(spec(tmp, kernel, tmp, tmp.resolve("initrd")))).isInstanceOf(RescueBuildException.class)
                .hasMessageContaining("no kernel modules for 6.1.0-test").hasMessageContaining("KERNEL_VERSION");
    }

    @Test
    void aJdkWithoutJmodsNamesTheJdkPackage(@TempDir Path tmp) throws IOException {
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "kernel");
        Files.createDirectories(tmp.resolve("lib/modules/6.1.0-test"));
        Files.writeString(tmp.resolve("lib/modules/6.1.0-test/modules.dep"), "kernel/drivers/md/raid1.ko:\n");
        Path jre = Files.createDirectories(tmp.resolve("jre"));
        Path out = tmp.resolve("initrd");
        assertThatThrownBy(() -> build(spec(tmp, kernel, jre, out))).isInstanceOf(RescueBuildException.class)
                .hasMessageContaining("no jmods in " + jre).hasMessageContaining("openjdk-17-jdk-headless");
        assertThat(out).doesNotExist();
    }
}
