package dev.rear.engine.recover;

import dev.rear.api.RearException;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.ProviderException;
import java.io.UncheckedIOException;
import java.util.Locale;

/** How a provider's failure becomes a step's failure: one sentence naming the provider and the kind. */
final class ProviderStepFailure {
    private ProviderStepFailure() {}

    static StepActionException of(BackupProvider provider, String what, RuntimeException e) {
        if (e instanceof ProviderException p) {
            return new StepActionException("backup provider '" + provider.id() + "' " + what + " failed ("
                    + p.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " + p.getMessage(), p);
        }
        if (e instanceof RearException || e instanceof UncheckedIOException) {
            return new StepActionException("backup provider '" + provider.id() + "' " + what + " failed: " + e.getMessage(), e);
        }
        return new StepActionException("backup provider '" + provider.id() + "' " + what + " failed unexpectedly (a bug in the provider): "
                + e, e);
    }
}
