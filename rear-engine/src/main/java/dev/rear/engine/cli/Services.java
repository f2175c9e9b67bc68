package dev.rear.engine.cli;

import dev.rear.engine.discovery.Discovery;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.provider.ProviderRegistry;

/** What the commands need from the outside world; tests give fakes. */
public interface Services {

    /** The discovery of this machine under the given options. */
    Discovery discovery(DiscoveryOptions options);

    /** The backup providers on the class path (loaded afresh on each call). */
    default ProviderRegistry providers() {
        return ProviderRegistry.load();
    }
}
