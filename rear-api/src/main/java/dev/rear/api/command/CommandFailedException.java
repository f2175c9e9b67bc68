package dev.rear.api.command;

import dev.rear.api.RearException;

/**
 * A program exited with a code its caller does not accept. The message names the (redacted)
 * command, the exit code and the end of its stderr — or, when it wrote nothing there, the end of its
 * stdout (a crashing JVM, for one, reports only on stdout).
 *
 * @since 0.1
 */
public class CommandFailedException extends RearException {
    private static final long serialVersionUID = 1L;

    private final transient CommandResult result;

    public CommandFailedException(CommandSpec spec, CommandResult result) {
        super("'" + spec.display() + "' failed with exit code " + result.exitCode()
                + (!result.stderr().isBlank() ? ": " + result.stderrTail(5).replace('\n', ' ')
                : result.stdout().isBlank() ? "" : "; it wrote nothing to stderr, and to stdout: " + result.stdoutTail(5).replace('\n', ' ')));
        this.result = result;
    }

    /** What the program did. */
    public CommandResult result() {
        return result;
    }
}
