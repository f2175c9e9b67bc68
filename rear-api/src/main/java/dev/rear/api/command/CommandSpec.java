package dev.rear.api.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A program to run.
 *
 * @param argv        the program and its arguments; the program is looked up on {@code PATH}
 *                    unless it contains a {@code /}
 * @param timeout     how long it may run before it is killed
 * @param extraEnv    variables added to (never replacing) the inherited environment; rear always
 *                    adds {@code LC_ALL=C} so output is parseable
 * @param okExitCodes exit codes that count as success (usually just 0)
 * @param secretArgs  indexes into {@code argv} whose values are secrets: shown as {@code ***} in
 *                    every log, journal and exception
 * @param stdin       bytes fed to standard input, or {@code null} for none (stdin is closed)
 * @since 0.1
 */
public record CommandSpec(List<String> argv, Duration timeout, Map<String, String> extraEnv,
                          Set<Integer> okExitCodes, Set<Integer> secretArgs, byte @Nullable [] stdin) {

    /** The timeout when none is given: long enough for any query tool, short enough to notice a hang. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public CommandSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("a command needs a program name");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        extraEnv = Map.copyOf(extraEnv);
        okExitCodes = Set.copyOf(okExitCodes);
        secretArgs = Set.copyOf(secretArgs);
        for (int i : secretArgs) {
            if (i < 0 || i >= argv.size()) {
                throw new IllegalArgumentException("secret argument index " + i + " is outside argv");
            }
        }
    }

    /** {@code program args...} with the default timeout, exit code 0 as success, nothing secret. */
    public static CommandSpec of(String... argv) {
        return new CommandSpec(List.of(argv), DEFAULT_TIMEOUT, Map.of(), Set.of(0), Set.of(), null);
    }

    /** The same command with another timeout. */
    public CommandSpec withTimeout(Duration t) {
        return new CommandSpec(argv, t, extraEnv, okExitCodes, secretArgs, stdin);
    }

    /** The same command also accepting these exit codes as success (e.g. {@code blkid}'s 2 for "nothing found"). */
    public CommandSpec alsoOk(Integer... codes) {
        Set<Integer> ok = new TreeSet<>(okExitCodes);
        ok.addAll(List.of(codes));
        return new CommandSpec(argv, timeout, extraEnv, ok, secretArgs, stdin);
    }

    /** The same command with these variables added to its environment. */
    public CommandSpec withEnv(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(extraEnv);
        all.putAll(env);
        return new CommandSpec(argv, timeout, all, okExitCodes, secretArgs, stdin);
    }

    /** The same command with {@code input} on its standard input. */
    public CommandSpec withStdin(byte[] input) {
        return new CommandSpec(argv, timeout, extraEnv, okExitCodes, secretArgs, input.clone());
    }

    /** The program name: {@code argv[0]}. */
    public String program() {
        return argv.get(0);
    }

    /** argv with every secret replaced by {@code ***}: the only form that may be logged or journaled. */
    public List<String> redactedArgv() {
        List<String> out = new ArrayList<>(argv);
        secretArgs.forEach(i -> out.set(i, "***"));
        return List.copyOf(out);
    }

    /** The redacted command as one line, for messages: arguments with blanks or quotes are quoted. */
    public String display() {
        StringBuilder b = new StringBuilder();
        for (String a : redactedArgv()) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(a.isEmpty() || a.matches(".*[\\s'\"\\\\$`].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandSpec c && argv.equals(c.argv) && timeout.equals(c.timeout)
                && extraEnv.equals(c.extraEnv) && okExitCodes.equals(c.okExitCodes)
                && secretArgs.equals(c.secretArgs) && java.util.Arrays.equals(stdin, c.stdin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, timeout, extraEnv, okExitCodes, secretArgs, java.util.Arrays.hashCode(stdin));
    }

    @Override
    public String toString() {
        return display();
    }
}
