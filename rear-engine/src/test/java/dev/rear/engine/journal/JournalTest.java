package dev.rear.engine.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.rear.api.event.CommandRan;
import dev.rear.api.event.JournalEntry;
import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.PlannedStep;
import dev.rear.api.event.RunFinished;
import dev.rear.api.event.RunResumed;
import dev.rear.api.event.RunStarted;
import dev.rear.api.event.StepFailed;
import dev.rear.api.event.StepSkipped;
import dev.rear.api.event.StepStarted;
import dev.rear.api.event.StepSucceeded;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The journal's line format (golden files), its chain, its one forgiven fault, and resuming. */
class JournalTest {

    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    static final String RUN = "run-20261126T120000Z-1a2b3c";

    @TempDir
    Path tmp;

    static List<PlannedStep> plan() {
        return List.of(new PlannedStep("wipe:/dev/sda", "wipe", "wipe signatures on /dev/sda", List.of("/dev/sda")),
                new PlannedStep("table:/dev/sda", "partition-table", "GPT on /dev/sda", List.of("/dev/sda")),
                new PlannedStep("mkfs:/dev/sda2", "mkfs", "ext4 on /dev/sda2", List.of("/dev/sda2")));
    }

    /** One event of every type, as a run records them. */
    static List<JournalEvent> sampleEvents() {
        return List.of(
                new RunStarted(RUN, "layoutonly", "ab".repeat(32), Map.of("/dev/sda", "/dev/vdb"), plan()),
                new StepStarted("wipe:/dev/sda"),
                new CommandRan("wipe:/dev/sda", List.of("wipefs", "--all", "/dev/vdb"), 0, "", 12),
                new StepSucceeded("wipe:/dev/sda", Map.of()),
                new StepSkipped("table:/dev/sda", "a GPT with disk GUID 5B7C1E2A-… is already on /dev/vdb"),
                new StepStarted("mkfs:/dev/sda2"),
                new CommandRan("mkfs:/dev/sda2", List.of("mkfs.ext4", "-U", "0b9f6c3e-7d2a-4f1b-8c5d-6e7f8a9b0c1d", "/dev/vdb2"), 1,
                        "mkfs.ext4: Device size reported to be zero.", 40),
                new StepFailed("mkfs:/dev/sda2", "'mkfs.ext4 -U … /dev/vdb2' failed with exit code 1: Device size reported to be zero."),
                new RunFinished(RunFinished.Verdict.FAILED, "recovery stopped at mkfs:/dev/sda2; rear recover --resume continues"));
    }

    /** The sample run continued after its failure: what {@code --resume} appends first. */
    static RunResumed resumedSample() {
        return new RunResumed(RunResumed.After.FAILURE, "mkfs:/dev/sda2", List.of("mkfs:/dev/sda2"));
    }

    static Stream<JournalEvent> oneOfEach() {
        return Stream.concat(sampleEvents().stream(), Stream.of(resumedSample())).collect(Collectors.toMap(e -> e.getClass(), e -> e, (a, b) -> a)).values().stream();
    }

    static String typeName(JournalEvent e) {
        try {
            return (String) e.getClass().getField("TYPE").get(null);
        } catch (ReflectiveOperationException x) {
            throw new AssertionError(x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneOfEach")
    void everyEventTypeHasAPinnedLineForm(JournalEvent event) throws IOException {
        JournalEntry entry = new JournalEntry(7, T0, RUN, "cd".repeat(32), event);
        String line = new String(JournalLines.toLine(entry), StandardCharsets.UTF_8);
        Path golden = Path.of("src/test/resources/journal/golden/" + typeName(event) + ".json");
        if (Boolean.getBoolean("rear.approve")) {
            Files.writeString(golden, line + "\n");
        }
        assertThat(golden).as("golden file (write it with -Drear.approve=true, then review it)").exists();
        assertThat(line + "\n").as("line form of %s (run with -Drear.approve=true to accept a deliberate change)", typeName(event))
                .isEqualTo(Files.readString(golden));
        assertThat(JournalLines.fromLine(line.getBytes(StandardCharsets.UTF_8))).isEqualTo(entry);
    }

    @Test
    void theSubtypeListNamesEveryPermittedEventExactlyOnce() {
        Set<Class<?>> listed = Arrays.stream(JournalEvent.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::value).collect(Collectors.toSet());
        assertThat(listed).containsExactlyInAnyOrder(JournalEvent.class.getPermittedSubclasses());
        assertThat(Arrays.stream(JournalEvent.class.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name))
                .doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z]+\\.[a-z]+"));
        assertThat(oneOfEach().count()).isEqualTo(JournalEvent.class.getPermittedSubclasses().length);
    }

    @Test
    void aLineFromANewerRearWithAnExtraFieldIsRefusedNamingIt() {
        String line = "{\"at\":\"2026-11-26T12:00:00Z\",\"event\":{\"stepId\":\"x\",\"type\":\"step.started\",\"host\":\"h\"},"
                + "\"prev\":\"" + JournalEntry.GENESIS + "\",\"runId\":\"r\",\"seq\":1}\n";
        Path f = write("newer.journal", line);
        assertThatThrownBy(() -> JournalReader.read(f)).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("newer.journal:1:").hasMessageContaining("host");
    }

    Path write(String name, String content) {
        try {
            return Files.writeString(tmp.resolve(name), content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Path writeSample() {
        Path f = tmp.resolve("run.journal");
        try (JournalWriter w = JournalWriter.create(f, RUN, CLOCK)) {
            sampleEvents().forEach(w::append);
        }
        return f;
    }

    @Test
    void whatIsWrittenIsReadBackVerified() {
        Journal j = JournalReader.read(writeSample());
        assertThat(j.events()).isEqualTo(sampleEvents());
        assertThat(j.entries()).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(j.entries().get(0).prev()).isEqualTo(JournalEntry.GENESIS);
        assertThat(j.tornTail()).isFalse();
    }

    @Test
    void aJournalIsNeverOverwritten() {
        Path f = writeSample();
        assertThatThrownBy(() -> JournalWriter.create(f, RUN, CLOCK)).hasMessageContaining("exists already");
    }

    @Test
    void aTornLastLineIsDroppedAndSaidSoAtEveryCut() throws IOException {
        Path f = writeSample();
        byte[] all = Files.readAllBytes(f);
        int lastLineStart = lastLineStart(all);
        for (int cut = lastLineStart + 1; cut < all.length; cut++) {
            Path t = Files.write(tmp.resolve("cut-" + cut), Arrays.copyOf(all, cut));
            Journal j = JournalReader.read(t);
            assertThat(j.entries()).as("cut at %d", cut).hasSize(8);
            assertThat(j.tornTail()).isTrue();
            assertThat(j.validBytes()).isEqualTo(lastLineStart);
        }
    }

    @Test
    void aChangedLineBreaksTheChainAtTheLineAfterIt() throws IOException {
        Path f = writeSample();
        List<String> lines = Files.readAllLines(f);
        lines.set(2, lines.get(2).replace("\"exitCode\":0", "\"exitCode\":7"));
        Path t = Files.write(tmp.resolve("tampered"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> JournalReader.read(t)).isInstanceOfSatisfying(JournalCorruptException.class,
                e -> assertThat(e.line()).isEqualTo(4)).hasMessageContaining("tampered:4: its link to line 3 does not match");
    }

    @Test
    void aMissingLineIsAGap() throws IOException {
        Path f = writeSample();
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(f));
        lines.remove(4);
        Path t = Files.write(tmp.resolve("gap"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> JournalReader.read(t)).hasMessageContaining("gap:5: sequence number 6 where 5 belongs");
    }

    @Test
    void aTruncatedLineInTheMiddleIsNotForgiven() throws IOException {
        Path f = writeSample();
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(f));
        lines.set(3, lines.get(3).substring(0, 20));
        Path t = Files.write(tmp.resolve("middle"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> JournalReader.read(t)).isInstanceOf(JournalCorruptException.class)
                .hasMessageStartingWith(t + ":4: not a journal entry");
    }

    @Test
    void resumingCutsTheTornLineAndContinuesTheChain() throws IOException {
        Path f = writeSample();
        byte[] all = Files.readAllBytes(f);
        int last = lastLineStart(all);
        Files.write(f, Arrays.copyOf(all, last + 17)); // the crash came in the middle of the last write
        try (JournalWriter w = JournalWriter.resume(f, CLOCK)) {
            w.append(new RunFinished(RunFinished.Verdict.FAILED, "resumed and stopped again"));
        }
        Journal j = JournalReader.read(f);
        assertThat(j.tornTail()).isFalse();
        assertThat(j.entries()).hasSize(9);
        assertThat(j.entries().get(8).event()).isEqualTo(new RunFinished(RunFinished.Verdict.FAILED, "resumed and stopped again"));
    }

    @Test
    void resumingACorruptJournalIsRefused() throws IOException {
        Path f = writeSample();
        List<String> lines = Files.readAllLines(f);
        lines.set(0, lines.get(0).replace("layoutonly", "recover"));
        Files.write(f, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> JournalWriter.resume(f, CLOCK)).isInstanceOf(JournalCorruptException.class);
    }

    static int lastLineStart(byte[] all) {
        int i = all.length - 2;
        while (i >= 0 && all[i] != '\n') {
            i--;
        }
        return i + 1;
    }
}
