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
import dev.rear.api.event.RunResumed;
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
import org.jspecify.annotations.Nullable;

/**
 * Runs a plan's steps in order through a {@link CommandRunner}, recording every step and command in
 * a journal forced to disk per entry. Before a step runs its {@link Check} is evaluated: when the
 * effect is already there the step is skipped. The first failure stops the run (the journal ends with
 * {@code step.failed} and {@code run.finished failed}). {@link #resume} continues a run in its journal
 * (a {@code run.resumed} entry), whether it ended part-way (a crash) or with a failure whose cause
 * was fixed: steps that ended are not run again; the interrupted or failed one is re-checked (and run
 * again all the same when its check is only a blkid signature, which an unfinished mkfs leaves), then run.
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
            return steps(plan, plan.steps(), w, journal, null);
        }
    }

    /**
     * Continues the run of {@code journal} after a crash or a failure: refuses a corrupt journal
     * ({@link dev.rear.engine.journal.JournalCorruptException}) and one of another plan (descriptor, steps or
     * mapping differ), appends {@code run.resumed}, re-checks the interrupted or failed step and runs the rest.
     * A run that succeeded has nothing to do.
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
        if (state.finished() != null && state.finished().verdict() == RunFinished.Verdict.SUCCEEDED) {
            return new Outcome(RunFinished.Verdict.SUCCEEDED, "the run of " + journal + " had already succeeded; nothing to do",
                    null, 0, 0);
        }
        gate(plan, confirmed);
        // After a crash the interrupted step (if any) is checked again; after a failure (the operator fixed its
        // cause) the failed step is. Either way the steps that ended are not run again: re-running a wipe or a
        // table after later steps had done their work would destroy it.
        boolean afterFailure = state.finished() != null;
        String at = afterFailure
                ? state.steps().entrySet().stream().filter(e -> e.getValue() == RunState.Status.FAILED).map(Map.Entry::getKey)
                        .reduce((a, b) -> b).orElse(null)
                : state.running();
        Set<String> todo = Set.copyOf(state.remaining());
        List<Step> rest = plan.steps().stream().filter(s -> todo.contains(s.id())).toList();
        try (JournalWriter w = JournalWriter.resume(journal, clock)) {
            w.append(new RunResumed(afterFailure ? RunResumed.After.FAILURE : RunResumed.After.CRASH, at, state.remaining()));
            Outcome back = reactivate(plan, todo, w);
            if (back != null) {
                return back;
            }
            return steps(plan, rest, w, journal, at);
        }
    }

    /**
     * Brings back what the steps that ended made and a restart undoes: the rescue system booted again
     * after a power cut has none of the run's md arrays assembled, LUKS devices open, volume groups
     * active or filesystems mounted, and the steps still to run need them. Each is brought back only
     * when it is not there, by the means that do not write ({@code mdadm --assemble --run} of the
     * step's members, the step's own {@code cryptsetup open} and {@code mount}, {@code vgchange
     * --activate y}); the commands are journaled under the step whose effect they restore, which keeps
     * its status. Returns the failed outcome when one cannot be brought back, else null.
     */
    private @Nullable Outcome reactivate(Plan plan, Set<String> todo, JournalWriter w) {
        for (Step s : plan.steps()) {
            if (todo.contains(s.id())) {
                continue;
            }
            List<CommandSpec> cmds = switch (s.kind()) {
                case "md" -> {
                    String md = s.creates().get(0);
                    if (mdActive(md)) {
                        yield List.of();
                    }
                    List<String> argv = new ArrayList<>(List.of("mdadm", "--assemble", "--run", md));
                    argv.addAll(s.uses());
                    yield List.of(new CommandSpec(argv, Duration.ofMinutes(2), Map.of(), Set.of(0), Set.of(), null));
                }
                case "luks-open", "mount" -> evaluate(s).isPresent() ? List.of() : s.commands();
                case "vg" -> List.of(CommandSpec.of("vgchange", "--activate", "y", s.check().target()));
                default -> List.of();
            };
            for (CommandSpec c : cmds) {
                String failed = runJournaled(s, c, w).failure();
                if (failed != null) {
                    String why = "resume: cannot bring back what step " + s.id() + " (" + s.description() + ") made before the restart: "
                            + failed;
                    w.append(new RunFinished(RunFinished.Verdict.FAILED, why));
                    return new Outcome(RunFinished.Verdict.FAILED, why, s.id(), 0, 0);
                }
            }
        }
        return null;
    }

    /** Whether the md array {@code dev} is running: there, with a size (a stopped one leaves its node, with size 0). */
    private boolean mdActive(String dev) {
        return host.sizeBytes(dev).orElse(0) > 0;
    }

    /**
     * Runs {@code steps}. {@code cutShort} is the step a crash or a failure cut short, on resume: when
     * its check is a blkid probe it is run again whatever the probe says, because a signature is no
     * proof of a finished effect — mkfs.xfs writes its superblock (type, UUID, label) long before it
     * has finished, and a power cut in between leaves a filesystem blkid reports and the kernel
     * refuses to mount. Running such a step again is safe: no later step has run. Other probes
     * (mounted, subvolumes, LVM names) see the finished effect and are trusted. A signature found on
     * such a step's target is wiped first ({@code wipefs}), journaled as the step's first command.
     */
    private Outcome steps(Plan plan, List<Step> steps, JournalWriter w, Path journal, @Nullable String cutShort) {
        int ran = 0;
        int skipped = 0;
        for (Step s : steps) {
            w.append(new StepStarted(s.id()));
            boolean distrust = s.id().equals(cutShort) && s.check().probe().equals("blkid");
            Optional<String> found = distrust ? Optional.empty() : evaluate(s);
            if (found.isPresent()) {
                w.append(new StepSkipped(s.id(), found.get()));
                skipped++;
                continue;
            }
            String failed = null;
            Map<String, String> kept = new TreeMap<>();
            List<CommandSpec> cmds = commandsToRun(s, kept);
            if (distrust && evaluate(s.check()).isPresent()) {
                // What the unfinished attempt left goes first: mkfs.btrfs refuses a UUID a device already shows, its own included.
                cmds = new ArrayList<>(cmds);
                cmds.add(0, CommandSpec.of("wipefs", "--all", "--force", s.check().target()));
                kept.put("wiped " + s.check().target(), "the signature an unfinished attempt of this step left");
            }
            for (CommandSpec c : cmds) {
                failed = runJournaled(s, c, w).failure();
                if (failed != null) {
                    break;
                }
            }
            Map<String, String> facts = kept;
            StepAction action = actions.get(s.kind());
            if (failed == null && action != null) {
                try {
                    facts = new TreeMap<>(kept);
                    facts.putAll(action.run(s, new ActionContext(s, w, journal)));
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

    /**
     * What shows the step's effect is there, or empty when the step must run. A partition table is
     * there only with its partition devices: a crash between {@code sfdisk} and {@code partx} leaves a
     * table the kernel has not read (loop devices, kernels that do not re-read), and skipping the step
     * then would leave mkfs without its devices. Running it again rewrites the same table, which is
     * safe: no later step has run.
     */
    Optional<String> evaluate(Step s) {
        if (s.check().probe().equals("btrfs-subvolumes")) {
            return btrfsSubvolumesThere(s);
        }
        Optional<String> found = evaluate(s.check());
        if (found.isPresent() && s.kind().equals("partition-table")) {
            List<String> parts = s.creates().stream().filter(c -> c.startsWith("/dev/") && !c.equals(s.check().target())).toList();
            if (parts.stream().anyMatch(p -> !host.isBlockDevice(p))) {
                return Optional.empty();
            }
            if (!parts.isEmpty()) {
                return Optional.of(found.get() + ", and its partitions " + String.join(", ", parts) + " exist");
            }
        }
        return found;
    }

    /**
     * The commands of a step that must run. All of them, except for a btrfs subvolume step that a
     * crash or a failure interrupted part-way: its work mount, when still there, is not mounted again, and
     * subvolumes already created are not created again ({@code btrfs subvolume create} refuses an
     * existing path). What was left out is put in {@code kept}, which becomes the step's facts.
     */
    List<CommandSpec> commandsToRun(Step s, Map<String, String> kept) {
        if (!s.check().probe().equals("btrfs-subvolumes")) {
            return s.commands();
        }
        String dir = btrfsWorkDir(s);
        if (dir == null) {
            return s.commands();
        }
        boolean leftMounted = mountedOn(s.check().target(), dir);
        Set<String> present = btrfsNow(s).map(BtrfsView::subvolumes).orElse(Set.of());
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec c : s.commands()) {
            List<String> a = c.argv();
            if (leftMounted && a.get(0).equals("mount") && a.get(a.size() - 1).equals(dir)) {
                kept.put("mount " + dir, "left mounted by an earlier attempt of this step");
                continue;
            }
            if (a.size() == 4 && a.get(0).equals("btrfs") && a.get(1).equals("subvolume") && a.get(2).equals("create")
                    && a.get(3).startsWith(dir + "/") && present.contains(a.get(3).substring(dir.length() + 1))) {
                kept.put("subvolume " + a.get(3).substring(dir.length() + 1), "created by an earlier attempt of this step");
                continue;
            }
            out.add(c);
        }
        return out;
    }

    /** The subvolumes (paths from the top level) of a btrfs filesystem and the path of its default one ({@code ""}: the top level). */
    record BtrfsView(Set<String> subvolumes, String defaultPath) { }

    /**
     * Whether every subvolume of the step is there and the default one is set: read through the
     * step's work mount when a crash left it mounted (what is on the disk may lag behind the
     * mounted filesystem), else through a read-only mount of the top level, undone at once.
     * When a crash left the work mount and the effect is complete, the work mount is unmounted
     * (the step's own last command) so that nothing of it stays behind.
     */
    private Optional<String> btrfsSubvolumesThere(Step s) {
        Check c = s.check();
        String dev = c.target();
        String dir = btrfsWorkDir(s);
        boolean leftMounted = dir != null && mountedOn(dev, dir);
        Optional<BtrfsView> v = btrfsNow(s);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> e : c.expect().entrySet()) {
            if (e.getValue().equals("subvolume") && !v.get().subvolumes().contains(e.getKey())) {
                return Optional.empty();
            }
            if (e.getValue().equals("default") && !v.get().defaultPath().equals(e.getKey())) {
                return Optional.empty();
            }
        }
        String reason = "btrfs on " + dev + " has the subvolumes " + String.join(", ", c.expect().entrySet().stream()
                .filter(e -> e.getValue().equals("subvolume")).map(Map.Entry::getKey).toList())
                + (c.expect().containsValue("default") ? " and the default " + v.get().defaultPath() : "");
        if (leftMounted) {
            if (!succeeds(CommandSpec.of("umount", dir))) {
                return Optional.empty(); // the step's own commands will say why
            }
            reason += "; its work mount " + dir + ", left by the interrupted run, was unmounted";
        }
        return Optional.of(reason);
    }

    /** The subvolumes there now: through the work mount a crash left, else a read-only mount of the top level, undone at once. */
    private Optional<BtrfsView> btrfsNow(Step s) {
        String dev = s.check().target();
        String dir = btrfsWorkDir(s);
        if (dir != null && mountedOn(dev, dir)) {
            return btrfsView(dir);
        }
        String probe = btrfsCheckDir(dev);
        for (int i = 0; i < 4 && mountedOn(dev, probe); i++) {
            succeeds(CommandSpec.of("umount", probe)); // left by a check a crash interrupted
        }
        if (!succeeds(CommandSpec.of("mkdir", "-p", probe))
                || !succeeds(CommandSpec.of("mount", "-t", "btrfs", "-o", "ro,subvolid=" + BTRFS_TOP_LEVEL, dev, probe))) {
            return Optional.empty(); // no btrfs there (yet)
        }
        try {
            return btrfsView(probe);
        } finally {
            succeeds(CommandSpec.of("umount", probe));
        }
    }

    /** Where the btrfs check mounts a filesystem's top level read-only for a moment. */
    private static String btrfsCheckDir(String dev) {
        return "/run/rear/check/" + dev.substring(dev.lastIndexOf('/') + 1);
    }

    private static final long BTRFS_TOP_LEVEL = dev.rear.api.descriptor.BtrfsParameters.TOP_LEVEL_ID;

    /** {@code btrfs subvolume list} and {@code get-default} of the top level mounted on {@code dir}. */
    private Optional<BtrfsView> btrfsView(String dir) {
        try {
            CommandResult list = runner.run(CommandSpec.of("btrfs", "subvolume", "list", dir));
            CommandResult def = runner.run(CommandSpec.of("btrfs", "subvolume", "get-default", dir));
            Set<String> subs = new java.util.TreeSet<>();
            for (String line : list.stdout().split("\n")) {
                int at = line.indexOf(" path ");
                if (line.startsWith("ID ") && at > 0) {
                    subs.add(line.substring(at + 6).strip());
                }
            }
            String d = def.stdout().strip();
            int at = d.indexOf(" path ");
            return Optional.of(new BtrfsView(subs, at > 0 ? d.substring(at + 6).strip() : ""));
        } catch (RearException e) {
            return Optional.empty();
        }
    }

    /** The directory a btrfs subvolume step mounts its top level on: the last argument of its {@code mount}. */
    private static @Nullable String btrfsWorkDir(Step s) {
        for (CommandSpec c : s.commands()) {
            if (c.argv().get(0).equals("mount")) {
                return c.argv().get(c.argv().size() - 1);
            }
        }
        return null;
    }

    private boolean mountedOn(String dev, String dir) {
        for (HostProbe.Mount m : host.mounts()) {
            if (m.mountPoint().equals(dir) && sameDevice(m.source(), dev)) {
                return true;
            }
        }
        return false;
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
        List<String> ownMounts = new ArrayList<>(plan.steps().stream().filter(s -> s.check().probe().equals("mounted"))
                .map(s -> s.check().target()).toList());
        // The work mounts of the plan's own steps (a btrfs subvolume step's top level), which a crash can leave behind.
        for (Step s : plan.steps()) {
            if (s.check().probe().equals("btrfs-subvolumes")) {
                String dir = btrfsWorkDir(s);
                if (dir != null) {
                    ownMounts.add(dir);
                }
                ownMounts.add(btrfsCheckDir(s.check().target()));
            }
        }
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
            for (HostProbe.Mount m : host.mountsOn(t)) {
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
