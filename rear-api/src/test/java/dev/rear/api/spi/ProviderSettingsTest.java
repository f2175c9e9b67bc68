package dev.rear.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderSettingsTest {

    private final ProviderSettings settings = ProviderSettings.builder()
            .set("BACKUP_URL", "nfs://server/export")
            .set("BACKUP_PROG_EXCLUDE", List.of("/tmp/*", "", "/dev/shm/*"))
            .set("EMPTY", "")
            .set("PING", "Yes")
            .secret("GALAXY11_PASSWORD", "s3cret-pa55")
            .build();

    @Test
    void readsPlainAndArrayVariablesAsReaRDoes() {
        assertThat(settings.get("BACKUP_URL")).contains("nfs://server/export");
        assertThat(settings.list("BACKUP_PROG_EXCLUDE")).containsExactly("/tmp/*", "/dev/shm/*");
        assertThat(settings.list("BACKUP_URL")).containsExactly("nfs://server/export");
        assertThat(settings.get("EMPTY")).isEmpty();
        assertThat(settings.contains("EMPTY")).isTrue();
        assertThat(settings.get("UNSET")).isEmpty();
        assertThat(settings.list("UNSET")).isEmpty();
    }

    @Test
    void aScalarReadOfAnArrayIsMisconfigured() {
        assertThatThrownBy(() -> settings.get("BACKUP_PROG_EXCLUDE")).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.MISCONFIGURED))
                .hasMessage("BACKUP_PROG_EXCLUDE is an array of 3 values where one value is expected");
    }

    @Test
    void requireNamesTheMissingVariable() {
        assertThatThrownBy(() -> settings.require("TSM_RESULT_FILE_PATH")).hasMessage("TSM_RESULT_FILE_PATH is not set");
        assertThatThrownBy(() -> settings.require("EMPTY")).hasMessage("EMPTY is not set");
    }

    @Test
    void flagsAreReadLikeIsTrueAndIsFalse() {
        assertThat(settings.flag("PING", false)).isTrue();
        assertThat(settings.with("PING", "off").flag("PING", true)).isFalse();
        assertThat(settings.flag("UNSET", true)).isTrue();
        assertThatThrownBy(() -> settings.with("PING", "maybe").flag("PING", true)).hasMessageContaining("PING=maybe is neither true");
        assertThatThrownBy(() -> settings.with("GALAXY11_PASSWORD", "maybe-not").flag("GALAXY11_PASSWORD", true))
                .hasMessageNotContaining("maybe-not").hasMessageContaining("***");
    }

    @Test
    void secretsAreMaskedInEveryPrintableForm() {
        assertThat(settings.isSecret("GALAXY11_PASSWORD")).isTrue();
        assertThat(settings.redacted()).containsEntry("GALAXY11_PASSWORD", List.of("***")).containsEntry("PING", List.of("Yes"));
        assertThat(settings.toString()).doesNotContain("s3cret-pa55").contains("GALAXY11_PASSWORD=[***]");
        assertThat(settings.secretValues()).containsExactly("s3cret-pa55");
        assertThat(settings.get("GALAXY11_PASSWORD")).contains("s3cret-pa55");
    }

    @Test
    void withKeepsSecretMarksAndWithSecretsAddsThem() {
        ProviderSettings changed = settings.with("GALAXY11_PASSWORD", "another-one");
        assertThat(changed.toString()).doesNotContain("another-one");
        ProviderSettings marked = ProviderSettings.of(Map.of("KEY", "value-12345")).withSecrets(List.of("KEY", "NOT_SET"));
        assertThat(marked.secretValues()).containsExactly("value-12345");
        assertThat(marked.secretNames()).containsExactly("KEY", "NOT_SET");
        assertThat(settings.without("BACKUP_URL").contains("BACKUP_URL")).isFalse();
    }

    @Test
    void refusesWhatIsNotAVariable() {
        assertThatThrownBy(() -> ProviderSettings.builder().set("NOT A NAME", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProviderSettings.of(Map.of("N", 3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityIsByValuesAndSecretMarks() {
        assertThat(ProviderSettings.of(Map.of("A", "1"))).isEqualTo(ProviderSettings.builder().set("A", "1").build())
                .isNotEqualTo(ProviderSettings.builder().secret("A", "1").build());
    }
}
