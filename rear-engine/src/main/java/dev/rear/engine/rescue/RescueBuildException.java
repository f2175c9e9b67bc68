package dev.rear.engine.rescue;

/** The rescue system cannot be built: the message names what is missing or failed, and how to fix it. */
public final class RescueBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RescueBuildException(String message) {
        super(message);
    }

    public RescueBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
