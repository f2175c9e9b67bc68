package dev.rear.engine.recover;

import dev.rear.api.RearException;

/**
 * The executor would not start (or continue): a target failed the safety gate, the run was not
 * confirmed, or the journal belongs to another plan. Nothing was written to any disk.
 */
public class ExecutorRefusedException extends RearException {
    private static final long serialVersionUID = 1L;

    public ExecutorRefusedException(String message) {
        super(message);
    }
}
