package dev.rear.api.command;

/**
 * Runs programs. The engine's runner executes them (and, during a recovery, journals each call);
 * tests substitute one that answers from captured output.
 *
 * @since 0.1
 */
public interface CommandRunner {

    /**
     * Runs a command to completion.
     *
     * @return the result, whose exit code is one of {@link CommandSpec#okExitCodes()}
     * @throws ToolNotFoundException    when the program is not installed
     * @throws CommandFailedException   when it exits with another code
     * @throws CommandTimeoutException  when it runs longer than its timeout (it is killed)
     */
    CommandResult run(CommandSpec spec);
}
