package dev.rear.engine.journal;

import dev.rear.api.event.CommandRan;
import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.PlannedStep;
import dev.rear.api.event.RunFinished;
import dev.rear.api.event.RunResumed;
import dev.rear.api.event.RunStarted;
import dev.rear.api.event.StepFailed;
import dev.rear.api.event.StepSkipped;
import dev.rear.api.event.StepStarted;
import dev.rear.api.event.StepSucceeded;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a run stands: a pure fold over its events ({@link #fold}, {@link #evolve}). Nothing else
 * keeps state; resuming is reading the journal and folding it.
 *
 * @param run      the run's start, {@code null} before it
 * @param steps    every planned step's status, in plan order
 * @param facts    what succeeded steps produced, by step
 * @param running  the step that started and has not ended: interrupted, when the journal ends here
 * @param commands how many commands each step ran
 * @param finished the run's end, {@code null} while it has not ended (or a {@code run.resumed} continued it)
 * @param resumed  every {@code run.resumed} of the run, in order
 */
public record RunState(@Nullable RunStarted run, Map<String, Status> steps, Map<String, Map<String, String>> facts,
                       @Nullable String running, Map<String, Integer> commands, @Nullable RunFinished finished,
                       List<RunResumed> resumed) {

    /** A step's status. */
    public enum Status { PENDING, RUNNING, SUCCEEDED, SKIPPED, FAILED }

    public static final RunState EMPTY = new RunState(null, Map.of(), Map.of(), null, Map.of(), null, List.of());

    public RunState {
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        facts = Map.copyOf(facts);
        commands = Map.copyOf(commands);
        resumed = List.copyOf(resumed);
    }

    public static RunState fold(List<JournalEvent> events) {
        RunState s = EMPTY;
        for (JournalEvent e : events) {
            s = evolve(s, e);
        }
        return s;
    }

    /**
     * The state after one more event.
     *
     * @throws IllegalStateException when the event cannot follow (a step event before the run
     *                               started, for a step not in the plan, or after the run ended)
     */
    public static RunState evolve(RunState s, JournalEvent e) {
        if (e instanceof RunStarted r) {
            if (s.run != null) {
                throw new IllegalStateException("a second run.started in one journal");
            }
            Map<String, Status> steps = new LinkedHashMap<>();
            for (PlannedStep p : r.plan()) {
                steps.put(p.id(), Status.PENDING);
            }
            return new RunState(r, steps, Map.of(), null, Map.of(), null, List.of());
        }
        if (s.run == null) {
            throw new IllegalStateException(e.getClass().getSimpleName() + " before run.started");
        }
        if (e instanceof RunResumed r) {
            // A failed run continues only after its run.finished, a crashed one only without one; a succeeded one never.
            if (s.finished != null && s.finished.verdict() == RunFinished.Verdict.SUCCEEDED) {
                throw new IllegalStateException("run.resumed after the run succeeded");
            }
            if ((s.finished != null) != (r.after() == RunResumed.After.FAILURE)) {
                throw new IllegalStateException("run.resumed after a " + (r.after() == RunResumed.After.FAILURE ? "failure" : "crash")
                        + (s.finished != null ? " follows run.finished" : " without run.finished before it"));
            }
            List<RunResumed> all = new ArrayList<>(s.resumed);
            all.add(r);
            return new RunState(s.run, s.steps, s.facts, s.running, s.commands, null, all);
        }
        if (s.finished != null) {
            throw new IllegalStateException(e.getClass().getSimpleName() + " after run.finished");
        }
        if (e instanceof RunFinished f) {
            return new RunState(s.run, s.steps, s.facts, null, s.commands, f, s.resumed);
        }
        String step = stepOf(e);
        if (!s.steps.containsKey(step)) {
            throw new IllegalStateException("step " + step + " is not in the plan");
        }
        Map<String, Status> steps = new LinkedHashMap<>(s.steps);
        if (e instanceof StepStarted) {
            steps.put(step, Status.RUNNING);
            return new RunState(s.run, steps, s.facts, step, s.commands, null, s.resumed);
        }
        if (e instanceof CommandRan) {
            Map<String, Integer> commands = new LinkedHashMap<>(s.commands);
            commands.merge(step, 1, Integer::sum);
            return new RunState(s.run, s.steps, s.facts, s.running, commands, null, s.resumed);
        }
        if (e instanceof StepSucceeded ok) {
            steps.put(step, Status.SUCCEEDED);
            Map<String, Map<String, String>> facts = new LinkedHashMap<>(s.facts);
            if (!ok.facts().isEmpty()) {
                facts.put(step, ok.facts());
            }
            return new RunState(s.run, steps, facts, null, s.commands, null, s.resumed);
        }
        if (e instanceof StepSkipped) {
            steps.put(step, Status.SKIPPED);
            return new RunState(s.run, steps, s.facts, null, s.commands, null, s.resumed);
        }
        if (e instanceof StepFailed) {
            steps.put(step, Status.FAILED);
            return new RunState(s.run, steps, s.facts, null, s.commands, null, s.resumed);
        }
        throw new IllegalStateException("unknown event " + e);
    }

    private static String stepOf(JournalEvent e) {
        if (e instanceof StepStarted x) {
            return x.stepId();
        }
        if (e instanceof CommandRan x) {
            return x.stepId();
        }
        if (e instanceof StepSucceeded x) {
            return x.stepId();
        }
        if (e instanceof StepSkipped x) {
            return x.stepId();
        }
        if (e instanceof StepFailed x) {
            return x.stepId();
        }
        throw new IllegalStateException("not a step event: " + e);
    }

    /** The steps still to do, in plan order: pending, interrupted (running) and failed ones. */
    public List<String> remaining() {
        List<String> out = new ArrayList<>();
        steps.forEach((id, st) -> {
            if (st != Status.SUCCEEDED && st != Status.SKIPPED) {
                out.add(id);
            }
        });
        return out;
    }
}
