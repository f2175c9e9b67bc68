package dev.rear.api;

/**
 * The root of rear's own exceptions. Unchecked; its message is one sentence meant for the
 * administrator at the console, naming the object concerned and, where it helps, what was
 * expected and what was found.
 *
 * @since 0.1
 */
public class RearException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RearException(String message) {
        super(message);
    }

    public RearException(String message, Throwable cause) {
        super(message, cause);
    }
}
