package dev.rear.engine.provider;

import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@link FakeTarProvider} with a daemon, as Bacula's {@code bacula-fd}: {@code store/fd-start.sh}
 * (which the test writes) starts it, {@code store/fd-ready} tells it is ready, {@code store/fd-stop.sh}
 * stops it. Its restore refuses to run unless the daemon is ready.
 */
public class ServiceProvider extends FakeTarProvider {

    @Override
    public RescueRequirements rescueRequirements(ProviderContext context) {
        Path s = store(context);
        return RescueRequirements.builder().service(new RescueRequirements.RescueService("fake-fd",
                List.of("sh", s.resolve("fd-start.sh").toString()), List.of("test", "-f", s.resolve("fd-ready").toString()),
                List.of("sh", s.resolve("fd-stop.sh").toString()), Duration.ofSeconds(10))).build();
    }

    @Override
    public RestoreResult restore(RestoreRequest request, ProviderContext context) {
        if (!Files.exists(store(context).resolve("fd-ready"))) {
            throw new ProviderException(ProviderException.Kind.FAILED, "the file daemon fake-fd is not running");
        }
        return super.restore(request, context);
    }
}
