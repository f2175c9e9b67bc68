package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.LsblkParser.BlockDevice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code lsblk -J -b -O} as captured on the host, without udev (see fixtures/README.md). */
class LsblkParserTest {

    private static final String LOOPS = Fixtures.read("lsblk/host-loops.json");

    private static BlockDevice find(List<BlockDevice> tree, String name) {
        return tree.stream().flatMap(d -> d.flatten().stream()).filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }

    @Test
    void readsTheGptLoopDeviceAndItsFourPartitions() {
        List<BlockDevice> tree = LsblkParser.parse(LOOPS);
        assertThat(tree).extracting(BlockDevice::name).containsExactly("loop0", "loop1", "loop2", "loop3");

        BlockDevice gpt = tree.get(0);
        assertThat(gpt.type()).isEqualTo("loop");
        assertThat(gpt.path()).isEqualTo("/dev/loop0");
        assertThat(gpt.majorMinor()).isEqualTo("7:0");
        assertThat(gpt.sizeBytes()).isEqualTo(2L << 30);
        assertThat(gpt.logicalSectorSize()).isEqualTo(512);
        assertThat(gpt.physicalSectorSize()).isEqualTo(512);
        assertThat(gpt.rotational()).isTrue();
        assertThat(gpt.removable()).isFalse();
        assertThat(gpt.hotplug()).isFalse();
        assertThat(gpt.readOnly()).isFalse();
        assertThat(gpt.mountpoints()).isEmpty();
        assertThat(gpt.parentKernelName()).isNull();
        assertThat(gpt.startSector()).isNull();

        assertThat(gpt.children()).extracting(BlockDevice::name)
                .containsExactly("loop0p1", "loop0p2", "loop0p3", "loop0p4");
        assertThat(gpt.children()).extracting(BlockDevice::type).containsOnly("part");
        assertThat(gpt.children()).extracting(BlockDevice::parentKernelName).containsOnly("loop0");
        assertThat(gpt.children()).extracting(BlockDevice::startSector)
                .containsExactly(2048L, 526336L, 2164736L, 3393536L);
        assertThat(gpt.children()).extracting(BlockDevice::sizeBytes)
                .containsExactly(256L << 20, 800L << 20, 600L << 20, 408944640L);
        // partitions created by partx on a loop device get block-extended numbers (major 259)
        assertThat(gpt.children()).extracting(BlockDevice::majorMinor)
                .containsExactly("259:0", "259:1", "259:2", "259:3");
    }

    @Test
    void mountpointsLeaveOutNullAndShowSwapAndNamesWithSpaces() {
        List<BlockDevice> tree = LsblkParser.parse(LOOPS);
        assertThat(find(tree, "loop0p1").mountpoints()).isEmpty();
        assertThat(find(tree, "loop0p2").mountpoints()).containsExactly("/var/tmp/rear-capture/mnt/gpt-root");
        assertThat(find(tree, "loop0p4").mountpoints()).containsExactly("[SWAP]");
        assertThat(find(tree, "loop1p5").mountpoints()).containsExactly("/var/tmp/rear-capture/mnt/dos logical");
    }

    @Test
    void aBtrfsMountedThreeTimesListsEveryMountPointAndItsSubvolumeRoots() {
        BlockDevice btrfs = find(LsblkParser.parse(LOOPS), "loop2");
        assertThat(btrfs.children()).isEmpty();
        assertThat(btrfs.mountpoints()).containsExactlyInAnyOrder(
                "/var/tmp/rear-capture/mnt/btrfs-top",
                "/var/tmp/rear-capture/mnt/btrfs-home",
                "/var/tmp/rear-capture/mnt/btrfs-default");
        assertThat(btrfs.fsroots()).containsExactlyInAnyOrder("/", "/@home", "/@/.snapshots/1/snapshot");
    }

    @Test
    void theDosExtendedPartitionIsOneKibibyteAndTheLogicalsAreNumberedFromFive() {
        BlockDevice dos = find(LsblkParser.parse(LOOPS), "loop1");
        assertThat(dos.children()).extracting(BlockDevice::name)
                .containsExactly("loop1p1", "loop1p2", "loop1p5", "loop1p6");
        assertThat(find(List.of(dos), "loop1p2").sizeBytes()).isEqualTo(1024);
        assertThat(find(List.of(dos), "loop1p5").startSector()).isEqualTo(528384);
    }

    @Test
    void theLoopDeviceWithFourKibibyteSectorsSaysSo() {
        BlockDevice xfs = find(LsblkParser.parse(LOOPS), "loop3");
        assertThat(xfs.logicalSectorSize()).isEqualTo(4096);
        assertThat(xfs.physicalSectorSize()).isEqualTo(4096);
        assertThat(xfs.sizeBytes()).isEqualTo(1L << 30);
    }

    @Test
    void withoutUdevTheFileSystemAndPartitionEntryColumnsAreNull() {
        for (BlockDevice d : LsblkParser.parse(LOOPS).stream().flatMap(d -> d.flatten().stream()).toList()) {
            assertThat(d.fstype()).as(d.name()).isNull();
            assertThat(d.uuid()).as(d.name()).isNull();
            assertThat(d.label()).as(d.name()).isNull();
            assertThat(d.partUuid()).as(d.name()).isNull();
            assertThat(d.partLabel()).as(d.name()).isNull();
            assertThat(d.partType()).as(d.name()).isNull();
            assertThat(d.partitionTableType()).as(d.name()).isNull();
            // util-linux 2.38 has no PARTN column yet
            assertThat(d.partitionNumber()).as(d.name()).isNull();
        }
    }

    @Test
    void readsTheWholeMachineAndTheVmDisk() {
        List<BlockDevice> machine = LsblkParser.parse(Fixtures.read("lsblk/host-machine.json"));
        assertThat(machine).extracting(BlockDevice::name).contains("vda", "zram0", "loop0");
        BlockDevice zram = find(machine, "zram0");
        assertThat(zram.type()).isEqualTo("disk");
        assertThat(zram.sizeBytes()).isZero();
        assertThat(zram.rotational()).isFalse();

        List<BlockDevice> vda = LsblkParser.parse(Fixtures.read("lsblk/host-vda.json"));
        assertThat(vda).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("/dev/vda");
            assertThat(d.type()).isEqualTo("disk");
            assertThat(d.sizeBytes()).isEqualTo(256L << 30);
            assertThat(d.logicalSectorSize()).isEqualTo(512);
            assertThat(d.physicalSectorSize()).isEqualTo(4096);
            assertThat(d.mountpoints()).containsExactly("/");
            assertThat(d.children()).isEmpty();
            assertThat(d.model()).isNull();
        });
    }

    @Test
    void keysOfANewerLsblkAreIgnored() {
        assertThat(LsblkParser.parse(Fixtures.withUnknownKeys(LOOPS))).isEqualTo(LsblkParser.parse(LOOPS));
    }

    @Test
    void theValueFormsOfOlderLsblkAreRead() {
        // util-linux before 2.33 printed numbers and flags as strings, and before 2.37 had only "mountpoint"
        String old = Fixtures.editEveryObject(LOOPS, o -> {
            if (o.has("size")) {
                o.put("size", o.get("size").asText());
                o.put("rm", o.get("rm").asBoolean() ? "1" : "0");
                o.put("rota", o.get("rota").asBoolean() ? "1" : "0");
                o.remove("mountpoints");
            }
        });
        List<BlockDevice> tree = LsblkParser.parse(old);
        assertThat(find(tree, "loop0p2").sizeBytes()).isEqualTo(800L << 20);
        assertThat(find(tree, "loop0p2").rotational()).isTrue();
        assertThat(find(tree, "loop0p2").mountpoints()).containsExactly("/var/tmp/rear-capture/mnt/gpt-root");
        assertThat(find(tree, "loop0p1").mountpoints()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"size", "kname", "path", "type", "log-sec", "rota", "maj:min"})
    void aMissingRequiredKeyIsAnErrorThatSaysWhere(String key) {
        String broken = Fixtures.editAt(LOOPS, "/blockdevices/0/children/2", o -> o.remove(key));
        assertThatThrownBy(() -> LsblkParser.parse(broken))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("lsblk -J -b -O"))
                .hasMessageContaining("lsblk -J -b -O")
                .hasMessageContaining("blockdevices[0].children[2] (loop0p3)")
                .hasMessageContaining("\"" + key + "\" is missing");
    }

    @Test
    void aDeviceWithoutAnyMountpointKeyIsAnError() {
        String broken = Fixtures.editAt(LOOPS, "/blockdevices/1", o -> {
            o.remove("mountpoints");
            o.remove("mountpoint");
        });
        assertThatThrownBy(() -> LsblkParser.parse(broken)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("neither \"mountpoints\" nor \"mountpoint\"");
    }

    @Test
    void sizesWithoutDashBAreRefusedWithAHint() {
        String human = Fixtures.editAt(LOOPS, "/blockdevices/0", o -> o.put("size", "2G"));
        assertThatThrownBy(() -> LsblkParser.parse(human)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("\"size\" is \"2G\"").hasMessageContaining("without -b");
    }

    @Test
    void aSectorSizeThatIsNoPowerOfTwoIsAnError() {
        String odd = Fixtures.editAt(LOOPS, "/blockdevices/3", o -> o.put("log-sec", 1000));
        assertThatThrownBy(() -> LsblkParser.parse(odd)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("\"log-sec\" is 1000");
    }

    @Test
    void aFlagThatIsNeitherTrueNorFalseIsAnError() {
        String odd = Fixtures.editAt(LOOPS, "/blockdevices/0", o -> o.put("ro", "maybe"));
        assertThatThrownBy(() -> LsblkParser.parse(odd)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("\"ro\" is \"maybe\", not true or false");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.25, 0.5, 0.6, 0.9, 0.9995})
    void truncatedJsonIsAnError(double fraction) {
        assertThatThrownBy(() -> LsblkParser.parse(Fixtures.truncated(LOOPS, fraction)))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageStartingWith("cannot read the output of 'lsblk -J -b -O': the JSON ends early at line ")
                .hasMessageContaining("truncated");
    }

    @Test
    void emptyOutputIsAnErrorNotAnEmptyMachine() {
        assertThatThrownBy(() -> LsblkParser.parse("")).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("printed nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "NAME MAJ:MIN RM SIZE RO TYPE MOUNTPOINTS\nvda 254:0 0 256G 0 disk /\n",
        "{\"devices\": []}",
        "[1, 2, 3]",
        "{\"blockdevices\": {\"name\": \"sda\"}}",
        "{\"blockdevices\": [42]}",
        "{\"blockdevices\": []} {\"blockdevices\": []}",
        "\u0000\u0001\u0002garbage"
    })
    void outputThatIsNotTheJsonTreeIsAnError(String garbage) {
        assertThatThrownBy(() -> LsblkParser.parse(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("lsblk -J -b -O"));
    }

    @Test
    void anEmptyDeviceListIsWhatItSays() {
        assertThat(LsblkParser.parse("{\"blockdevices\": []}\n")).isEmpty();
    }
}
