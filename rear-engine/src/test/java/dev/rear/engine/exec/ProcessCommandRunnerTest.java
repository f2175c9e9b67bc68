package dev.rear.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The real runner against /bin/sh: environment, exit codes, secrets, timeouts, big output. */
class ProcessCommandRunnerTest {

    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    private static CommandSpec sh(String script) {
        return CommandSpec.of("/bin/sh", "-c", script);
    }

    @Test
    void addsLcAllToTheEnvironmentAndKeepsPath() {
        CommandResult r = runner.run(sh("echo \"$LC_ALL|$PATH\""));
        String[] parts = r.stdout().strip().split("\\|");
        assertThat(parts[0]).isEqualTo("C");
        assertThat(parts[1]).isEqualTo(System.getenv("PATH"));
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void extraEnvironmentIsAdded() {
        CommandResult r = runner.run(sh("echo $REAR_TEST").withEnv(Map.of("REAR_TEST", "42")));
        assertThat(r.stdout()).isEqualTo("42\n");
    }

    @Test
    void nonZeroExitThrowsWithCommandCodeAndStderrTail() {
        assertThatThrownBy(() -> runner.run(sh("echo first >&2; echo 'no such device' >&2; exit 3")))
                .isInstanceOfSatisfying(CommandFailedException.class, e -> {
                    assertThat(e.getMessage()).contains("/bin/sh -c", "exit code 3", "no such device");
                    assertThat(e.result().exitCode()).isEqualTo(3);
                });
    }

    @Test
    void acceptedExitCodesAreNotFailures() {
        CommandResult r = runner.run(sh("exit 2").alsoOk(2));
        assertThat(r.exitCode()).isEqualTo(2);
    }

    @Test
    void secretsNeverAppearInResultsOrMessages() {
        CommandSpec spec = new CommandSpec(List.of("/bin/sh", "-c", "exit 1", "s3cr3t-passphrase"), Duration.ofSeconds(5),
                Map.of(), Set.of(0), Set.of(3), null);
        assertThatThrownBy(() -> runner.run(spec))
                .isInstanceOfSatisfying(CommandFailedException.class, e -> {
                    assertThat(e.getMessage()).doesNotContain("s3cr3t").contains("***");
                    assertThat(e.result().argv()).containsExactly("/bin/sh", "-c", "exit 1", "***");
                });
    }

    @Test
    void overrunningCommandIsKilledWithItsChildren() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> runner.run(sh("sleep 30 & sleep 30; wait").withTimeout(Duration.ofMillis(300))))
                .isInstanceOf(CommandTimeoutException.class).hasMessageContaining("was killed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void largeStderrAndStdoutTogetherDoNotBlock() {
        // 8 MiB on each stream at once: a runner that reads them one after the other would deadlock.
        CommandResult r = runner.run(sh("head -c 8388608 /dev/zero | tr '\\0' e >&2 & head -c 8388608 /dev/zero | tr '\\0' o; wait")
                .withTimeout(Duration.ofSeconds(30)));
        assertThat(r.stdout()).hasSize(8 * 1024 * 1024);
        assertThat(r.stderr()).hasSize(8 * 1024 * 1024);
    }

    @Test
    void standardInputIsFed() {
        CommandResult r = runner.run(CommandSpec.of("/bin/cat").withStdin("label: gpt\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.stdout()).isEqualTo("label: gpt\n");
    }

    @Test
    void withoutInputStandardInputIsEmptyNotTheTerminal() {
        CommandResult r = runner.run(sh("cat; echo end"));
        assertThat(r.stdout()).isEqualTo("end\n");
    }

    @Test
    void missingProgramNamesItsPackage() {
        assertThatThrownBy(() -> runner.run(CommandSpec.of("/nonexistent/bin/sfdisk", "-J")))
                .isInstanceOfSatisfying(ToolNotFoundException.class, e -> {
                    assertThat(e.program()).isEqualTo("/nonexistent/bin/sfdisk");
                    assertThat(e.getMessage()).contains("apt-get install fdisk");
                });
        assertThatThrownBy(() -> runner.run(CommandSpec.of("no-such-tool-for-rear-tests")))
                .isInstanceOf(ToolNotFoundException.class).hasMessage("'no-such-tool-for-rear-tests' is not installed");
    }

    @Test
    void displayQuotesArgumentsThatNeedIt() {
        assertThat(CommandSpec.of("mkfs.ext4", "-L", "my root", "/dev/sda2").display()).isEqualTo("mkfs.ext4 -L 'my root' /dev/sda2");
    }
}
