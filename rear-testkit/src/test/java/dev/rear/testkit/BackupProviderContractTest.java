package dev.rear.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.OverwritePolicy;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestorePoint;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.testkit.example.DirectoryCopyProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit catches what it promises to catch: the contract is run (through the JUnit Platform
 * launcher) against the example provider with one lie told at a time, and the tests that must
 * fail do — and with no lie, none does.
 */
class BackupProviderContractTest {

    /** One way a provider can break the contract. */
    enum Lie {
        NONE,
        DECLARES_VERIFY_BUT_CANNOT,
        DOES_INCREMENTAL_WITHOUT_DECLARING_IT,
        OVERWRITES_WITHOUT_BEING_ASKED,
        BLAMES_NO_SETTING,
        LOGS_THE_SECRET,
        COPIES_A_PASSWORD_FILE,
        RESTORES_THE_LATEST_FOR_AN_UNKNOWN_ID,
        IGNORES_CANCELLATION
    }

    static final String PASSPHRASE = "a long enough passphrase";

    /** The lie the next run of {@link LyingProviderContract} tells. */
    static volatile Lie lie = Lie.NONE;

    private int testsRun;

    @ParameterizedTest
    @EnumSource(Lie.class)
    void theContractCatchesTheLie(Lie told) {
        Set<String> failed = run(told);
        assertThat(testsRun).as("contract tests run").isGreaterThan(25);
        switch (told) {
            case NONE -> assertThat(failed).as("with no lie (and %d tests run)", testsRun).isEmpty();
            case DECLARES_VERIFY_BUT_CANNOT -> assertThat(failed).contains("verify (declared) is not refused as unsupported",
                    "verifyAfterABackupFindsItRestorable()", "verifyOfAnUnknownRestorePointIsNotFound()");
            case DOES_INCREMENTAL_WITHOUT_DECLARING_IT -> assertThat(failed).contains("incremental (not declared) is refused as unsupported");
            case OVERWRITES_WITHOUT_BEING_ASKED -> assertThat(failed).contains("restoreIntoARootHoldingFilesIsRefusedFirstAndWritesNothing()");
            case BLAMES_NO_SETTING -> assertThat(failed).contains("BACKUP_URL unset is an error naming BACKUP_URL",
                    "DIRCOPY_KEEP zero is an error naming DIRCOPY_KEEP");
            case LOGS_THE_SECRET -> assertThat(failed).contains("backupRestoredIntoAnEmptyRootReproducesTheTree()");
            case COPIES_A_PASSWORD_FILE -> assertThat(failed).containsExactly("rescueRequirementsCarryNoSecretUnlessMarked()");
            case RESTORES_THE_LATEST_FOR_AN_UNKNOWN_ID -> assertThat(failed).contains("restoreOfAnUnknownRestorePointIsNotFoundAndWritesNothing()");
            case IGNORES_CANCELLATION -> assertThat(failed).contains("cancelledRestoreStopsAndWritesNothing()",
                    "cancelledBackupStopsWithoutARestorePoint()");
            default -> throw new AssertionError(told);
        }
    }

    /** Runs the contract with the lie told; returns the display names of what failed. */
    private Set<String> run(Lie told) {
        lie = told;
        Set<String> failed = new TreeSet<>();
        List<Throwable> causes = new ArrayList<>();
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(LyingProviderContract.class)).build(),
                    new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                            if (id.isTest()) {
                                testsRun++;
                            }
                            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                                failed.add(id.getDisplayName());
                                result.getThrowable().ifPresent(causes::add);
                            }
                        }
                    });
        } finally {
            lie = Lie.NONE;
        }
        if (told == Lie.NONE && !failed.isEmpty()) {
            causes.forEach(Throwable::printStackTrace);
        }
        return failed;
    }

    /** The contract, run only through {@link #run}: nested and static, so neither Surefire nor Jupiter runs it directly. */
    static class LyingProviderContract extends BackupProviderContract {
        @Override
        protected BackupProvider provider() {
            return new LyingProvider(lie);
        }

        @Override
        protected ProviderSettings validSettings(Path dir) throws IOException {
            return ProviderSettings.builder().set("BACKUP_URL", java.nio.file.Files.createDirectories(dir.resolve("b")).toUri().toString())
                    .set("DIRCOPY_KEEP", "5").set("DIRCOPY_PASSPHRASE", PASSPHRASE).build();
        }

        @Override
        protected List<InvalidSettings> invalidSettings(Path dir) throws IOException {
            ProviderSettings valid = validSettings(dir);
            return List.of(new InvalidSettings("BACKUP_URL unset", "BACKUP_URL", valid.without("BACKUP_URL")),
                    new InvalidSettings("DIRCOPY_KEEP zero", "DIRCOPY_KEEP", valid.with("DIRCOPY_KEEP", "0")));
        }
    }

    /** The example provider, telling one lie. */
    static final class LyingProvider implements BackupProvider {
        private final DirectoryCopyProvider honest = new DirectoryCopyProvider();
        private final Lie lie;

        LyingProvider(Lie lie) {
            this.lie = lie;
        }

        @Override
        public String id() {
            return "liar";
        }

        @Override
        public String apiVersion() {
            return API_VERSION;
        }

        @Override
        public Set<Capability> capabilities() {
            return honest.capabilities();
        }

        @Override
        public Set<String> secretSettings() {
            return honest.secretSettings();
        }

        @Override
        public List<Diagnostic> validate(ProviderSettings settings) {
            List<Diagnostic> d = honest.validate(settings);
            return lie == Lie.BLAMES_NO_SETTING ? d.stream().map(x -> new Diagnostic(x.severity(), null, x.message())).toList() : d;
        }

        @Override
        public RescueRequirements rescueRequirements(ProviderContext context) {
            RescueRequirements r = honest.rescueRequirements(context);
            if (lie != Lie.COPIES_A_PASSWORD_FILE) {
                return r;
            }
            return RescueRequirements.builder().directory("/etc/adsm").file("/etc/adsm/TSM.KDB").build();
        }

        @Override
        public BackupResult backup(BackupRequest request, ProviderContext context) {
            if (lie == Lie.LOGS_THE_SECRET) {
                context.log().debug("using passphrase " + context.settings().require("DIRCOPY_PASSPHRASE"));
            }
            BackupRequest r = lie == Lie.DOES_INCREMENTAL_WITHOUT_DECLARING_IT ? request.withKind(BackupKind.FULL) : request;
            return honest.backup(r, lie == Lie.IGNORES_CANCELLATION ? uncancellable(context) : context);
        }

        @Override
        public List<RestorePoint> listRestorePoints(ProviderContext context) {
            return honest.listRestorePoints(context);
        }

        @Override
        public VerifyResult verify(VerifyRequest request, ProviderContext context) {
            if (lie == Lie.DECLARES_VERIFY_BUT_CANNOT) {
                return BackupProvider.super.verify(request, context);
            }
            return honest.verify(request, context);
        }

        @Override
        public RestoreResult restore(RestoreRequest request, ProviderContext context) {
            RestoreRequest r = request;
            if (lie == Lie.OVERWRITES_WITHOUT_BEING_ASKED) {
                r = r.withOverwrite(OverwritePolicy.OVERWRITE);
            }
            if (lie == Lie.RESTORES_THE_LATEST_FOR_AN_UNKNOWN_ID && r.restorePoint().id() != null) {
                r = r.from(RestorePointSelector.latest());
            }
            try {
                return honest.restore(r, lie == Lie.IGNORES_CANCELLATION ? uncancellable(context) : context);
            } catch (ProviderException e) {
                if (lie == Lie.RESTORES_THE_LATEST_FOR_AN_UNKNOWN_ID && e.kind() == ProviderException.Kind.NOT_FOUND) {
                    throw new ProviderException(ProviderException.Kind.FAILED, e.getMessage());
                }
                throw e;
            }
        }

        private static ProviderContext uncancellable(ProviderContext c) {
            return new ProviderContext() {
                public ProviderSettings settings() { return c.settings(); }
                public dev.rear.api.command.CommandRunner commands() { return c.commands(); }
                public dev.rear.api.spi.ProgressSink progress() { return c.progress(); }
                public dev.rear.api.spi.ProviderLog log() { return c.log(); }
                public Path tempDirectory() { return c.tempDirectory(); }
                public java.time.Clock clock() { return c.clock(); }
                public java.time.@org.jspecify.annotations.Nullable Instant deadline() { return null; }
                public boolean isCancelled() { return false; }
                public void pause(java.time.Duration d) { c.pause(d); }
                public java.util.Optional<String> ask(String q, boolean s) { return c.ask(q, s); }
            };
        }
    }
}
