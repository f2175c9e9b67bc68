package dev.rear.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.event.StepStarted;
import dev.rear.api.event.StepSucceeded;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.Step;
import dev.rear.engine.recover.Executor;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.recover.StepAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** recover's unmount step copies the journal and the run's log into the recovered system first. */
class JournalCopyTest {

    @TempDir
    Path tmp;

    @Test
    void theJournalAndTheLogAreInTheRecoveredSystemBeforeItIsUnmounted() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("mnt-local"));
        Path log = tmp.resolve("rear-web1.log");
        Files.writeString(log, "2026-11-26 19:00:00.000 [main] INFO rear - rear started as: rear recover\n");
        Path journal = tmp.resolve("recover-20261126T190000Z.jsonl");
        AtomicBoolean copiedBeforeUnmount = new AtomicBoolean();
        StepAction unmount = (step, ctx) -> {
            copiedBeforeUnmount.set(Files.exists(target.resolve("var/log/rear/recover/" + journal.getFileName())));
            return Map.of("unmounted", "nothing was mounted below " + target);
        };
        Step restore = new Step("restore", "restore", "restore", List.of(), List.of(), List.of("restored"), List.of(), Check.none());
        Step um = new Step("unmount", "unmount", "unmount everything below " + target, List.of(), List.of("restored"), List.of("unmount"),
                List.of(), new Check("idempotent", target.toString(), Map.of()));
        Plan plan = new Plan(new DiskMapping(List.of()), new ResizePolicy.Result(List.of(), Map.of(), List.of()), List.of(restore, um), Map.of());
        Executor.Outcome o = new Executor(spec -> {
            throw new AssertionError("no command runs: " + spec.display());
        }, HostProbe.linux(), Clock.systemUTC())
                .withAction("restore", (s, c) -> Map.of("files", "2"))
                .withAction("unmount", new JournalCopy(target, log, unmount))
                .run(plan, "recover", "none", journal, true);
        assertThat(o.ok()).as(o.message()).isTrue();
        assertThat(copiedBeforeUnmount).isTrue();
        Path copy = target.resolve("var/log/rear/recover/" + journal.getFileName());
        var copied = JournalReader.read(copy).events();
        assertThat(copied).anyMatch(e -> e instanceof StepSucceeded s && s.stepId().equals("restore"))
                .anyMatch(e -> e instanceof StepStarted s && s.stepId().equals("unmount"));
        assertThat(target.resolve("var/log/rear/recover/rear-web1.log")).hasContent(Files.readString(log).strip());
        Map<String, String> facts = JournalReader.read(journal).events().stream().filter(StepSucceeded.class::isInstance)
                .map(StepSucceeded.class::cast).filter(s -> s.stepId().equals("unmount")).findFirst().orElseThrow().facts();
        assertThat(facts).containsEntry("journalCopy", copy.toString())
                .containsEntry("logCopy", target.resolve("var/log/rear/recover/rear-web1.log").toString())
                .containsEntry("unmounted", "nothing was mounted below " + target);
    }

    @Test
    void aTargetRootThatIsNoDirectoryFailsTheStepAndKeepsEverythingMounted() {
        Path target = tmp.resolve("gone");
        StepAction unmount = (step, ctx) -> {
            throw new AssertionError("must not unmount when the copy failed");
        };
        Step um = new Step("unmount", "unmount", "unmount", List.of(), List.of(), List.of(), List.of(), Check.none());
        Plan plan = new Plan(new DiskMapping(List.of()), new ResizePolicy.Result(List.of(), Map.of(), List.of()), List.of(um), Map.of());
        Executor.Outcome o = new Executor(spec -> {
            throw new AssertionError(spec.display());
        }, HostProbe.linux(), Clock.systemUTC()).withAction("unmount", new JournalCopy(target, null, unmount))
                .run(plan, "recover", "none", tmp.resolve("j.jsonl"), true);
        assertThat(o.ok()).isFalse();
        assertThat(o.message()).contains("cannot copy the journal into the recovered system: " + target + " is not a directory");
    }
}
