package dev.rear.engine.discovery;

import java.util.Objects;

/**
 * Something discovery could not find out, or found odd.
 *
 * @param severity  {@code WARNING}: an optional fact is missing, the descriptor is still usable;
 *                  {@code ERROR}: a required fact is missing, the descriptor cannot be trusted
 * @param component the component concerned ({@code disk:vda}, {@code host}), or {@code discovery}
 * @param message   one sentence, naming the command and, for a missing tool, the package
 */
public record Finding(Severity severity, String component, String message) {

    /** How bad it is. */
    public enum Severity { WARNING, ERROR }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(message, "message");
    }

    public static Finding warning(String component, String message) {
        return new Finding(Severity.WARNING, component, message);
    }

    public static Finding error(String component, String message) {
        return new Finding(Severity.ERROR, component, message);
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + component + ": " + message;
    }
}
