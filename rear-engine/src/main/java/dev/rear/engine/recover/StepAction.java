package dev.rear.engine.recover;

import dev.rear.api.command.CommandRunner;
import dev.rear.engine.plan.Step;
import java.nio.file.Path;
import java.util.Map;

/**
 * Work of a step that is not a fixed list of commands: restoring the backup through its provider,
 * rewriting {@code fstab}, installing the bootloader, verifying the result. The {@link Executor}
 * runs the action registered for a step's {@link Step#kind() kind} after the step's own commands
 * (if any), when the step's check did not find its effect already there.
 *
 * <p>An action runs programs only through {@link Context#commands()}: each call is journaled as a
 * {@code command.ran} of the step before the next one starts. It reports failure by throwing
 * {@link StepActionException} with one sentence for the administrator; the executor journals
 * {@code step.failed} and stops the run, which stays resumable.
 */
@FunctionalInterface
public interface StepAction {

    /**
     * Does the step's work.
     *
     * @return facts produced (journaled in {@code step.succeeded}), e.g. a manifest hash or a new UUID
     * @throws StepActionException when the work failed
     */
    Map<String, String> run(Step step, Context context);

    /** What the executor hands an action. */
    interface Context {
        /** Runs programs; every call is journaled as a {@code command.ran} of the current step. */
        CommandRunner commands();

        /** Appends a one-line note for the administrator to the run's log (not the journal). */
        void note(String line);

        /** The id of the run (the journal's run id). */
        String runId();

        /** The journal file of the run (for copying it into the recovered system). */
        Path journal();
    }
}
