package dev.rear.engine.discovery.linux;

import dev.rear.api.RearException;

/**
 * A tool printed something its parser cannot read: truncated JSON, a missing column, a value of
 * the wrong form. The message names the command, so the administrator can run it and look.
 */
public class ToolOutputException extends RearException {
    private static final long serialVersionUID = 1L;

    private final String command;

    /**
     * @param command the command as the administrator would type it ({@code lsblk -J -b -O})
     * @param problem what is wrong, one clause ({@code "the JSON ends early at line 12"})
     */
    public ToolOutputException(String command, String problem) {
        super("cannot read the output of '" + command + "': " + problem);
        this.command = command;
    }

    public ToolOutputException(String command, String problem, Throwable cause) {
        super("cannot read the output of '" + command + "': " + problem, cause);
        this.command = command;
    }

    /** The command whose output could not be read. */
    public String command() {
        return command;
    }
}
