package dev.rear.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.discovery.LinuxDiscovery;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureCommandRunnerTest {

    @Test
    void answersAnExactArgvWithTheFixtureBytes() {
        FixtureCommandRunner r = new FixtureCommandRunner().answer("sfdisk/vm-vfat-gpt.json", "sfdisk", "-J", "/dev/vdm");

        var result = r.run(CommandSpec.of("sfdisk", "-J", "/dev/vdm"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(FixtureCommandRunner.fixture("sfdisk/vm-vfat-gpt.json")).startsWith("{\n");
        assertThat(r.commands()).containsExactly(List.of("sfdisk", "-J", "/dev/vdm"));
    }

    @Test
    void anyOtherArgvFailsWithTheArgvAndTheKnownOnes() {
        FixtureCommandRunner r = new FixtureCommandRunner().answer("sfdisk/vm-vfat-gpt.json", "sfdisk", "-J", "/dev/vdm");

        assertThatThrownBy(() -> r.run(CommandSpec.of("sfdisk", "--json", "/dev/vdm")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("unexpected command [sfdisk, --json, /dev/vdm]")
                .hasMessageContaining("[sfdisk, -J, /dev/vdm]");
        assertThatThrownBy(r::verify).isInstanceOf(AssertionError.class).hasMessageContaining("[sfdisk, --json, /dev/vdm]");
    }

    @Test
    void failuresMissingToolsAndTimeoutsAreTheRunnersExceptions() {
        FixtureCommandRunner r = new FixtureCommandRunner()
                .fail(1, "sfdisk: cannot open /dev/vdm: Operation not permitted\n", "sfdisk", "-J", "/dev/vdm")
                .missing("lvm", "version")
                .missing("frobnicate")
                .timeout("ip", "-j", "addr")
                .fail(2, "", "blkid", "-o", "export");

        assertThatThrownBy(() -> r.run(CommandSpec.of("sfdisk", "-J", "/dev/vdm")))
                .isInstanceOf(CommandFailedException.class)
                .hasMessage("'sfdisk -J /dev/vdm' failed with exit code 1: sfdisk: cannot open /dev/vdm: Operation not permitted");
        assertThatThrownBy(() -> r.run(CommandSpec.of("lvm", "version")))
                .isInstanceOfSatisfying(ToolNotFoundException.class, e -> assertThat(e.debianPackage()).isEqualTo("lvm2"));
        assertThatThrownBy(() -> r.run(CommandSpec.of("frobnicate")))
                .isInstanceOfSatisfying(ToolNotFoundException.class, e -> assertThat(e.debianPackage()).isNull());
        assertThatThrownBy(() -> r.run(CommandSpec.of("ip", "-j", "addr"))).isInstanceOf(CommandTimeoutException.class);
        // An exit code the caller accepts is a result, as with the real runner.
        assertThat(r.run(CommandSpec.of("blkid", "-o", "export").alsoOk(2)).exitCode()).isEqualTo(2);
        assertThatThrownBy(() -> r.run(CommandSpec.of("blkid", "-o", "export"))).isInstanceOf(CommandFailedException.class);
    }

    @Test
    void aCommandThatRunsTwiceFailsVerify() {
        FixtureCommandRunner r = new FixtureCommandRunner().answerText("x\n", "true").answerText("y\n", "false");
        r.run(CommandSpec.of("true"));
        r.run(CommandSpec.of("true"));

        assertThat(r.ranTwice()).containsExactly(List.of("true"));
        assertThat(r.neverRan()).containsExactly(List.of("false"));
        assertThatThrownBy(r::verify).isInstanceOf(AssertionError.class).hasMessageContaining("more than once: [[true]]");
    }

    @Test
    void aCommandDiscoveryWasNotExpectedToRunFailsDiscovery(@TempDir Path root) {
        // Only lsblk is known: the first other command discovery runs ends it, naming the command.
        FixtureCommandRunner r = new FixtureCommandRunner().answer("lsblk/vm-machine.json", "lsblk", "-J", "-b", "-O");
        FakeHostRoot.debian(root, "capturevm");
        DiscoveryOptions options = new DiscoveryOptions(false, List.of(), List.of(), List.of(), List.of(), false, true, List.of(), root);

        assertThatThrownBy(() -> new LinuxDiscovery(r, options).discover()).hasRootCauseInstanceOf(AssertionError.class)
                .rootCause().hasMessageContaining("unexpected command").hasMessageContaining("[lsblk, -J, -b, -O]");
        assertThatThrownBy(r::verify).isInstanceOf(AssertionError.class).hasMessageContaining("unexpected commands");
    }
}
