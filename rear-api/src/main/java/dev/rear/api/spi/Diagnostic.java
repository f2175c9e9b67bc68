package dev.rear.api.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One finding about settings or a backup: how bad, which setting (if one is at fault), and a
 * sentence for the administrator.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param severity how bad it is
 * @param setting  the configuration variable at fault, with its ReaR name (e.g. {@code BACKUP_URL}),
 *                 or {@code null} when no single setting is
 * @param message  one sentence naming the object and, where it helps, expected vs actual; never
 *                 contains a secret value
 * @since 0.1
 */
public record Diagnostic(Severity severity, @Nullable String setting, String message) {

    /** How bad a {@link Diagnostic} is. */
    public enum Severity {
        /** Cannot work this way: the operation would fail or do the wrong thing. */
        ERROR,
        /** Works, but probably not as intended, or with a risk the administrator should know. */
        WARNING,
        /** Worth knowing; nothing to do. */
        INFO
    }

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (message.isBlank()) {
            throw new IllegalArgumentException("a diagnostic needs a message");
        }
        if (setting != null && setting.isBlank()) {
            throw new IllegalArgumentException("setting must be null or a name, not blank");
        }
    }

    /** An {@link Severity#ERROR} about one setting. */
    public static Diagnostic error(String setting, String message) {
        return new Diagnostic(Severity.ERROR, setting, message);
    }

    /** An {@link Severity#ERROR} about no single setting. */
    public static Diagnostic error(String message) {
        return new Diagnostic(Severity.ERROR, null, message);
    }

    /** A {@link Severity#WARNING} about one setting. */
    public static Diagnostic warning(String setting, String message) {
        return new Diagnostic(Severity.WARNING, setting, message);
    }

    /** A {@link Severity#WARNING} about no single setting. */
    public static Diagnostic warning(String message) {
        return new Diagnostic(Severity.WARNING, null, message);
    }

    /** Whether this is an {@link Severity#ERROR}. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code ERROR BACKUP_URL: message}, or {@code WARNING: message} without a setting. */
    @Override
    public String toString() {
        return severity + (setting == null ? "" : " " + setting) + ": " + message;
    }
}
