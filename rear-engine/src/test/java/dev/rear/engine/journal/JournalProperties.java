package dev.rear.engine.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.event.CommandRan;
import dev.rear.api.event.JournalEntry;
import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.StepStarted;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** A crash can cut the file anywhere: what is read back is exactly the whole lines before the cut. */
class JournalProperties {

    @Provide
    Arbitrary<List<JournalEvent>> runs() {
        Arbitrary<JournalEvent> command = Arbitraries.strings().ofMinLength(0).ofMaxLength(30).map(s ->
                new CommandRan("wipe:/dev/sda", List.of("wipefs", "--all", "/dev/vdb", s), s.length() % 3, s, s.length()));
        return command.list().ofMaxSize(20).map(cs -> {
            List<JournalEvent> all = new ArrayList<>();
            all.add(RunStateTest.started());
            all.add(new StepStarted("wipe:/dev/sda"));
            all.addAll(cs);
            return all;
        });
    }

    static byte[] lines(List<JournalEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String prev = JournalEntry.GENESIS;
        long seq = 0;
        for (JournalEvent e : events) {
            byte[] line = JournalLines.toLine(new JournalEntry(++seq, JournalTest.T0, JournalTest.RUN, prev, e));
            out.writeBytes(line);
            out.write('\n');
            prev = JournalLines.sha256(line);
        }
        return out.toByteArray();
    }

    @Property(tries = 200)
    void anyCutLeavesExactlyTheWholeLinesBeforeIt(@ForAll("runs") List<JournalEvent> events, @ForAll @IntRange(min = 0, max = 100_000) int at) {
        byte[] all = lines(events);
        int cut = all.length == 0 ? 0 : at % (all.length + 1);
        Journal j = JournalReader.read(Arrays.copyOf(all, cut), Path.of("prop.journal"));
        int whole = 0;
        for (int i = 0; i < cut; i++) {
            if (all[i] == '\n') {
                whole++;
            }
        }
        assertThat(j.events()).isEqualTo(events.subList(0, whole));
        assertThat(j.tornTail()).isEqualTo(cut > 0 && all[cut - 1] != '\n');
    }
}
