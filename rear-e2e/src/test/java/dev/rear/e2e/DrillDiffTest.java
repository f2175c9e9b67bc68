package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the drill accepts as explained in {@code rear diff --json SOURCE RECOVERED}, on the diff of a real S2 recovery. */
class DrillDiffTest {

    static String fixture() throws Exception {
        try (InputStream in = DrillDiffTest.class.getResourceAsStream("fixtures/s2-recovered-diff.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void recreatedVolumeGroupsAndLvsWithNewUuidsAndOtherExcludedDisksAreExplained() throws Exception {
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S2, fixture())).isEmpty();
    }

    @Test
    void anLvOfAnotherSizeOnTheSameDisksIsNot() throws Exception {
        String changed = fixture().replaceFirst("(\"field\"\\s*:\\s*\"sizeBytes\",\\s*\"new\"\\s*:\\s*)(\\d+)", "$11234");
        assertThat(changed).isNotEqualTo(fixture());
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S2, changed)).singleElement().asString().contains("sizeBytes");
    }

    @Test
    void aFilesystemThatIsGoneIsNot() throws Exception {
        String gone = fixture().replaceFirst("\"changes\"\\s*:\\s*\\[", "\"changes\":[{\"change\":\"removed\",\"kind\":\"filesystem\",\"oldId\":\"fs:/var\",\"fields\":[]},");
        assertThat(RecoveryDrillIT.unexplainedDifferences(RecoveryDrillIT.Drill.S2, gone)).containsExactly("removed filesystem fs:/var");
    }
}
