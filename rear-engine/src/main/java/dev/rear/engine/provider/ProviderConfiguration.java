package dev.rear.engine.provider;

import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.engine.config.ConfigValue;
import dev.rear.engine.config.RearConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** From rear's configuration to what a provider works with. */
public final class ProviderConfiguration {
    private ProviderConfiguration() {}

    /**
     * The provider that serves the configuration's {@code BACKUP}.
     *
     * @throws ProviderSelectionException when none (or an end-of-life method) does, naming the ids found
     */
    public static BackupProvider select(RearConfig config, ProviderRegistry registry) {
        return registry.select(BackupMethods.providerId(config.backup().name()));
    }

    /**
     * Every configuration variable in effect (defaults included) as provider settings: arrays stay
     * arrays; secret by rear's rules ({@link RearConfig#isSecret}) or because the provider names them
     * ({@link BackupProvider#secretSettings()}).
     */
    public static ProviderSettings settings(RearConfig config, BackupProvider provider) {
        ProviderSettings.Builder b = ProviderSettings.builder();
        List<String> secret = new ArrayList<>(provider.secretSettings());
        for (Map.Entry<String, ConfigValue> e : config.withPrefix("").entrySet()) {
            String name = e.getKey();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                continue;
            }
            ConfigValue v = e.getValue();
            if (v.array()) {
                b.set(name, v.elements());
            } else {
                b.set(name, v.text());
            }
            if (config.isSecret(name)) {
                secret.add(name);
            }
        }
        return b.markSecret(secret).build();
    }

    /** The errors among a provider's diagnostics, one per line ({@code BACKUP_URL: ...}). */
    public static String errors(List<Diagnostic> diagnostics) {
        return diagnostics.stream().filter(Diagnostic::isError)
                .map(d -> (d.setting() == null ? "" : d.setting() + ": ") + d.message()).collect(Collectors.joining("; "));
    }
}
