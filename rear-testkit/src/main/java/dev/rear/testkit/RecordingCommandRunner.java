package dev.rear.testkit;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.ToolNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link CommandRunner} for tests of vendor-CLI providers: answers each command from scripted
 * answers chosen by argv prefix, records every command it is asked to run, and fails the test
 * (with an {@link AssertionError}) on a command nobody expected — which is how a changed flag or a
 * forgotten option shows up.
 *
 * <p>Like the engine's runner it throws {@link CommandFailedException} when the exit code is not
 * one the command accepts, and its results carry the redacted argv.
 *
 * <pre>{@code
 * RecordingCommandRunner dsmc = RecordingCommandRunner.strict();
 * dsmc.when("dsmc", "query", "session").thenAnswer(0, sessionText);
 * dsmc.when("dsmc", "restore").thenRespond(spec -> simulator.restore(spec));
 * }</pre>
 *
 * <p>Thread-safe. <b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public final class RecordingCommandRunner implements CommandRunner {

    /**
     * What a scripted command does.
     *
     * @param exitCode its exit code
     * @param stdout   its standard output
     * @param stderr   its standard error
     */
    public record Answer(int exitCode, String stdout, String stderr) {
        public Answer {
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        /** Exit 0 with this output. */
        public static Answer ok(String stdout) {
            return new Answer(0, stdout, "");
        }
    }

    private record Rule(List<String> prefix, Function<CommandSpec, Answer> answer) {
        boolean matches(CommandSpec spec) {
            return spec.argv().size() >= prefix.size() && spec.argv().subList(0, prefix.size()).equals(prefix);
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<CommandSpec> commands = new ArrayList<>();

    private RecordingCommandRunner() {}

    /** A runner that knows no command yet: every command fails the test until scripted with {@link #when}. */
    public static RecordingCommandRunner strict() {
        return new RecordingCommandRunner();
    }

    /**
     * Scripts the commands whose argv starts with {@code argvPrefix}. When several scripts match,
     * the one made last wins, so a test can override a general answer with a specific one.
     */
    public Stub when(String... argvPrefix) {
        if (argvPrefix.length == 0) {
            throw new IllegalArgumentException("give at least the program name");
        }
        return new Stub(List.of(argvPrefix));
    }

    /** How a scripted command answers. */
    public final class Stub {
        private final List<String> prefix;

        private Stub(List<String> prefix) {
            this.prefix = prefix;
        }

        /** Exits with {@code exitCode}, printing {@code stdout}. */
        public RecordingCommandRunner thenAnswer(int exitCode, String stdout) {
            return thenAnswer(new Answer(exitCode, stdout, ""));
        }

        /** Answers with {@code answer} every time. */
        public RecordingCommandRunner thenAnswer(Answer answer) {
            return thenRespond(spec -> answer);
        }

        /** Computes the answer from the command (a simulator). */
        public RecordingCommandRunner thenRespond(Function<CommandSpec, Answer> respond) {
            synchronized (RecordingCommandRunner.this) {
                rules.add(new Rule(prefix, respond));
            }
            return RecordingCommandRunner.this;
        }

        /** Throws, e.g. a {@link dev.rear.api.command.CommandTimeoutException}. */
        public RecordingCommandRunner thenThrow(Supplier<? extends RuntimeException> failure) {
            return thenRespond(spec -> {
                throw failure.get();
            });
        }

        /** Behaves as a program that is not installed. */
        public RecordingCommandRunner thenNotInstalled() {
            return thenRespond(spec -> {
                throw new ToolNotFoundException(spec.program(), null);
            });
        }
    }

    @Override
    public CommandResult run(CommandSpec spec) {
        Rule rule;
        synchronized (this) {
            commands.add(spec);
            rule = null;
            for (int i = rules.size() - 1; i >= 0 && rule == null; i--) {
                if (rules.get(i).matches(spec)) {
                    rule = rules.get(i);
                }
            }
        }
        if (rule == null) {
            throw new AssertionError("unexpected command: " + spec.display() + " (scripted: "
                    + (rules.isEmpty() ? "none" : rules.stream().map(r -> String.join(" ", r.prefix()) + " ...").toList()) + ")");
        }
        Answer a = rule.answer().apply(spec);
        CommandResult result = new CommandResult(spec.redactedArgv(), a.exitCode(), a.stdout(), a.stderr(), Duration.ZERO);
        if (!spec.okExitCodes().contains(a.exitCode())) {
            throw new CommandFailedException(spec, result);
        }
        return result;
    }

    /** Every command asked for so far, in order, as given (secrets included: do not print them). */
    public synchronized List<CommandSpec> commands() {
        return Collections.unmodifiableList(new ArrayList<>(commands));
    }

    /** Every command asked for so far, redacted, one line each: what a journal would show. */
    public synchronized List<String> displayed() {
        return commands.stream().map(CommandSpec::display).toList();
    }
}
