package dev.rear.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.testkit.BackupProviderContract;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.InvalidSettings;
import dev.rear.testkit.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The example provider passes the whole contract, and does what its javadoc says besides. */
class DirectoryCopyProviderTest extends BackupProviderContract {

    static final String PASSPHRASE_VALUE = "correct horse battery staple";

    @Override
    protected BackupProvider provider() {
        return new DirectoryCopyProvider();
    }

    @Override
    protected ProviderSettings validSettings(Path dir) throws IOException {
        Path store = Files.createDirectories(dir.resolve("backups"));
        return ProviderSettings.builder()
                .set("BACKUP_URL", store.toUri().toString())
                .set("DIRCOPY_KEEP", "5")
                .set("DIRCOPY_PASSPHRASE", PASSPHRASE_VALUE)
                .build();
    }

    @Override
    protected List<InvalidSettings> invalidSettings(Path dir) throws IOException {
        ProviderSettings valid = validSettings(dir);
        return List.of(
                new InvalidSettings("BACKUP_URL unset", "BACKUP_URL", valid.without("BACKUP_URL")),
                new InvalidSettings("BACKUP_URL on nfs", "BACKUP_URL", valid.with("BACKUP_URL", "nfs://server/export")),
                new InvalidSettings("BACKUP_URL to a missing directory", "BACKUP_URL",
                        valid.with("BACKUP_URL", dir.resolve("missing").toUri().toString())),
                new InvalidSettings("DIRCOPY_KEEP zero", "DIRCOPY_KEEP", valid.with("DIRCOPY_KEEP", "0")),
                new InvalidSettings("DIRCOPY_PASSPHRASE too short", "DIRCOPY_PASSPHRASE", valid.with("DIRCOPY_PASSPHRASE", "short")));
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(BackupProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(DirectoryCopyProvider.class);
    }

    @Test
    void thePassphraseIsDeclaredSecretAndLeftOutOfTheRescueSystem() {
        RescueRequirements r = provider().rescueRequirements(newContext());
        assertThat(r.secretItems()).containsExactly("DIRCOPY_PASSPHRASE");
        assertThat(settings().toString()).doesNotContain(PASSPHRASE_VALUE).contains("DIRCOPY_PASSPHRASE=[***]");
    }

    @Test
    void excludesLeaveTreesOut() {
        Path source = sourceTree();
        provider().backup(BackupRequest.full(source).withExcludes(List.of("/var/*", "*.sh")), newContext());
        Path target = newDirectory("target");
        provider().restore(RestoreRequest.everything(target), newContext());
        assertThat(TreeSnapshot.of(source).without("var/lib", "var/empty-dir", "home/user/bin/script.sh")
                .differencesIn(TreeSnapshot.of(target))).isEmpty();
    }

    @Test
    void verifyNamesTheFirstDamagedEntry() throws IOException {
        BackupResult backup = provider().backup(BackupRequest.full(sourceTree()), newContext());
        Path copy = Path.of(java.net.URI.create(settings().require("BACKUP_URL")).getPath()).resolve(backup.restorePointId());
        Files.writeString(copy.resolve("tree/etc/fstab"), "tampered\n");
        VerifyResult result = provider().verify(VerifyRequest.latest(), newContext());
        assertThat(result.ok()).isFalse();
        assertThat(result.findings()).singleElement().asString().contains("etc/fstab");
    }

    @Test
    void keepsOnlyTheNewestRestorePoints() {
        for (int i = 0; i < 7; i++) {
            provider().backup(BackupRequest.full(sourceTree()), newContext());
            clock().advance(java.time.Duration.ofMinutes(5));
        }
        assertThat(provider().listRestorePoints(newContext())).extracting(p -> p.id())
                .containsExactly("point-0003", "point-0004", "point-0005", "point-0006", "point-0007");
    }

    @Test
    void anInvalidSettingAtRunTimeIsMisconfiguredNamingIt() {
        FakeProviderContext ctx = FakeProviderContext.builder(newDirectory("tmp"))
                .settings(settings().with("BACKUP_URL", "nfs://server/export")).build();
        assertThatThrownBy(() -> provider().listRestorePoints(ctx))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED))
                .hasMessageContaining("BACKUP_URL");
    }
}
