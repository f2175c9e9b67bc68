package dev.rear.engine.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackupMethodsTest {

    @Test
    void reaRsShippedMethodsMapToTheShippedProviders() {
        assertThat(BackupMethods.providerId("NETFS")).isEqualTo("tar");
        assertThat(BackupMethods.providerId("TSM")).isEqualTo("tsm");
        assertThat(BackupMethods.providerId("GALAXY11")).isEqualTo("galaxy");
        assertThat(BackupMethods.providerId("BACULA")).isEqualTo("bacula");
        assertThat(BackupMethods.providerId(" netfs ")).isEqualTo("tar");
    }

    @Test
    void anyOtherValueIsTheIdInLowerCase() {
        assertThat(BackupMethods.providerId("BAREOS")).isEqualTo("bareos");
        assertThat(BackupMethods.providerId("dircopy")).isEqualTo("dircopy");
    }

    @Test
    void endOfLifeGalaxyVersionsAreRefusedPointingAtGalaxy11() {
        for (String old : new String[] {"GALAXY", "GALAXY7", "galaxy10"}) {
            assertThatThrownBy(() -> BackupMethods.providerId(old)).isInstanceOf(ProviderSelectionException.class)
                    .hasMessageContaining("BACKUP=GALAXY11");
        }
    }

    @Test
    void anEmptyValueIsRefused() {
        assertThatThrownBy(() -> BackupMethods.providerId(" ")).hasMessageContaining("BACKUP is empty");
    }
}
