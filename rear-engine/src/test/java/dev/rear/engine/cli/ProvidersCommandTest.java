package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rear.engine.discovery.Discovery;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.provider.ProviderRegistry;
import dev.rear.engine.provider.TestProviders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rear providers}: what is on the class path, what is broken, and the exit code that says so. */
class ProvidersCommandTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    private static Run rear(Services services, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), services, args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The real class path: rear-testkit's example provider is on it (test scope). */
    private static Run rear(String... args) {
        return rear(Defaults.SERVICES, args);
    }

    private Services offering(Class<?>... providers) {
        ProviderRegistry registry = ProviderRegistry.load(TestProviders.offering(tmp, providers));
        return new Services() {
            @Override
            public Discovery discovery(DiscoveryOptions options) {
                throw new AssertionError("rear providers discovers nothing");
            }

            @Override
            public ProviderRegistry providers() {
                return registry;
            }
        };
    }

    private static JsonNode json(Run r) throws Exception {
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void listsEachProviderWithVersionCapabilitiesAndJar() {
        Run r = rear("providers");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("dircopy ")
                .contains("(SPI " + dev.rear.api.spi.BackupProvider.API_VERSION + ")")
                .contains("  capabilities: backup, restore, point-in-time, selective-restore, list-restore-points, verify")
                .contains("  class:        dev.rear.testkit.example.DirectoryCopyProvider")
                .containsPattern("  jar: +\\S*(rear-testkit|test-classes)")
                .endsWith("rear providers: 1 usable\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonListsTheSameForScripts() throws Exception {
        Run r = rear("providers", "--json");
        assertThat(r.code()).isZero();
        JsonNode doc = json(r);
        assertThat(doc.get("spiVersion").asText()).isEqualTo(dev.rear.api.spi.BackupProvider.API_VERSION);
        JsonNode p = doc.get("providers").get(0);
        assertThat(p.get("id").asText()).isEqualTo("dircopy");
        assertThat(p.get("status").asText()).isEqualTo("loaded");
        assertThat(p.get("version").asText()).isNotBlank();
        assertThat(p.get("class").asText()).isEqualTo("dev.rear.testkit.example.DirectoryCopyProvider");
        assertThat(p.get("jar").asText()).isNotBlank();
        List<String> caps = new ArrayList<>();
        p.get("capabilities").forEach(c -> caps.add(c.asText()));
        assertThat(caps).contains("backup", "restore", "list-restore-points", "verify");
        assertThat(p.has("reason")).isFalse();
        assertThat(doc.get("usable").asInt()).isEqualTo(1);
        assertThat(doc.get("problems").asInt()).isZero();
        assertThat(doc.get("exitCode").asInt()).isZero();
    }

    @Test
    void providersThatFailedOrWereRefusedAreListedWithTheirReasonAndExit5() {
        Run r = rear(offering(TestProviders.Good.class, TestProviders.ThrowsInConstructor.class, TestProviders.FromTheFuture.class,
                TestProviders.TwinA.class, TestProviders.TwinB.class), "providers");
        assertThat(r.code()).isEqualTo(ExitCode.PROVIDER_FAILURE.code());
        assertThat(r.out())
                .contains("good DEVELOPMENT (SPI " + dev.rear.api.spi.BackupProvider.API_VERSION + ")")
                .contains("FAILED TO LOAD: " + TestProviders.ThrowsInConstructor.class.getName())
                .contains("  reason:       could not be instantiated: IllegalStateException: no licence file /opt/vendor/licence")
                .contains("REFUSED: future")
                .contains("built for provider SPI 2.0")
                .contains("DUPLICATE ID: twin")
                .contains("also claimed by " + TestProviders.TwinB.class.getName())
                .endsWith("rear providers: 1 usable, 4 with problems (listed above)\n");
    }

    @Test
    void jsonGivesEachProblemItsStatusAndReason() throws Exception {
        Run r = rear(offering(TestProviders.Good.class, TestProviders.ThrowsInConstructor.class, TestProviders.FromTheFuture.class),
                "providers", "--json");
        assertThat(r.code()).isEqualTo(5);
        JsonNode doc = json(r);
        List<String> statuses = new ArrayList<>();
        doc.get("providers").forEach(p -> statuses.add(p.get("status").asText() + " " + p.path("id").asText("?")));
        assertThat(statuses).containsExactly("refused future", "loaded good", "failed ?");
        assertThat(doc.get("providers").get(2).get("reason").asText()).contains("no licence file");
        assertThat(doc.get("problems").asInt()).isEqualTo(2);
        assertThat(doc.get("exitCode").asInt()).isEqualTo(5);
    }

    @Test
    void noProvidersIsAFactNotAFailure() {
        Run r = rear(offering(), "providers");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("no backup providers found on the class path\nrear providers: 0 usable\n");
    }

    @Test
    void oneProviderById() {
        Run r = rear("providers", "dircopy");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("dircopy ");
    }

    @Test
    void anUnknownIdIsAProviderFailureListingTheIdsFound() {
        Run r = rear("providers", "tsm");
        assertThat(r.code()).isEqualTo(ExitCode.PROVIDER_FAILURE.code());
        assertThat(r.err()).isEqualTo("rear: no backup provider 'tsm' was found; available: dircopy\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aRefusedIdSaysWhy() {
        Run r = rear(offering(TestProviders.Good.class, TestProviders.FromTheFuture.class), "providers", "future");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).contains("backup provider 'future'").contains("was refused").contains("SPI 2.0").contains("available: good");
    }

    @Test
    void helpListsTheCommandAndItsExitCodes() {
        assertThat(rear("--help").out()).contains("providers");
        Run help = rear("help", "providers");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: rear providers", "--json", "BACKUP=NETFS selects 'tar'", "    0   every provider", "    5   a provider failed to load")
                .doesNotContain("shares\n");
    }
}
