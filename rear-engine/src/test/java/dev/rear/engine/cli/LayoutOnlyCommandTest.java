package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutOnlyCommandTest {

    static final String SAMPLE = Path.of("..", "descriptors", "samples", "uefi-gpt-ext4-nvme.json").toString();
    static final String NO_DISK = "/dev/rear-test-no-such-disk";

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int rear(String... args) {
        return Rear.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void refusesATargetThatIsNoBlockDeviceAndWritesNoJournal() {
        Path j = dir.resolve("j.jsonl");
        int code = rear("layoutonly", SAMPLE, "--target", "/dev/nvme0n1=" + NO_DISK, "--target-disk", NO_DISK + ":1000204886016",
                "--yes", "--journal", j.toString(), "--target-root", dir.resolve("root").toString());
        assertThat(code).as(err.toString()).isEqualTo(ExitCode.PRECONDITION_FAILED.code());
        assertThat(err.toString()).contains(NO_DISK + " is not a block device");
        assertThat(out.toString()).contains("Disk mapping:").contains("/dev/nvme0n1 (1000204886016 bytes) -> " + NO_DISK);
        assertThat(j).doesNotExist();
    }

    @Test
    void simulationShowsThePlanAndTouchesNothing() {
        Path j = dir.resolve("j.jsonl");
        int code = rear("-s", "layoutonly", SAMPLE, "--target", "/dev/nvme0n1=" + NO_DISK, "--target-disk", NO_DISK + ":1000204886016",
                "--journal", j.toString(), "--target-root", dir.resolve("root").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Disk mapping:", "wipefs --all --force " + NO_DISK)
                .containsPattern("layoutonly \\(simulation\\): \\d+ steps would run; nothing was touched\\n$");
        assertThat(j).doesNotExist();
        assertThat(dir.resolve("root")).doesNotExist();
    }

    @Test
    void withoutYesAndWithoutATerminalItRefuses() {
        Path j = dir.resolve("j.jsonl");
        int code = rear("layoutonly", SAMPLE, "--target", "/dev/nvme0n1=" + NO_DISK, "--target-disk", NO_DISK + ":1000204886016",
                "--journal", j.toString());
        assertThat(code).isEqualTo(ExitCode.PRECONDITION_FAILED.code());
        assertThat(err.toString()).contains("--yes");
        assertThat(j).doesNotExist();
    }

    @Test
    void resumeNeedsAJournal() {
        assertThat(rear("layoutonly", SAMPLE, "--target", "/dev/nvme0n1=" + NO_DISK, "--resume", "--yes"))
                .isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void resumeRefusesADamagedJournal() throws Exception {
        Path j = dir.resolve("j.jsonl");
        java.nio.file.Files.writeString(j, "{not a journal}\n{\"seq\":2}\n");
        int code = rear("layoutonly", SAMPLE, "--target", "/dev/nvme0n1=" + NO_DISK, "--target-disk", NO_DISK + ":1000204886016",
                "--yes", "--resume", "--journal", j.toString());
        assertThat(code).as(err.toString()).isEqualTo(ExitCode.JOURNAL_INVALID.code());
    }
}
