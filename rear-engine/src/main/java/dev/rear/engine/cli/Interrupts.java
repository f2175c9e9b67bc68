package dev.rear.engine.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and SIGTERM during a provider operation: the first one sets {@link #flag()} (the provider
 * sees {@code isCancelled()} and stops between files, the journal records the step as failed and
 * the workflow exits 130); a second one ends rear at once with exit code 130, like a crash (a
 * recovery's journal then resumes with {@code --resume}). {@link #close()}
 * puts the previous handlers back.
 */
final class Interrupts implements AutoCloseable {
    private final AtomicBoolean flag = new AtomicBoolean();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Interrupts() {}

    /** Handles SIGINT and SIGTERM from now until {@link #close()}; messages go to {@code err}. */
    static Interrupts install(PrintWriter err) {
        Interrupts i = new Interrupts();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal s = new Signal(name);
                SignalHandler old = Signal.handle(s, sig -> {
                    if (i.flag.getAndSet(true)) {
                        err.println("rear: interrupted again; stopping now (exit 130)");
                        err.flush();
                        System.exit(ExitCode.INTERRUPTED.code());
                    }
                    err.println("rear: interrupted (SIG" + name + "); the backup provider stops after the current file and the"
                            + " journal records the step as failed (again to stop at once)");
                    err.flush();
                });
                i.signals.add(s);
                i.previous.add(old);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // this platform or JVM does not let us handle the signal: the JVM's default applies
            }
        }
        return i;
    }

    AtomicBoolean flag() {
        return flag;
    }

    @Override
    public void close() {
        for (int k = 0; k < signals.size(); k++) {
            try {
                Signal.handle(signals.get(k), previous.get(k));
            } catch (IllegalArgumentException e) {
                // keep going
            }
        }
    }
}
