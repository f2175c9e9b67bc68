package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.journal.JournalWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCommandTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run rear(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    Path journal() {
        Path f = tmp.resolve("run.journal");
        try (JournalWriter w = JournalWriter.create(f, "r1", Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC))) {
            w.append(new dev.rear.api.event.RunStarted("r1", "layoutonly", "ab".repeat(32), Map.of("/dev/sda", "/dev/vdb"),
                    List.of(new dev.rear.api.event.PlannedStep("wipe:/dev/sda", "wipe", "wipe /dev/vdb", List.of("/dev/vdb")))));
            w.append(new dev.rear.api.event.StepStarted("wipe:/dev/sda"));
        }
        return f;
    }

    @Test
    void showsThePlanWithStatusesAndTheInterruptedStep() {
        Run r = rear("journal", journal().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("run r1 (layoutonly)", "/dev/sda -> /dev/vdb", "running", "wipe:/dev/sda",
                "interrupted in step wipe:/dev/sda", "rear journal: 2 entries, chain intact");
    }

    @Test
    void aChangedJournalExitsNineNamingTheLine() throws IOException {
        Path f = journal();
        String text = Files.readString(f).replace("wipe /dev/vdb", "wipe /dev/vdc");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        Run r = rear("journal", f.toString());
        assertThat(r.code()).isEqualTo(ExitCode.JOURNAL_INVALID.code());
        assertThat(r.err()).contains("run.journal:2: its link to line 1 does not match");
    }

    @Test
    void aResumedRunListsItsResumptions() throws IOException {
        Path f = journal();
        try (JournalWriter w = JournalWriter.resume(f, Clock.fixed(Instant.parse("2026-11-26T12:05:00Z"), ZoneOffset.UTC))) {
            w.append(new dev.rear.api.event.StepFailed("wipe:/dev/sda", "wipefs failed"));
            w.append(new dev.rear.api.event.RunFinished(dev.rear.api.event.RunFinished.Verdict.FAILED, "wipefs failed"));
            w.append(new dev.rear.api.event.RunResumed(dev.rear.api.event.RunResumed.After.FAILURE, "wipe:/dev/sda", List.of("wipe:/dev/sda")));
        }
        Run r = rear("journal", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("resumed after a failure in step wipe:/dev/sda", "rear journal: 5 entries, chain intact")
                .doesNotContain("verdict:");
        var doc = dev.rear.engine.descriptor.DescriptorJson.mapper().readTree(rear("journal", "--json", f.toString()).out());
        assertThat(doc.at("/resumed/0/after").asText()).isEqualTo("failure");
        assertThat(doc.at("/resumed/0/step").asText()).isEqualTo("wipe:/dev/sda");
        assertThat(doc.at("/steps/0/status").asText()).isEqualTo("failed");
    }

    @Test
    void jsonGivesTheState() throws IOException {
        Run r = rear("journal", "--json", journal().toString());
        var doc = dev.rear.engine.descriptor.DescriptorJson.mapper().readTree(r.out());
        assertThat(doc.get("interruptedStep").asText()).isEqualTo("wipe:/dev/sda");
        assertThat(doc.at("/steps/0/status").asText()).isEqualTo("running");
    }
}
