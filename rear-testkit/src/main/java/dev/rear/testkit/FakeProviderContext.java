package dev.rear.testkit;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ProviderContext} without the engine: settings as given, a command runner of the test's
 * choice (by default a {@link RecordingCommandRunner} that knows no command), a
 * {@link MutableClock} that {@link #pause} advances instead of sleeping, and recorders for
 * progress, log lines, questions and pauses. {@link #leakedSecrets()} finds secret setting values
 * in anything recorded.
 *
 * <pre>{@code
 * FakeProviderContext ctx = FakeProviderContext.builder(tempDir)
 *         .settings(ProviderSettings.builder().set("GALAXY11_BACKUPSET", "defaultBackupSet").build())
 *         .commands(runner)
 *         .deadline(Duration.ofHours(1))
 *         .build();
 * }</pre>
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public final class FakeProviderContext implements ProviderContext {

    /** Where the fake clock starts unless told otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2030-01-02T03:04:05Z");

    /** Secret values shorter than this are not searched for by {@link #leakedSecrets()}: too likely to occur by chance. */
    public static final int MIN_SECRET_LENGTH_CHECKED = 4;

    private final ProviderSettings settings;
    private final CommandRunner commands;
    private final RecordingProgressSink progress = new RecordingProgressSink();
    private final RecordingProviderLog log = new RecordingProviderLog();
    private final Path tempDirectory;
    private final MutableClock clock;
    private final @Nullable Instant deadline;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final int cancelAfterPauses;
    private final Deque<String> answers;
    private final List<String> questions = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();

    private FakeProviderContext(Builder b) {
        this.settings = b.settings;
        this.commands = b.commands;
        this.tempDirectory = b.tempDirectory;
        this.clock = b.clock;
        this.deadline = b.deadlineAfter == null ? null : b.clock.instant().plus(b.deadlineAfter);
        this.cancelled.set(b.cancelled);
        this.cancelAfterPauses = b.cancelAfterPauses;
        this.answers = new ArrayDeque<>(b.answers);
    }

    /**
     * A builder; {@code tempDirectory} is created if missing and must be empty.
     *
     * @param tempDirectory what {@link #tempDirectory()} returns
     */
    public static Builder builder(Path tempDirectory) {
        return new Builder(tempDirectory);
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
    public RecordingProgressSink progress() {
        return progress;
    }

    @Override
    public RecordingProviderLog log() {
        return log;
    }

    @Override
    public Path tempDirectory() {
        return tempDirectory;
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public @Nullable Instant deadline() {
        return deadline;
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Cancels the operation, as Ctrl-C would. */
    public void cancel() {
        cancelled.set(true);
    }

    /** Advances the fake clock instead of sleeping; cancels first if told to after so many pauses. */
    @Override
    public void pause(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot pause for a negative duration: " + duration);
        }
        checkCancelled();
        synchronized (pauses) {
            pauses.add(duration);
            if (cancelAfterPauses > 0 && pauses.size() >= cancelAfterPauses) {
                cancel();
            }
        }
        clock.advance(duration);
        checkCancelled();
    }

    @Override
    public synchronized Optional<String> ask(String question, boolean secret) {
        questions.add(question);
        return Optional.ofNullable(answers.poll());
    }

    /** The questions asked, in order. */
    public synchronized List<String> questions() {
        return List.copyOf(questions);
    }

    /** The pauses taken, in order. */
    public List<Duration> pauses() {
        synchronized (pauses) {
            return List.copyOf(pauses);
        }
    }

    /**
     * The secret setting values (of at least {@value #MIN_SECRET_LENGTH_CHECKED} characters) that
     * appear in a log line, a progress phase, a question, or — when the runner is a
     * {@link RecordingCommandRunner} — a redacted command line. Should be empty.
     */
    public Set<String> leakedSecrets() {
        List<String> seen = new ArrayList<>(log.lines());
        seen.addAll(progress.phases());
        seen.addAll(questions());
        if (commands instanceof RecordingCommandRunner r) {
            seen.addAll(r.displayed());
        }
        return secretsIn(settings, seen);
    }

    /** The secret values of {@code settings} (of at least {@value #MIN_SECRET_LENGTH_CHECKED} characters) found in {@code texts}. */
    public static Set<String> secretsIn(ProviderSettings settings, List<String> texts) {
        Set<String> leaked = new LinkedHashSet<>();
        for (String secret : settings.secretValues()) {
            if (secret.length() >= MIN_SECRET_LENGTH_CHECKED && texts.stream().anyMatch(t -> t.contains(secret))) {
                leaked.add(secret);
            }
        }
        return leaked;
    }

    /** Builds a {@link FakeProviderContext}. */
    public static final class Builder {
        private final Path tempDirectory;
        private ProviderSettings settings = ProviderSettings.empty();
        private CommandRunner commands = RecordingCommandRunner.strict();
        private MutableClock clock = new MutableClock(DEFAULT_START);
        private @Nullable Duration deadlineAfter;
        private boolean cancelled;
        private int cancelAfterPauses;
        private final List<String> answers = new ArrayList<>();

        private Builder(Path tempDirectory) {
            this.tempDirectory = tempDirectory;
        }

        public Builder settings(ProviderSettings s) {
            this.settings = s;
            return this;
        }

        public Builder commands(CommandRunner runner) {
            this.commands = runner;
            return this;
        }

        /** Shares a clock between contexts (a backup and a later restore). */
        public Builder clock(MutableClock c) {
            this.clock = c;
            return this;
        }

        /** A deadline this long after the clock's current time. */
        public Builder deadline(Duration after) {
            this.deadlineAfter = after;
            return this;
        }

        /** Starts cancelled. */
        public Builder cancelled() {
            this.cancelled = true;
            return this;
        }

        /** Cancels during the {@code n}-th {@link #pause} (n ≥ 1). */
        public Builder cancelAfterPauses(int n) {
            this.cancelAfterPauses = n;
            return this;
        }

        /** Answers the next question (unanswered questions get an empty answer, as when unattended). */
        public Builder answer(String answer) {
            answers.add(answer);
            return this;
        }

        public FakeProviderContext build() {
            try {
                Files.createDirectories(tempDirectory);
                try (var s = Files.list(tempDirectory)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalStateException("the temporary directory " + tempDirectory + " is not empty");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new FakeProviderContext(this);
        }
    }
}
