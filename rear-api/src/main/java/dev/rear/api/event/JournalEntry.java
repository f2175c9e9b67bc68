package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a journal: an event in its envelope.
 *
 * @param seq    its position, from 1, without gaps
 * @param at     when it was recorded
 * @param runId  the run it belongs to
 * @param prev   the SHA-256 (hex) of the previous line's bytes; 64 zeros on the first line
 * @param event  the event
 * @since 0.1
 */
public record JournalEntry(@JsonProperty(required = true) long seq, @JsonProperty(required = true) Instant at,
                           @JsonProperty(required = true) String runId, @JsonProperty(required = true) String prev,
                           @JsonProperty(required = true) JournalEvent event) {

    /** The {@code prev} of the first line. */
    public static final String GENESIS = "0".repeat(64);

    public JournalEntry {
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, not " + seq);
        }
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(prev, "prev");
        Objects.requireNonNull(event, "event");
    }
}
