package dev.rear.engine.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.Capability;
import dev.rear.engine.provider.ProviderRegistry.Entry;
import dev.rear.engine.provider.ProviderRegistry.Status;
import dev.rear.engine.provider.TestProviders.BadId;
import dev.rear.engine.provider.TestProviders.CapabilitiesThrow;
import dev.rear.engine.provider.TestProviders.Contradictory;
import dev.rear.engine.provider.TestProviders.FailsToInitialize;
import dev.rear.engine.provider.TestProviders.FromTheFuture;
import dev.rear.engine.provider.TestProviders.Good;
import dev.rear.engine.provider.TestProviders.NewerMinor;
import dev.rear.engine.provider.TestProviders.ThrowsInConstructor;
import dev.rear.engine.provider.TestProviders.TwinA;
import dev.rear.engine.provider.TestProviders.TwinB;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

    @TempDir
    Path tmp;

    private ProviderRegistry registryOf(Class<?>... classes) {
        return ProviderRegistry.load(TestProviders.offering(tmp, classes));
    }

    private static Entry entry(ProviderRegistry r, Class<?> type) {
        return r.entries().stream().filter(e -> e.className().equals(type.getName())).findFirst().orElseThrow();
    }

    @Test
    void findsTheTestKitsExampleProviderThroughServiceLoader() {
        ProviderRegistry r = ProviderRegistry.load();
        Entry dircopy = r.entries().stream().filter(e -> "dircopy".equals(e.id())).findFirst().orElseThrow();
        assertThat(dircopy.status()).isEqualTo(Status.LOADED);
        assertThat(dircopy.className()).isEqualTo("dev.rear.testkit.example.DirectoryCopyProvider");
        assertThat(dircopy.location()).containsAnyOf("rear-testkit", "test-classes");
        assertThat(dircopy.version()).isNotBlank();
        assertThat(dircopy.apiVersion()).isEqualTo(BackupProvider.API_VERSION);
        assertThat(dircopy.capabilities()).contains(Capability.BACKUP, Capability.RESTORE, Capability.VERIFY);
        assertThat(r.select("dircopy").getClass().getName()).isEqualTo("dev.rear.testkit.example.DirectoryCopyProvider");
    }

    @Test
    void selectsTheProviderWithTheExactId() {
        ProviderRegistry r = registryOf(Good.class, FromTheFuture.class);
        assertThat(r.select("good")).isInstanceOf(Good.class);
        assertThat(r.ids()).containsExactly("good");
        assertThat(r.problems()).hasSize(1);
    }

    @Test
    void aProviderWhoseConstructorThrowsIsIsolatedAndReported() {
        ProviderRegistry r = registryOf(ThrowsInConstructor.class, Good.class);
        Entry failed = entry(r, ThrowsInConstructor.class);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.reason()).isEqualTo("could not be instantiated: IllegalStateException: no licence file /opt/vendor/licence");
        assertThat(failed.location()).isNotBlank();
        assertThat(failed.provider()).isNull();
        assertThat(r.select("good")).isInstanceOf(Good.class);
    }

    @Test
    void aProviderWhoseStaticInitializerFailsIsIsolated() {
        ProviderRegistry r = registryOf(FailsToInitialize.class, Good.class);
        assertThat(entry(r, FailsToInitialize.class).status()).isEqualTo(Status.FAILED);
        assertThat(entry(r, FailsToInitialize.class).reason()).contains("ExceptionInInitializerError");
        assertThat(r.ids()).containsExactly("good");
    }

    @Test
    void aMissingProviderClassIsReportedByNameAndTheRestStillLoad() {
        ProviderRegistry r = ProviderRegistry.load(TestProviders.offering(tmp, "com.example.rear.DoesNotExist",
                TestProviders.class.getName(), Good.class.getName()));
        assertThat(r.entries()).filteredOn(e -> e.className().equals("com.example.rear.DoesNotExist")).singleElement()
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo(Status.FAILED);
                    assertThat(e.reason()).contains("not found");
                });
        assertThat(r.entries()).filteredOn(e -> e.className().equals(TestProviders.class.getName())).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("could not be loaded: " + TestProviders.class.getName() + " not a subtype"));
        assertThat(r.ids()).containsExactly("good");
    }

    @Test
    void aProviderWhoseCapabilitiesThrowIsAFailure() {
        ProviderRegistry r = registryOf(CapabilitiesThrow.class);
        Entry e = entry(r, CapabilitiesThrow.class);
        assertThat(e.status()).isEqualTo(Status.FAILED);
        assertThat(e.reason()).isEqualTo("capabilities() threw IllegalStateException: cannot read the vendor's feature list");
        assertThatThrownBy(() -> r.select("flaky")).isInstanceOf(ProviderSelectionException.class)
                .hasMessageContaining("1 more could not be loaded");
    }

    @Test
    void duplicateIdsAreAllReportedAndNeitherCanBeSelected() {
        ProviderRegistry r = registryOf(TwinA.class, TwinB.class, Good.class);
        assertThat(entry(r, TwinA.class).status()).isEqualTo(Status.DUPLICATE);
        assertThat(entry(r, TwinA.class).reason()).contains(TwinB.class.getName());
        assertThat(entry(r, TwinB.class).status()).isEqualTo(Status.DUPLICATE);
        assertThat(entry(r, TwinB.class).reason()).contains(TwinA.class.getName());
        assertThat(r.ids()).containsExactly("good");
        assertThatThrownBy(() -> r.select("twin")).isInstanceOf(ProviderSelectionException.class)
                .hasMessageContaining("backup provider id 'twin' is claimed by 2 providers")
                .hasMessageContaining(TwinA.class.getName()).hasMessageContaining(TwinB.class.getName())
                .hasMessageContaining("available: good");
    }

    @Test
    void aProviderBuiltForAnotherMajorSpiVersionIsRefused() {
        ProviderRegistry r = registryOf(FromTheFuture.class, Good.class);
        Entry e = entry(r, FromTheFuture.class);
        assertThat(e.status()).isEqualTo(Status.REFUSED);
        assertThat(e.id()).isEqualTo("future");
        assertThat(e.apiVersion()).isEqualTo("2.0");
        assertThat(e.reason()).contains("built for provider SPI 2.0").contains("this rear provides SPI " + BackupProvider.API_VERSION);
        assertThat(e.provider()).isNull();
        assertThatThrownBy(() -> r.select("future")).isInstanceOf(ProviderSelectionException.class)
                .hasMessageContaining("backup provider 'future'").hasMessageContaining("was refused")
                .hasMessageContaining("SPI 2.0").hasMessageContaining("available: good");
    }

    @Test
    void aProviderBuiltForANewerMinorSpiVersionIsRefused() {
        Entry e = entry(registryOf(NewerMinor.class), NewerMinor.class);
        assertThat(e.status()).isEqualTo(Status.REFUSED);
        assertThat(e.reason()).contains("SPI 1.99");
    }

    @Test
    void malformedIdsAndContradictoryCapabilitiesAreRefused() {
        ProviderRegistry r = registryOf(BadId.class, Contradictory.class);
        assertThat(entry(r, BadId.class).status()).isEqualTo(Status.REFUSED);
        assertThat(entry(r, BadId.class).reason()).contains("'Bad_Id' is not a lower-case name");
        assertThat(entry(r, Contradictory.class).status()).isEqualTo(Status.REFUSED);
        assertThat(entry(r, Contradictory.class).reason()).contains("does not declare restore").contains("incremental without backup");
    }

    @Test
    void anUnknownIdIsAnErrorListingTheIdsFoundNeverAFallback() {
        ProviderRegistry r = registryOf(Good.class, TwinA.class);
        assertThatThrownBy(() -> r.select("tsm")).isInstanceOfSatisfying(ProviderSelectionException.class, e -> {
            assertThat(e.requestedId()).isEqualTo("tsm");
            assertThat(e.available()).containsExactly("good", "twin");
        }).hasMessage("no backup provider 'tsm' was found; available: good, twin");
        assertThatThrownBy(() -> r.select("Good")).as("ids are exact").isInstanceOf(ProviderSelectionException.class);
    }

    @Test
    void withNoProviderAtAllSelectionSaysNoneIsInstalled() {
        ProviderRegistry r = registryOf();
        assertThat(r.entries()).isEmpty();
        assertThatThrownBy(() -> r.select("tar")).hasMessage("no backup provider 'tar' was found; no backup provider is installed");
    }

    @Test
    void entriesAreSortedByIdThenClassWithNamelessOnesLast() {
        ProviderRegistry r = registryOf(ThrowsInConstructor.class, TwinB.class, Good.class, TwinA.class);
        assertThat(r.entries()).extracting(Entry::className).containsExactly(Good.class.getName(), TwinA.class.getName(),
                TwinB.class.getName(), ThrowsInConstructor.class.getName());
        assertThat(r.problems()).extracting(Entry::status).containsExactly(Status.DUPLICATE, Status.DUPLICATE, Status.FAILED);
    }

    @Test
    void describesLoaderErrorsInOnePhrase() {
        assertThat(ProviderRegistry.classNameIn(new java.util.ServiceConfigurationError(
                BackupProvider.class.getName() + ": Provider com.x.Y not found"))).isEqualTo("com.x.Y");
        assertThat(ProviderRegistry.classNameIn(new RuntimeException("no class here"))).isEqualTo("(unknown)");
        assertThat(ProviderRegistry.describe(new java.util.ServiceConfigurationError(
                BackupProvider.class.getName() + ": Provider com.x.Y not found"))).isEqualTo("Provider com.x.Y not found");
        assertThat(List.of(ProviderRegistry.describe(new NoClassDefFoundError("com/vendor/Lib"))))
                .containsExactly("NoClassDefFoundError: com/vendor/Lib");
    }
}
