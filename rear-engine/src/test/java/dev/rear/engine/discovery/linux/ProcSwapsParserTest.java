package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.ProcSwapsParser.SwapArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /proc/swaps} with a swap partition and a swap file in a directory with a space. */
class ProcSwapsParserTest {

    private static final String HOST = Fixtures.read("proc-swaps/host.txt");
    private static final String HEADER = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

    @Test
    void readsThePartitionAndTheFileWithItsEscapedName() {
        assertThat(ProcSwapsParser.parse(HOST)).containsExactly(
                new SwapArea("/dev/loop0p4", "partition", 399356, 0, 5),
                new SwapArea("/var/tmp/rear-capture/mnt/dos logical/swap file", "file", 65512, 0, -2));
        assertThat(ProcSwapsParser.parse(HOST).get(0).isPartition()).isTrue();
    }

    @Test
    void theSizeIsTheUsableKibibytesOfTheArea() {
        // the partition is 798720 sectors = 399360 KiB; one page holds the swap header
        assertThat(ProcSwapsParser.parse(HOST).get(0).sizeKiB()).isEqualTo(399360 - 4);
    }

    @Test
    void onlyTheHeaderMeansNoSwapIsActive() {
        assertThat(ProcSwapsParser.parse(HEADER)).isEmpty();
    }

    @Test
    void allFourKernelEscapesAreUndone() {
        String out = HEADER + "/swap\\040a\\011b\\012c\\134d (deleted) file\t\t1024\t\t0\t\t-3\n";
        // "(deleted)" after an escaped space would be one column; here it is a separate word and an error
        assertThatThrownBy(() -> ProcSwapsParser.parse(out)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("6 columns");
        String ok = HEADER + "/swap\\040a\\011b\\012c\\134d\\040(deleted) file\t\t1024\t\t0\t\t-3\n";
        assertThat(ProcSwapsParser.parse(ok).get(0).filename()).isEqualTo("/swap a\tb\nc\\d (deleted)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "/dev/sda2 partition 1024 0 -2\n",                               // no header
        "Filename Type Size Used Priority Extra\n",                     // other columns
        "Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition 1024 0\n",
        "Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 zram 1024 0 -2\n",
        "Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition 1G 0 -2\n",
        "Filename\tType\tSize\tUsed\tPriority\n/dev/sd\\9a2 partition 1024 0 -2\n",
        "\u0000\u0001garbage"
    })
    void malformedContentIsAnErrorNamingTheFile(String garbage) {
        assertThatThrownBy(() -> ProcSwapsParser.parse(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("cat /proc/swaps"));
    }

    @Test
    void aTruncatedLineIsAnError() {
        String cut = HOST.substring(0, HOST.indexOf("65512") + 3);
        assertThatThrownBy(() -> ProcSwapsParser.parse(cut)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("line 3 has 3 columns");
    }
}
