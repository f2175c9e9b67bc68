package dev.rear.testkit;

import dev.rear.api.spi.Progress;
import dev.rear.api.spi.ProgressSink;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ProgressSink} that keeps every report.
 *
 * <p>Thread-safe. <b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public final class RecordingProgressSink implements ProgressSink {

    private final List<Progress> reports = new ArrayList<>();

    @Override
    public synchronized void report(Progress progress) {
        reports.add(progress);
    }

    /** Every report, in order. */
    public synchronized List<Progress> reports() {
        return List.copyOf(reports);
    }

    /** The phases reported, in order, each once per change. */
    public synchronized List<String> phases() {
        List<String> out = new ArrayList<>();
        for (Progress p : reports) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(p.phase())) {
                out.add(p.phase());
            }
        }
        return out;
    }
}
