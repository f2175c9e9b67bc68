package dev.rear.engine.recover;

import dev.rear.api.RearException;
import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import dev.rear.api.event.CommandRan;
import dev.rear.api.event.PlannedStep;
import dev.rear.api.event.RunFinished;
import dev.rear.api.event.RunStarted;
import dev.rear.api.event.StepFailed;
import dev.rear.api.event.StepSkipped;
import dev.rear.api.event.StepStarted;
import dev.rear.api.event.StepSucceeded;
import dev.rear.engine.journal.Journal;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.journal.JournalWriter;
import dev.rear.engine.journal.RunState;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.Step;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs a plan's steps in order through a {@link CommandRunner}, recording every step and command in
 * a journal forced to disk per entry. Before a step runs its {@link Check} is evaluated: when the
 * effect is already there the step is skipped. The first failure stops the run (the journal ends with
 * {@code step.failed} and {@code run.finished failed}). {@link #resume} continues a run whose journal
 * ends part-way (a crash): finished steps are not run again, the interrupted one is re-checked.
 *
 * <p>Before anything is written the safety gate checks every mapped target: a block device of the
 * mapped size, with nothing of it mounted (other than the plan's own mountpoints) and not holding {@code /}.
 */
public final class Executor {

    /** How many stderr lines a {@code command.ran} keeps. */
    public static final int STDERR_LINES = 20;

    /** What a run came to. */
    public record Outcome(RunFinished.Verdict verdict, String message, @Nullable String failedStep, int ran, int skipped) {
        public boolean ok() {
            return verdict == RunFinished.Verdict.SUCCEEDED;
        }
    }

    private final CommandRunner runner;
    private final HostProbe host;
    private final Clock clock;
    private final Map<String, StepAction> actions;
    private final java.util.function.Consumer<String> notes;

    public Executor(CommandRunner runner, HostProbe host, Clock clock) {
        this(runner, host, clock, Map.of(), line -> { });
    }

    private Executor(CommandRunner runner, HostProbe host, Clock clock, Map<String, StepAction> actions,
                     java.util.function.Consumer<String> notes) {
        this.runner = runner;
        this.host = host;
        this.clock = clock;
        this.actions = Map.copyOf(actions);
        this.notes = notes;
    }

    /** A copy that runs {@code action} for every step of {@code kind} (after the step's own commands). */
    public Executor withAction(String kind, StepAction action) {
        Map<String, StepAction> m = new TreeMap<>(actions);
        m.put(kind, action);
        return new Executor(runner, host, clock, m, notes);
    }

    /** A copy whose actions' notes go to {@code sink}. */
    public Executor withNotes(java.util.function.Consumer<String> sink) {
        return new Executor(runner, host, clock, actions, sink);
    }

    /**
     * Starts a new run: gate, then a new journal, then every step.
     *
     * @param confirmed the operator agreed to destroy the targets; {@code false} refuses
     * @throws ExecutorRefusedException when not confirmed or a target fails the gate (no journal is written)
     */
    public Outcome run(Plan plan, String workflow, String descriptorSha256, Path journal, boolean confirmed) {
        gate(plan, confirmed);
        Map<String, String> mapping = new LinkedHashMap<>();
        for (DiskMapping.Entry e : plan.mapping().entries()) {
            mapping.put(e.originalPath(), e.target().path());
        }
        try (JournalWriter w = JournalWriter.create(journal, UUID.randomUUID().toString(), clock)) {
            w.append(new RunStarted(w.runId(), workflow, descriptorSha256, mapping, plan.toPlannedSteps()));
            return steps(plan, plan.steps(), w, journal);
        }
    }

    /**
     * Continues the run of {@code journal}: refuses a corrupt journal ({@link dev.rear.engine.journal.JournalCorruptException})
     * and one of another plan (descriptor or steps differ), re-checks the interrupted step and runs the rest.
     */
    public Outcome resume(Plan plan, String descriptorSha256, Path journal, boolean confirmed) {
        Journal j = JournalReader.read(journal);
        RunState state;
        try {
            state = j.state();
        } catch (IllegalStateException e) {
            throw new dev.rear.engine.journal.JournalCorruptException(journal.toString(), 1, e.getMessage());
        }
        RunStarted started = state.run();
        if (started == null) {
            throw new ExecutorRefusedException("the journal " + journal + " holds no run.started: there is no run to resume");
        }
        if (!started.descriptorSha256().equals(descriptorSha256)) {
            throw new ExecutorRefusedException("the journal " + journal + " is of another descriptor (sha256 "
                    + started.descriptorSha256() + ", this one is " + descriptorSha256 + "); refusing to resume it");
        }
        List<String> journalIds = started.plan().stream().map(PlannedStep::id).toList();
        List<String> planIds = plan.steps().stream().map(Step::id).toList();
        if (!journalIds.equals(planIds)) {
            throw new ExecutorRefusedException("the journal " + journal + " is of another plan (its steps " + journalIds
                    + " differ from this plan's " + planIds + "); refusing to resume it");
        }
        Map<String, String> mapping = new TreeMap<>();
        plan.mapping().entries().forEach(e -> mapping.put(e.originalPath(), e.target().path()));
        if (!new TreeMap<>(started.mapping()).equals(mapping)) {
            throw new ExecutorRefusedException("the journal " + journal + " maps " + new TreeMap<>(started.mapping())
                    + " but this plan maps " + mapping + "; refusing to resume it");
        }
        if (state.finished() != null) {
            if (state.finished().verdict() == RunFinished.Verdict.SUCCEEDED) {
                return new Outcome(RunFinished.Verdict.SUCCEEDED, "the run of " + journal + " had already succeeded; nothing to do",
                        null, 0, 0);
            }
            throw new ExecutorRefusedException("the run of " + journal + " has ended (" + state.finished().verdict().name()
                    .toLowerCase(java.util.Locale.ROOT) + ": " + state.finished().message()
                    + "); a journal takes nothing after run.finished, so start a new run with a new journal"
                    + " (steps whose effect is there are skipped by their checks)");
        }
        gate(plan, confirmed);
        Set<String> todo = Set.copyOf(state.remaining());
        List<Step> rest = plan.steps().stream().filter(s -> todo.contains(s.id())).toList();
        try (JournalWriter w = JournalWriter.resume(journal, clock)) {
            return steps(plan, rest, w, journal);
        }
    }

    private Outcome steps(Plan plan, List<Step> steps, JournalWriter w, Path journal) {
        int ran = 0;
        int skipped = 0;
        for (Step s : steps) {
            w.append(new StepStarted(s.id()));
            Optional<String> found = evaluate(s.check());
            if (found.isPresent()) {
                w.append(new StepSkipped(s.id(), found.get()));
                skipped++;
                continue;
            }
            String failed = null;
            for (CommandSpec c : s.commands()) {
                failed = runJournaled(s, c, w).failure();
                if (failed != null) {
                    break;
                }
            }
            Map<String, String> facts = Map.of();
            StepAction action = actions.get(s.kind());
            if (failed == null && action != null) {
                try {
                    facts = action.run(s, new ActionContext(s, w, journal));
                } catch (RearException | java.io.UncheckedIOException e) {
                    failed = "step " + s.id() + " (" + s.description() + ") failed: " + e.getMessage();
                }
            }
            if (failed != null) {
                w.append(new StepFailed(s.id(), failed));
                w.append(new RunFinished(RunFinished.Verdict.FAILED, failed));
                return new Outcome(RunFinished.Verdict.FAILED, failed, s.id(), ran, skipped);
            }
            w.append(new StepSucceeded(s.id(), facts));
            ran++;
        }
        String msg = plan.steps().size() + " steps: " + ran + " ran, " + skipped + " skipped"
                + (steps.size() < plan.steps().size() ? ", " + (plan.steps().size() - steps.size()) + " done before" : "");
        w.append(new RunFinished(RunFinished.Verdict.SUCCEEDED, msg));
        return new Outcome(RunFinished.Verdict.SUCCEEDED, msg, null, ran, skipped);
    }

    /** One command's result and, when it failed, the message naming step, command and stderr. */
    private record Ran(CommandResult result, @Nullable String failure, @Nullable RearException thrown) { }

    private Ran runJournaled(Step s, CommandSpec c, JournalWriter w) {
        long t0 = System.nanoTime();
        CommandResult r;
        String failure = null;
        RearException thrown = null;
        try {
            r = runner.run(c);
            if (!c.okExitCodes().contains(r.exitCode())) {
                failure = "exit code " + r.exitCode();
            }
        } catch (CommandFailedException e) {
            r = e.result();
            failure = "exit code " + r.exitCode();
            thrown = e;
        } catch (ToolNotFoundException e) {
            r = new CommandResult(c.redactedArgv(), 127, "", String.valueOf(e.getMessage()), elapsed(t0));
            failure = "not found";
            thrown = e;
        } catch (CommandTimeoutException e) {
            r = new CommandResult(c.redactedArgv(), 124, "", String.valueOf(e.getMessage()), elapsed(t0));
            failure = "timed out";
            thrown = e;
        } catch (RearException e) {
            r = new CommandResult(c.redactedArgv(), -1, "", String.valueOf(e.getMessage()), elapsed(t0));
            failure = "could not run";
            thrown = e;
        }
        String tail = r.stderr() == null || r.stderr().isBlank() ? "" : r.stderrTail(STDERR_LINES);
        long ms = r.duration() == null || r.duration().isZero() ? elapsed(t0).toMillis() : r.duration().toMillis();
        w.append(new CommandRan(s.id(), c.redactedArgv(), r.exitCode(), tail, ms));
        if (failure == null) {
            return new Ran(r, null, null);
        }
        String msg = "step " + s.id() + " (" + s.description() + ") failed: `" + c.display() + "` " + failure
                + (tail.isEmpty() ? "" : ":\n" + tail);
        return new Ran(r, msg, thrown == null ? new CommandFailedException(c, r) : thrown);
    }

    /** The context of one action: its commands are journaled as the step's. */
    private final class ActionContext implements StepAction.Context {
        private final Step step;
        private final JournalWriter w;

        private final Path journal;

        ActionContext(Step step, JournalWriter w, Path journal) {
            this.step = step;
            this.w = w;
            this.journal = journal;
        }

        @Override
        public CommandRunner commands() {
            return spec -> {
                Ran r = runJournaled(step, spec, w);
                if (r.failure() == null || r.thrown() == null) {
                    return r.result();
                }
                throw r.thrown();
            };
        }

        @Override
        public void note(String line) {
            notes.accept(line);
        }

        @Override
        public String runId() {
            return w.runId();
        }

        @Override
        public Path journal() {
            return journal;
        }
    }

    private static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** What shows the check's effect is there, or empty when the step must run. */
    Optional<String> evaluate(Check c) {
        switch (c.probe()) {
            case "blkid": {
                if (c.expect().isEmpty()) {
                    return Optional.empty();
                }
                Map<String, String> got = blkid(c.target());
                for (Map.Entry<String, String> e : c.expect().entrySet()) {
                    if (!e.getValue().equals(got.get(e.getKey()))) {
                        return Optional.empty();
                    }
                }
                return Optional.of("blkid of " + c.target() + " reports " + String.join(" ",
                        c.expect().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            case "exists":
                return host.isBlockDevice(c.target()) ? Optional.of(c.target() + " exists") : Optional.empty();
            case "mounted": {
                String want = c.expect().get("SOURCE");
                for (HostProbe.Mount m : host.mounts()) {
                    if (m.mountPoint().equals(c.target()) && (want == null || sameDevice(m.source(), want))) {
                        return Optional.of(m.source() + " is mounted on " + c.target());
                    }
                }
                return Optional.empty();
            }
            case "lvm-vg":
                return succeeds(CommandSpec.of("vgs", "--noheadings", "-o", "vg_name", c.target()))
                        ? Optional.of("vgs lists " + c.target()) : Optional.empty();
            case "lvm-lv":
                return succeeds(CommandSpec.of("lvs", "--noheadings", "-o", "lv_name", c.target()))
                        ? Optional.of("lvs lists " + c.target()) : Optional.empty();
            case "marker":
                return marker(c);
            default:
                // "none", and probes that cannot be told without writing (btrfs-subvolumes needs a mount): run it
                return Optional.empty();
        }
    }

    /** The marker file exists and holds every expected {@code key=value} line. */
    private static Optional<String> marker(Check c) {
        Path f = Path.of(c.target());
        if (!java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Map<String, String> got = new TreeMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(f)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    got.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> e : c.expect().entrySet()) {
            if (!e.getValue().equals(got.get(e.getKey()))) {
                return Optional.empty();
            }
        }
        return Optional.of("the marker " + f + " is there" + (c.expect().isEmpty() ? "" : " and says " + String.join(" ",
                c.expect().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())));
    }

    private boolean sameDevice(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        Optional<String> x = host.majorMinor(a);
        return x.isPresent() && x.equals(host.majorMinor(b));
    }

    private boolean succeeds(CommandSpec spec) {
        try {
            CommandResult r = runner.run(spec);
            return r.exitCode() == 0;
        } catch (RearException e) {
            return false;
        }
    }

    private Map<String, String> blkid(String device) {
        Map<String, String> out = new TreeMap<>();
        try {
            CommandResult r = runner.run(CommandSpec.of("blkid", "-c", "/dev/null", "-p", "-o", "export", device).alsoOk(2));
            if (r.exitCode() != 0) {
                return out;
            }
            for (String line : r.stdout().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        } catch (RearException e) {
            return out;
        }
        return out;
    }

    /**
     * The safety gate: every mapped target is a block device of the mapped size, nothing on it is
     * mounted (except on the plan's own mountpoints) and it does not hold {@code /}.
     */
    void gate(Plan plan, boolean confirmed) {
        List<String> problems = new ArrayList<>();
        List<String> ownMounts = plan.steps().stream().filter(s -> s.check().probe().equals("mounted"))
                .map(s -> s.check().target()).toList();
        List<HostProbe.Mount> mounts = host.mounts();
        for (DiskMapping.Entry e : plan.mapping().entries()) {
            String t = e.target().path();
            if (!host.isBlockDevice(t)) {
                problems.add(t + " is not a block device");
                continue;
            }
            OptionalLong size = host.sizeBytes(t);
            if (size.isEmpty()) {
                problems.add(t + ": its size cannot be read");
            } else if (size.getAsLong() != e.target().sizeBytes()) {
                problems.add(t + " has " + size.getAsLong() + " bytes, the plan was made for " + e.target().sizeBytes());
            }
            Pattern part = Pattern.compile(Pattern.quote(t) + "p?[0-9]+");
            Optional<String> tmm = host.majorMinor(t);
            Set<String> tDisks = host.underlyingDisks(t);
            for (HostProbe.Mount m : mounts) {
                Set<String> under = host.underlyingDisks(m.source());
                boolean on = m.source().equals(t) || part.matcher(m.source()).matches()
                        || (tmm.isPresent() && tmm.get().equals(m.majorMinor()))
                        || under.contains(t) || tDisks.stream().anyMatch(under::contains);
                if (!on) {
                    continue;
                }
                if (m.mountPoint().equals("/")) {
                    problems.add(t + " holds / (" + m.source() + "): never a target");
                } else if (!ownMounts.contains(m.mountPoint())) {
                    problems.add(t + " is in use: " + m.source() + " is mounted on " + m.mountPoint());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ExecutorRefusedException("refusing to write to the targets: " + String.join("; ", problems));
        }
        if (!confirmed) {
            throw new ExecutorRefusedException("not confirmed: recreating the layout destroys everything on "
                    + String.join(", ", plan.mapping().targetPaths()));
        }
    }
}
