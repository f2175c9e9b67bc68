package dev.rear.engine.journal;

import dev.rear.api.RearException;

/** A journal that is not what rear wrote: a broken line, a gap, a link that does not match. Names the line. */
public class JournalCorruptException extends RearException {
    private static final long serialVersionUID = 1L;

    private final int line;

    public JournalCorruptException(String file, int line, String reason) {
        super(file + ":" + line + ": " + reason + "; the journal was changed or damaged after it was written, so it cannot be trusted"
                + " to resume from");
        this.line = line;
    }

    /** The 1-based line number of the first problem. */
    public int line() {
        return line;
    }
}
