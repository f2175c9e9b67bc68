package dev.rear.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The invariants the SPI's value types enforce, so neither side has to check them again. */
class RequestsAndResultsTest {

    private static final Path ROOT = Path.of("/mnt/local");

    @Test
    void aBackupRequestNeedsAbsoluteIncludesAndNoBaseForAFullBackup() {
        BackupRequest full = BackupRequest.full(Path.of("/"));
        assertThat(full.includes()).containsExactly("/");
        assertThatThrownBy(() -> full.withIncludes(List.of("home"))).hasMessageContaining("absolute");
        assertThatThrownBy(() -> full.withIncludes(List.of("/home/../etc"))).hasMessageContaining("..");
        assertThatThrownBy(() -> full.withIncludes(List.of())).hasMessageContaining("at least one include");
        assertThatThrownBy(() -> new BackupRequest(BackupKind.FULL, Path.of("/"), List.of("/"), List.of(), "point-1"))
                .hasMessageContaining("based on nothing");
        assertThatThrownBy(() -> BackupRequest.full(Path.of("relative"))).hasMessageContaining("absolute");
        assertThat(new BackupRequest(BackupKind.INCREMENTAL, Path.of("/"), List.of("/"), List.of(), "point-1").baseRestorePointId())
                .isEqualTo("point-1");
    }

    @Test
    void aRestoreRequestDefaultsToEverythingFromTheLatestRefusingFiles() {
        RestoreRequest r = RestoreRequest.everything(ROOT);
        assertThat(r.restorePoint().isLatest()).isTrue();
        assertThat(r.overwrite()).isEqualTo(OverwritePolicy.REFUSE);
        assertThat(r.isSelective()).isFalse();
        assertThat(r.onlyPaths(List.of("/", "/var/log")).isSelective()).isTrue();
        assertThat(r.excluding(List.of("/data/*")).isSelective()).isTrue();
        assertThatThrownBy(() -> r.onlyPaths(List.of("var"))).hasMessageContaining("absolute");
    }

    @Test
    void aSelectorIsLatestByIdOrAsOfNeverTwo() {
        assertThat(RestorePointSelector.latest()).hasToString("the latest restore point");
        assertThat(RestorePointSelector.byId("42")).hasToString("restore point 42");
        assertThat(RestorePointSelector.asOf(Instant.EPOCH).isLatest()).isFalse();
        assertThatThrownBy(() -> new RestorePointSelector("42", Instant.EPOCH)).hasMessageContaining("not both");
        assertThatThrownBy(() -> RestorePointSelector.byId(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultsCarryNoErrorsAndWellFormedHashes() {
        BackupResult ok = BackupResult.builder("point-1", Instant.EPOCH).counts(3L, 100L).warning(Diagnostic.warning("x changed while read"))
                .fact("jobId", "2").manifestSha256("a".repeat(64)).build();
        assertThat(ok.kind()).isEqualTo(BackupKind.FULL);
        assertThat(ok.facts()).containsEntry("jobId", "2");
        assertThatThrownBy(() -> BackupResult.builder("point-1", Instant.EPOCH).warning(Diagnostic.error("broken")).build())
                .hasMessageContaining("throw ProviderException");
        assertThatThrownBy(() -> BackupResult.builder("point-1", Instant.EPOCH).contentSha256("ABC").build())
                .hasMessageContaining("64 lower-case hex");
        assertThatThrownBy(() -> RestoreResult.builder("p").counts(-1L, null).build()).hasMessageContaining("negative");
        assertThat(VerifyResult.clean("p", VerifyResult.Depth.CATALOG).ok()).isTrue();
        assertThat(new VerifyResult("p", VerifyResult.Depth.CONTENT, List.of(Diagnostic.error("entry 3 truncated")), java.util.Map.of()).ok())
                .isFalse();
    }

    @Test
    void aSecretRescueVariableCarriesNoValue() {
        RescueRequirements r = RescueRequirements.builder().program("dsmc").directory("/etc/adsm")
                .secretFile("/etc/adsm/TSM.KDB", "the node password is asked at recovery")
                .secretVariable("GALAXY11_PASSWORD").variable("LANG_RECOVER", "C")
                .service(new RescueRequirements.RescueService("bacula-fd", List.of("bacula-fd", "-c", "/etc/bacula/bacula-fd.conf"),
                        List.of(), List.of("pkill", "bacula-fd"), Duration.ofSeconds(10)))
                .build();
        assertThat(r.secretItems()).containsExactly("/etc/adsm/TSM.KDB", "GALAXY11_PASSWORD");
        assertThatThrownBy(() -> new RescueRequirements.RescueVariable("X", "value", true)).hasMessageContaining("must carry no value");
        assertThatThrownBy(() -> new RescueRequirements.RescueVariable("X", null, false)).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> RescueRequirements.builder().file("etc/adsm")).hasMessageContaining("absolute");
        assertThat(RescueRequirements.none().secretItems()).isEmpty();
    }

    @Test
    void diagnosticsReadAsOneLine() {
        assertThat(Diagnostic.error("BACKUP_URL", "the scheme gopher is not supported")).hasToString("ERROR BACKUP_URL: the scheme gopher is not supported");
        assertThat(Diagnostic.warning("no ping")).hasToString("WARNING: no ping");
        assertThatThrownBy(() -> Diagnostic.error(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void capabilitiesHaveDisplayNames() {
        assertThat(Capability.LIST_RESTORE_POINTS.displayName()).isEqualTo("list-restore-points");
    }

    @Test
    void unsupportedIsAKindWithAStandardMessage() {
        ProviderException e = ProviderException.unsupported("galaxy", "backup");
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNSUPPORTED);
        assertThat(e).hasMessage("backup provider 'galaxy' does not support backup").isInstanceOf(dev.rear.api.RearException.class);
    }
}
