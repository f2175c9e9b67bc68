package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.rear.engine.discovery.linux.BtrfsParser.DefaultSubvolume;
import dev.rear.engine.discovery.linux.BtrfsParser.DfEntry;
import dev.rear.engine.discovery.linux.BtrfsParser.FilesystemDf;
import dev.rear.engine.discovery.linux.BtrfsParser.ShowDevice;
import dev.rear.engine.discovery.linux.BtrfsParser.ShowFilesystem;
import dev.rear.engine.discovery.linux.BtrfsParser.Subvolume;
import dev.rear.engine.discovery.linux.BtrfsParser.Superblock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The btrfs of capture-host-fixtures.sh: subvolumes @ (256), @home (257), @var (258), @/.snapshots
 * (259) and the snapshot @/.snapshots/1/snapshot (260) of @, made the default.
 */
class BtrfsParserTest {

    private static final String SUPER = Fixtures.read("btrfs/host-dump-super.txt");

    // ---- btrfs subvolume list ------------------------------------------------

    @Test
    void readsIdsParentsTopLevelsAndPaths() {
        List<Subvolume> list = BtrfsParser.parseSubvolumeList(Fixtures.read("btrfs/host-subvolume-list.txt"));
        assertThat(list).extracting(Subvolume::id).containsExactly(256L, 257L, 258L, 259L, 260L);
        assertThat(list).extracting(Subvolume::path)
                .containsExactly("@", "@home", "@var", "@/.snapshots", "@/.snapshots/1/snapshot");
        assertThat(list).extracting(Subvolume::topLevel).containsExactly(5L, 5L, 5L, 256L, 259L);
        assertThat(list).extracting(Subvolume::parentId).containsExactly(5L, 5L, 5L, 256L, 259L);
        assertThat(list).extracting(Subvolume::generation).containsExactly(7L, 8L, 7L, 7L, 7L);
        assertThat(list).extracting(Subvolume::fsTreePrefixed).containsOnly(false);
        assertThat(list).extracting(Subvolume::uuid).containsOnlyNulls();
    }

    @Test
    void withDashAThePathsLoseTheirFsTreePrefix() {
        List<Subvolume> all = BtrfsParser.parseSubvolumeList(Fixtures.read("btrfs/host-subvolume-list-all.txt"));
        assertThat(all).extracting(Subvolume::path)
                .containsExactly("@", "@home", "@var", "@/.snapshots", "@/.snapshots/1/snapshot");
        assertThat(all).extracting(Subvolume::fsTreePrefixed).containsOnly(true);
        assertThat(all).isEqualTo(BtrfsParser.parseSubvolumeList(Fixtures.read("btrfs/host-subvolume-list.txt"))
                .stream().map(s -> new Subvolume(s.id(), s.generation(), null, s.parentId(), s.topLevel(), null, null,
                        null, null, s.path(), true)).toList());
    }

    @Test
    void withUuidsTheSnapshotNamesItsOrigin() {
        List<Subvolume> list = BtrfsParser.parseSubvolumeList(Fixtures.read("btrfs/host-subvolume-list-uuids.txt"));
        Subvolume root = list.get(0);
        Subvolume snapshot = list.get(4);
        assertThat(root.path()).isEqualTo("@");
        assertThat(root.uuid()).isEqualTo("caf3b25a-dfe1-344b-90c0-53c880e32d9b");
        assertThat(root.parentUuid()).isNull();
        assertThat(root.receivedUuid()).isNull();
        assertThat(root.creationGeneration()).isEqualTo(7);
        assertThat(root.isSnapshot()).isFalse();
        assertThat(snapshot.path()).isEqualTo("@/.snapshots/1/snapshot");
        assertThat(snapshot.isSnapshot()).isTrue();
        assertThat(snapshot.parentUuid()).isEqualTo(root.uuid());
        assertThat(list).filteredOn(Subvolume::isSnapshot).extracting(Subvolume::id).containsExactly(260L);
    }

    @Test
    void dashOListsOnlyWhatIsDirectlyBelowAndHasNoParent() {
        assertThat(BtrfsParser.parseSubvolumeList(Fixtures.read("btrfs/host-subvolume-list-only-below.txt")))
                .containsExactly(new Subvolume(259, 7, null, null, 256, null, null, null, null, "@/.snapshots", false));
    }

    @Test
    void otimeAndPathsWithSpacesAreRead() {
        Subvolume s = BtrfsParser.parseSubvolumeList(
                "ID 300 gen 12 cgen 11 top level 5 otime 2024-01-31 12:00:01 path my data/sub vol\n").get(0);
        assertThat(s.otime()).isEqualTo("2024-01-31 12:00:01");
        assertThat(s.path()).isEqualTo("my data/sub vol");
    }

    @Test
    void noSubvolumesIsAnEmptyList() {
        assertThat(BtrfsParser.parseSubvolumeList("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ID 256 gen 7 parent 5 top level 5 path\n",          // truncated: no path
        "ID 256 gen 7 parent 5 top level 5\n",               // truncated
        "ID 256 gen 7 parent 5 top\n",
        "ID x gen 7 top level 5 path @\n",
        "ID 256 gen 7 flavour 3 top level 5 path @\n",
        "256 7 5 5 @\n",
        "ID\tgen\ttop level\tpath\n--\t---\t---------\t----\n256\t7\t5\t@\n"
    })
    void malformedLinesAreErrorsNamingTheCommand(String garbage) {
        assertThatThrownBy(() -> BtrfsParser.parseSubvolumeList(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("btrfs subvolume list"));
    }

    // ---- btrfs subvolume get-default -----------------------------------------

    @Test
    void readsTheSnapshotMadeDefault() {
        DefaultSubvolume d = BtrfsParser.parseGetDefault(Fixtures.read("btrfs/host-get-default.txt"));
        assertThat(d).isEqualTo(new DefaultSubvolume(260, "@/.snapshots/1/snapshot", 259L));
        assertThat(d.isTopLevel()).isFalse();
    }

    @Test
    void readsTheTopLevelBeforeSetDefault() {
        DefaultSubvolume d = BtrfsParser.parseGetDefault(Fixtures.read("btrfs/host-get-default-initial.txt"));
        assertThat(d).isEqualTo(new DefaultSubvolume(5, null, null));
        assertThat(d.isTopLevel()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ID 5\n", "ID 260 gen 7 top level 259 path @\nID 261 gen 7 top level 259 path @x\n", "default: 5\n"})
    void getDefaultOfAnythingElseIsAnError(String garbage) {
        assertThatThrownBy(() -> BtrfsParser.parseGetDefault(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("btrfs subvolume get-default"));
    }

    // ---- btrfs inspect-internal dump-super -----------------------------------

    @Test
    void readsTheSuperblockOfTheSubvolumeFileSystem() {
        Superblock sb = BtrfsParser.parseDumpSuper(SUPER);
        assertThat(sb.device()).isEqualTo("/dev/loop2");
        assertThat(sb.fsid()).isEqualTo("52454152-b7f5-4b7f-8b7f-0000000000b0");
        assertThat(sb.metadataUuid()).isEqualTo(sb.fsid());
        assertThat(sb.label()).isEqualTo("rear-btrfs");
        assertThat(sb.nodeSize()).isEqualTo(16384);
        assertThat(sb.sectorSize()).isEqualTo(4096);
        assertThat(sb.stripeSize()).isEqualTo(4096);
        assertThat(sb.totalBytes()).isEqualTo(1L << 30);
        assertThat(sb.bytesUsed()).isEqualTo(4423680);
        assertThat(sb.numDevices()).isEqualTo(1);
        assertThat(sb.generation()).isEqualTo(8);
        assertThat(sb.csumType()).isEqualTo("crc32c");
        assertThat(sb.checksumMatches()).isTrue();
        assertThat(sb.incompatFlags()).isEqualTo(0x363);
        assertThat(sb.incompatFlagNames()).containsExactly(
                "MIXED_BACKREF", "DEFAULT_SUBVOL", "BIG_METADATA", "EXTENDED_IREF", "SKINNY_METADATA", "NO_HOLES");
        assertThat(sb.compatRoFlags()).isEqualTo(0x3);
        assertThat(sb.compatRoFlagNames()).containsExactly("FREE_SPACE_TREE", "FREE_SPACE_TREE_VALID");
        assertThat(sb.mkfsFeatures()).containsExactly("extref", "skinny-metadata", "no-holes", "free-space-tree");
        assertThat(sb.devItemUuid()).isEqualTo("6c59a006-0ba7-4edb-9614-4a1512eb226e"); // blkid's UUID_SUB
        assertThat(sb.devItemDevid()).isEqualTo(1);
        assertThat(sb.fields()).containsEntry("leafsize (deprecated)", "16384").containsEntry("flags", "0x1");
    }

    @Test
    void theFileSystemWithoutSetDefaultHasNoDefaultSubvolFlag() {
        Superblock sb = BtrfsParser.parseDumpSuper(Fixtures.read("btrfs/host-dump-super-dos.txt"));
        assertThat(sb.device()).isEqualTo("/dev/loop1p6");
        assertThat(sb.label()).isEqualTo("rear-dosbtrfs");
        assertThat(sb.incompatFlags()).isEqualTo(0x341);
        assertThat(sb.incompatFlagNames()).containsExactly("MIXED_BACKREF", "EXTENDED_IREF", "SKINNY_METADATA", "NO_HOLES");
        assertThat(sb.mkfsFeatures()).containsExactly("extref", "skinny-metadata", "no-holes", "free-space-tree");
    }

    @Test
    void anEmptyLabelIsNull() {
        assertThat(BtrfsParser.parseDumpSuper(SUPER.replace("label\t\t\trear-btrfs", "label\t\t\t")).label()).isNull();
    }

    @Test
    void aMagicThatDoesNotMatchIsAnError() {
        assertThatThrownBy(() -> BtrfsParser.parseDumpSuper(SUPER.replace("_BHRfS_M [match]", "........ [DON'T MATCH]")))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("btrfs inspect-internal dump-super"))
                .hasMessageContaining("not a btrfs superblock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fsid", "nodesize", "sectorsize", "incompat_flags", "total_bytes"})
    void aMissingFieldIsAnError(String key) {
        String without = SUPER.lines().filter(l -> !l.startsWith(key + "\t")).reduce("", (a, b) -> a + b + "\n");
        assertThatThrownBy(() -> BtrfsParser.parseDumpSuper(without)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining(key + " is missing");
    }

    @Test
    void aTruncatedDumpIsAnError() {
        String cut = SUPER.substring(0, SUPER.indexOf("sectorsize"));
        assertThatThrownBy(() -> BtrfsParser.parseDumpSuper(cut)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ERROR: bad magic on superblock on /dev/sda1 at 65536\n", "\u0000\u0001"})
    void outputThatIsNoSuperblockIsAnError(String garbage) {
        assertThatThrownBy(() -> BtrfsParser.parseDumpSuper(garbage)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("superblock: bytenr=");
    }

    @Test
    void aLineWithoutATabIsAnError() {
        assertThatThrownBy(() -> BtrfsParser.parseDumpSuper(SUPER + "something odd\n"))
                .isInstanceOf(ToolOutputException.class).hasMessageContaining("is not \"name<TAB>value\"");
    }

    // ---- btrfs filesystem df and show ----------------------------------------

    @Test
    void dfInBytesGivesProfilesAndExactSizes() {
        FilesystemDf df = BtrfsParser.parseFilesystemDf(Fixtures.read("btrfs/host-filesystem-df-bytes.txt"));
        assertThat(df.exactBytes()).isTrue();
        assertThat(df.entries()).containsExactly(
                new DfEntry("Data", "single", 8388608, 4194304),
                new DfEntry("System", "DUP", 8388608, 16384),
                new DfEntry("Metadata", "DUP", 53673984, 212992),
                new DfEntry("GlobalReserve", "single", 5767168, 0));
        assertThat(df.dataProfile()).isEqualTo("single");
        assertThat(df.metadataProfile()).isEqualTo("dup");
        assertThat(df.profile("System")).isEqualTo("dup");
    }

    @Test
    void dfInUnitsGivesTheSameProfilesAndApproximateSizes() {
        FilesystemDf df = BtrfsParser.parseFilesystemDf(Fixtures.read("btrfs/host-filesystem-df.txt"));
        FilesystemDf exact = BtrfsParser.parseFilesystemDf(Fixtures.read("btrfs/host-filesystem-df-bytes.txt"));
        assertThat(df.exactBytes()).isFalse();
        assertThat(df.entries()).extracting(DfEntry::profile).isEqualTo(exact.entries().stream().map(DfEntry::profile).toList());
        assertThat(df.entries().get(0).totalBytes()).isEqualTo(8388608); // 8.00MiB
        assertThat(df.entries().get(2).totalBytes()).isCloseTo(53673984, offset(5243L)); // 51.19MiB
    }

    @Test
    void mixedBlockGroupsAreOneProfileForDataAndMetadata() {
        FilesystemDf df = BtrfsParser.parseFilesystemDf("System, single: total=4194304, used=4096\n"
                + "Data+Metadata, single: total=8388608, used=28672\nGlobalReserve, single: total=5242880, used=0\n");
        assertThat(df.dataProfile()).isEqualTo("single");
        assertThat(df.metadataProfile()).isEqualTo("single");
    }

    @Test
    void showListsBothFileSystemsWithTheirDevices() {
        List<ShowFilesystem> all = BtrfsParser.parseFilesystemShow(Fixtures.read("btrfs/host-filesystem-show.txt"));
        assertThat(all).extracting(ShowFilesystem::label).containsExactly("rear-btrfs", "rear-dosbtrfs");
        assertThat(all).extracting(ShowFilesystem::uuid).containsExactly(
                "52454152-b7f5-4b7f-8b7f-0000000000b0", "52454152-b7b7-4b7b-8b7b-000000000106");
        assertThat(all).extracting(ShowFilesystem::totalDevices).containsExactly(1, 1);
        assertThat(all).extracting(ShowFilesystem::exactBytes).containsOnly(false);
        assertThat(all.get(0).devices()).singleElement().satisfies(d -> {
            assertThat(d.devid()).isEqualTo(1);
            assertThat(d.path()).isEqualTo("/dev/loop2");
            assertThat(d.sizeBytes()).isEqualTo(1L << 30);
        });
        assertThat(all.get(1).devices()).extracting(ShowDevice::path).containsExactly("/dev/loop1p6");
        assertThat(all.get(1).devices().get(0).sizeBytes()).isEqualTo(465L << 20);
    }

    @Test
    void showRawGivesExactBytes() {
        ShowFilesystem fs = BtrfsParser.parseFilesystemShow(Fixtures.read("btrfs/host-filesystem-show-raw.txt")).get(0);
        assertThat(fs.exactBytes()).isTrue();
        assertThat(fs.bytesUsed()).isEqualTo(4423680);
        assertThat(fs.devices()).containsExactly(new ShowDevice(1, 1073741824, 132513792, "/dev/loop2"));
        assertThat(fs.devicesMissing()).isFalse();
    }

    @Test
    void anUnlabelledFileSystemWithAMissingDeviceIsRead() {
        ShowFilesystem fs = BtrfsParser.parseFilesystemShow("Label: none  uuid: 0b6c0e3c-1111-2222-3333-444455556666\n"
                + "\tTotal devices 2 FS bytes used 1.00GiB\n\tdevid    1 size 10.00GiB used 2.00GiB path /dev/sda3\n"
                + "\t*** Some devices missing\n").get(0);
        assertThat(fs.label()).isNull();
        assertThat(fs.totalDevices()).isEqualTo(2);
        assertThat(fs.devices()).hasSize(1);
        assertThat(fs.devicesMissing()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Data single total=1 used=1\n", "Data, single: total=8.00XB, used=0.00B\n",
        "Data, single: total=8388608, used=0.00B\nMetadata, DUP: total=1.00MiB, used=0.00B\n"})
    void malformedDfIsAnError(String garbage) {
        assertThatThrownBy(() -> BtrfsParser.parseFilesystemDf(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("btrfs filesystem df"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\tTotal devices 1 FS bytes used 1.00GiB\n",
        "Label: 'x'  uuid: 1234\n\tdevid    1 size 1.00GiB used 1.00MiB path /dev/sda\n",
        "Label: 'x'  uuid: 1234\n\tTotal devices 1 FS bytes used 1.00GiB\n\tdevid one size 1 used 1 path /dev/sda\n"})
    void malformedShowIsAnError(String garbage) {
        assertThatThrownBy(() -> BtrfsParser.parseFilesystemShow(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("btrfs filesystem show"));
    }
}
