package dev.rear.api.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How far an operation has got: a snapshot reported to a {@link ProgressSink}. Counts are
 * cumulative for the operation, not increments.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param phase      what is happening now, in a few words ({@code "restoring /home"},
 *                   {@code "job 31900347 Running"}); never a secret
 * @param bytesDone  bytes written (backup) or restored so far, 0 when not known
 * @param bytesTotal the bytes expected in all, or {@code null} when not known
 * @param filesDone  files done so far, 0 when not known
 * @param filesTotal the files expected in all, or {@code null} when not known
 * @since 0.1
 */
public record Progress(String phase, long bytesDone, @Nullable Long bytesTotal, long filesDone, @Nullable Long filesTotal) {

    public Progress {
        Objects.requireNonNull(phase, "phase");
        if (bytesDone < 0 || filesDone < 0 || (bytesTotal != null && bytesTotal < 0) || (filesTotal != null && filesTotal < 0)) {
            throw new IllegalArgumentException("progress counts cannot be negative");
        }
    }

    /** A phase with no counts (waiting for a job, connecting). */
    public static Progress phase(String phase) {
        return new Progress(phase, 0, null, 0, null);
    }

    /** Counts with unknown totals. */
    public static Progress of(String phase, long bytesDone, long filesDone) {
        return new Progress(phase, bytesDone, null, filesDone, null);
    }
}
