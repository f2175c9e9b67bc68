package dev.rear.provider.bacula;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
/**
 * Runs commands for real, as the engine's runner ({@code ProcessCommandRunner}) does (providers' tests cannot use the engine):
 * {@code LC_ALL=C}, the spec's environment, stdin, timeout and accepted exit codes. Records the
 * redacted command lines.
 */
final class ProcessRunner implements CommandRunner {

    final List<String> displayed = new ArrayList<>();

    @Override
    public synchronized CommandResult run(CommandSpec spec) {
        displayed.add(spec.display());
        ProcessBuilder pb = new ProcessBuilder(spec.argv());
        pb.environment().putAll(spec.extraEnv());
        pb.environment().put("LC_ALL", "C");
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
        try {
            try (var stdin = p.getOutputStream()) {
                if (spec.stdin() != null) {
                    stdin.write(spec.stdin());
                }
            } catch (IOException e) {
                // the program closed its input early (bconsole that could not resolve its director): as the
                // engine's runner does, let its exit code tell the rest
            }
            if (!p.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new CommandTimeoutException(spec);
            }
        } catch (InterruptedException e) {
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
