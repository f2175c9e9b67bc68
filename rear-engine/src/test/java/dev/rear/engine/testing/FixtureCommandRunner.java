package dev.rear.engine.testing;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import dev.rear.engine.exec.ToolPackages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@link CommandRunner} that answers from captured tool output instead of running anything.
 *
 * <p>Each answer is bound to one exact argv: the program and every argument, in order. A command
 * the runner was not told about fails the test with an {@link AssertionError} that lists the argv
 * and every argv the runner knows, so a changed flag in production code shows up as a failure and
 * not as a silently different answer. Every command is recorded in the order it ran (discovery runs
 * some concurrently, so the order across threads is the order they reached the runner).
 *
 * <p>An answer is captured output ({@link #answer(String, String...)}, read byte for byte from
 * {@code src/test/resources/fixtures/}), a text the test made ({@link #answerText}), a non-zero
 * exit ({@link #fail}), a missing program ({@link #missing}) or a timeout ({@link #timeout}). Binding
 * an argv again replaces its answer, so a test can start from a scenario and change one command.
 * A failure whose exit code the {@link CommandSpec} accepts ({@code blkid}'s 2) comes back as a
 * result, as {@code ProcessCommandRunner} does.
 */
public final class FixtureCommandRunner implements CommandRunner {

    private sealed interface Answer permits Output, Failure, Missing, Timeout {}

    private record Output(String stdout, String source) implements Answer {}

    private record Failure(int exitCode, String stderr) implements Answer {}

    private record Missing() implements Answer {}

    private record Timeout() implements Answer {}

    private final Map<List<String>, Answer> answers = new LinkedHashMap<>();
    private final List<List<String>> ran = new ArrayList<>();
    private final List<List<String>> unexpected = new ArrayList<>();

    /** Captured standard output: the fixture {@code tool/scenario.ext} under {@code fixtures/}. */
    public synchronized FixtureCommandRunner answer(String fixture, String... argv) {
        answers.put(List.of(argv), new Output(fixture(fixture), "fixtures/" + fixture));
        return this;
    }

    /** Standard output the test made itself (a variation of a fixture, or a synthetic text). */
    public synchronized FixtureCommandRunner answerText(String stdout, String... argv) {
        answers.put(List.of(argv), new Output(stdout, "text from the test"));
        return this;
    }

    /** The command exits with {@code exitCode} and prints {@code stderr}. */
    public synchronized FixtureCommandRunner fail(int exitCode, String stderr, String... argv) {
        if (exitCode == 0) {
            throw new IllegalArgumentException("a failure needs a non-zero exit code");
        }
        answers.put(List.of(argv), new Failure(exitCode, stderr));
        return this;
    }

    /** The program is not installed: {@link ToolNotFoundException} naming its Debian package. */
    public synchronized FixtureCommandRunner missing(String... argv) {
        answers.put(List.of(argv), new Missing());
        return this;
    }

    /** The command runs past its timeout: {@link CommandTimeoutException}. */
    public synchronized FixtureCommandRunner timeout(String... argv) {
        answers.put(List.of(argv), new Timeout());
        return this;
    }

    @Override
    public CommandResult run(CommandSpec spec) {
        Answer answer;
        synchronized (this) {
            ran.add(spec.argv());
            answer = answers.get(spec.argv());
            if (answer == null) {
                unexpected.add(spec.argv());
                throw new AssertionError("unexpected command " + spec.argv() + "; this test knows only:\n  "
                        + answers.keySet().stream().map(List::toString).collect(Collectors.joining("\n  ")));
            }
        }
        if (answer instanceof Output o) {
            return new CommandResult(spec.redactedArgv(), 0, o.stdout(), "", Duration.ZERO);
        }
        if (answer instanceof Failure f) {
            CommandResult result = new CommandResult(spec.redactedArgv(), f.exitCode(), "", f.stderr(), Duration.ZERO);
            if (spec.okExitCodes().contains(f.exitCode())) {
                return result;
            }
            throw new CommandFailedException(spec, result);
        }
        if (answer instanceof Missing) {
            throw new ToolNotFoundException(spec.program(), ToolPackages.debianPackageOf(spec.program()));
        }
        throw new CommandTimeoutException(spec);
    }

    /** Every command run so far, in order. */
    public synchronized List<List<String>> commands() {
        return List.copyOf(ran);
    }

    /** The commands that ran more than once. */
    public synchronized Set<List<String>> ranTwice() {
        Set<List<String>> seen = new LinkedHashSet<>();
        Set<List<String>> twice = new LinkedHashSet<>();
        for (List<String> argv : ran) {
            if (!seen.add(argv)) {
                twice.add(argv);
            }
        }
        return twice;
    }

    /** The commands this runner knows that never ran: an answer a test set up for nothing. */
    public synchronized Set<List<String>> neverRan() {
        Set<List<String>> out = new LinkedHashSet<>(answers.keySet());
        ran.forEach(out::remove);
        return out;
    }

    /**
     * Fails unless every command that ran was known and none ran twice. Discovery runs commands
     * on its own threads, where the {@link AssertionError} of an unknown command may be wrapped:
     * this check sees it either way.
     */
    public synchronized void verify() {
        if (!unexpected.isEmpty()) {
            throw new AssertionError("unexpected commands: " + unexpected);
        }
        if (!ranTwice().isEmpty()) {
            throw new AssertionError("commands that ran more than once: " + ranTwice() + "; all commands: " + ran);
        }
    }

    /** A fixture's bytes as UTF-8, exactly as the tool printed them (what a runner hands back). */
    public static String fixture(String relative) {
        String resource = "/fixtures/" + relative;
        try (InputStream in = FixtureCommandRunner.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + resource + " on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
