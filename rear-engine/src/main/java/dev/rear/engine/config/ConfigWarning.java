package dev.rear.engine.config;

/**
 * Something in the configuration rear reads but does not act on, or a default the administrator
 * should know about; the caller prints it. {@code file} is {@code "rear defaults"} and
 * {@code line} 0 when no file is concerned.
 *
 * @param file    the file concerned
 * @param line    1-based line, or 0
 * @param message one sentence
 */
public record ConfigWarning(String file, int line, String message) {

    /** {@code FILE:LINE: message}, or {@code FILE: message} without a line. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
