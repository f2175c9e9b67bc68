package dev.rear.api.spi;

/**
 * Receives {@link Progress} snapshots: the engine draws a progress bar on a terminal and writes
 * periodic lines otherwise. A provider reports at least when its phase changes, and while copying
 * as often as it likes (the sink throttles); reporting must be cheap and never fails.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ProgressSink {

    /** A sink that ignores everything. */
    ProgressSink NONE = progress -> { };

    /** Takes the current state of the operation. */
    void report(Progress progress);
}
