package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.RunFinished;
import dev.rear.api.event.StepFailed;
import dev.rear.api.event.StepSkipped;
import dev.rear.api.event.StepSucceeded;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.Step;
import dev.rear.engine.provider.EngineProviderContext;
import dev.rear.engine.provider.FakeTarProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore and backup steps through the real executor and journal, with a provider that keeps its
 * "backup" as plain files.
 */
class RestoreActionTest {

    @TempDir
    Path tmp;

    Path store;
    Path root;
    BackupProvider provider = new FakeTarProvider();
    ProviderSettings settings;

    /** No disks at all: nothing mapped, nothing mounted. */
    static final HostProbe NO_DISKS = new HostProbe() {
        @Override
        public boolean isBlockDevice(String path) {
            return false;
        }

        @Override
        public OptionalLong sizeBytes(String path) {
            return OptionalLong.empty();
        }

        @Override
        public Optional<String> majorMinor(String path) {
            return Optional.empty();
        }

        @Override
        public List<Mount> mounts() {
            return List.of();
        }
    };

    static final CommandRunner NO_COMMANDS = spec -> {
        throw new AssertionError("no command expected: " + spec.display());
    };

    @BeforeEach
    void backup() throws Exception {
        store = Files.createDirectories(tmp.resolve("store"));
        root = Files.createDirectories(tmp.resolve("mnt-local"));
        settings = ProviderSettings.builder().set("BACKUP_URL", "file://" + store).build();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("etc"));
        Files.writeString(src.resolve("etc/hostname"), "web1\n");
        Files.writeString(src.resolve("etc/fstab"), "UUID=x / ext4 defaults 0 1\n");
        Executor.Outcome o = executor(new BackupAction(provider, BackupRequest.full(src), this::context), BackupAction.STEP)
                .run(BackupAction.plan(provider, BackupRequest.full(src)), "mkbackuponly", "none", tmp.resolve("backup.jsonl"), true);
        assertThat(o.ok()).as(o.message()).isTrue();
    }

    EngineProviderContext context(CommandRunner journaled) {
        return EngineProviderContext.builder(settings, journaled).tempParent(tmp).build();
    }

    Executor executor(StepAction action, String kind) {
        return new Executor(NO_COMMANDS, NO_DISKS, Clock.systemUTC()).withAction(kind, action);
    }

    Plan restorePlan() {
        Step s = new Step(Planner.RESTORE_STEP, Planner.RESTORE_STEP, "restore", List.of(), List.of(), List.of(Planner.RESTORED), List.of(),
                new Check("marker", root + Planner.RESTORE_MARKER, Map.of()));
        return new Plan(new DiskMapping(List.of()), new ResizePolicy.Result(List.of(), Map.of(), List.of()), List.of(s), Map.of());
    }

    RestoreAction restore(boolean resumePartial) {
        return new RestoreAction(provider, root, RestorePointSelector.latest(), resumePartial, false, this::context);
    }

    static List<JournalEvent> events(Path journal) {
        return JournalReader.read(journal).events();
    }

    static <T> T last(List<JournalEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void theBackupJournalRecordsWhatWasWritten() {
        StepSucceeded s = last(events(tmp.resolve("backup.jsonl")), StepSucceeded.class);
        assertThat(s.facts()).containsEntry("provider", "tar").containsEntry("restorePoint", "rp-1").containsEntry("kind", "full")
                .containsEntry("volume.1", store.resolve("tree").toString()).containsEntry("files", "2").containsEntry("manifestSha256", "a".repeat(64))
                .containsEntry("provider.mode", "copy").containsEntry("warnings", "0");
        assertThat(last(events(tmp.resolve("backup.jsonl")), RunFinished.class).verdict()).isEqualTo(RunFinished.Verdict.SUCCEEDED);
    }

    @Test
    void aRestoreJournalsItsFactsAndLeavesTheMarker() throws Exception {
        Path j = tmp.resolve("recover.jsonl");
        Plan plan = RestoreAction.bind(restorePlan(), "rp-1");
        Executor.Outcome o = executor(restore(true), Planner.RESTORE_STEP).run(plan, "recover", "sha", j, true);
        assertThat(o.ok()).as(o.message()).isTrue();
        assertThat(root.resolve("etc/hostname")).hasContent("web1");
        StepSucceeded s = last(events(j), StepSucceeded.class);
        assertThat(s.stepId()).isEqualTo("restore");
        assertThat(s.facts()).containsEntry("provider", "tar").containsEntry("restorePoint", "rp-1").containsEntry("files", "2")
                .containsEntry("contentSha256", "b".repeat(64)).containsEntry("warnings", "1")
                .containsEntry("warning.1", "socket /run/x skipped").containsEntry("provider.mode", "copy")
                .doesNotContainKey("overwrotePartial");
        assertThat(RestoreAction.marker(root)).content().contains("restorePoint=rp-1\n", "files=2\n", "runId=");

        // Run again (a new run after a later step failed): the marker names the restore point, the step is skipped.
        Executor.Outcome again = executor(restore(true), Planner.RESTORE_STEP).run(plan, "recover", "sha", tmp.resolve("again.jsonl"), true);
        assertThat(again.skipped()).isEqualTo(1);
        assertThat(last(events(tmp.resolve("again.jsonl")), StepSkipped.class).reason()).contains("restorePoint=rp-1");
        assertThat(Files.readAllLines(store.resolve("calls")).stream().filter(l -> l.startsWith("restore"))).hasSize(1);
    }

    @Test
    void aMarkerOfAnotherRestorePointDoesNotCount() throws Exception {
        Files.createDirectories(RestoreAction.marker(root).getParent());
        Files.writeString(RestoreAction.marker(root), "restorePoint=rp-0\n"); // came with the backup of a system recovered before
        Executor.Outcome o = executor(restore(true), Planner.RESTORE_STEP).run(RestoreAction.bind(restorePlan(), "rp-1"), "recover", "sha",
                tmp.resolve("j.jsonl"), true);
        assertThat(o.ran()).isEqualTo(1);
        assertThat(RestoreAction.marker(root)).content().contains("restorePoint=rp-1");
    }

    @Test
    void aProviderFailureFailsTheStepWithItsMessageAndAHalfRestoreRunsAgainOverItself() throws Exception {
        Files.writeString(store.resolve("FAIL_RESTORE"), "");
        Path j = tmp.resolve("recover.jsonl");
        Plan plan = RestoreAction.bind(restorePlan(), "rp-1");
        Executor.Outcome o = executor(restore(true), Planner.RESTORE_STEP).run(plan, "recover", "sha", j, true);
        assertThat(o.ok()).isFalse();
        assertThat(o.failedStep()).isEqualTo("restore");
        StepFailed f = last(events(j), StepFailed.class);
        assertThat(f.message()).isEqualTo("step restore (restore) failed: backup provider 'tar' restore into " + root
                + " failed (failed): the disk is full at " + root.resolve("etc/fstab"));
        assertThat(RestoreAction.marker(root)).doesNotExist();
        assertThat(root.resolve("etc/fstab")).exists();

        // The disk was made bigger; a new run finds the half restore, restores over it, and says so.
        Files.delete(store.resolve("FAIL_RESTORE"));
        Path j2 = tmp.resolve("recover2.jsonl");
        Executor.Outcome o2 = executor(restore(true), Planner.RESTORE_STEP).run(plan, "recover", "sha", j2, true);
        assertThat(o2.ok()).as(o2.message()).isTrue();
        assertThat(last(events(j2), StepSucceeded.class).facts()).containsEntry("overwrotePartial", root.resolve("etc/fstab").toString());
        assertThat(Files.readAllLines(store.resolve("calls"))).filteredOn(l -> l.startsWith("restore"))
                .containsExactly("restore " + root + " REFUSE the latest restore point", "restore " + root + " OVERWRITE the latest restore point");
    }

    @Test
    void restoreonlyIntoARootThatHoldsFilesIsRefusedByTheProvider() throws Exception {
        Files.writeString(root.resolve("precious"), "x");
        Path j = tmp.resolve("restoreonly.jsonl");
        Executor.Outcome o = executor(restore(false), Planner.RESTORE_STEP).run(restorePlan(), "restoreonly", "none", j, true);
        assertThat(o.ok()).isFalse();
        assertThat(o.message()).contains("(refused)", "is not empty (it holds " + root.resolve("precious") + ")");
        assertThat(root.resolve("precious")).hasContent("x");
    }

    @Test
    void aProviderBugIsAStepFailureNotACrash() {
        BackupProvider buggy = new FakeTarProvider() {
            @Override
            public dev.rear.api.spi.RestoreResult restore(dev.rear.api.spi.RestoreRequest request, dev.rear.api.spi.ProviderContext c) {
                throw new NullPointerException("oops");
            }
        };
        Path j = tmp.resolve("j.jsonl");
        Executor.Outcome o = executor(new RestoreAction(buggy, root, RestorePointSelector.latest(), true, false, this::context),
                Planner.RESTORE_STEP).run(restorePlan(), "recover", "sha", j, true);
        assertThat(o.ok()).isFalse();
        assertThat(o.message()).contains("failed unexpectedly (a bug in the provider): java.lang.NullPointerException: oops");
        assertThat(JournalReader.read(j).state().finished()).isNotNull();
    }

    @Test
    void providerCommandsAreJournaledAsTheStepsOwn() {
        CommandRunner runner = spec -> new CommandResult(spec.argv(), 0, "", "", Duration.ofMillis(3));
        BackupProvider calling = new FakeTarProvider() {
            @Override
            public dev.rear.api.spi.RestoreResult restore(dev.rear.api.spi.RestoreRequest request, dev.rear.api.spi.ProviderContext c) {
                c.commands().run(dev.rear.api.command.CommandSpec.of("dsmc", "restore", "/", request.targetRoot() + "/"));
                return super.restore(request, c);
            }
        };
        Path j = tmp.resolve("j.jsonl");
        Executor.Outcome o = new Executor(runner, NO_DISKS, Clock.systemUTC())
                .withAction(Planner.RESTORE_STEP, new RestoreAction(calling, root, RestorePointSelector.latest(), true, false, this::context))
                .run(restorePlan(), "recover", "sha", j, true);
        assertThat(o.ok()).as(o.message()).isTrue();
        dev.rear.api.event.CommandRan ran = last(events(j), dev.rear.api.event.CommandRan.class);
        assertThat(ran.stepId()).isEqualTo("restore");
        assertThat(ran.argv()).containsExactly("dsmc", "restore", "/", root + "/");
    }
}
