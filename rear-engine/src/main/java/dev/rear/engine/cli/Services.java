package dev.rear.engine.cli;

import dev.rear.engine.discovery.Discovery;
import dev.rear.engine.discovery.DiscoveryOptions;

/** What the commands need from the outside world; tests give fakes. */
public interface Services {

    /** The discovery of this machine under the given options. */
    Discovery discovery(DiscoveryOptions options);
}
