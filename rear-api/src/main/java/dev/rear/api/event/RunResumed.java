package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run continues in the same journal: after a crash (the journal ended part-way) or after a
 * failure (it ended with {@code run.finished failed} and the cause was fixed). Steps that ended
 * before are not run again; the interrupted or failed step is checked again, then run.
 *
 * @param after     what stopped the run
 * @param stepId    the step that was interrupted or failed; {@code null} when the crash came between steps
 * @param remaining the steps still to do, in plan order, as the resumed run found them
 * @since 0.1
 */
public record RunResumed(@JsonProperty(required = true) After after, @Nullable String stepId, List<String> remaining)
        implements JournalEvent {
    public static final String TYPE = "run.resumed";

    /** What a resumed run had stopped at. */
    public enum After {
        @JsonProperty("crash") CRASH,
        @JsonProperty("failure") FAILURE
    }

    public RunResumed {
        Objects.requireNonNull(after, "after");
        remaining = remaining == null ? List.of() : List.copyOf(remaining);
    }
}
