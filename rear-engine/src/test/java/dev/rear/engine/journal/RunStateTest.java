package dev.rear.engine.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.event.CommandRan;
import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.RunFinished;
import dev.rear.api.event.RunResumed;
import dev.rear.api.event.RunStarted;
import dev.rear.api.event.StepStarted;
import dev.rear.api.event.StepSucceeded;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunStateTest {

    static RunStarted started() {
        return new RunStarted(JournalTest.RUN, "layoutonly", "ab".repeat(32), Map.of(), JournalTest.plan());
    }

    @Test
    void theSampleRunFoldsToWhereItStopped() {
        RunState s = RunState.fold(JournalTest.sampleEvents());
        assertThat(s.steps()).containsExactly(
                Map.entry("wipe:/dev/sda", RunState.Status.SUCCEEDED),
                Map.entry("table:/dev/sda", RunState.Status.SKIPPED),
                Map.entry("mkfs:/dev/sda2", RunState.Status.FAILED));
        assertThat(s.remaining()).containsExactly("mkfs:/dev/sda2");
        assertThat(s.commands()).containsEntry("mkfs:/dev/sda2", 1);
        assertThat(s.finished().verdict()).isEqualTo(RunFinished.Verdict.FAILED);
        assertThat(s.running()).isNull();
    }

    @Test
    void aStepStartedAndNeverEndedIsTheOneThatWasRunningWhenThePowerWent() {
        RunState s = RunState.fold(List.of(started(), new StepStarted("wipe:/dev/sda"),
                new CommandRan("wipe:/dev/sda", List.of("wipefs", "--all", "/dev/vdb"), 0, "", 5)));
        assertThat(s.running()).isEqualTo("wipe:/dev/sda");
        assertThat(s.remaining()).containsExactly("wipe:/dev/sda", "table:/dev/sda", "mkfs:/dev/sda2");
        assertThat(s.finished()).isNull();
    }

    @Test
    void factsOfSucceededStepsAreKept() {
        RunState s = RunState.fold(List.of(started(), new StepStarted("mkfs:/dev/sda2"),
                new StepSucceeded("mkfs:/dev/sda2", Map.of("uuid", "0b9f6c3e-7d2a-4f1b-8c5d-6e7f8a9b0c1d"))));
        assertThat(s.facts()).containsEntry("mkfs:/dev/sda2", Map.of("uuid", "0b9f6c3e-7d2a-4f1b-8c5d-6e7f8a9b0c1d"));
    }

    @Test
    void eventsThatCannotFollowAreRefused() {
        assertThatThrownBy(() -> RunState.fold(List.<JournalEvent>of(new StepStarted("x")))).hasMessageContaining("before run.started");
        assertThatThrownBy(() -> RunState.fold(List.of(started(), new StepStarted("nope")))).hasMessageContaining("not in the plan");
        assertThatThrownBy(() -> RunState.fold(List.of(started(), new RunFinished(RunFinished.Verdict.SUCCEEDED, "ok"),
                new StepStarted("wipe:/dev/sda")))).hasMessageContaining("after run.finished");
        assertThatThrownBy(() -> RunState.fold(List.of(started(), started()))).hasMessageContaining("second run.started");
    }

    @Test
    void aFailedRunResumedIsOpenAgainWithTheFailedStepStillToDo() {
        List<JournalEvent> events = new java.util.ArrayList<>(JournalTest.sampleEvents());
        events.add(JournalTest.resumedSample());
        RunState s = RunState.fold(events);
        assertThat(s.finished()).isNull();
        assertThat(s.resumed()).containsExactly(JournalTest.resumedSample());
        assertThat(s.remaining()).containsExactly("mkfs:/dev/sda2");
        assertThat(s.steps()).containsEntry("wipe:/dev/sda", RunState.Status.SUCCEEDED).containsEntry("table:/dev/sda", RunState.Status.SKIPPED);
        events.add(new StepStarted("mkfs:/dev/sda2"));
        events.add(new StepSucceeded("mkfs:/dev/sda2", Map.of()));
        events.add(new RunFinished(RunFinished.Verdict.SUCCEEDED, "3 steps"));
        RunState end = RunState.fold(events);
        assertThat(end.remaining()).isEmpty();
        assertThat(end.finished().verdict()).isEqualTo(RunFinished.Verdict.SUCCEEDED);
        assertThat(end.commands()).containsEntry("mkfs:/dev/sda2", 1);
    }

    @Test
    void aCrashedRunResumedKeepsItsInterruptedStepToDo() {
        RunState s = RunState.fold(List.of(started(), new StepStarted("wipe:/dev/sda"),
                new RunResumed(RunResumed.After.CRASH, "wipe:/dev/sda", List.of("wipe:/dev/sda", "table:/dev/sda", "mkfs:/dev/sda2"))));
        assertThat(s.running()).isEqualTo("wipe:/dev/sda");
        assertThat(s.remaining()).containsExactly("wipe:/dev/sda", "table:/dev/sda", "mkfs:/dev/sda2");
        assertThat(s.resumed()).hasSize(1);
    }

    @Test
    void runResumedThatCannotFollowIsRefused() {
        RunResumed crash = new RunResumed(RunResumed.After.CRASH, null, List.of());
        RunResumed failure = new RunResumed(RunResumed.After.FAILURE, null, List.of());
        assertThatThrownBy(() -> RunState.fold(List.<JournalEvent>of(crash))).hasMessageContaining("before run.started");
        assertThatThrownBy(() -> RunState.fold(List.of(started(), new RunFinished(RunFinished.Verdict.SUCCEEDED, "ok"), failure)))
                .hasMessageContaining("after the run succeeded");
        assertThatThrownBy(() -> RunState.fold(List.of(started(), new RunFinished(RunFinished.Verdict.FAILED, "x"), crash)))
                .hasMessageContaining("follows run.finished");
        assertThatThrownBy(() -> RunState.fold(List.of(started(), failure))).hasMessageContaining("without run.finished");
    }

    @Test
    void foldingIsPure() {
        List<JournalEvent> events = JournalTest.sampleEvents();
        assertThat(RunState.fold(events)).isEqualTo(RunState.fold(events));
        assertThat(RunState.fold(events.subList(0, 4)).remaining()).containsExactly("table:/dev/sda", "mkfs:/dev/sda2");
    }
}
