package dev.rear.api.spi;

import dev.rear.api.command.CommandRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the engine hands a provider for one operation: the only way a provider reaches the outside
 * world. The engine's implementation journals every command, routes the log into rear's log, draws
 * progress, and deletes the temporary directory afterwards; {@code rear-testkit}'s
 * {@code FakeProviderContext} records everything and runs on a fake clock.
 *
 * <p>A context serves one operation and is not shared between threads, except that
 * {@link #isCancelled()} may turn true at any time (Ctrl-C, SIGTERM).
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public interface ProviderContext {

    /** The configuration, secrets marked ({@link ProviderSettings#redacted()} for logging). */
    ProviderSettings settings();

    /**
     * Runs programs. During a recovery or backup each call is journaled with its redacted argv,
     * exit code, duration and the end of its stderr: mark passwords with
     * {@link dev.rear.api.command.CommandSpec#secretArgs()} or pass them on standard input.
     */
    CommandRunner commands();

    /** Where progress goes; report at least each change of phase. */
    ProgressSink progress();

    /** Where diagnostics go. */
    ProviderLog log();

    /**
     * A directory private to this operation, existing and empty when the operation starts, deleted
     * by the engine afterwards (argument files, downloaded bootstrap files, ...). Not in the target
     * root and not on the backup.
     */
    Path tempDirectory();

    /** The clock to read time from (restore point times, timeouts). Fake in tests. */
    Clock clock();

    /**
     * When the operation must be finished, or {@code null} for no limit. A provider that waits
     * (polling a job) stops waiting at the deadline with {@link ProviderException.Kind#TIMED_OUT},
     * after cancelling what it started where the product allows it.
     */
    @Nullable Instant deadline();

    /** Whether the operation has been cancelled (Ctrl-C, SIGTERM, the engine giving up). */
    boolean isCancelled();

    /**
     * Throws if the operation should stop: cancelled ({@link ProviderException.Kind#CANCELLED}) or
     * past its {@link #deadline()} ({@link ProviderException.Kind#TIMED_OUT}). Call it between files,
     * filespaces and polls.
     */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new ProviderException(ProviderException.Kind.CANCELLED, "cancelled");
        }
        Instant deadline = deadline();
        if (deadline != null && clock().instant().isAfter(deadline)) {
            throw new ProviderException(ProviderException.Kind.TIMED_OUT, "not finished by the deadline " + deadline);
        }
    }

    /**
     * Waits, e.g. between two polls of a job's status. Returns early, throwing, when the operation
     * is cancelled or reaches its deadline; in tests it returns at once and advances the fake clock.
     * Use this, never {@code Thread.sleep}.
     *
     * @param duration how long to wait, not negative
     * @throws ProviderException of kind {@link ProviderException.Kind#CANCELLED} or
     *     {@link ProviderException.Kind#TIMED_OUT}
     */
    void pause(Duration duration);

    /**
     * Asks the administrator at the console, e.g. for a node password the rescue system does not
     * carry. Secret answers are not echoed and never logged or journaled.
     *
     * @param question one sentence
     * @param secret   whether the answer is a secret
     * @return the answer; empty when nobody can be asked (unattended recovery, no terminal) — the
     *     provider then fails with {@link ProviderException.Kind#AUTHENTICATION} or
     *     {@link ProviderException.Kind#MISCONFIGURED} naming the setting that would have answered
     */
    Optional<String> ask(String question, boolean secret);
}
