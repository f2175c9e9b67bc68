package dev.rear.api.spi;

/**
 * Where a provider writes diagnostics: the engine routes them into rear's log (and, at
 * {@link #info} and above, to the console when verbose). rear-api deliberately has no logging
 * framework; this is all a provider needs. Messages are plain sentences and never contain a secret.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public interface ProviderLog {

    /** A log that drops everything. */
    ProviderLog NONE = new ProviderLog() {
        @Override
        public void debug(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
    };

    /** Detail for finding a problem later (parsed values, decisions taken). */
    void debug(String message);

    /** A step the administrator may want to follow ({@code "restoring filespace /home"}). */
    void info(String message);

    /** Something went wrong but the operation goes on (a file skipped, a retry). */
    void warn(String message);
}
