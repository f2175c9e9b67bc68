package dev.rear.engine.provider;

import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Providers that behave well and badly, and a class loader that offers exactly the ones a test
 * names through {@code META-INF/services}, hiding every other services file on the class path.
 */
public final class TestProviders {
    private TestProviders() {}

    static final String SERVICES = "META-INF/services/" + BackupProvider.class.getName();

    /** A class loader whose only {@code BackupProvider} services file lists {@code classNames}. */
    public static ClassLoader offering(Path dir, String... classNames) {
        try {
            Path file = dir.resolve(SERVICES);
            Files.createDirectories(file.getParent());
            Files.write(file, List.of(classNames));
            URL url = file.toUri().toURL();
            return new URLClassLoader(new URL[0], TestProviders.class.getClassLoader()) {
                @Override
                public Enumeration<URL> getResources(String name) throws IOException {
                    return SERVICES.equals(name) ? Collections.enumeration(List.of(url)) : super.getResources(name);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A class loader offering these provider classes. */
    public static ClassLoader offering(Path dir, Class<?>... classes) {
        return offering(dir, java.util.Arrays.stream(classes).map(Class::getName).toArray(String[]::new));
    }

    /** A well-behaved provider; subclasses change one thing. */
    public static class Good implements BackupProvider {
        @Override
        public String id() {
            return "good";
        }

        @Override
        public String apiVersion() {
            return API_VERSION;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.RESTORE, Capability.VERIFY);
        }

        @Override
        public List<Diagnostic> validate(ProviderSettings settings) {
            return List.of();
        }

        @Override
        public RescueRequirements rescueRequirements(ProviderContext context) {
            return RescueRequirements.none();
        }

        @Override
        public RestoreResult restore(RestoreRequest request, ProviderContext context) {
            throw new UnsupportedOperationException("a registry test never restores");
        }
    }

    /** Its constructor fails, as a plugin missing its licence file might. */
    public static final class ThrowsInConstructor extends Good {
        public ThrowsInConstructor() {
            throw new IllegalStateException("no licence file /opt/vendor/licence");
        }
    }

    /** Its static initializer fails. */
    public static final class FailsToInitialize extends Good {
        static final int VALUE = Integer.parseInt("not a number");
    }

    /** Its capabilities() throws. */
    public static final class CapabilitiesThrow extends Good {
        @Override
        public String id() {
            return "flaky";
        }

        @Override
        public Set<Capability> capabilities() {
            throw new IllegalStateException("cannot read the vendor's feature list");
        }
    }

    /** Built for the next major SPI version. */
    public static final class FromTheFuture extends Good {
        @Override
        public String id() {
            return "future";
        }

        @Override
        public String apiVersion() {
            return "2.0";
        }
    }

    /** Built for a newer minor SPI version than this rear has. */
    public static final class NewerMinor extends Good {
        @Override
        public String id() {
            return "newer";
        }

        @Override
        public String apiVersion() {
            return "1.99";
        }
    }

    /** One of two claiming the id "twin". */
    public static final class TwinA extends Good {
        @Override
        public String id() {
            return "twin";
        }
    }

    /** The other claiming the id "twin". */
    public static final class TwinB extends Good {
        @Override
        public String id() {
            return "twin";
        }
    }

    /** An id that is not a lower-case name. */
    public static final class BadId extends Good {
        @Override
        public String id() {
            return "Bad_Id";
        }
    }

    /** Declares incremental backups but neither backup nor restore. */
    public static final class Contradictory extends Good {
        @Override
        public String id() {
            return "contradictory";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.INCREMENTAL);
        }
    }
}
