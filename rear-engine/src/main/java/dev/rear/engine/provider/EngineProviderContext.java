package dev.rear.engine.provider;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.spi.ProgressSink;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderLog;
import dev.rear.api.spi.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine's {@link ProviderContext}: one per provider operation (a backup, a verify, a restore).
 *
 * <ul>
 *   <li>{@link #commands()}: the runner it was given — during a recovery the restore step's
 *       journaled runner (each call a {@code command.ran} of the step), during a backup the backup
 *       step's.</li>
 *   <li>{@link #progress()}: a {@link ConsoleProgress} or what the caller gives.</li>
 *   <li>{@link #log()}: into rear's log ({@link LoggingProviderLog}); the settings are logged once,
 *       {@link ProviderSettings#redacted() redacted}.</li>
 *   <li>{@link #tempDirectory()}: made on first use under the given parent, deleted with all it holds
 *       by {@link #close()}.</li>
 *   <li>{@link #isCancelled()}: the caller's flag (Ctrl-C, SIGTERM); {@link #deadline()} as given.</li>
 *   <li>{@link #ask}: the {@link Prompt} given; a secret answer is never logged.</li>
 * </ul>
 */
public final class EngineProviderContext implements ProviderContext, AutoCloseable {

    private final ProviderSettings settings;
    private final CommandRunner commands;
    private final ProgressSink progress;
    private final ProviderLog log;
    private final Path tempParent;
    private final Clock clock;
    private final @Nullable Instant deadline;
    private final BooleanSupplier cancelled;
    private final Prompt prompt;
    private @Nullable Path temp;

    private EngineProviderContext(Builder b) {
        this.settings = b.settings;
        this.commands = Objects.requireNonNull(b.commands, "commands");
        this.progress = b.progress;
        this.log = b.log;
        this.tempParent = b.tempParent;
        this.clock = b.clock;
        this.deadline = b.deadline;
        this.cancelled = b.cancelled;
        this.prompt = b.prompt;
        log.debug("settings: " + settings.redacted());
    }

    /** A builder for a context with these settings and this command runner. */
    public static Builder builder(ProviderSettings settings, CommandRunner commands) {
        return new Builder(settings, commands);
    }

    @Override
    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public CommandRunner commands() {
        return commands;
    }

    @Override
    public ProgressSink progress() {
        return progress;
    }

    @Override
    public ProviderLog log() {
        return log;
    }

    @Override
    public synchronized Path tempDirectory() {
        if (temp == null) {
            try {
                Files.createDirectories(tempParent);
                temp = Files.createTempDirectory(tempParent, "rear-provider-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a temporary directory under " + tempParent + ": " + e.getMessage(), e);
            }
        }
        return temp;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public @Nullable Instant deadline() {
        return deadline;
    }

    @Override
    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    /** Sleeps in slices of at most 100 ms, so Ctrl-C and the deadline end the wait at once. */
    @Override
    public void pause(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot pause for a negative duration: " + duration);
        }
        long end = System.nanoTime() + duration.toNanos();
        while (true) {
            checkCancelled();
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(ProviderException.Kind.CANCELLED, "interrupted while waiting");
            }
        }
    }

    @Override
    public Optional<String> ask(String question, boolean secret) {
        Optional<String> answer = prompt.ask(question, secret);
        log.debug("asked: " + question + " -> " + (answer.isEmpty() ? "no answer (nobody to ask)" : secret ? "(a secret answer)" : answer.get()));
        return answer;
    }

    /** Deletes the temporary directory (if one was made) with everything in it. */
    @Override
    public synchronized void close() {
        if (temp == null) {
            return;
        }
        Path t = temp;
        temp = null;
        deleteTree(t);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the provider's temporary directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** Builds an {@link EngineProviderContext}; defaults: no progress, no log, system temp dir, UTC clock, no deadline, not cancelled, nobody to ask. */
    public static final class Builder {
        private final ProviderSettings settings;
        private final CommandRunner commands;
        private ProgressSink progress = p -> { };
        private ProviderLog log = ProviderLog.NONE;
        private Path tempParent = Path.of(System.getProperty("java.io.tmpdir"));
        private Clock clock = Clock.systemUTC();
        private @Nullable Instant deadline;
        private BooleanSupplier cancelled = () -> false;
        private Prompt prompt = Prompt.NOBODY;

        private Builder(ProviderSettings settings, CommandRunner commands) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.commands = Objects.requireNonNull(commands, "commands");
        }

        public Builder progress(ProgressSink sink) {
            this.progress = sink;
            return this;
        }

        public Builder log(ProviderLog l) {
            this.log = l;
            return this;
        }

        /** Where the temporary directory is made. */
        public Builder tempParent(Path dir) {
            this.tempParent = dir;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public Builder deadline(@Nullable Instant d) {
            this.deadline = d;
            return this;
        }

        /** The flag Ctrl-C / SIGTERM set. */
        public Builder cancelled(BooleanSupplier flag) {
            this.cancelled = flag;
            return this;
        }

        public Builder prompt(Prompt p) {
            this.prompt = p;
            return this;
        }

        public EngineProviderContext build() {
            return new EngineProviderContext(this);
        }
    }
}
