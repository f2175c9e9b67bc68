package dev.rear.testkit;

import dev.rear.api.spi.ProviderSettings;
import java.util.Objects;

/**
 * One way of getting a provider's settings wrong, and the setting {@code validate} must blame.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param description what is wrong, for the test's name ({@code "BACKUP_URL with an unknown scheme"})
 * @param setting     the setting an {@code ERROR} diagnostic must name
 * @param settings    the settings
 * @since 0.1
 */
public record InvalidSettings(String description, String setting, ProviderSettings settings) {

    public InvalidSettings {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(settings, "settings");
    }
}
