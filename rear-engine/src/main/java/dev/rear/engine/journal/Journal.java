package dev.rear.engine.journal;

import dev.rear.api.event.JournalEntry;
import dev.rear.api.event.JournalEvent;
import java.nio.file.Path;
import java.util.List;

/**
 * A journal as read back: every entry verified.
 *
 * @param file        where it was read from
 * @param entries     the entries, in order
 * @param tornTail    whether a last line cut short by a crash was dropped
 * @param validBytes  how many bytes of the file are whole, verified lines (a resumed writer truncates to this)
 */
public record Journal(Path file, List<JournalEntry> entries, boolean tornTail, long validBytes) {
    public Journal {
        entries = List.copyOf(entries);
    }

    /** The events alone, in order. */
    public List<JournalEvent> events() {
        return entries.stream().map(JournalEntry::event).toList();
    }

    /** The state these events lead to. */
    public RunState state() {
        return RunState.fold(events());
    }
}
