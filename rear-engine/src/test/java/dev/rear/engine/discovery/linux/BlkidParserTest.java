package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.BlkidParser.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code blkid -o export} and {@code blkid -p -o export} on the devices of capture-host-fixtures.sh. */
class BlkidParserTest {

    @Test
    void readsTheExt4PartitionWithItsEscapedPartitionLabel() {
        Entry e = single(BlkidParser.parse(Fixtures.read("blkid/host-gpt-root.export")));
        assertThat(e.devname()).isEqualTo("/dev/loop0p2");
        assertThat(e.type()).isEqualTo("ext4");
        assertThat(e.label()).isEqualTo("rear-root");
        assertThat(e.uuid()).isEqualTo("52454152-e4e4-4e4e-8e4e-000000000002");
        assertThat(e.blockSize()).isEqualTo(4096);
        assertThat(e.partLabel()).isEqualTo("rear root"); // printed as rear\ root
        assertThat(e.partUuid()).isEqualTo("52454152-0000-4000-8000-000000000002");
        assertThat(e.tags().keySet()).containsExactly("LABEL", "UUID", "BLOCK_SIZE", "TYPE", "PARTLABEL", "PARTUUID");
    }

    @Test
    void readsTheVfatEspSwapXfsAndBtrfs() {
        Entry esp = single(BlkidParser.parse(Fixtures.read("blkid/host-gpt-esp.export")));
        assertThat(esp.type()).isEqualTo("vfat");
        assertThat(esp.uuid()).isEqualTo("5245-4152");
        assertThat(esp.label()).isEqualTo("REAR-ESP");
        assertThat(esp.get("LABEL_FATBOOT")).isEqualTo("REAR-ESP");
        assertThat(esp.partLabel()).isEqualTo("EFI System Partition");

        Entry swap = single(BlkidParser.parse(Fixtures.read("blkid/host-gpt-swap.export")));
        assertThat(swap.type()).isEqualTo("swap");
        assertThat(swap.label()).isEqualTo("rear-swap");
        assertThat(swap.uuid()).isEqualTo("52454152-5a5a-4a5a-8a5a-000000000004");
        assertThat(swap.blockSize()).isNull();

        Entry xfs = single(BlkidParser.parse(Fixtures.read("blkid/host-whole-xfs.export")));
        assertThat(xfs.devname()).isEqualTo("/dev/loop3");
        assertThat(xfs.type()).isEqualTo("xfs");
        assertThat(xfs.label()).isEqualTo("rear-whole");
        assertThat(xfs.uuid()).isEqualTo("52454152-5f5f-4f5f-8f5f-0000000000d0");
        assertThat(xfs.blockSize()).isEqualTo(4096);
        assertThat(xfs.partUuid()).isNull();

        Entry btrfs = single(BlkidParser.parse(Fixtures.read("blkid/host-btrfs.export")));
        assertThat(btrfs.type()).isEqualTo("btrfs");
        assertThat(btrfs.label()).isEqualTo("rear-btrfs");
        assertThat(btrfs.uuid()).isEqualTo("52454152-b7f5-4b7f-8b7f-0000000000b0");
        assertThat(btrfs.uuidSub()).isEqualTo("6c59a006-0ba7-4edb-9614-4a1512eb226e"); // the device, random
    }

    @Test
    void readsExt3WithItsSecondaryTypeAndTheDosPartitionUuids() {
        Entry e = single(BlkidParser.parse(Fixtures.read("blkid/host-dos-boot.export")));
        assertThat(e.type()).isEqualTo("ext3");
        assertThat(e.secondaryType()).isEqualTo("ext2");
        assertThat(e.blockSize()).isEqualTo(1024);
        assertThat(e.partUuid()).isEqualTo("52454152-01"); // DOS: disk id and partition number
        assertThat(e.partLabel()).isNull();
    }

    @Test
    void anEscapedSpaceInALabelIsUnescaped() {
        Entry e = single(BlkidParser.parse(Fixtures.read("blkid/host-dos-logical-ext4.export")));
        assertThat(e.label()).isEqualTo("rear logical");
        assertThat(e.partUuid()).isEqualTo("52454152-05");
    }

    @Test
    void theDevnameOfASwapFileIsPrintedWithoutEscapes() {
        Entry e = single(BlkidParser.parse(Fixtures.read("blkid/host-swapfile.export")));
        assertThat(e.devname()).isEqualTo("/var/tmp/rear-capture/mnt/dos logical/swap file");
        assertThat(e.type()).isEqualTo("swap");
        assertThat(e.label()).isEqualTo("rear-swapfile");
    }

    @Test
    void theExtendedPartitionAndTheWholeDiskShowOnlyTheirPartitionTable() {
        Entry ext = single(BlkidParser.parse(Fixtures.read("blkid/host-dos-extended.export")));
        assertThat(ext.type()).isNull();
        assertThat(ext.partitionTableType()).isEqualTo("dos");
        assertThat(ext.partUuid()).isEqualTo("52454152-02");

        Entry disk = single(BlkidParser.parse(Fixtures.read("blkid/host-gpt-disk.export")));
        assertThat(disk.type()).isNull();
        assertThat(disk.partitionTableType()).isEqualTo("gpt");
        assertThat(disk.partitionTableUuid()).isEqualTo("52454152-0000-4000-8000-000000000000");
    }

    @Test
    void severalDevicesInOneOutputAreSeparatedByBlankLines() {
        List<Entry> all = BlkidParser.parse(Fixtures.read("blkid/host-all.export"));
        assertThat(all).extracting(Entry::devname).containsExactly(
                "/dev/loop0", "/dev/loop0p1", "/dev/loop0p2", "/dev/loop0p3", "/dev/loop0p4",
                "/dev/loop1", "/dev/loop1p1", "/dev/loop1p2", "/dev/loop1p5", "/dev/loop1p6",
                "/dev/loop2", "/dev/loop3");
        assertThat(all).extracting(Entry::type).containsExactly(
                null, "vfat", "ext4", "xfs", "swap", null, "ext3", null, "ext4", "btrfs", "btrfs", "xfs");
        assertThat(all).extracting(Entry::label).containsExactly(
                null, "REAR-ESP", "rear-root", "rear-data", "rear-swap", null, "rear-boot", null, "rear logical",
                "rear-dosbtrfs", "rear-btrfs", "rear-whole");
        // each agrees with the single-device output
        assertThat(all.get(2)).isEqualTo(single(BlkidParser.parse(Fixtures.read("blkid/host-gpt-root.export"))));
    }

    @Test
    void theProbeGivesPartitionEntryDetailsVersionAndUsage() {
        Entry e = single(BlkidParser.parseProbe(Fixtures.read("blkid/host-gpt-root-probe.export")));
        assertThat(e.type()).isEqualTo("ext4");
        assertThat(e.version()).isEqualTo("1.0");
        assertThat(e.get("USAGE")).isEqualTo("filesystem");
        assertThat(e.get("PARTUUID")).isNull();
        assertThat(e.partUuid()).isEqualTo("52454152-0000-4000-8000-000000000002"); // from PART_ENTRY_UUID
        assertThat(e.partLabel()).isEqualTo("rear root"); // from PART_ENTRY_NAME=rear\ root
        assertThat(e.get("PART_ENTRY_SCHEME")).isEqualTo("gpt");
        assertThat(e.get("PART_ENTRY_TYPE")).isEqualTo("0fc63daf-8483-4772-8e79-3d69d8477de4"); // lower case here
        assertThat(e.get("PART_ENTRY_FLAGS")).isEqualTo("0x8000000000000004"); // GUID:63 + LegacyBIOSBootable
        assertThat(e.get("PART_ENTRY_NUMBER")).isEqualTo("2");
        assertThat(e.get("PART_ENTRY_OFFSET")).isEqualTo("526336");
        assertThat(e.get("PART_ENTRY_SIZE")).isEqualTo("1638400");
        assertThat(e.get("PART_ENTRY_DISK")).isEqualTo("7:0");

        Entry boot = single(BlkidParser.parseProbe(Fixtures.read("blkid/host-dos-boot-probe.export")));
        assertThat(boot.get("PART_ENTRY_TYPE")).isEqualTo("0x83");
        assertThat(boot.get("PART_ENTRY_FLAGS")).isEqualTo("0x80"); // bootable

        Entry esp = single(BlkidParser.parseProbe(Fixtures.read("blkid/host-gpt-esp-probe.export")));
        assertThat(esp.version()).isEqualTo("FAT32");
        assertThat(esp.partLabel()).isEqualTo("EFI System Partition");

        Entry swap = single(BlkidParser.parseProbe(Fixtures.read("blkid/host-gpt-swap-probe.export")));
        assertThat(swap.version()).isEqualTo("1");
        assertThat(swap.get("USAGE")).isEqualTo("other");
    }

    @Test
    void emptyOutputIsAnErrorEvenWhenBlkidExitedWithZero() {
        // captured: this sandbox refuses to open /dev/vda; blkid printed nothing and exited 0
        assertThat(Fixtures.read("blkid/host-vda.export")).isEmpty();
        assertThat(Fixtures.read("blkid/host-vda.meta")).contains("exit-status: 0");
        assertThatThrownBy(() -> BlkidParser.parse(Fixtures.read("blkid/host-vda.export")))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("blkid -o export"))
                .hasMessageContaining("printed nothing");
    }

    @Test
    void otherCharactersEscapedByBlkidAreUnescaped() {
        List<Entry> e = BlkidParser.parse("DEVNAME=/dev/sdz1\nLABEL=it\\'s\\ \\$HOME\\ \\<\\\\\\>\\\"q\\\"\\`x\\`\nTYPE=ext4\n");
        assertThat(single(e).label()).isEqualTo("it's $HOME <\\>\"q\"`x`");
    }

    @Test
    void theMNotationForNonAsciiBytesIsKeptAsPrinted() {
        // blkid without -d prints byte 0xC3 0xA9 ("é" in UTF-8) as M-CM-); not reversible, kept
        Entry e = single(BlkidParser.parse("DEVNAME=/dev/sdz1\nLABEL=caf\u004d-CM-)\nTYPE=ext4\n"));
        assertThat(e.label()).isEqualTo("cafM-CM-)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "LABEL=x\nTYPE=ext4\n",                                 // no DEVNAME
        "DEVNAME=/dev/sda1\nTYPE=ext4\nTYPE=xfs\n",              // repeated key
        "DEVNAME=/dev/sda1\nDEVNAME=/dev/sda2\nTYPE=xfs\n",      // blank line missing
        "DEVNAME=/dev/sda1\nthis is not an assignment\n",
        "DEVNAME=/dev/sda1\nlabel=lower case key\n",
        "DEVNAME=/dev/sda1\nLABEL=ends in a backslash\\\n",
        "DEVNAME=/dev/sda1\nBLOCK_SIZE=4k\n",
        "DEVNAME=\nTYPE=ext4\n",
        "/dev/sda1: UUID=\"1234\" TYPE=\"ext4\"\n",                // the default output format
        "\u0000\u0001\u0002"
    })
    void malformedOutputIsAnErrorNamingTheCommand(String garbage) {
        assertThatThrownBy(() -> BlkidParser.parse(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("blkid -o export"));
        assertThatThrownBy(() -> BlkidParser.parseProbe(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("blkid -p -o export"));
    }

    @Test
    void aTruncatedOutputKeepsWhatIsCompleteButAnEntryCutInTheKeyIsAnError() {
        String all = Fixtures.read("blkid/host-all.export");
        String cut = all.substring(0, all.indexOf("PARTUUID=52454152-0000-4000-8000-000000000003") + 4);
        assertThatThrownBy(() -> BlkidParser.parse(cut)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("is not KEY=value");
    }

    private static Entry single(List<Entry> entries) {
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }
}
