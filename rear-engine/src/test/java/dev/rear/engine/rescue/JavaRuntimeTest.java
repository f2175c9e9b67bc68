package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill found it: in the source VM (qemu TCG) {@code jlink --generate-cds-archive} aborted with
 * exit 134 and mkbackup failed at its rescue step; the archive is only a start-up speed-up.
 */
class JavaRuntimeTest {

    @Test
    void aFailingClassDataSharingDumpLinksAgainWithoutIt(@TempDir Path tmp) throws Exception {
        List<List<String>> calls = new ArrayList<>();
        CommandRunner runner = spec -> {
            calls.add(List.copyOf(spec.argv()));
            if (spec.argv().contains("--generate-cds-archive")) {
                throw new CommandFailedException(spec, new CommandResult(spec.argv(), 134, "",
                        "Error: Failed, exit value: 134\n# A fatal error has been detected by the Java Runtime Environment", Duration.ZERO));
            }
            Path out = Path.of(spec.argv().get(spec.argv().indexOf("--output") + 1));
            try {
                Files.createDirectories(out.resolve("bin"));
                Files.createFile(out.resolve("bin/java"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new CommandResult(spec.argv(), 0, "", "", Duration.ZERO);
        };
        Path image = JavaRuntime.linked(Path.of("/jdk"), List.of("java.base"), runner, tmp.resolve("cache"), tmp);
        assertThat(image.resolve("bin/java")).isExecutable();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).contains("--generate-cds-archive");
        assertThat(calls.get(1)).doesNotContain("--generate-cds-archive").contains("--strip-debug", "--compress=0", "--output");
    }

    @Test
    void otherJlinkFailuresStillFail(@TempDir Path tmp) {
        List<List<String>> calls = new ArrayList<>();
        CommandRunner runner = spec -> {
            calls.add(List.copyOf(spec.argv()));
            throw new CommandFailedException(spec, new CommandResult(spec.argv(), 1, "", "Error: module not found: java.nope", Duration.ZERO));
        };
        assertThatThrownBy(() -> JavaRuntime.linked(Path.of("/jdk"), List.of("java.nope"), runner, tmp.resolve("cache"), tmp))
                .isInstanceOf(CommandFailedException.class).hasMessageContaining("exit code 1");
        assertThat(calls).as("no second link for an error that is not the archive's").hasSize(1);
    }
}
