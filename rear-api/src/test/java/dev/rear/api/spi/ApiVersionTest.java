package dev.rear.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiVersionTest {

    @Test
    void currentIsTheConstantProvidersCompileIn() {
        assertThat(ApiVersion.CURRENT).hasToString(BackupProvider.API_VERSION);
    }

    @Test
    void runsTheSameMajorUpToItsOwnMinor() {
        ApiVersion rear = new ApiVersion(1, 2);
        assertThat(rear.canRun(ApiVersion.parse("1.0"))).isTrue();
        assertThat(rear.canRun(ApiVersion.parse("1.2"))).isTrue();
        assertThat(rear.canRun(ApiVersion.parse("1.3"))).as("provider needs what this rear lacks").isFalse();
        assertThat(rear.canRun(ApiVersion.parse("2.0"))).isFalse();
        assertThat(rear.canRun(ApiVersion.parse("0.9"))).isFalse();
    }

    @Test
    void parsesOnlyMajorDotMinor() {
        assertThat(ApiVersion.parse(" 10.20 ")).isEqualTo(new ApiVersion(10, 20));
        for (String bad : new String[] {"1", "1.0.0", "v1.0", "1.x", "", "-1.0"}) {
            assertThatThrownBy(() -> ApiVersion.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
