package dev.rear.engine.exec;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs programs with {@link ProcessBuilder}: an argv list, never a shell; {@code LC_ALL=C} added to
 * the inherited environment (which is otherwise kept, {@code PATH} included); standard output and
 * error drained concurrently so a chatty program cannot block on a full pipe; killed (with its
 * descendants) when it overruns its timeout.
 */
public final class ProcessCommandRunner implements CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommandRunner.class);

    /** Output beyond this is cut (with a note), so a runaway program cannot exhaust memory. */
    static final int MAX_CAPTURE_BYTES = 64 * 1024 * 1024;

    @Override
    public CommandResult run(CommandSpec spec) {
        ProcessBuilder pb = new ProcessBuilder(spec.argv());
        pb.environment().put("LC_ALL", "C");
        pb.environment().putAll(spec.extraEnv());
        if (spec.stdin() == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        LOG.debug("running {}", spec.display());
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            if (e.getMessage() != null && (e.getMessage().contains("error=2,") || e.getMessage().contains("No such file"))) {
                throw new ToolNotFoundException(spec.program(), ToolPackages.debianPackageOf(spec.program()));
            }
            throw new UncheckedIOException("cannot start '" + spec.display() + "': " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        if (spec.stdin() != null) {
            feed(p, spec.stdin());
        }
        boolean finished;
        try {
            finished = p.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new CommandInterruptedException(spec);
        }
        if (!finished) {
            kill(p);
            LOG.debug("{} timed out after {}", spec.display(), spec.timeout());
            throw new CommandTimeoutException(spec);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        CommandResult result = new CommandResult(spec.redactedArgv(), p.exitValue(), text(out), text(err), took);
        LOG.debug("{} exited {} after {} ms", spec.display(), result.exitCode(), took.toMillis());
        if (LOG.isTraceEnabled() && !result.stderr().isBlank()) {
            LOG.trace("{} stderr (last lines): {}", spec.display(), result.stderrTail(20));
        }
        if (!spec.okExitCodes().contains(result.exitCode())) {
            throw new CommandFailedException(spec, result);
        }
        return result;
    }

    private static void feed(Process p, byte[] input) {
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        } catch (IOException e) {
            // The program closed its input early (it did not want it all); its exit code tells the rest.
            LOG.debug("standard input not fully read: {}", e.getMessage());
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[65536];
                int n;
                boolean cut = false;
                while ((n = in.read(chunk)) >= 0) {
                    if (buf.size() + n <= MAX_CAPTURE_BYTES) {
                        buf.write(chunk, 0, n);
                    } else if (!cut) {
                        cut = true; // keep reading so the program is not blocked, but keep nothing more
                    }
                }
                if (cut) {
                    buf.write(("\n[output cut at " + MAX_CAPTURE_BYTES + " bytes]\n").getBytes(StandardCharsets.UTF_8));
                }
                f.complete(buf.toByteArray());
            } catch (IOException e) {
                f.complete(("[output unreadable: " + e.getMessage() + "]").getBytes(StandardCharsets.UTF_8));
            }
        }, "rear-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static String text(CompletableFuture<byte[]> f) {
        try {
            return new String(f.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // A grandchild still holds the pipe open; what was read so far is all there is.
            return "";
        }
    }

    /** The run was interrupted (Ctrl-C): the program was killed. */
    public static final class CommandInterruptedException extends dev.rear.api.RearException {
        private static final long serialVersionUID = 1L;

        CommandInterruptedException(CommandSpec spec) {
            super("'" + spec.display() + "' was interrupted and killed");
        }
    }
}
