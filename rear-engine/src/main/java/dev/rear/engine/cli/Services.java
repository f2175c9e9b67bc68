package dev.rear.engine.cli;

import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.discovery.Discovery;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.output.Outputs;
import dev.rear.engine.output.RescueOutput;
import dev.rear.engine.provider.ProviderRegistry;
import dev.rear.engine.rescue.InitramfsBuilder;
import dev.rear.engine.rescue.RescueBuilder;
import dev.rear.engine.workflow.RearDistribution;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What the commands need from the outside world; tests give fakes. */
public interface Services {

    /** The discovery of this machine under the given options. */
    Discovery discovery(DiscoveryOptions options);

    /** The backup providers on the class path (loaded afresh on each call). */
    default ProviderRegistry providers() {
        return ProviderRegistry.load();
    }

    /** What builds the rescue system ({@code mkrescue}). */
    default RescueBuilder rescueBuilder() {
        return new InitramfsBuilder();
    }

    /** What writes the rescue system in the form {@code OUTPUT} names. */
    default RescueOutput output(OutputMethod method) {
        return Outputs.forMethod(method);
    }

    /** The rear distribution this rear runs from (carried into the rescue system); empty when it runs from classes. */
    default Optional<Path> distribution() {
        return RearDistribution.locate();
    }

    /**
     * Where the writing workflows take the one-instance lock, or {@code null} for none. The process
     * ({@link Main}) uses {@code /run/rear}; runs inside another program's JVM (tests) take none
     * unless they ask for one, so they do not contend with a real rear on the same machine.
     */
    default @Nullable Path lockDirectory() {
        return null;
    }

    /** This run's log file ({@code /var/log/rear/rear-HOST.log}), copied into a recovered system; null when there is none. */
    default @Nullable Path runLog() {
        return null;
    }
}
