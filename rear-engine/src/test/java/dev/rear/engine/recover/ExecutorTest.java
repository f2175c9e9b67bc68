package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.event.CommandRan;
import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.RunFinished;
import dev.rear.api.event.RunResumed;
import dev.rear.api.event.RunStarted;
import dev.rear.api.event.StepFailed;
import dev.rear.api.event.StepSkipped;
import dev.rear.api.event.StepStarted;
import dev.rear.api.event.StepSucceeded;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.journal.JournalCorruptException;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.journal.RunState;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.Step;
import dev.rear.engine.plan.TargetDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorTest {

    static final String T = "/dev/loop9";
    static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;

    /** A simulated power cut: nothing after it is written. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** Every command succeeds unless told; blkid reports nothing (exit 2) unless told. */
    static final class FakeRunner implements CommandRunner {
        final List<List<String>> ran = new ArrayList<>();
        final Map<List<String>, CommandResult> answers = new HashMap<>();
        final Set<List<String>> crashOn = new HashSet<>();

        FakeRunner answer(int exit, String stdout, String stderr, String... argv) {
            answers.put(List.of(argv), new CommandResult(List.of(argv), exit, stdout, stderr, Duration.ofMillis(3)));
            return this;
        }

        @Override
        public CommandResult run(CommandSpec spec) {
            ran.add(spec.argv());
            if (crashOn.remove(spec.argv())) {
                throw new Crash();
            }
            CommandResult r = answers.get(spec.argv());
            if (r == null) {
                r = new CommandResult(spec.argv(), spec.program().equals("blkid") ? 2 : 0, "", "", Duration.ofMillis(1));
            }
            if (!spec.okExitCodes().contains(r.exitCode())) {
                throw new CommandFailedException(spec, r);
            }
            return r;
        }

        List<List<String>> writes() {
            return ran.stream().filter(a -> !a.get(0).equals("blkid")).toList();
        }
    }

    static final class FakeHost implements HostProbe {
        final Map<String, Long> devices = new HashMap<>();
        final List<Mount> mounts = new ArrayList<>();

        @Override
        public boolean isBlockDevice(String path) {
            return devices.containsKey(path);
        }

        @Override
        public OptionalLong sizeBytes(String path) {
            Long s = devices.get(path);
            return s == null ? OptionalLong.empty() : OptionalLong.of(s);
        }

        @Override
        public Optional<String> majorMinor(String path) {
            return Optional.empty();
        }

        @Override
        public List<Mount> mounts() {
            return mounts;
        }
    }

    FakeRunner runner;
    FakeHost host;
    Plan plan;
    long size;
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void setUp() {
        SystemDescriptor d = DescriptorFiles.load(Path.of("..", "descriptors", "samples", "uefi-gpt-ext4-nvme.json"));
        size = d.disks().get(0).sizeBytes();
        DiskMapping mapping = DiskMapping.map(d, List.of(TargetDisk.of(T, size)), Map.of(d.disks().get(0).path(), T));
        plan = plan(mapping);
        runner = new FakeRunner();
        host = new FakeHost();
        host.devices.put(T, size);
        host.devices.put(T + "p1", 1L);
        host.mounts.add(new HostProbe.Mount("/", "/dev/vda1", "253:1"));
    }

    static Plan plan(DiskMapping mapping) {
        List<Step> steps = List.of(
                new Step("wipe:" + T, "wipe", "wipe " + T, List.of(T), List.of(), List.of("blank:" + T),
                        List.of(CommandSpec.of("wipefs", "-a", T)), Check.none()),
                new Step("table:" + T, "partition-table", "GPT on " + T, List.of(T), List.of("blank:" + T), List.of(T + "p1"),
                        List.of(CommandSpec.of("sgdisk", "-n", "1:2048:0", T), CommandSpec.of("partx", "-u", T)),
                        Check.blkid(T, "PTTYPE", "gpt", "PTUUID", "1234")),
                new Step("mkfs:" + T + "p1", "mkfs", "ext4 on " + T + "p1", List.of(T + "p1"), List.of(T + "p1"), List.of("fs:" + T + "p1"),
                        List.of(CommandSpec.of("mkfs.ext4", "-U", "u-1", T + "p1")), Check.blkid(T + "p1", "TYPE", "ext4", "UUID", "u-1")),
                new Step("mount:/", "mount", "mount " + T + "p1 on /mnt/t", List.of(), List.of("fs:" + T + "p1"), List.of("mnt:/"),
                        List.of(CommandSpec.of("mkdir", "-p", "/mnt/t"), CommandSpec.of("mount", "-t", "ext4", T + "p1", "/mnt/t")),
                        new Check("mounted", "/mnt/t", Map.of("SOURCE", T + "p1"))));
        return new Plan(mapping, new ResizePolicy.Result(List.of(), Map.of(), List.of()), steps, Map.of());
    }

    Executor executor() {
        return new Executor(runner, host, clock);
    }

    List<JournalEvent> events(Path journal) {
        return JournalReader.read(journal).events();
    }

    static List<String> shape(List<JournalEvent> events) {
        return events.stream().map(e -> {
            if (e instanceof StepStarted s) {
                return "started " + s.stepId();
            }
            if (e instanceof StepSucceeded s) {
                return "succeeded " + s.stepId();
            }
            if (e instanceof StepSkipped s) {
                return "skipped " + s.stepId();
            }
            if (e instanceof StepFailed s) {
                return "failed " + s.stepId();
            }
            if (e instanceof CommandRan c) {
                return "ran " + c.argv().get(0) + " " + c.exitCode();
            }
            if (e instanceof RunFinished f) {
                return "finished " + f.verdict();
            }
            if (e instanceof RunResumed r) {
                return "resumed " + r.after() + " " + r.stepId();
            }
            return "run";
        }).toList();
    }

    @Test
    void runsEveryStepAndJournalsIt() {
        Path j = dir.resolve("j.jsonl");
        Executor.Outcome o = executor().run(plan, "layoutonly", SHA, j, true);
        assertThat(o.ok()).isTrue();
        assertThat(o.ran()).isEqualTo(4);
        List<JournalEvent> ev = events(j);
        RunStarted rs = (RunStarted) ev.get(0);
        assertThat(rs.workflow()).isEqualTo("layoutonly");
        assertThat(rs.descriptorSha256()).isEqualTo(SHA);
        assertThat(rs.mapping()).containsValue(T);
        assertThat(rs.plan()).isEqualTo(plan.toPlannedSteps());
        assertThat(shape(ev)).containsExactly("run",
                "started wipe:" + T, "ran wipefs 0", "succeeded wipe:" + T,
                "started table:" + T, "ran sgdisk 0", "ran partx 0", "succeeded table:" + T,
                "started mkfs:" + T + "p1", "ran mkfs.ext4 0", "succeeded mkfs:" + T + "p1",
                "started mount:/", "ran mkdir 0", "ran mount 0", "succeeded mount:/",
                "finished SUCCEEDED");
        assertThat(runner.ran).contains(List.of("blkid", "-c", "/dev/null", "-p", "-o", "export", T));
        assertThat(JournalReader.read(j).state().remaining()).isEmpty();
    }

    @Test
    void stopsAtTheFirstFailureNamingStepCommandAndStderr() {
        String stderr = String.join("\n", java.util.stream.IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList());
        runner.answer(1, "", stderr, "mkfs.ext4", "-U", "u-1", T + "p1");
        Path j = dir.resolve("j.jsonl");
        Executor.Outcome o = executor().run(plan, "layoutonly", SHA, j, true);
        assertThat(o.verdict()).isEqualTo(RunFinished.Verdict.FAILED);
        assertThat(o.failedStep()).isEqualTo("mkfs:" + T + "p1");
        assertThat(o.message()).contains("mkfs:" + T + "p1").contains("mkfs.ext4 -U u-1 " + T + "p1").contains("line 30");
        List<JournalEvent> ev = events(j);
        assertThat(shape(ev).subList(ev.size() - 3, ev.size()))
                .containsExactly("ran mkfs.ext4 1", "failed mkfs:" + T + "p1", "finished FAILED");
        CommandRan c = (CommandRan) ev.get(ev.size() - 3);
        assertThat(c.stderrTail().split("\n")).hasSize(Executor.STDERR_LINES).startsWith("line 11");
        assertThat(runner.writes()).doesNotContain(List.of("mkdir", "-p", "/mnt/t"));
    }

    @Test
    void skipsStepsWhoseEffectIsThere() {
        runner.answer(0, "PTUUID=1234\nPTTYPE=gpt\n", "", "blkid", "-c", "/dev/null", "-p", "-o", "export", T);
        host.mounts.add(new HostProbe.Mount("/mnt/t", T + "p1", "7:1"));
        Path j = dir.resolve("j.jsonl");
        Executor.Outcome o = executor().run(plan, "layoutonly", SHA, j, true);
        assertThat(o.ok()).isTrue();
        assertThat(o.skipped()).isEqualTo(2);
        assertThat(shape(events(j))).contains("skipped table:" + T, "skipped mount:/", "succeeded mkfs:" + T + "p1");
        StepSkipped s = (StepSkipped) events(j).stream().filter(e -> e instanceof StepSkipped).findFirst().orElseThrow();
        assertThat(s.reason()).contains("PTTYPE=gpt").contains("PTUUID=1234");
        assertThat(runner.writes()).doesNotContain(List.of("sgdisk", "-n", "1:2048:0", T), List.of("mount", "-t", "ext4", T + "p1", "/mnt/t"));
    }

    @Test
    void resumeReChecksTheInterruptedStepAndDoesNothingTwice() {
        runner.crashOn.add(List.of("mkfs.ext4", "-U", "u-1", T + "p1"));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, true)).isInstanceOf(Crash.class);
        RunState st = JournalReader.read(j).state();
        assertThat(st.running()).isEqualTo("mkfs:" + T + "p1");
        int before = runner.ran.size();
        Executor.Outcome o = executor().resume(plan, SHA, j, true);
        assertThat(o.ok()).isTrue();
        List<List<String>> after = runner.ran.subList(before, runner.ran.size()).stream().filter(a -> !a.get(0).equals("blkid")).toList();
        assertThat(after).containsExactly(List.of("mkfs.ext4", "-U", "u-1", T + "p1"), List.of("mkdir", "-p", "/mnt/t"),
                List.of("mount", "-t", "ext4", T + "p1", "/mnt/t"));
        assertThat(runner.writes().stream().filter(a -> a.get(0).equals("wipefs") || a.get(0).equals("sgdisk"))).hasSize(2);
        RunState end = JournalReader.read(j).state();
        assertThat(end.remaining()).isEmpty();
        assertThat(end.finished().verdict()).isEqualTo(RunFinished.Verdict.SUCCEEDED);
    }

    @Test
    void resumeRunsAnInterruptedStepAgainWhenItsCheckSeesOnlyASignature() {
        // A power cut in the middle of mkfs.xfs leaves a superblock blkid reports (type, UUID, label) on a
        // filesystem the kernel refuses to mount: for the step that was cut short, a signature proves nothing.
        runner.crashOn.add(List.of("mkfs.ext4", "-U", "u-1", T + "p1"));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, true)).isInstanceOf(Crash.class);
        runner.answer(0, "TYPE=ext4\nUUID=u-1\n", "", "blkid", "-c", "/dev/null", "-p", "-o", "export", T + "p1");
        int before = runner.ran.size();
        assertThat(executor().resume(plan, SHA, j, true).ok()).isTrue();
        assertThat(runner.writes().subList(runner.writes().size() - 4, runner.writes().size())).containsExactly(
                List.of("wipefs", "--all", "--force", T + "p1"), List.of("mkfs.ext4", "-U", "u-1", T + "p1"),
                List.of("mkdir", "-p", "/mnt/t"), List.of("mount", "-t", "ext4", T + "p1", "/mnt/t"));
        assertThat(runner.ran.subList(before, runner.ran.size())).doesNotContain(List.of("sgdisk", "-n", "1:2048:0", T), List.of("wipefs", "-a", T));
        assertThat(shape(events(j))).contains("succeeded mkfs:" + T + "p1").doesNotContain("skipped mkfs:" + T + "p1");
    }

    @Test
    void resumeSkipsTheInterruptedStepWhenItsCheckSeesTheFinishedEffect() {
        runner.crashOn.add(List.of("mount", "-t", "ext4", T + "p1", "/mnt/t"));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, true)).isInstanceOf(Crash.class);
        host.mounts.add(new HostProbe.Mount("/mnt/t", T + "p1", "259:1")); // the mount had happened when the power went
        int before = runner.ran.size();
        assertThat(executor().resume(plan, SHA, j, true).ok()).isTrue();
        assertThat(runner.ran.subList(before, runner.ran.size())).doesNotContain(List.of("mount", "-t", "ext4", T + "p1", "/mnt/t"));
        assertThat(shape(events(j))).contains("skipped mount:/");
    }

    @Test
    void aSignatureStillSkipsAStepThatWasNotCutShort() {
        runner.answer(0, "PTUUID=1234\nPTTYPE=gpt\n", "", "blkid", "-c", "/dev/null", "-p", "-o", "export", T);
        runner.crashOn.add(List.of("mkfs.ext4", "-U", "u-1", T + "p1"));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, true)).isInstanceOf(Crash.class);
        assertThat(shape(events(j))).contains("skipped table:" + T);
    }

    @Test
    void refusesACorruptJournal() throws IOException {
        runner.crashOn.add(List.of("mkfs.ext4", "-U", "u-1", T + "p1"));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, true)).isInstanceOf(Crash.class);
        List<String> lines = new ArrayList<>(Files.readAllLines(j));
        lines.set(1, lines.get(1).replace("wipe", "wype"));
        Files.write(j, lines, StandardCharsets.UTF_8);
        int before = runner.ran.size();
        assertThatThrownBy(() -> executor().resume(plan, SHA, j, true)).isInstanceOf(JournalCorruptException.class);
        assertThat(runner.ran).hasSize(before);
    }

    @Test
    void refusesAJournalOfAnotherPlan() {
        runner.crashOn.add(List.of("mkfs.ext4", "-U", "u-1", T + "p1"));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, true)).isInstanceOf(Crash.class);
        int before = runner.ran.size();
        assertThatThrownBy(() -> executor().resume(plan, "b".repeat(64), j, true))
                .isInstanceOf(ExecutorRefusedException.class).hasMessageContaining("another descriptor");
        Plan other = new Plan(plan.mapping(), plan.resize(), plan.steps().subList(0, 3), Map.of());
        assertThatThrownBy(() -> executor().resume(other, SHA, j, true))
                .isInstanceOf(ExecutorRefusedException.class).hasMessageContaining("another plan");
        assertThat(runner.ran).hasSize(before);
    }

    @Test
    void resumeAfterAFailureReRunsOnlyTheFailedStepAndWhatFollows() {
        runner.answer(1, "", "boom", "mkfs.ext4", "-U", "u-1", T + "p1");
        Path j = dir.resolve("j.jsonl");
        assertThat(executor().run(plan, "layoutonly", SHA, j, true).ok()).isFalse();
        int before = runner.ran.size();
        runner.answer(0, "", "", "mkfs.ext4", "-U", "u-1", T + "p1"); // the operator fixed the cause
        Executor.Outcome o = executor().resume(plan, SHA, j, true);
        assertThat(o.ok()).as(o.message()).isTrue();
        List<List<String>> after = runner.ran.subList(before, runner.ran.size());
        assertThat(after.stream().filter(a -> !a.get(0).equals("blkid")).toList()).containsExactly(
                List.of("mkfs.ext4", "-U", "u-1", T + "p1"), List.of("mkdir", "-p", "/mnt/t"), List.of("mount", "-t", "ext4", T + "p1", "/mnt/t"));
        assertThat(after).as("the failed step runs again whatever its signature says (none here: nothing to wipe first)")
                .startsWith(List.of("blkid", "-c", "/dev/null", "-p", "-o", "export", T + "p1"), List.of("mkfs.ext4", "-U", "u-1", T + "p1"));
        List<JournalEvent> ev = events(j);
        List<String> sh = shape(ev);
        int fin = sh.indexOf("finished FAILED");
        assertThat(sh.subList(fin, sh.size())).containsExactly("finished FAILED", "resumed FAILURE mkfs:" + T + "p1",
                "started mkfs:" + T + "p1", "ran mkfs.ext4 0", "succeeded mkfs:" + T + "p1",
                "started mount:/", "ran mkdir 0", "ran mount 0", "succeeded mount:/", "finished SUCCEEDED");
        RunResumed r = (RunResumed) ev.get(fin + 1);
        assertThat(r.remaining()).containsExactly("mkfs:" + T + "p1", "mount:/");
        RunState end = JournalReader.read(j).state();
        assertThat(end.remaining()).isEmpty();
        assertThat(end.finished().verdict()).isEqualTo(RunFinished.Verdict.SUCCEEDED);
        assertThat(executor().resume(plan, SHA, j, true).message()).contains("already succeeded");
    }

    @Test
    void aRunCanFailAndBeResumedMoreThanOnceInOneJournal() {
        runner.answer(1, "", "boom", "mkfs.ext4", "-U", "u-1", T + "p1");
        Path j = dir.resolve("j.jsonl");
        assertThat(executor().run(plan, "layoutonly", SHA, j, true).ok()).isFalse();
        assertThat(executor().resume(plan, SHA, j, true).ok()).isFalse(); // not fixed yet: fails again, same step
        runner.answer(0, "", "", "mkfs.ext4", "-U", "u-1", T + "p1");
        assertThat(executor().resume(plan, SHA, j, true).ok()).isTrue();
        RunState end = JournalReader.read(j).state();
        assertThat(end.resumed()).extracting(RunResumed::after).containsExactly(RunResumed.After.FAILURE, RunResumed.After.FAILURE);
        assertThat(shape(events(j)).stream().filter(x -> x.startsWith("started wipe") || x.startsWith("started table"))).hasSize(2);
    }

    @Test
    void aTableWhosePartitionDevicesAreMissingIsWrittenAgain() {
        // sfdisk wrote it, then the crash came before partx: blkid sees the table, the kernel has no partitions.
        runner.answer(0, "PTUUID=1234\nPTTYPE=gpt\n", "", "blkid", "-c", "/dev/null", "-p", "-o", "export", T);
        host.devices.remove(T + "p1");
        Path j = dir.resolve("j.jsonl");
        assertThat(executor().run(plan, "layoutonly", SHA, j, true).ok()).isTrue();
        assertThat(runner.writes()).contains(List.of("sgdisk", "-n", "1:2048:0", T), List.of("partx", "-u", T));
        assertThat(shape(events(j))).contains("succeeded table:" + T).doesNotContain("skipped table:" + T);
    }

    @Test
    void aTableSkippedSaysItsPartitionsExist() {
        runner.answer(0, "PTUUID=1234\nPTTYPE=gpt\n", "", "blkid", "-c", "/dev/null", "-p", "-o", "export", T);
        Path j = dir.resolve("j.jsonl");
        assertThat(executor().run(plan, "layoutonly", SHA, j, true).ok()).isTrue();
        StepSkipped sk = (StepSkipped) events(j).stream().filter(e -> e instanceof StepSkipped).findFirst().orElseThrow();
        assertThat(sk.reason()).endsWith("and its partitions " + T + "p1 exist");
    }

    /** A btrfs subvolume step as the planner makes it: work mount, two subvolumes, the default, umount. */
    static Step subvolumes(String dev, String dir) {
        return new Step("subvolumes:" + dev, "btrfs-subvolumes", "2 subvolumes on " + dev, List.of(dev), List.of(), List.of("sub:" + dev),
                List.of(CommandSpec.of("mkdir", "-p", dir), CommandSpec.of("mount", "-t", "btrfs", "-o", "subvolid=5", dev, dir),
                        CommandSpec.of("btrfs", "subvolume", "create", dir + "/@"), CommandSpec.of("btrfs", "subvolume", "create", dir + "/@home"),
                        CommandSpec.of("btrfs", "subvolume", "set-default", dir + "/@"), CommandSpec.of("umount", dir)),
                new Check("btrfs-subvolumes", dev, Map.of("@", "default", "@home", "subvolume")));
    }

    @Test
    void aBtrfsSubvolumeStepCutPartWayNeitherMountsAgainNorRecreatesWhatIsThere() {
        String w = "/run/rear/btrfs/t1";
        Plan p = new Plan(plan.mapping(), plan.resize(), List.of(subvolumes(T + "p1", w)), Map.of());
        host.mounts.add(new HostProbe.Mount(w, T + "p1", "259:1")); // the work mount a crash left
        runner.answer(0, "ID 256 gen 7 top level 5 path @\n", "", "btrfs", "subvolume", "list", w);
        runner.answer(0, "ID 5 (FS_TREE)\n", "", "btrfs", "subvolume", "get-default", w);
        Path j = dir.resolve("j.jsonl");
        Executor.Outcome o = executor().run(p, "layoutonly", SHA, j, true);
        assertThat(o.ok()).as(o.message()).isTrue();
        assertThat(runner.ran.stream().filter(a -> !a.contains("list") && !a.contains("get-default")).toList()).containsExactly(
                List.of("mkdir", "-p", w), List.of("btrfs", "subvolume", "create", w + "/@home"),
                List.of("btrfs", "subvolume", "set-default", w + "/@"), List.of("umount", w));
        StepSucceeded ok = (StepSucceeded) events(j).stream().filter(e -> e instanceof StepSucceeded).findFirst().orElseThrow();
        assertThat(ok.facts()).containsOnlyKeys("mount " + w, "subvolume @");
    }

    @Test
    void aBtrfsSubvolumeStepWhoseEffectIsThereIsSkippedAndItsLeftoverWorkMountUndone() {
        String w = "/run/rear/btrfs/t1";
        Plan p = new Plan(plan.mapping(), plan.resize(), List.of(subvolumes(T + "p1", w)), Map.of());
        host.mounts.add(new HostProbe.Mount(w, T + "p1", "259:1"));
        runner.answer(0, "ID 256 gen 7 top level 5 path @\nID 257 gen 8 top level 5 path @home\n", "", "btrfs", "subvolume", "list", w);
        runner.answer(0, "ID 256 gen 9 top level 5 path @\n", "", "btrfs", "subvolume", "get-default", w);
        Path j = dir.resolve("j.jsonl");
        Executor.Outcome o = executor().run(p, "layoutonly", SHA, j, true);
        assertThat(o.ok()).isTrue();
        assertThat(o.skipped()).isEqualTo(1);
        assertThat(runner.writes()).containsExactly(List.of("btrfs", "subvolume", "list", w), List.of("btrfs", "subvolume", "get-default", w),
                List.of("umount", w));
        StepSkipped sk = (StepSkipped) events(j).stream().filter(e -> e instanceof StepSkipped).findFirst().orElseThrow();
        assertThat(sk.reason()).contains("has the subvolumes @home and the default @").contains("work mount " + w);
    }

    @Test
    void aBtrfsSubvolumeCheckWithoutAWorkMountLooksThroughAReadOnlyMountUndoneAtOnce() {
        String w = "/run/rear/btrfs/t1";
        String probe = "/run/rear/check/" + T.substring(5) + "p1";
        Plan p = new Plan(plan.mapping(), plan.resize(), List.of(subvolumes(T + "p1", w)), Map.of());
        runner.answer(0, "ID 256 gen 7 top level 5 path @\nID 257 gen 8 top level 5 path @home\n", "", "btrfs", "subvolume", "list", probe);
        runner.answer(0, "ID 256 gen 9 top level 5 path @\n", "", "btrfs", "subvolume", "get-default", probe);
        Path j = dir.resolve("j.jsonl");
        assertThat(executor().run(p, "layoutonly", SHA, j, true).skipped()).isEqualTo(1);
        assertThat(runner.ran).containsSubsequence(List.of("mount", "-t", "btrfs", "-o", "ro,subvolid=5", T + "p1", probe),
                List.of("btrfs", "subvolume", "list", probe), List.of("umount", probe));
        assertThat(runner.ran).doesNotContain(List.of("btrfs", "subvolume", "create", w + "/@"));
    }

    @Test
    void resumeAfterACrashIsJournaledAsSuch() {
        runner.crashOn.add(List.of("mkfs.ext4", "-U", "u-1", T + "p1"));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, true)).isInstanceOf(Crash.class);
        assertThat(executor().resume(plan, SHA, j, true).ok()).isTrue();
        assertThat(shape(events(j))).contains("resumed CRASH mkfs:" + T + "p1");
    }

    private void assertGateRefuses(String reason) {
        Path j = dir.resolve("gate.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, true))
                .isInstanceOf(ExecutorRefusedException.class).hasMessageContaining(reason);
        assertThat(j).doesNotExist();
        assertThat(runner.ran).isEmpty();
    }

    @Test
    void gateRefusesAMissingTarget() {
        host.devices.remove(T);
        assertGateRefuses(T + " is not a block device");
    }

    @Test
    void gateRefusesAWrongSize() {
        host.devices.put(T, size + 512);
        assertGateRefuses("plan was made for " + size);
    }

    @Test
    void gateRefusesAMountedTarget() {
        host.mounts.add(new HostProbe.Mount("/srv", T + "p1", "259:1"));
        assertGateRefuses("is mounted on /srv");
    }

    @Test
    void gateRefusesTheRootDisk() {
        host.mounts.add(new HostProbe.Mount("/", T + "p1", "259:1"));
        assertGateRefuses("holds /");
    }

    @Test
    void gateRefusesWithoutConfirmation() {
        Path j = dir.resolve("gate.jsonl");
        assertThatThrownBy(() -> executor().run(plan, "layoutonly", SHA, j, false))
                .isInstanceOf(ExecutorRefusedException.class).hasMessageContaining("not confirmed");
        assertThat(j).doesNotExist();
        assertThat(runner.ran).isEmpty();
    }

    @Test
    void onThisHostTheGateRefusesTheDiskHoldingRoot() {
        HostProbe linux = HostProbe.linux();
        HostProbe.Mount root = linux.mounts().stream().filter(m -> m.mountPoint().equals("/")).reduce((a, b) -> b).orElseThrow();
        java.util.Set<String> disks = linux.underlyingDisks(root.source());
        org.junit.jupiter.api.Assumptions.assumeTrue(disks.size() == 1, "/ is not on one block device here: " + root);
        String disk = disks.iterator().next();
        OptionalLong size = linux.sizeBytes(disk);
        org.junit.jupiter.api.Assumptions.assumeTrue(size.isPresent());
        SystemDescriptor d = DescriptorFiles.load(Path.of("..", "descriptors", "samples", "uefi-gpt-ext4-nvme.json"));
        DiskMapping m = DiskMapping.map(d, List.of(TargetDisk.of(disk, size.getAsLong())), Map.of(d.disks().get(0).path(), disk));
        Plan p = new Plan(m, plan.resize(), plan.steps(), Map.of());
        Path j = dir.resolve("root.jsonl");
        assertThatThrownBy(() -> new Executor(runner, linux, clock).run(p, "layoutonly", SHA, j, true))
                .isInstanceOf(ExecutorRefusedException.class).hasMessageContaining(disk + " holds /");
        assertThat(j).doesNotExist();
        assertThat(runner.ran).isEmpty();
    }

    @Test
    void anActionRunsAfterTheStepsCommandsWithItsCommandsJournaledAndItsFactsRecorded() {
        List<String> notes = new ArrayList<>();
        Path j = dir.resolve("journal");
        Executor.Outcome o = executor().withNotes(notes::add).withAction("mount", (step, ctx) -> {
            ctx.commands().run(CommandSpec.of("touch", "/mnt/t/marker"));
            ctx.note("marked " + step.id());
            assertThat(ctx.journal()).isEqualTo(j);
            return Map.of("marker", "/mnt/t/marker");
        }).run(plan, "layoutonly", SHA, j, true);

        assertThat(o.ok()).isTrue();
        assertThat(notes).containsExactly("marked mount:/");
        List<JournalEvent> ev = events(j);
        assertThat(ev).filteredOn(e -> e instanceof CommandRan c && c.stepId().equals("mount:/"))
                .extracting(e -> ((CommandRan) e).argv().get(0)).containsExactly("mkdir", "mount", "touch");
        assertThat(ev).contains(new StepSucceeded("mount:/", Map.of("marker", "/mnt/t/marker")));
    }

    @Test
    void anActionsFailedCommandOrRefusalFailsTheStepAndStopsTheRun() {
        runner.answer(1, "", "touch: cannot touch '/mnt/t/marker': Read-only file system", "touch", "/mnt/t/marker");
        Path j = dir.resolve("journal");
        Executor.Outcome o = executor().withAction("mount", (step, ctx) -> {
            ctx.commands().run(CommandSpec.of("touch", "/mnt/t/marker"));
            throw new AssertionError("not reached: the failed command throws");
        }).run(plan, "layoutonly", SHA, j, true);
        assertThat(o.ok()).isFalse();
        assertThat(o.failedStep()).isEqualTo("mount:/");
        assertThat(o.message()).contains("touch /mnt/t/marker", "Read-only file system");
        assertThat(events(j)).last().isInstanceOf(RunFinished.class);

        Path j2 = dir.resolve("journal2");
        Executor.Outcome o2 = executor().withAction("mount", (step, ctx) -> {
            throw new StepActionException("the backup holds no /etc/fstab");
        }).run(plan, "layoutonly", SHA, j2, true);
        assertThat(o2.message()).isEqualTo("step mount:/ (mount " + T + "p1 on /mnt/t) failed: the backup holds no /etc/fstab");
        assertThat(events(j2)).contains(new StepFailed("mount:/", o2.message()));
    }

    /**
     * The S2 drill's interruption: the power went while pvcreate ran on the RAID made just before; the
     * rescue system booted again has no md array assembled (pvcreate then said "No device found for
     * /dev/md1"), so resume assembles it, without writing, before the rest runs; and once the VG is
     * there, its LVs are activated and the mounts of steps that ended are made again.
     */
    @Test
    void resumeAfterARestartAssemblesTheArraysActivatesTheVgsAndMountsAgainWhatEndedSteps() {
        String md = "/dev/md9";
        List<Step> steps = List.of(
                new Step("md:md9", "md", "raid1 " + md, List.of(md, T + "p1", T + "p2"), List.of(T + "p1", T + "p2"), List.of(md),
                        List.of(CommandSpec.of("mdadm", "--create", md, "--run", "--level=raid1", "--raid-devices=2", T + "p1", T + "p2")),
                        Check.blkid(T + "p1", "TYPE", "linux_raid_member")),
                new Step("pv:" + md, "pv", "PV on " + md, List.of(md), List.of(md), List.of("pv:" + md),
                        List.of(CommandSpec.of("pvcreate", "--yes", md)), Check.blkid(md, "TYPE", "LVM2_member")),
                new Step("vg:vg9", "vg", "vg9 on " + md, List.of(md), List.of("pv:" + md), List.of("/dev/vg9"),
                        List.of(CommandSpec.of("vgcreate", "vg9", md)), new Check("lvm-vg", "vg9", Map.of())),
                new Step("mount:/", "mount", "mount /dev/vg9/root on /mnt/t", List.of(), List.of("/dev/vg9"), List.of("mnt:/"),
                        List.of(CommandSpec.of("mkdir", "-p", "/mnt/t"), CommandSpec.of("mount", "-t", "ext4", "/dev/vg9/root", "/mnt/t")),
                        new Check("mounted", "/mnt/t", Map.of("SOURCE", "/dev/vg9/root"))),
                new Step("mkfs:/dev/vg9/var", "mkfs", "xfs on /dev/vg9/var", List.of("/dev/vg9/var"), List.of("mnt:/"), List.of("fs:var"),
                        List.of(CommandSpec.of("mkfs.xfs", "/dev/vg9/var")), Check.blkid("/dev/vg9/var", "TYPE", "xfs")));
        Plan raid = new Plan(plan.mapping(), plan.resize(), steps, Map.of());
        runner.crashOn.add(List.of("mkfs.xfs", "/dev/vg9/var"));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(raid, "recover", SHA, j, true)).isInstanceOf(Crash.class);
        // the restart: no array, nothing mounted (the host probe sees neither)
        int before = runner.ran.size();
        Executor.Outcome o = executor().resume(raid, SHA, j, true);
        assertThat(o.ok()).as(o.message()).isTrue();
        List<List<String>> after = runner.ran.subList(before, runner.ran.size()).stream().filter(a -> !a.get(0).equals("blkid")
                && !a.get(0).equals("vgs")).toList();
        assertThat(after).containsExactly(List.of("mdadm", "--assemble", "--run", md, T + "p1", T + "p2"), List.of("vgchange", "--activate", "y",
                "vg9"), List.of("mkdir", "-p", "/mnt/t"), List.of("mount", "-t", "ext4", "/dev/vg9/root", "/mnt/t"),
                List.of("mkfs.xfs", "/dev/vg9/var"));
        RunState end = JournalReader.read(j).state();
        assertThat(end.finished().verdict()).isEqualTo(RunFinished.Verdict.SUCCEEDED);
        assertThat(end.steps().get("md:md9")).isEqualTo(RunState.Status.SUCCEEDED);

        // in the same boot (a failure fixed, then --resume) the running array and the mount are left alone
        runner.ran.clear();
        host.devices.put(md, 1L << 30);
        host.mounts.add(new HostProbe.Mount("/mnt/t", "/dev/vg9/root", "253:0"));
        runner.answer(1, "", "mkfs.xfs: cannot open /dev/vg9/var", "mkfs.xfs", "/dev/vg9/var");
        Path j2 = dir.resolve("j2.jsonl");
        assertThat(executor().run(raid, "recover", SHA, j2, true).ok()).isFalse();
        runner.answers.remove(List.of("mkfs.xfs", "/dev/vg9/var"));
        runner.ran.clear();
        assertThat(executor().resume(raid, SHA, j2, true).ok()).isTrue();
        assertThat(runner.ran).doesNotContain(List.of("mdadm", "--assemble", "--run", md, T + "p1", T + "p2"),
                List.of("mount", "-t", "ext4", "/dev/vg9/root", "/mnt/t"));
    }

    @Test
    void aResumeThatCannotBringBackAnArrayStopsBeforeTheRestNamingTheStep() {
        String md = "/dev/md9";
        List<Step> steps = List.of(
                new Step("md:md9", "md", "raid1 " + md, List.of(md, T + "p1"), List.of(T + "p1"), List.of(md),
                        List.of(CommandSpec.of("mdadm", "--create", md, T + "p1")), Check.none()),
                new Step("pv:" + md, "pv", "PV on " + md, List.of(md), List.of(md), List.of("pv:" + md),
                        List.of(CommandSpec.of("pvcreate", "--yes", md)), Check.none()));
        Plan raid = new Plan(plan.mapping(), plan.resize(), steps, Map.of());
        runner.crashOn.add(List.of("pvcreate", "--yes", md));
        Path j = dir.resolve("j.jsonl");
        assertThatThrownBy(() -> executor().run(raid, "recover", SHA, j, true)).isInstanceOf(Crash.class);
        runner.answer(1, "", "mdadm: no devices found for /dev/md9", "mdadm", "--assemble", "--run", md, T + "p1");
        runner.ran.clear();
        Executor.Outcome o = executor().resume(raid, SHA, j, true);
        assertThat(o.ok()).isFalse();
        assertThat(o.failedStep()).isEqualTo("md:md9");
        assertThat(o.message()).contains("cannot bring back what step md:md9").contains("before the restart");
        assertThat(runner.ran).doesNotContain(List.of("pvcreate", "--yes", md));
    }
}
