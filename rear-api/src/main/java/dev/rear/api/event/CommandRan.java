package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * A command a step ran, recorded after it ended and before the next one starts.
 *
 * @param stepId         the step it belongs to
 * @param argv           the argv with every secret replaced by {@code ***}
 * @param exitCode       its exit code
 * @param stderrTail     the last lines of its standard error (empty when it printed none)
 * @param durationMillis how long it ran
 * @since 0.1
 */
public record CommandRan(@JsonProperty(required = true) String stepId, @JsonProperty(required = true) List<String> argv,
                         @JsonProperty(required = true) int exitCode, @JsonProperty(required = true) String stderrTail,
                         @JsonProperty(required = true) long durationMillis) implements JournalEvent {
    public static final String TYPE = "command.ran";

    public CommandRan {
        Objects.requireNonNull(stepId, "stepId");
        argv = List.copyOf(argv);
        Objects.requireNonNull(stderrTail, "stderrTail");
    }
}
