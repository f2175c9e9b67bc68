package dev.rear.api.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandFailedExceptionTest {

    private static CommandFailedException failed(String stdout, String stderr) {
        CommandSpec spec = CommandSpec.of("jlink", "--output", "/tmp/jre");
        return new CommandFailedException(spec, new CommandResult(spec.argv(), 134, stdout, stderr, Duration.ofSeconds(3)));
    }

    @Test
    void namesTheCommandTheExitCodeAndTheEndOfStderr() {
        assertThat(failed("progress\n", "one\ntwo\nError: no module java.sql\n").getMessage())
                .isEqualTo("'jlink --output /tmp/jre' failed with exit code 134: one two Error: no module java.sql");
    }

    @Test
    void aProgramThatSaysNothingOnStderrIsExplainedByTheEndOfItsStdout() {
        String crash = String.join("\n", List.of("#", "# A fatal error has been detected by the Java Runtime Environment:", "#",
                "#  SIGSEGV (0xb) at pc=0x00007f, pid=412, tid=415", "# Problematic frame:", "# J 1009 c1 ImageFileCreator.apply",
                "# An error report file with more information is saved as:", "# /root/hs_err_pid412.log")) + "\n";
        assertThat(failed(crash, "").getMessage()).isEqualTo("'jlink --output /tmp/jre' failed with exit code 134; it wrote nothing to stderr,"
                + " and to stdout: #  SIGSEGV (0xb) at pc=0x00007f, pid=412, tid=415 # Problematic frame: # J 1009 c1 ImageFileCreator.apply # An error report file with more information is saved as:"
                + " # /root/hs_err_pid412.log");
    }

    @Test
    void aSilentProgramGetsItsExitCodeOnly() {
        assertThat(failed("", "  \n").getMessage()).isEqualTo("'jlink --output /tmp/jre' failed with exit code 134");
    }
}
