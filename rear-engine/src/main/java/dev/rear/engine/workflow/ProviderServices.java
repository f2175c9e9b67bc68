package dev.rear.engine.workflow;

import dev.rear.api.RearException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.spi.RescueRequirements.RescueService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The daemons a provider needs while it verifies and restores ({@link RescueService}: Bacula's
 * {@code bacula-fd}, which the director pushes the restore through), started before and stopped after.
 *
 * <p>A start command may daemonize (exit 0, the daemon goes on) or stay in the foreground (it is
 * the daemon): both work. It runs in the background with its output kept in a file; readiness is
 * its {@code readinessCheck} exiting 0, polled every {@link #POLL} until {@code readinessTimeout}
 * (without a check: the start command exited 0, or is still running after {@link #SETTLE}). A start
 * command that fails, or a service that does not become ready in time, is a {@link FailedException}
 * naming the service, the command and its output; what was started before is stopped again.
 * {@link #close()} stops them in reverse order: the stop command, and the foreground process is
 * ended (SIGTERM, then SIGKILL after {@link #GRACE}).
 */
public final class ProviderServices implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(200);
    static final Duration SETTLE = Duration.ofSeconds(1);
    static final Duration GRACE = Duration.ofSeconds(5);

    /** A service could not be started or did not become ready. */
    public static final class FailedException extends RearException {
        private static final long serialVersionUID = 1L;

        FailedException(String message) {
            super(message);
        }
    }

    private record Started(RescueService service, Process process, Path output) {}

    private final List<Started> started = new ArrayList<>();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final CommandRunner runner;
    private final Consumer<String> notes;

    private ProviderServices(CommandRunner runner, Consumer<String> notes) {
        this.runner = runner;
        this.notes = notes;
    }

    /** None: nothing to start or stop. */
    public static ProviderServices none() {
        return new ProviderServices(spec -> {
            throw new IllegalStateException("no service");
        }, line -> { });
    }

    /**
     * Starts {@code services} in order, each ready before the next.
     *
     * @param runner readiness checks and stop commands run through it (a journaled one during a run)
     * @param notes  one line per service started or stopped, for the administrator
     * @throws FailedException when one cannot be started or is not ready in time (the others are stopped)
     */
    public static ProviderServices start(List<RescueService> services, CommandRunner runner, Consumer<String> notes) {
        ProviderServices s = new ProviderServices(runner, notes);
        try {
            for (RescueService svc : services) {
                s.startOne(svc);
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** {@code service.NAME} → {@code started, ready after 0.4 s} (and {@code stopped} once stopped), for the journal. */
    public Map<String, String> facts() {
        return Map.copyOf(facts);
    }

    /** How many services run now. */
    public int running() {
        return started.size();
    }

    private void startOne(RescueService svc) {
        long t0 = System.nanoTime();
        Path output;
        Process p;
        try {
            output = Files.createTempFile("rear-service-" + svc.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-", ".log");
            ProcessBuilder pb = new ProcessBuilder(svc.start()).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("LC_ALL", "C");
            p = pb.start();
        } catch (IOException e) {
            throw new FailedException("the backup provider's service " + svc.name() + " cannot be started: `" + String.join(" ", svc.start())
                    + "`: " + e.getMessage());
        }
        Started st = new Started(svc, p, output);
        started.add(st);
        long deadline = t0 + Math.max(svc.readinessTimeout().toNanos(), SETTLE.toNanos());
        String lastCheck = "";
        while (true) {
            boolean exited = !p.isAlive();
            if (exited && p.exitValue() != 0) {
                throw new FailedException("the backup provider's service " + svc.name() + " could not be started: `"
                        + String.join(" ", svc.start()) + "` exited " + p.exitValue() + tail(output));
            }
            if (!svc.readinessCheck().isEmpty()) {
                CommandResult r = check(svc);
                if (r != null && r.exitCode() == 0) {
                    // A start command that fails while the check passes (another daemon answers) is still a failure.
                    if (!exited) {
                        try {
                            p.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (!p.isAlive() && p.exitValue() != 0) {
                        throw new FailedException("the backup provider's service " + svc.name() + " could not be started: `"
                                + String.join(" ", svc.start()) + "` exited " + p.exitValue() + tail(output));
                    }
                    break;
                }
                lastCheck = r == null ? "" : "; the readiness check `" + String.join(" ", svc.readinessCheck()) + "` last exited "
                        + r.exitCode() + (r.stderr().isBlank() && r.stdout().isBlank() ? "" : ": " + lastLines((r.stderr() + "\n" + r.stdout()).strip()));
            } else if (exited || System.nanoTime() - t0 >= SETTLE.toNanos()) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                throw new FailedException("the backup provider's service " + svc.name() + " did not become ready within "
                        + seconds(svc.readinessTimeout().toNanos()) + lastCheck + "; its output" + tail(output));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FailedException("interrupted while waiting for the backup provider's service " + svc.name());
            }
        }
        String how = "started (`" + String.join(" ", svc.start()) + "`" + (p.isAlive() ? ", running as PID " + p.pid() : "")
                + "), ready after " + seconds(System.nanoTime() - t0);
        facts.put("service." + svc.name(), how);
        notes.accept("service " + svc.name() + " " + how);
    }

    private @Nullable CommandResult check(RescueService svc) {
        try {
            return runner.run(new CommandSpec(svc.readinessCheck(), Duration.ofSeconds(10), Map.of(), java.util.Set.of(0), java.util.Set.of(), null)
                    .alsoOk(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 126, 127, 255));
        } catch (RearException | UncheckedIOException e) {
            return new CommandResult(svc.readinessCheck(), -1, "", String.valueOf(e.getMessage()), Duration.ZERO);
        }
    }

    /** Stops what was started, last first; a stop that fails is noted, never thrown. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Started st = started.get(i);
            RescueService svc = st.service();
            String how = "stopped";
            if (!svc.stop().isEmpty()) {
                try {
                    runner.run(CommandSpec.of(svc.stop().toArray(String[]::new)).withTimeout(Duration.ofSeconds(60)));
                    how = "stopped (`" + String.join(" ", svc.stop()) + "`)";
                } catch (RearException | UncheckedIOException e) {
                    how = "stop command `" + String.join(" ", svc.stop()) + "` failed: " + lastLines(String.valueOf(e.getMessage()));
                }
            }
            Process p = st.process();
            if (p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                        p.destroyForcibly();
                        p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
                how += "; its process " + p.pid() + " ended";
            }
            facts.put("service." + svc.name() + ".stop", how);
            notes.accept("service " + svc.name() + " " + how);
            try {
                Files.deleteIfExists(st.output());
            } catch (IOException e) {
                // a temporary file
            }
        }
        started.clear();
    }

    private static String tail(Path output) {
        try {
            String s = Files.readString(output, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? " (no output)" : ":\n" + lastLines(s);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLines(String s) {
        List<String> lines = s.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
