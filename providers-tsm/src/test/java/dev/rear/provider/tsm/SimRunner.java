package dev.rear.provider.tsm;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs commands for real, as the engine's runner does (a provider's tests cannot use the engine):
 * argv only, {@code LC_ALL=C} added to the environment, the spec's environment, stdin, timeout
 * (killing the process and its descendants) and accepted exit codes. For the simulator it adds the
 * server clock ({@code DSMC_SIM_NOW} from the test's clock) and {@code TZ=UTC} (the test clocks'
 * zone). Records the redacted command lines.
 */
final class SimRunner implements CommandRunner {

    private final Supplier<Instant> now;
    final List<String> displayed = new ArrayList<>();
    final List<CommandSpec> specs = new ArrayList<>();

    SimRunner(Supplier<Instant> now) {
        this.now = now;
    }

    @Override
    public synchronized CommandResult run(CommandSpec spec) {
        displayed.add(spec.display());
        specs.add(spec);
        ProcessBuilder pb = new ProcessBuilder(spec.argv());
        pb.environment().putAll(spec.extraEnv());
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("TZ", "UTC");
        pb.environment().put("DSMC_SIM_NOW", Long.toString(now.get().getEpochSecond()));
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
            // the program may not read its input
        }
        try {
            if (!p.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CommandTimeoutException(spec);
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
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

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
