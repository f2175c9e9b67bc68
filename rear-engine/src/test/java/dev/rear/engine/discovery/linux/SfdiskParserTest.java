package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.SfdiskParser.Partition;
import dev.rear.engine.discovery.linux.SfdiskParser.PartitionTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sfdisk -J} on the GPT and DOS images of capture-host-fixtures.sh. */
class SfdiskParserTest {

    private static final String GPT = Fixtures.read("sfdisk/host-gpt.json");
    private static final String DOS = Fixtures.read("sfdisk/host-dos.json");

    @Test
    void readsTheGptWithTheGuidsTheScriptSet() {
        PartitionTable t = SfdiskParser.parse(GPT);
        assertThat(t.label()).isEqualTo("gpt");
        assertThat(t.id()).isEqualTo("52454152-0000-4000-8000-000000000000");
        assertThat(t.device()).isEqualTo("/dev/loop0");
        assertThat(t.unit()).isEqualTo("sectors");
        assertThat(t.firstLba()).isEqualTo(2048);
        assertThat(t.lastLba()).isEqualTo(4194270); // 2 GiB / 512 - 34
        assertThat(t.sectorSize()).isEqualTo(512);
        assertThat(t.partitions()).containsExactly(
                new Partition("/dev/loop0p1", 2048, 524288, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
                        "52454152-0000-4000-8000-000000000001", "EFI System Partition", "RequiredPartition", false),
                new Partition("/dev/loop0p2", 526336, 1638400, "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
                        "52454152-0000-4000-8000-000000000002", "rear root", "LegacyBIOSBootable GUID:63", false),
                new Partition("/dev/loop0p3", 2164736, 1228800, "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
                        "52454152-0000-4000-8000-000000000003", "rear data", null, false),
                new Partition("/dev/loop0p4", 3393536, 798720, "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F",
                        "52454152-0000-4000-8000-000000000004", "rear swap", null, false));
        // "the rest of the disk" ends on the last 1 MiB boundary, 2015 sectors before lastlba
        Partition last = t.partitions().get(3);
        assertThat(last.start() + last.size()).isEqualTo(4192256).isEqualTo(2047L * 2048);
        assertThat(t.lastLba() - (last.start() + last.size() - 1)).isEqualTo(2015);
    }

    @Test
    void readsTheDosTableWithItsExtendedAndLogicalPartitions() {
        PartitionTable t = SfdiskParser.parse(DOS);
        assertThat(t.label()).isEqualTo("dos");
        assertThat(t.id()).isEqualTo("0x52454152");
        assertThat(t.device()).isEqualTo("/dev/loop1");
        assertThat(t.firstLba()).isNull();
        assertThat(t.lastLba()).isNull();
        assertThat(t.sectorSize()).isEqualTo(512);
        assertThat(t.partitions()).containsExactly(
                new Partition("/dev/loop1p1", 2048, 524288, "83", null, null, null, true),
                new Partition("/dev/loop1p2", 526336, 1570816, "5", null, null, null, false),
                new Partition("/dev/loop1p5", 528384, 614400, "83", null, null, null, false),
                new Partition("/dev/loop1p6", 1144832, 952320, "83", null, null, null, false));
    }

    @Test
    void aTableWithoutPartitionsHasNoPartitionsKeyAndReadsAsEmpty() {
        PartitionTable t = SfdiskParser.parse(Fixtures.read("sfdisk/host-empty-gpt.json"));
        assertThat(t.label()).isEqualTo("gpt");
        // sfdisk prints the disk GUID in upper case, whatever case it was given in
        assertThat(t.id()).isEqualTo("52454152-0000-4000-8000-0000000000EE");
        assertThat(t.partitions()).isEmpty();
    }

    @Test
    void keysOfANewerSfdiskAreIgnored() {
        assertThat(SfdiskParser.parse(Fixtures.withUnknownKeys(GPT))).isEqualTo(SfdiskParser.parse(GPT));
        assertThat(SfdiskParser.parse(Fixtures.withUnknownKeys(DOS))).isEqualTo(SfdiskParser.parse(DOS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "start", "size", "type"})
    void aPartitionWithoutARequiredKeyIsAnError(String key) {
        String broken = Fixtures.editAt(GPT, "/partitiontable/partitions/1", o -> o.remove(key));
        assertThatThrownBy(() -> SfdiskParser.parse(broken))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("sfdisk -J"))
                .hasMessageContaining("partitiontable.partitions[1]: \"" + key + "\" is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"label", "device", "unit"})
    void aTableWithoutARequiredKeyIsAnError(String key) {
        String broken = Fixtures.editAt(DOS, "/partitiontable", o -> o.remove(key));
        assertThatThrownBy(() -> SfdiskParser.parse(broken)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("partitiontable: \"" + key + "\" is missing");
    }

    @Test
    void aUnitOtherThanSectorsIsAnError() {
        String bytes = Fixtures.editAt(GPT, "/partitiontable", o -> o.put("unit", "bytes"));
        assertThatThrownBy(() -> SfdiskParser.parse(bytes)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("\"unit\" is \"bytes\", expected \"sectors\"");
    }

    @Test
    void aStartThatIsNotANumberIsAnError() {
        String bad = Fixtures.editAt(GPT, "/partitiontable/partitions/0", o -> o.put("start", "2048s"));
        assertThatThrownBy(() -> SfdiskParser.parse(bad)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("\"start\" is \"2048s\", not a whole number");
    }

    @Test
    void truncatedJsonIsAnError() {
        assertThatThrownBy(() -> SfdiskParser.parse(Fixtures.truncated(GPT, 0.5)))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("'sfdisk -J'").hasMessageContaining("ends early");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "label: gpt\nlabel-id: 52454152-0000-4000-8000-000000000000\ndevice: /dev/loop0\n",
        "{\"partitiontable\": null}",
        "{\"partitiontable\": {\"label\": \"gpt\", \"device\": \"/dev/sda\", \"unit\": \"sectors\", \"partitions\": {}}}",
        "{\"table\": {}}"
    })
    void outputThatIsNotAPartitionTableIsAnError(String garbage) {
        assertThatThrownBy(() -> SfdiskParser.parse(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("sfdisk -J"));
    }
}
