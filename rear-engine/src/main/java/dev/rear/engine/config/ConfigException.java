package dev.rear.engine.config;

import dev.rear.api.RearException;

/**
 * A configuration file rear refuses: a line that is not an assignment, a value of the wrong form,
 * a file that cannot be read. The message is {@code FILE:LINE: reason} (or {@code FILE: reason}
 * when no line is concerned), one sentence that says what is wrong and what to write instead, e.g.
 * {@code /etc/rear/local.conf:12: command substitution $(...) is not supported: write the value itself}.
 */
public class ConfigException extends RearException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    /**
     * @param file   the file as the administrator knows it ({@code /etc/rear/local.conf})
     * @param line   1-based line, or 0 when the problem is the file as a whole
     * @param column 1-based column within the line, or 0 when it does not help
     * @param reason what is wrong, and what to write instead
     */
    public ConfigException(String file, int line, int column, String reason) {
        super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** A problem with the file as a whole (missing, unreadable). */
    public ConfigException(String file, String reason) {
        this(file, 0, 0, reason);
    }

    /** The file concerned. */
    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    /** The 1-based column within {@link #line()}, or 0 when not known or not useful. */
    public int column() {
        return column;
    }

    /** The message without the {@code FILE:LINE: } prefix. */
    public String reason() {
        return reason;
    }
}
