package dev.rear.api.command;

import dev.rear.api.RearException;

/**
 * A program ran longer than its timeout and was killed.
 *
 * @since 0.1
 */
public class CommandTimeoutException extends RearException {
    private static final long serialVersionUID = 1L;

    public CommandTimeoutException(CommandSpec spec) {
        super("'" + spec.display() + "' did not finish within " + spec.timeout().toSeconds() + " s and was killed");
    }
}
