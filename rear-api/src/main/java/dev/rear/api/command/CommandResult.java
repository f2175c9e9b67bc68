package dev.rear.api.command;

import java.time.Duration;
import java.util.List;

/**
 * What a program did.
 *
 * @param argv     the redacted argv ({@link CommandSpec#redactedArgv()})
 * @param exitCode its exit code
 * @param stdout   its standard output, decoded as UTF-8 (invalid bytes replaced)
 * @param stderr   its standard error, decoded as UTF-8
 * @param duration how long it ran
 * @since 0.1
 */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr, Duration duration) {

    public CommandResult {
        argv = List.copyOf(argv);
    }

    /** The last {@code maxLines} lines of stderr, for messages and journals. */
    public String stderrTail(int maxLines) {
        return CommandResult.tail(stderr, maxLines);
    }

    /** The last {@code maxLines} lines of stdout, for messages when stderr says nothing. */
    public String stdoutTail(int maxLines) {
        return CommandResult.tail(stdout, maxLines);
    }

    static String tail(String text, int maxLines) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - maxLines);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
