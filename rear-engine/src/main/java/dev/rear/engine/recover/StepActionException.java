package dev.rear.engine.recover;

import dev.rear.api.RearException;

/** A {@link StepAction} failed; the message is one sentence for the administrator. */
public final class StepActionException extends RearException {
    private static final long serialVersionUID = 1L;

    public StepActionException(String message) {
        super(message);
    }

    public StepActionException(String message, Throwable cause) {
        super(message, cause);
    }
}
