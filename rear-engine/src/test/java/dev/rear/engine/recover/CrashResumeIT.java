package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.event.CommandRan;
import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.RunFinished;
import dev.rear.api.event.RunResumed;
import dev.rear.api.event.StepSkipped;
import dev.rear.api.event.StepStarted;
import dev.rear.api.event.StepSucceeded;
import dev.rear.engine.journal.Journal;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.journal.RunState;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root: {@code rear layoutonly} runs as a separate JVM and is killed with SIGKILL at
 * chosen points of the plan for the GPT and the DOS disk of {@link Originals}; then
 * {@code rear layoutonly --resume} must reach the same end state as an uninterrupted run
 * (rediscovery equal to the descriptor field by field), every step must have succeeded or been
 * skipped exactly once, and the journal must verify.
 *
 * <p>The kill comes from wrapper scripts put first on the killed run's {@code PATH} for every tool
 * the plan runs (and {@code blkid}, which the checks run). They count invocations; the Nth one
 * kills the rear JVM (its parent):
 * <ul>
 * <li>{@code before}: before the real tool runs (the step started, its check or command not done);</li>
 * <li>{@code after}: after the real tool ran (its effect is there, the journal does not say so);</li>
 * <li>{@code reboot}: {@code after}, then whatever the killed run had mounted unmounted, as a
 *     power cut and a reboot of the rescue system leave it;</li>
 * <li>{@code fail}: the tool fails (exit 1) without running: not a crash, a failed step; the run ends
 *     {@code run.finished failed} and {@code --resume} continues it after the failure;</li>
 * <li>{@code cut}: while the tool runs, and the tool with it (a power cut in the middle of mkfs or dd);</li>
 * <li>{@code boundary}: {@code before} at a step's first invocation, then the journal's last line
 *     ({@code step.started} of that step) removed: exactly what a kill between one step's
 *     {@code step.succeeded} and the next one's {@code step.started} leaves;</li>
 * <li>{@code torn}: the same, but that last line cut in the middle without its newline, as a crash
 *     during the write leaves it.</li>
 * </ul>
 * By default a deterministic sample runs (each step's boundary, each step's last command
 * {@code after}, the middle of every multi-command step, a torn line, and cuts of the long tools);
 * {@code -Drear.crash.all=true} runs {@code before} and {@code after} at every invocation.
 */
class CrashResumeIT {

    static final List<String> WRAPPED = List.of("wipefs", "dd", "sfdisk", "partx", "udevadm", "mkfs.ext4", "mkfs.xfs", "mkfs.btrfs",
            "mkswap", "mkdir", "mount", "umount", "btrfs", "blkid");

    @TempDir
    static Path tmp;

    static Originals orig;
    static Path wrappers;

    @BeforeAll
    static void setUp() throws IOException {
        LoopDevices.assumeUsable(Originals.TOOLS);
        orig = Originals.create(tmp);
        wrappers = writeWrappers(tmp.resolve("wrappers"));
    }

    /** The wrapper scripts of {@link #WRAPPED} in {@code dir}. */
    static Path writeWrappers(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String t : WRAPPED) {
            String real = List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/").stream().map(d -> d + t)
                    .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElseThrow(() -> new AssertionError(t + " not found"));
            Path w = dir.resolve(t);
            Files.writeString(w, wrapper(t, real));
            Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** A control directory for the wrappers: nothing logged yet, the kill at invocation {@code killAt} (0: none) in {@code mode}. */
    static Path control(Path dir, int killAt, String mode) throws IOException {
        Path ctl = Files.createDirectories(dir.resolve("ctl"));
        Files.writeString(ctl.resolve("count"), "0\n");
        Files.writeString(ctl.resolve("log"), "");
        Files.writeString(ctl.resolve("kill-at"), killAt + "\n");
        Files.writeString(ctl.resolve("mode"), mode + "\n");
        Files.writeString(ctl.resolve("cut-after"), "0.3\n");
        return ctl;
    }

    /**
     * A wrapper: counts and logs the invocation in {@code $REAR_CRASH_CTL}, and at the invocation
     * numbered in its {@code kill-at} file kills its parent (the rear JVM) as {@code mode} says.
     */
    static String wrapper(String tool, String real) {
        return "#!/bin/bash\n"
                + "# crash-test wrapper of " + tool + "\n"
                + "D=\"$REAR_CRASH_CTL\"\n"
                + "n=$(( $(cat \"$D/count\") + 1 ))\n"
                + "echo $n > \"$D/count\"\n"
                + "printf '%s %s\\n' " + tool + " \"$*\" >> \"$D/log\"\n"
                + "if [ \"$n\" = \"$(cat \"$D/kill-at\")\" ]; then\n"
                + "  case \"$(cat \"$D/mode\")\" in\n"
                + "    before) kill -9 $PPID; exit 137 ;;\n"
                + "    after) " + real + " \"$@\"; rc=$?; kill -9 $PPID; exit $rc ;;\n"
                + "    fail) echo \"crash test: " + tool + " made to fail\" >&2; exit 1 ;;\n"
                + "    cut) " + real + " \"$@\" <&0 & t=$!; sleep \"$(cat \"$D/cut-after\")\"; st=$(awk '{print $3}' /proc/$t/stat 2>/dev/null); kill -9 $PPID $t; "
                + "if [ -n \"$st\" ] && [ \"$st\" != Z ]; then echo $n >> \"$D/cut-mid\"; fi; wait $t; exit 137 ;;\n"
                + "  esac\n"
                + "fi\n"
                + "exec " + real + " \"$@\"\n";
    }

    /** One kill point: the invocation, the mode, and what the invocation is (for messages). */
    record KillPoint(int invocation, String mode, String what, long cutAfterMillis) {
        KillPoint(int invocation, String mode, String what) {
            this(invocation, mode, what, 0);
        }

        @Override
        public String toString() {
            return mode + " #" + invocation + " (" + what + ")";
        }
    }

    /** What one invocation of a wrapped tool was part of, from the reference run. */
    record Invocation(int n, String line, String step, boolean firstOfStep, boolean lastOfStep, boolean command, long millis) { }

    @Test
    void sigkillAtStepBoundariesAndMidStepThenResumeReachesTheSameEndState() throws Exception {
        long t0 = System.nanoTime();
        Attempt ref = attempt(new KillPoint(0, "none", "uninterrupted reference run"));
        List<Invocation> inv = invocations(ref.log, ref.journal);
        assertThat(inv).as("the wrappers saw the plan's commands").isNotEmpty();
        List<KillPoint> points = killPoints(inv);
        String only = System.getProperty("rear.crash.only", "");
        if (!only.isBlank()) { // while debugging: -Drear.crash.only=after#12,boundary#3
            List<String> wanted = List.of(only.split(","));
            points = points.stream().filter(k -> wanted.contains(k.mode() + "#" + k.invocation())).toList();
        }
        System.out.println("CrashResumeIT: reference run: " + inv.size() + " tool invocations in "
                + ref.journal.state().steps().size() + " steps; " + points.size() + " kill points"
                + (Boolean.getBoolean("rear.crash.all") ? " (all)" : " (sample; -Drear.crash.all=true for all)"));
        List<String> failures = new ArrayList<>();
        int cutMid = 0;
        for (KillPoint k : points) {
            long t1 = System.nanoTime();
            String note = "";
            try {
                attempt(k);
                if (k.mode().equals("cut")) {
                    boolean mid = Files.exists(tmp.resolve("attempt-cut-" + k.invocation()).resolve("ctl/cut-mid"));
                    cutMid += mid ? 1 : 0;
                    note = mid ? " [the tool was still running: cut]" : " [the tool had ended before the cut]";
                }
            } catch (AssertionError | RuntimeException e) {
                failures.add(k + ": " + e.getMessage());
            }
            System.out.printf("CrashResumeIT: %-60s %5d ms%s%n", k, (System.nanoTime() - t1) / 1_000_000, note);
        }
        System.out.println("CrashResumeIT: " + cutMid + " of " + points.stream().filter(k -> k.mode().equals("cut")).count()
                + " power cuts came while the tool was running");
        System.out.printf("CrashResumeIT: %d kill points in %d s%n", points.size(), (System.nanoTime() - t0) / 1_000_000_000L);
        assertThat(failures).as("kill points whose resume did not reach the end state").isEmpty();
    }

    /** Maps each logged invocation to its step, using the reference run's journal. */
    static List<Invocation> invocations(List<String> log, Journal j) {
        List<String[]> commands = new ArrayList<>(); // step id, argv line, duration
        for (JournalEvent e : j.events()) {
            if (e instanceof CommandRan c) {
                commands.add(new String[] {c.stepId(), String.join(" ", c.argv()), Long.toString(c.durationMillis())});
            }
        }
        List<Invocation> out = new ArrayList<>();
        int ci = 0;
        for (int i = 0; i < log.size(); i++) {
            String line = log.get(i);
            boolean isCommand = ci < commands.size() && commands.get(ci)[1].equals(line);
            String step = ci < commands.size() ? commands.get(ci)[0] : "(after the last command)";
            out.add(new Invocation(i + 1, line, step, false, false, isCommand, isCommand ? Long.parseLong(commands.get(ci)[2]) : 0));
            if (isCommand) {
                ci++;
            }
        }
        assertThat(ci).as("every journaled command was seen by a wrapper, in order:\n" + String.join("\n", log)).isEqualTo(commands.size());
        List<Invocation> marked = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            Invocation x = out.get(i);
            boolean first = i == 0 || !out.get(i - 1).step().equals(x.step());
            boolean last = i == out.size() - 1 || !out.get(i + 1).step().equals(x.step());
            marked.add(new Invocation(x.n(), x.line(), x.step(), first, last, x.command(), x.millis()));
        }
        return marked;
    }

    static List<KillPoint> killPoints(List<Invocation> inv) {
        List<KillPoint> points = new ArrayList<>();
        if (Boolean.getBoolean("rear.crash.all")) {
            for (Invocation i : inv) {
                points.add(new KillPoint(i.n(), "before", i.step() + ": " + i.line()));
                points.add(new KillPoint(i.n(), "after", i.step() + ": " + i.line()));
            }
        } else {
            Map<String, List<Invocation>> bySteps = new LinkedHashMap<>();
            inv.forEach(i -> bySteps.computeIfAbsent(i.step(), s -> new ArrayList<>()).add(i));
            for (List<Invocation> s : bySteps.values()) {
                Invocation last = s.get(s.size() - 1);
                points.add(new KillPoint(last.n(), "after", last.step() + ": " + last.line()));
                List<Invocation> cmds = s.stream().filter(Invocation::command).toList();
                if (cmds.size() >= 3) {
                    Invocation mid = cmds.get(cmds.size() / 2);
                    points.add(new KillPoint(mid.n(), "after", mid.step() + ": " + mid.line()));
                    points.add(new KillPoint(mid.n(), "reboot", mid.step() + ": " + mid.line()));
                }
            }
        }
        for (Invocation i : inv) {
            if (i.firstOfStep()) {
                points.add(new KillPoint(i.n(), "boundary", "between steps, before " + i.step()));
            }
        }
        inv.stream().filter(i -> i.firstOfStep() && i.step().startsWith("mkfs:")).findFirst()
                .ifPresent(i -> points.add(new KillPoint(i.n(), "torn", "step.started of " + i.step() + " torn")));
        // A step that fails (not a crash): --resume after the failure re-checks and re-runs it, nothing before it.
        List<Invocation> creates = inv.stream().filter(i -> i.command() && i.line().startsWith("btrfs subvolume create")).toList();
        for (Invocation i : inv) {
            if (i.command() && (i.line().startsWith("mkfs.xfs") || (i.line().startsWith("wipefs") && i.line().endsWith("p2")) || i.line().startsWith("mount -t xfs")
                    || (!creates.isEmpty() && i == creates.get(creates.size() - 1)))) {
                points.add(new KillPoint(i.n(), "fail", i.step() + " fails: " + i.line()));
            }
        }
        for (Invocation i : inv) {
            if (i.command() && (i.line().startsWith("mkfs.") || i.line().startsWith("dd "))) {
                // Early in the tool's run: a fifth of the time it took in the reference run (which includes starting it).
                points.add(new KillPoint(i.n(), "cut", "power cut during " + i.line(), Math.max(2, i.millis() / 5)));
            }
        }
        return points;
    }

    record Attempt(List<String> log, Journal journal) { }

    /** Fresh blank targets; layoutonly killed at {@code k}; resumed; end state and journal checked. */
    Attempt attempt(KillPoint k) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("attempt-" + k.mode() + "-" + k.invocation()));
        Path ctl = control(dir, k.invocation(), k.mode());
        Files.writeString(ctl.resolve("cut-after"), String.format(java.util.Locale.ROOT, "%.3f%n", k.cutAfterMillis() / 1000.0));
        if (k.mode().equals("boundary") || k.mode().equals("torn")) {
            Files.writeString(ctl.resolve("kill-at"), k.invocation() + "\n");
            Files.writeString(ctl.resolve("mode"), "before\n");
        } else if (k.mode().equals("reboot")) {
            Files.writeString(ctl.resolve("mode"), "after\n");
        }
        Path journal = dir.resolve("layoutonly.jsonl");
        Path root = dir.resolve("root");
        try (LoopDevices loops = new LoopDevices(dir)) {
            String gptNew = loops.attach("gpt-new", Originals.GPT_BYTES);
            String dosNew = loops.attach("dos-new", Originals.DOS_BYTES);
            Files.createDirectories(root);
            String[] args = {"layoutonly", orig.descriptor().toString(), "--target", orig.gpt() + "=" + gptNew,
                "--target", orig.dos() + "=" + dosNew, "--yes", "--journal", journal.toString(), "--target-root", root.toString()};
            try {
                int code = runSeparately(wrappers, ctl, dir, args);
                List<String> log = Files.readAllLines(ctl.resolve("log"));
                assertThat(journal).as("rear wrote a journal; it printed:\n" + text(dir.resolve("rear.out")) + text(dir.resolve("rear.err")))
                        .exists();
                Journal killed = JournalReader.read(journal); // verifies the chain as the kill left it
                if (k.mode().equals("none")) {
                    assertThat(code).as(Files.readString(dir.resolve("rear.out")) + Files.readString(dir.resolve("rear.err"))).isZero();
                    assertEndState(dir, journal, root, gptNew, dosNew, 0);
                    return new Attempt(log, killed);
                }
                if (k.mode().equals("fail")) {
                    assertThat(code).as("a failed step: exit 6").isEqualTo(6);
                    assertThat(Files.readString(dir.resolve("rear.err"))).contains("made to fail");
                    assertThat(killed.state().finished().verdict()).isEqualTo(RunFinished.Verdict.FAILED);
                } else {
                    assertThat(code).as("rear was killed (exit 137)").isEqualTo(137);
                    assertThat(killed.state().finished()).as("a killed run has not finished").isNull();
                }
                int keep = killed.entries().size();
                if (k.mode().equals("boundary") || k.mode().equals("torn")) {
                    assertThat(killed.events().get(keep - 1)).isInstanceOf(StepStarted.class);
                    byte[] b = Files.readAllBytes(journal);
                    int lastNl = lastIndexOf(b, b.length - 2);
                    int cut = k.mode().equals("boundary") ? lastNl + 1 : lastNl + 1 + (b.length - lastNl) / 2;
                    Files.write(journal, java.util.Arrays.copyOf(b, cut));
                    Journal after = JournalReader.read(journal);
                    assertThat(after.tornTail()).isEqualTo(k.mode().equals("torn"));
                    keep--;
                }
                if (k.mode().equals("reboot")) {
                    LayoutOnlyIT.cleanMounts(loops, root, List.of(gptNew, dosNew));
                }
                RearRun res = RearRun.withoutConfig(dir, concat(args, "--resume"));
                assertThat(res.code()).as(res.out() + res.err()).isZero();
                assertThat(res.out()).contains("layoutonly: succeeded");
                assertEndState(dir, journal, root, gptNew, dosNew, keep);
                RunResumed resumed = JournalReader.read(journal).state().resumed().get(0);
                assertThat(resumed.after()).isEqualTo(k.mode().equals("fail") ? RunResumed.After.FAILURE : RunResumed.After.CRASH);
                if (k.mode().equals("fail")) {
                    // The step that failed, by the killed run's journal (its device names may differ from the reference run's).
                    String failed = killed.state().steps().entrySet().stream().filter(e -> e.getValue() == RunState.Status.FAILED)
                            .map(Map.Entry::getKey).findFirst().orElseThrow();
                    assertThat(resumed.stepId()).isEqualTo(failed);
                    assertThat(failed.substring(0, failed.indexOf(':'))).isEqualTo(k.what().substring(0, k.what().indexOf(':')));
                }
                return new Attempt(log, killed);
            } finally {
                LayoutOnlyIT.cleanMounts(loops, root, List.of(gptNew, dosNew));
            }
        }
    }

    /** The run ended well, each step ended once, nothing ended before the kill ran again, the layout is the original's. */
    void assertEndState(Path dir, Path journal, Path root, String gptNew, String dosNew, int killedEntries) {
        Journal j = JournalReader.read(journal);
        assertThat(j.tornTail()).isFalse();
        assertThat(j.state().finished()).isNotNull();
        assertThat(j.state().finished().verdict()).isEqualTo(RunFinished.Verdict.SUCCEEDED);
        assertThat(j.state().remaining()).isEmpty();
        Map<String, Integer> ended = new LinkedHashMap<>();
        Map<String, Integer> startedAfterKill = new LinkedHashMap<>();
        List<JournalEvent> ev = j.events();
        for (int i = 0; i < ev.size(); i++) {
            JournalEvent e = ev.get(i);
            if (e instanceof StepSucceeded s) {
                ended.merge(s.stepId(), 1, Integer::sum);
            } else if (e instanceof StepSkipped s) {
                ended.merge(s.stepId(), 1, Integer::sum);
            } else if (e instanceof StepStarted s && i >= killedEntries) {
                startedAfterKill.merge(s.stepId(), 1, Integer::sum);
            }
        }
        assertThat(ended.values()).as("each step ended exactly once: " + ended).allMatch(n -> n == 1);
        assertThat(ended.keySet()).containsExactlyElementsOf(j.state().steps().keySet());
        for (int i = 0; i < killedEntries; i++) {
            String done = ev.get(i) instanceof StepSucceeded s ? s.stepId() : ev.get(i) instanceof StepSkipped s ? s.stepId() : null;
            if (done != null) {
                assertThat(startedAfterKill).as(done + " ended before the kill and must not run again").doesNotContainKey(done);
            }
        }
        try {
            List<String> left = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                    .filter(m -> List.of(gptNew, dosNew).stream().anyMatch(dv -> m.startsWith("/run/rear/btrfs/" + dv.substring(5) + "p")
                            || m.startsWith("/run/rear/check/" + dv.substring(5) + "p"))).toList();
            assertThat(left).as("work and check mounts left behind").isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        RearRun verify = RearRun.withoutConfig(dir, "journal", journal.toString());
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("chain intact");
        var r = Recreated.rediscover(dir, "rediscovered", List.of(gptNew, dosNew));
        Recreated.assertEqual(orig.d(), r, Map.of(orig.gpt(), gptNew, orig.dos(), dosNew), Map.of(), Map.of(), root);
        LoopDevices probe = new LoopDevices(dir);
        assertThat(LayoutOnlyIT.blkid(probe, gptNew + "p3")).contains("TYPE=swap", "UUID=" + Originals.SWAP_UUID, "LABEL=rear-swap");
    }

    /** {@code rear ARGS} as its own JVM with the wrappers first on PATH; its exit code (137 when killed). */
    static int runSeparately(Path wrappers, Path ctl, Path dir, String... args) throws IOException, InterruptedException {
        Path noConfig = Files.createDirectories(dir.resolve("no-config"));
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.rear.engine.cli.Main", "-c", noConfig.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", wrappers + ":" + System.getenv("PATH"));
        pb.environment().put("REAR_CRASH_CTL", ctl.toString());
        pb.redirectOutput(dir.resolve("rear.out").toFile()).redirectError(dir.resolve("rear.err").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("rear layoutonly did not end within 5 minutes");
        }
        return p.exitValue();
    }

    static int lastIndexOf(byte[] b, int from) {
        for (int i = from; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String text(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
