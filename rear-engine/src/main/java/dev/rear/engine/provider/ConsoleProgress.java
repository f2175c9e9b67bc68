package dev.rear.engine.provider;

import dev.rear.api.spi.Progress;
import dev.rear.api.spi.ProgressSink;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Draws a provider's progress for the administrator. On a terminal: one line (phase, bytes, files,
 * rate, ETA when the total is known) redrawn in place with {@code \r} at most {@link #REDRAW_NANOS
 * five times a second}, ended with a newline at each change of phase and at {@link #finish()}.
 * Otherwise (a pipe, a log, {@code --json}): a plain line at each change of phase and then at most
 * every {@link #PLAIN_NANOS ten seconds}, so a log shows the work moving without thousands of lines.
 *
 * <p>The rate is that of the current phase: bytes since the phase began over the time since then.
 */
public final class ConsoleProgress implements ProgressSink {

    /** At least this long between two redraws on a terminal (200 ms: 5 per second). */
    public static final long REDRAW_NANOS = 200_000_000L;
    /** At least this long between two plain lines of the same phase (10 s). */
    public static final long PLAIN_NANOS = 10_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoTime;

    private @Nullable String phase;
    private long phaseStartNanos;
    private long phaseStartBytes;
    private long lastDrawNanos;
    private int drawnWidth;
    private @Nullable Progress pending;
    private @Nullable Progress last;

    /**
     * @param out      where to draw
     * @param terminal whether {@code out} is a terminal (redraw in place) or not (plain lines)
     * @param nanoTime the time source ({@link System#nanoTime} but in tests)
     */
    public ConsoleProgress(PrintWriter out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /** On {@code out}, drawing in place when it is a terminal. */
    public static ConsoleProgress of(PrintWriter out, boolean terminal) {
        return new ConsoleProgress(out, terminal, System::nanoTime);
    }

    @Override
    public synchronized void report(Progress p) {
        long now = nanoTime.getAsLong();
        last = p;
        if (!p.phase().equals(phase)) {
            if (terminal && drawnWidth > 0) {
                out.print('\n');
            }
            drawnWidth = 0;
            phase = p.phase();
            phaseStartNanos = now;
            phaseStartBytes = p.bytesDone();
            draw(p, now);
            return;
        }
        if (now - lastDrawNanos >= (terminal ? REDRAW_NANOS : PLAIN_NANOS)) {
            draw(p, now);
        } else {
            pending = p;
        }
    }

    /** Draws what was held back and ends the line on a terminal; call once the operation is over. */
    public synchronized void finish() {
        if (pending != null) {
            draw(pending, nanoTime.getAsLong());
        }
        if (terminal && drawnWidth > 0) {
            out.print('\n');
            out.flush();
        }
        drawnWidth = 0;
    }

    /** The last progress reported, or {@code null}. */
    public synchronized @Nullable Progress last() {
        return last;
    }

    private void draw(Progress p, long now) {
        pending = null;
        lastDrawNanos = now;
        String line = line(p, now - phaseStartNanos, p.bytesDone() - phaseStartBytes);
        if (terminal) {
            StringBuilder b = new StringBuilder("\r").append(line);
            for (int i = line.length(); i < drawnWidth; i++) {
                b.append(' ');
            }
            out.print(b);
            drawnWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * One line: {@code restoring  1.2 GiB of 3.4 GiB (35%)  1,234 of 5,000 files  85.3 MiB/s  ETA 0:00:42}.
     *
     * @param elapsedNanos time since the phase began
     * @param phaseBytes   bytes done since the phase began
     */
    static String line(Progress p, long elapsedNanos, long phaseBytes) {
        StringBuilder b = new StringBuilder(p.phase());
        if (p.bytesDone() > 0 || p.bytesTotal() != null) {
            b.append("  ").append(bytes(p.bytesDone()));
            if (p.bytesTotal() != null) {
                b.append(" of ").append(bytes(p.bytesTotal()));
                if (p.bytesTotal() > 0) {
                    b.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, p.bytesDone() * 100 / p.bytesTotal())));
                }
            }
        }
        if (p.filesDone() > 0 || p.filesTotal() != null) {
            b.append(String.format(Locale.ROOT, "  %,d", p.filesDone()));
            if (p.filesTotal() != null) {
                b.append(String.format(Locale.ROOT, " of %,d", p.filesTotal()));
            }
            b.append(" files");
        }
        double seconds = elapsedNanos / 1e9;
        if (seconds >= 0.5 && phaseBytes > 0) {
            double rate = phaseBytes / seconds;
            b.append("  ").append(bytes((long) rate)).append("/s");
            if (p.bytesTotal() != null && p.bytesTotal() > p.bytesDone()) {
                b.append("  ETA ").append(duration((long) Math.ceil((p.bytesTotal() - p.bytesDone()) / rate)));
            }
        }
        return b.toString();
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 GiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code 0:00:42}, {@code 12:03:00}. */
    static String duration(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
