package dev.rear.engine.provider;

import dev.rear.api.spi.Capability;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueImageRequest;
import dev.rear.api.spi.RescueImageResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link RescueNeedsProvider} that also {@link Capability#STORE_RESCUE_IMAGE stores the rescue
 * image} when {@code FAKE_STORE_IMAGE=yes}: it copies the artifacts into {@code store/images/} and
 * records {@code store-image [paths]} in {@code store/calls}. A file {@code FAIL_STORE} in the
 * store makes it fail as an unreachable server does.
 */
public class ImageStoringProvider extends RescueNeedsProvider {

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> c = EnumSet.copyOf(super.capabilities());
        c.add(Capability.STORE_RESCUE_IMAGE);
        return c;
    }

    @Override
    public boolean storesRescueImage(ProviderSettings settings) {
        return settings.flag("FAKE_STORE_IMAGE", false);
    }

    @Override
    public RescueImageResult storeRescueImage(RescueImageRequest request, ProviderContext context) {
        call(context, "store-image " + request.artifacts() + " from " + request.outputDir());
        Path store = store(context);
        if (Files.exists(store.resolve("FAIL_STORE"))) {
            throw new ProviderException(ProviderException.Kind.UNREACHABLE, "the fake server cannot be reached");
        }
        List<String> stored = new ArrayList<>();
        try {
            Path images = Files.createDirectories(store.resolve("images"));
            for (Path a : request.artifacts()) {
                Path copy = images.resolve(a.getFileName().toString());
                Files.copy(a, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                stored.add("fake server: " + copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RescueImageResult(stored, List.of(), List.of(), Map.of("images", Integer.toString(stored.size())));
    }
}
