package dev.rear.engine.provider;

import dev.rear.api.spi.ProviderLog;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's log lines into rear's log (the run's log file, or the console with {@code -v}/{@code -d}),
 * under the logger {@code rear.provider.ID}; warnings also to the administrator through {@code console}.
 */
public final class LoggingProviderLog implements ProviderLog {
    private final Logger logger;
    private final Consumer<String> console;

    /**
     * @param providerId the provider's id (names the logger)
     * @param console    where warnings go for the administrator too (e.g. standard error); may drop them
     */
    public LoggingProviderLog(String providerId, Consumer<String> console) {
        this.logger = LoggerFactory.getLogger("rear.provider." + providerId);
        this.console = console;
    }

    @Override
    public void debug(String message) {
        logger.debug(message);
    }

    @Override
    public void info(String message) {
        logger.info(message);
    }

    @Override
    public void warn(String message) {
        logger.warn(message);
        console.accept(message);
    }
}
