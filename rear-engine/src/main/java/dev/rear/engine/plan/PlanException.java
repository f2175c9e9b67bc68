package dev.rear.engine.plan;

/**
 * The layout cannot be planned onto the given targets: an original without a target, two originals
 * onto one target, a target too small, a shrink without the numbers that would allow it. The message
 * says which and gives the numbers. The CLI maps it to exit code 4 (precondition failed).
 */
public final class PlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
