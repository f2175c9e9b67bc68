package dev.rear.engine.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.spi.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    static final long MS = 1_000_000L;

    final AtomicLong now = new AtomicLong(1_000 * MS);
    final StringWriter text = new StringWriter();

    ConsoleProgress sink(boolean terminal) {
        return new ConsoleProgress(new PrintWriter(text), terminal, now::get);
    }

    @Test
    void onATerminalRedrawsOneLineAtMostFiveTimesASecond() {
        ConsoleProgress p = sink(true);
        // 10 s of reports every 10 ms: 1000 reports
        for (int i = 1; i <= 1000; i++) {
            p.report(Progress.of("restoring", i * 1_048_576L, i));
            now.addAndGet(10 * MS);
        }
        p.finish();
        String s = text.toString();
        long redraws = s.chars().filter(c -> c == '\r').count();
        assertThat(redraws).isBetween(45L, 52L); // 5 per second over 10 s, plus the first and the last
        assertThat(s).doesNotContain("\n\r").endsWith("\n");
        assertThat(s.substring(s.lastIndexOf('\r') + 1)).startsWith("restoring  1000.0 MiB  1,000 files  99.9 MiB/s");
    }

    @Test
    void aShorterLineBlanksWhatTheLongerOneLeft() {
        ConsoleProgress p = sink(true);
        p.report(Progress.of("restoring", 5L << 30, 123_456));
        now.addAndGet(300 * MS);
        p.report(Progress.of("restoring", 5L << 30, 123_457));
        String[] draws = text.toString().split("\r");
        assertThat(draws[2].length()).isGreaterThanOrEqualTo(draws[1].length());
    }

    @Test
    void eachPhaseGetsItsOwnLine() {
        ConsoleProgress p = sink(true);
        p.report(Progress.phase("verifying /backup/host/backup.tar.zst"));
        now.addAndGet(50 * MS);
        p.report(Progress.phase("restoring into /mnt/local"));
        p.finish();
        assertThat(text.toString()).isEqualTo("\rverifying /backup/host/backup.tar.zst\n\rrestoring into /mnt/local\n");
    }

    @Test
    void withoutATerminalPrintsPlainLinesEveryTenSecondsAndAtEachPhase() {
        ConsoleProgress p = sink(false);
        for (int i = 0; i <= 3000; i++) { // 30 s, a report every 10 ms
            p.report(Progress.of("backing up", i * 1000L, i));
            now.addAndGet(10 * MS);
        }
        p.report(Progress.phase("backup complete"));
        p.finish();
        String[] lines = text.toString().split("\n");
        assertThat(text.toString()).doesNotContain("\r");
        assertThat(lines).hasSize(5); // at 0 s, 10 s, 20 s, 30 s, then the new phase
        assertThat(lines[0]).isEqualTo("backing up");
        assertThat(lines[1]).startsWith("backing up  976.6 KiB  1,000 files  97.7 KiB/s");
        assertThat(lines[4]).isEqualTo("backup complete");
    }

    @Test
    void showsPercentAndEtaWhenTheTotalIsKnown() {
        String line = ConsoleProgress.line(new Progress("restoring", 1L << 30, 4L << 30, 10, 40L), 10_000 * MS, 1L << 30);
        assertThat(line).isEqualTo("restoring  1.0 GiB of 4.0 GiB (25%)  10 of 40 files  102.4 MiB/s  ETA 0:00:30");
    }

    @Test
    void noRateInTheFirstHalfSecond() {
        assertThat(ConsoleProgress.line(Progress.of("restoring", 4096, 1), 100 * MS, 4096)).isEqualTo("restoring  4.0 KiB  1 files");
    }

    @Test
    void sizes() {
        assertThat(ConsoleProgress.bytes(0)).isEqualTo("0 B");
        assertThat(ConsoleProgress.bytes(1023)).isEqualTo("1023 B");
        assertThat(ConsoleProgress.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(ConsoleProgress.bytes(3L << 40)).isEqualTo("3.0 TiB");
        assertThat(ConsoleProgress.duration(3725)).isEqualTo("1:02:05");
    }
}
