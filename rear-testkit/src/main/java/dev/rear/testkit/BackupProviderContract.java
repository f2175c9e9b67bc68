package dev.rear.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.spi.ApiVersion;
import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.OverwritePolicy;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueImageRequest;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestorePoint;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.api.command.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every {@link BackupProvider} keeps, as JUnit 5 tests a provider's test class
 * inherits by extending this one and supplying the provider and its settings:
 *
 * <pre>{@code
 * class TarBackupProviderTest extends BackupProviderContract {
 *     protected BackupProvider provider() { return new TarBackupProvider(); }
 *     protected ProviderSettings validSettings(Path dir) {
 *         return ProviderSettings.builder().set("BACKUP_URL", dir.toUri().toString()).build();
 *     }
 *     protected List<InvalidSettings> invalidSettings(Path dir) {
 *         return List.of(new InvalidSettings("unknown scheme", "BACKUP_URL",
 *                 validSettings(dir).with("BACKUP_URL", "gopher://x/")));
 *     }
 * }
 * }</pre>
 *
 * <p>What it checks:
 * <ul>
 *   <li><b>Identity</b>: a lower-case id, an SPI version this kit runs, a version, consistent capabilities.</li>
 *   <li><b>Settings validation</b>: the valid settings give no error; each invalid case gives an
 *       error naming its setting; no diagnostic repeats a secret value.</li>
 *   <li><b>Capability honesty</b>: every operation (and variant) not declared is refused as
 *       unsupported ({@link ProviderException.Kind#UNSUPPORTED} or
 *       {@link UnsupportedOperationException}); every declared one is not.</li>
 *   <li><b>Secrets</b>: rescue requirements never list, as something to copy, a path or value
 *       that holds a secret setting's value or looks like a password file
 *       ({@link #secretFileNamePatterns()}) unless marked secret; no log line, progress phase,
 *       question or (recorded) command line shows a secret value.</li>
 *   <li><b>Round trip</b> (providers with backup and restore): the {@linkplain #makeSampleTree
 *       sample tree} backed up and restored into an empty root — or one holding only mount-point
 *       directories — compares equal; listing, verifying, point-in-time and selective restore
 *       agree with the backup, as declared.</li>
 *   <li><b>Refusals</b>: a target root holding a file without {@link OverwritePolicy#OVERWRITE}
 *       ({@link ProviderException.Kind#REFUSED}, nothing written, before anything else); a restore
 *       point that does not exist ({@link ProviderException.Kind#NOT_FOUND}); a cancelled
 *       operation ({@link ProviderException.Kind#CANCELLED}, nothing written).</li>
 * </ul>
 *
 * <p>Each test gets fresh directories and one settings object and command runner for the whole
 * test (so a backup and a later restore share a simulator's state); each operation gets a fresh
 * {@link FakeProviderContext} on one shared clock and a fresh provider instance, as the engine
 * would make them. Vendor-CLI providers override {@link #commandRunner(Path)} with a runner backed
 * by their simulator; providers that cannot back up a test tree override
 * {@link #backupRequest(Path)} or {@link #makeSampleTree(Path)}.
 *
 * <p><b>Experimental</b> (since 0.1): checks may be added.
 *
 * @since 0.1
 */
public abstract class BackupProviderContract {

    /** A restore point id no provider has. */
    public static final String NO_SUCH_RESTORE_POINT = "rear-testkit-no-such-restore-point";

    private @Nullable Path work;
    private @Nullable ProviderSettings settings;
    private @Nullable CommandRunner runner;
    private @Nullable Path sourceTree;
    private final MutableClock clock = new MutableClock(FakeProviderContext.DEFAULT_START);
    private final List<FakeProviderContext> contexts = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private int directories;

    // ---------------------------------------------------------------- what a provider's test supplies

    /** A new instance of the provider under test, as {@link java.util.ServiceLoader} would make it. */
    protected abstract BackupProvider provider();

    /**
     * Settings with which every declared operation works in this test's environment (e.g.
     * {@code BACKUP_URL} pointing into {@code dir}). The provider's {@link BackupProvider#secretSettings()}
     * are marked secret by the kit, as the engine does.
     *
     * @param dir an empty directory of this test, for backup targets, config files, fake servers
     */
    protected abstract ProviderSettings validSettings(Path dir) throws IOException;

    /**
     * Ways of getting the settings wrong, each naming the setting validation must blame; at least one.
     *
     * @param dir an empty directory of this test (not the one given to {@link #validSettings})
     */
    protected abstract List<InvalidSettings> invalidSettings(Path dir) throws IOException;

    /**
     * The command runner the contexts use, one per test. By default a
     * {@link RecordingCommandRunner} that knows no command, so a provider that runs programs fails
     * until its test supplies one backed by a simulator.
     *
     * @param dir an empty directory of this test, e.g. for the simulator's state
     */
    protected CommandRunner commandRunner(Path dir) throws IOException {
        return RecordingCommandRunner.strict();
    }

    /** Fills {@code root} (existing, empty) with the tree the round trip backs up: {@link SampleTrees#standard}. */
    protected void makeSampleTree(Path root) throws IOException {
        SampleTrees.standard(root);
    }

    /** The request that backs up the sample tree at {@code sourceRoot}: a full backup of everything. */
    protected BackupRequest backupRequest(Path sourceRoot) {
        return BackupRequest.full(sourceRoot);
    }

    /** How a tree is compared after a round trip: every {@link TreeSnapshot.Attribute}. Override to compare less. */
    protected TreeSnapshot snapshot(Path root) {
        return TreeSnapshot.of(root);
    }

    /**
     * Glob patterns of file names that hold credentials and must never be listed as a plain file to
     * copy into the rescue system (only marked secret): TSM's password stores, SSH private keys,
     * Commvault session files, {@code *.key}. Override to add a product's own.
     */
    protected List<String> secretFileNamePatterns() {
        return List.of("TSM.PWD", "TSM.KDB", "TSM.sth", "TSM.IDX", "*.sth", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
                "*.key", "qsession*", ".qsession*", "qsessions*", ".qsessions*");
    }

    // ---------------------------------------------------------------- helpers for subclasses' own tests

    /** A new, empty directory of this test. */
    protected final Path newDirectory(String name) {
        try {
            return Files.createDirectories(work().resolve(name + "-" + (++directories)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test's valid settings, with the provider's secret settings marked, made once per test. */
    protected final ProviderSettings settings() {
        if (settings == null) {
            try {
                settings = validSettings(newDirectory("settings")).withSecrets(provider().secretSettings());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return settings;
    }

    /** A new context with the test's settings, runner and clock; checked for leaked secrets after the test. */
    protected final FakeProviderContext newContext() {
        return newContext(b -> { });
    }

    /** A new context, adjusted (cancelled, a deadline, answers). */
    protected final FakeProviderContext newContext(Consumer<FakeProviderContext.Builder> adjust) {
        FakeProviderContext.Builder b = FakeProviderContext.builder(newDirectory("tmp")).settings(settings()).commands(runner()).clock(clock);
        adjust.accept(b);
        FakeProviderContext ctx = b.build();
        contexts.add(ctx);
        return ctx;
    }

    /** The clock every context of this test shares. */
    protected final MutableClock clock() {
        return clock;
    }

    /** The sample tree, made once per test. */
    protected final Path sourceTree() {
        if (sourceTree == null) {
            sourceTree = newDirectory("source");
            try {
                makeSampleTree(sourceTree);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sourceTree;
    }

    /** Whether the provider declares all of these. */
    protected final boolean declares(Capability... capabilities) {
        return provider().capabilities().containsAll(List.of(capabilities));
    }

    // ---------------------------------------------------------------- lifecycle

    @BeforeEach
    final void kitSetUp() throws IOException {
        work = Files.createTempDirectory("rear-testkit-");
    }

    @AfterEach
    final void kitTearDown() throws IOException {
        try {
            ProviderSettings s = settings;
            if (s != null) {
                for (FakeProviderContext c : contexts) {
                    assertThat(c.leakedSecrets()).as("secret setting values in log lines, progress, questions or command lines").isEmpty();
                }
                List<String> messages = failures.stream().map(t -> String.valueOf(t.getMessage())).toList();
                assertThat(FakeProviderContext.secretsIn(s, messages)).as("secret setting values in exception messages").isEmpty();
            }
        } finally {
            deleteTree(work());
        }
    }

    private Path work() {
        if (work == null) {
            throw new IllegalStateException("the kit's directories exist only while a test runs");
        }
        return work;
    }

    private CommandRunner runner() {
        if (runner == null) {
            try {
                runner = commandRunner(newDirectory("runner"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return runner;
    }

    // ---------------------------------------------------------------- identity

    @Test
    void idIsAStableLowerCaseName() {
        assertThat(provider().id()).matches("[a-z][a-z0-9-]*").isEqualTo(provider().id());
    }

    @Test
    void apiVersionIsOneThisKitCanRun() {
        String api = provider().apiVersion();
        assertThat(ApiVersion.CURRENT.canRun(ApiVersion.parse(api)))
                .as("provider built for SPI %s, this kit runs SPI %s", api, ApiVersion.CURRENT).isTrue();
    }

    @Test
    void versionIsNotBlank() {
        assertThat(provider().version()).isNotBlank();
    }

    @Test
    void capabilitiesIncludeRestoreAndAreConsistent() {
        Set<Capability> caps = provider().capabilities();
        assertThat(caps).contains(Capability.RESTORE).isEqualTo(provider().capabilities());
        if (caps.contains(Capability.INCREMENTAL) || caps.contains(Capability.DIFFERENTIAL)) {
            assertThat(caps).as("incremental and differential need backup").contains(Capability.BACKUP);
        }
    }

    // ---------------------------------------------------------------- settings

    @Test
    void validSettingsPassValidation() {
        List<Diagnostic> diagnostics = provider().validate(settings());
        assertThat(diagnostics).as("diagnostics of the valid settings %s", settings()).noneMatch(Diagnostic::isError);
        assertNoSecretIn(diagnostics);
    }

    @TestFactory
    Stream<DynamicTest> eachInvalidSettingIsRejectedByName() throws IOException {
        List<InvalidSettings> cases = invalidSettings(newDirectory("invalid"));
        if (cases.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("at least one invalid case is given",
                    () -> fail("invalidSettings() gave no case: give at least one way of getting the settings wrong")));
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.description() + " is an error naming " + c.setting(), () -> {
            ProviderSettings s = c.settings().withSecrets(provider().secretSettings());
            List<Diagnostic> diagnostics = provider().validate(s);
            assertThat(diagnostics).as("diagnostics of %s", s)
                    .anyMatch(d -> d.isError() && c.setting().equals(d.setting()));
            assertNoSecretIn(diagnostics);
        }));
    }

    private void assertNoSecretIn(List<Diagnostic> diagnostics) {
        assertThat(FakeProviderContext.secretsIn(settings(), diagnostics.stream().map(Diagnostic::message).toList()))
                .as("secret values repeated in diagnostics").isEmpty();
    }

    // ---------------------------------------------------------------- rescue system

    @Test
    void rescueRequirementsCarryNoSecretUnlessMarked() {
        RescueRequirements r = provider().rescueRequirements(newContext());
        Set<String> secrets = settings().secretValues();
        List<String> leaks = new ArrayList<>();
        List<PathMatcher> secretNames = secretFileNamePatterns().stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        for (RescueRequirements.RescuePath p : concat(r.files(), r.directories())) {
            if (p.secret()) {
                continue;
            }
            if (containsAny(p.path(), secrets)) {
                leaks.add("path to copy holds a secret value: " + p.path());
            }
            Path name = Path.of(p.path()).getFileName();
            if (name != null && secretNames.stream().anyMatch(m -> m.matches(name))) {
                leaks.add("path to copy looks like a credential file but is not marked secret: " + p.path());
            }
        }
        for (RescueRequirements.RescueVariable v : r.environment()) {
            if (!v.secret() && containsAny(String.valueOf(v.value()), secrets)) {
                leaks.add("variable " + v.name() + " carries a secret value");
            }
            if (!v.secret() && settings().isSecret(v.name())) {
                leaks.add("variable " + v.name() + " is a secret setting but not marked secret");
            }
        }
        for (RescueRequirements.RescueService s : r.services()) {
            for (List<String> argv : List.of(s.start(), s.readinessCheck(), s.stop())) {
                if (argv.stream().anyMatch(a -> containsAny(a, secrets))) {
                    leaks.add("service " + s.name() + " has a secret value in a command line");
                }
            }
        }
        for (String program : r.programs()) {
            if (containsAny(program, secrets)) {
                leaks.add("a program name holds a secret value");
            }
        }
        assertThat(leaks).as("rescue requirements %s", r.secretItems()).isEmpty();
    }

    private static List<RescueRequirements.RescuePath> concat(List<RescueRequirements.RescuePath> a, List<RescueRequirements.RescuePath> b) {
        List<RescueRequirements.RescuePath> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static boolean containsAny(String text, Set<String> secrets) {
        return secrets.stream().anyMatch(s -> s.length() >= FakeProviderContext.MIN_SECRET_LENGTH_CHECKED && text.contains(s));
    }

    // ---------------------------------------------------------------- capability honesty

    /** One call that exercises a capability. */
    private interface Call {
        void run(BackupProvider provider, FakeProviderContext context);
    }

    private Map<Capability, Call> calls() {
        Map<Capability, Call> calls = new LinkedHashMap<>();
        calls.put(Capability.BACKUP, (p, c) -> p.backup(backupRequest(sourceTree()), c));
        calls.put(Capability.INCREMENTAL, (p, c) -> p.backup(backupRequest(sourceTree()).withKind(BackupKind.INCREMENTAL), c));
        calls.put(Capability.DIFFERENTIAL, (p, c) -> p.backup(backupRequest(sourceTree()).withKind(BackupKind.DIFFERENTIAL), c));
        calls.put(Capability.LIST_RESTORE_POINTS, (p, c) -> p.listRestorePoints(c));
        calls.put(Capability.VERIFY, (p, c) -> p.verify(VerifyRequest.latest(), c));
        calls.put(Capability.RESTORE, (p, c) -> p.restore(RestoreRequest.everything(newDirectory("target")), c));
        calls.put(Capability.POINT_IN_TIME, (p, c) -> p.restore(RestoreRequest.everything(newDirectory("target"))
                .from(RestorePointSelector.asOf(clock.instant())), c));
        calls.put(Capability.SELECTIVE_RESTORE, (p, c) -> p.restore(RestoreRequest.everything(newDirectory("target"))
                .onlyPaths(List.of("/")), c));
        calls.put(Capability.STORE_RESCUE_IMAGE, (p, c) -> {
            Path output = newDirectory("output");
            p.storeRescueImage(new RescueImageRequest(List.of(output.resolve("rear.iso")), output), c);
        });
        return calls;
    }

    @TestFactory
    Stream<DynamicTest> undeclaredCapabilitiesAreRefusedAsUnsupported() {
        Set<Capability> declared = provider().capabilities();
        List<DynamicTest> tests = new ArrayList<>();
        calls().forEach((capability, call) -> {
            if (!declared.contains(capability)) {
                tests.add(DynamicTest.dynamicTest(capability.displayName() + " (not declared) is refused as unsupported", () -> {
                    Throwable t = failureOf(() -> call.run(provider(), newContext()));
                    assertThat(t).as("what %s did", capability.displayName()).isNotNull();
                    assertThat(isUnsupported(t)).as("%s is refused as unsupported, not with %s", capability.displayName(), t).isTrue();
                }));
            }
        });
        if (tests.isEmpty()) {
            tests.add(DynamicTest.dynamicTest("every capability is declared", () -> { }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> declaredCapabilitiesAreNotRefusedAsUnsupported() {
        Set<Capability> declared = provider().capabilities();
        List<DynamicTest> tests = new ArrayList<>();
        calls().forEach((capability, call) -> {
            if (declared.contains(capability)) {
                tests.add(DynamicTest.dynamicTest(capability.displayName() + " (declared) is not refused as unsupported", () -> {
                    Throwable t = failureOf(() -> call.run(provider(), newContext()));
                    if (t != null) {
                        assertThat(isUnsupported(t)).as("%s is declared but was refused: %s", capability.displayName(), t).isFalse();
                    }
                }));
            }
        });
        return tests.stream();
    }

    private static boolean isUnsupported(Throwable t) {
        return t instanceof UnsupportedOperationException
                || (t instanceof ProviderException p && p.kind() == ProviderException.Kind.UNSUPPORTED);
    }

    /** Runs {@code action}, returning what it threw (a {@link RuntimeException}) or {@code null}; errors and assertion failures propagate. */
    private @Nullable Throwable failureOf(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            failures.add(e);
            return e;
        }
    }

    private ProviderException providerFailureOf(Runnable action, ProviderException.Kind expected) {
        Throwable t = failureOf(action);
        assertThat(t).as("expected a ProviderException of kind %s", expected).isInstanceOf(ProviderException.class);
        ProviderException p = (ProviderException) t;
        assertThat(p.kind()).as("kind of %s", p).isEqualTo(expected);
        return p;
    }

    // ---------------------------------------------------------------- round trip

    private BackupResult backupSample() {
        FakeProviderContext ctx = newContext();
        BackupResult result = provider().backup(backupRequest(sourceTree()), ctx);
        assertThat(result.restorePointId()).isNotBlank();
        assertThat(ctx.progress().reports()).as("progress reported during the backup").isNotEmpty();
        clock.advance(Duration.ofMinutes(1));
        return result;
    }

    @Test
    void backupRestoredIntoAnEmptyRootReproducesTheTree() {
        assumeTrue(declares(Capability.BACKUP), "the provider does not back up");
        TreeSnapshot expected = snapshot(sourceTree());
        BackupResult backup = backupSample();
        assertThat(expected.differencesIn(snapshot(sourceTree()))).as("the backup changed its source").isEmpty();

        Path target = newDirectory("target");
        FakeProviderContext ctx = newContext();
        RestoreResult restore = provider().restore(RestoreRequest.everything(target), ctx);
        assertThat(restore.restorePointId()).as("restore point restored").isEqualTo(backup.restorePointId());
        assertThat(expected.differencesIn(snapshot(target))).as("restored tree vs source").isEmpty();
        assertThat(ctx.progress().reports()).as("progress reported during the restore").isNotEmpty();
    }

    @Test
    void restoreIntoARootHoldingOnlyMountPointDirectoriesIsAllowed() throws IOException {
        assumeTrue(declares(Capability.BACKUP), "the provider does not back up");
        TreeSnapshot expected = snapshot(sourceTree());
        backupSample();
        Path target = newDirectory("target");
        for (String dir : List.of("lost+found", "home", "var/lib")) {
            Files.createDirectories(target.resolve(dir));
        }
        provider().restore(RestoreRequest.everything(target), newContext());
        assertThat(expected.differencesIn(snapshot(target).without("lost+found"))).as("restored tree vs source").isEmpty();
    }

    @Test
    void restoreWithOverwriteReplacesFilesAndKeepsOthers() throws IOException {
        assumeTrue(declares(Capability.BACKUP), "the provider does not back up");
        TreeSnapshot expected = snapshot(sourceTree());
        backupSample();
        Path target = newDirectory("target");
        Files.createDirectories(target.resolve("etc"));
        Files.writeString(target.resolve("etc/hostname"), "something else entirely\n", StandardCharsets.UTF_8);
        Files.writeString(target.resolve("stray.txt"), "not in the backup\n", StandardCharsets.UTF_8);
        provider().restore(RestoreRequest.everything(target).withOverwrite(OverwritePolicy.OVERWRITE), newContext());
        assertThat(expected.differencesIn(snapshot(target).without("stray.txt"))).as("restored tree vs source").isEmpty();
        assertThat(target.resolve("stray.txt")).as("a file not in the backup is left alone").hasContent("not in the backup");
    }

    @Test
    void listedRestorePointsIncludeTheBackupOldestFirst() {
        assumeTrue(declares(Capability.BACKUP, Capability.LIST_RESTORE_POINTS), "the provider does not back up and list");
        BackupResult first = backupSample();
        BackupResult second = backupSample();
        List<RestorePoint> points = provider().listRestorePoints(newContext());
        assertThat(points).extracting(RestorePoint::id).contains(first.restorePointId(), second.restorePointId());
        assertThat(points).extracting(RestorePoint::createdAt).isSorted();
    }

    @Test
    void verifyAfterABackupFindsItRestorable() {
        assumeTrue(declares(Capability.BACKUP, Capability.VERIFY), "the provider does not back up and verify");
        BackupResult backup = backupSample();
        VerifyResult result = provider().verify(VerifyRequest.latest(), newContext());
        assertThat(result.restorePointId()).isEqualTo(backup.restorePointId());
        assertThat(result.ok()).as("findings %s", result.findings()).isTrue();
    }

    @Test
    void pointInTimeRestoresTheStateOfThatTime() throws IOException {
        assumeTrue(declares(Capability.BACKUP, Capability.POINT_IN_TIME), "the provider does not back up and restore a point in time");
        TreeSnapshot expected = snapshot(sourceTree());
        BackupResult first = backupSample();
        // times from the restore points themselves, not from the test's clock: a vendor's server
        // stamps its backups with its own (real) clock
        java.time.Instant between = first.createdAt();
        java.time.Instant beforeAnyBackup = first.createdAt().minusSeconds(3600);
        clock.advance(Duration.ofMinutes(1));
        Files.writeString(sourceTree().resolve("etc/hostname"), "changed after the first backup\n", StandardCharsets.UTF_8);
        BackupResult second = backupSample();
        assertThat(second.restorePointId()).isNotEqualTo(first.restorePointId());

        Path target = newDirectory("target");
        RestoreResult restored = provider().restore(RestoreRequest.everything(target).from(RestorePointSelector.asOf(between)), newContext());
        assertThat(restored.restorePointId()).isEqualTo(first.restorePointId());
        assertThat(expected.differencesIn(snapshot(target))).as("tree as of the first backup").isEmpty();

        Path empty = newDirectory("target");
        providerFailureOf(() -> provider().restore(RestoreRequest.everything(empty).from(RestorePointSelector.asOf(beforeAnyBackup)),
                newContext()), ProviderException.Kind.NOT_FOUND);
    }

    @Test
    void selectiveRestoreRestoresOnlyThePathsAsked() {
        assumeTrue(declares(Capability.BACKUP, Capability.SELECTIVE_RESTORE), "the provider does not back up and restore selectively");
        TreeSnapshot expected = snapshot(sourceTree()).only("etc");
        backupSample();
        Path target = newDirectory("target");
        RestoreResult result = provider().restore(RestoreRequest.everything(target).onlyPaths(List.of("/etc")), newContext());
        assertThat(expected.differencesIn(snapshot(target))).as("only /etc restored").isEmpty();
        assertThat(result.restoredPaths()).contains("/etc");
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void restoreIntoARootHoldingFilesIsRefusedFirstAndWritesNothing() throws IOException {
        Path target = newDirectory("target");
        Files.createDirectories(target.resolve("etc"));
        Files.writeString(target.resolve("etc/keep.conf"), "local\n", StandardCharsets.UTF_8);
        TreeSnapshot before = TreeSnapshot.of(target);
        providerFailureOf(() -> provider().restore(RestoreRequest.everything(target), newContext()), ProviderException.Kind.REFUSED);
        assertThat(before.differencesIn(TreeSnapshot.of(target))).as("the target root after the refusal").isEmpty();
    }

    @Test
    void restoreOfAnUnknownRestorePointIsNotFoundAndWritesNothing() {
        if (declares(Capability.BACKUP)) {
            backupSample();
        }
        Path target = newDirectory("target");
        providerFailureOf(() -> provider().restore(RestoreRequest.everything(target).from(RestorePointSelector.byId(NO_SUCH_RESTORE_POINT)),
                newContext()), ProviderException.Kind.NOT_FOUND);
        assertThat(TreeSnapshot.of(target).entries()).as("the target root after the refusal").isEmpty();
    }

    @Test
    void verifyOfAnUnknownRestorePointIsNotFound() {
        assumeTrue(declares(Capability.VERIFY), "the provider does not verify");
        if (declares(Capability.BACKUP)) {
            backupSample();
        }
        providerFailureOf(() -> provider().verify(new VerifyRequest(RestorePointSelector.byId(NO_SUCH_RESTORE_POINT)), newContext()),
                ProviderException.Kind.NOT_FOUND);
    }

    @Test
    void cancelledRestoreStopsAndWritesNothing() {
        if (declares(Capability.BACKUP)) {
            backupSample();
        }
        Path target = newDirectory("target");
        providerFailureOf(() -> provider().restore(RestoreRequest.everything(target), newContext(FakeProviderContext.Builder::cancelled)),
                ProviderException.Kind.CANCELLED);
        assertThat(TreeSnapshot.of(target).entries()).as("the target root after the cancelled restore").isEmpty();
    }

    @Test
    void cancelledBackupStopsWithoutARestorePoint() {
        assumeTrue(declares(Capability.BACKUP), "the provider does not back up");
        providerFailureOf(() -> provider().backup(backupRequest(sourceTree()), newContext(FakeProviderContext.Builder::cancelled)),
                ProviderException.Kind.CANCELLED);
        if (declares(Capability.LIST_RESTORE_POINTS)) {
            assertThat(provider().listRestorePoints(newContext())).as("restore points after a cancelled backup").isEmpty();
        }
    }

    // ---------------------------------------------------------------- housekeeping

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                dir.toFile().setWritable(true);
                dir.toFile().setExecutable(true);
                dir.toFile().setReadable(true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
