package dev.rear.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A host command the harness runs (ldd, jdeps, jlink): argv, a time limit, both streams drained. */
record HostProcess(List<String> argv, int exitCode, String stdout, String stderr) {

    static HostProcess run(Duration timeout, String... argv) {
        return run(timeout, java.util.Map.of(), argv);
    }

    /** Runs {@code argv} with {@code env} added to this process's environment (and {@code LC_ALL=C}). */
    static HostProcess run(Duration timeout, java.util.Map<String, String> env, String... argv) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv[0] + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new HostProcess(List.of(argv), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv[0], e);
        }
    }

    /** This result, or an exception naming the command, its exit code and stderr when it failed. */
    HostProcess ok() {
        if (exitCode != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited with " + exitCode + ": " + stderr.strip());
        }
        return this;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
