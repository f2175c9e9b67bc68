package dev.rear.testkit;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs commands for real, as the engine's runner does, for a provider's tests (which cannot use the
 * engine): argv only, {@code LC_ALL=C} and the spec's environment, stdin, the timeout (killing the
 * process and its descendants) and the accepted exit codes. A program that closes its input early
 * is no error: its exit code tells the rest. Records every spec and its redacted command line.
 */
public final class ProcessRunner implements CommandRunner {

    private final Supplier<Map<String, String>> environment;
    private final List<String> displayed = new ArrayList<>();
    private final List<CommandSpec> specs = new ArrayList<>();

    /** A runner adding nothing to the environment but {@code LC_ALL=C}. */
    public ProcessRunner() {
        this(Map::of);
    }

    /**
     * A runner that also sets {@code environment}'s variables, asked anew for each command (a
     * simulator's clock: {@code () -> Map.of("SIM_NOW", ...)}).
     */
    public ProcessRunner(Supplier<Map<String, String>> environment) {
        this.environment = environment;
    }

    /** The redacted command lines run so far, in order. */
    public synchronized List<String> displayed() {
        return List.copyOf(displayed);
    }

    /** The specs run so far, in order. */
    public synchronized List<CommandSpec> specs() {
        return List.copyOf(specs);
    }

    @Override
    public synchronized CommandResult run(CommandSpec spec) {
        displayed.add(spec.display());
        specs.add(spec);
        ProcessBuilder pb = new ProcessBuilder(spec.argv());
        pb.environment().putAll(spec.extraEnv());
        pb.environment().put("LC_ALL", "C");
        pb.environment().putAll(environment.get());
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("error=2")) {
                throw new ToolNotFoundException(spec.program(), null);
            }
            throw new UncheckedIOException(e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var stdin = p.getOutputStream()) {
            if (spec.stdin() != null) {
                stdin.write(spec.stdin());
            }
        } catch (IOException e) {
            // the program closed its input early or never reads it: its exit code tells the rest
        }
        try {
            if (!p.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CommandTimeoutException(spec);
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        CommandResult r = new CommandResult(spec.redactedArgv(), p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
        if (!spec.okExitCodes().contains(r.exitCode())) {
            throw new CommandFailedException(spec, r);
        }
        return r;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
