package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.Tune2fsParser.ExtSuperblock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code tune2fs -l} on the ext4 and ext3 file systems of capture-host-fixtures.sh. */
class Tune2fsParserTest {

    private static final String EXT4 = Fixtures.read("tune2fs/host-gpt-root-ext4.txt");
    private static final String EXT3 = Fixtures.read("tune2fs/host-dos-boot-ext3.txt");

    @Test
    void readsTheExt4MadeWithInodeRatioReservedPercentAndCheckSettings() {
        // mkfs.ext4 -L rear-root -U … -i 32768 -I 256 -m 1, then tune2fs -c 25 -i 2w
        ExtSuperblock sb = Tune2fsParser.parse(EXT4);
        assertThat(sb.volumeName()).isEqualTo("rear-root");
        assertThat(sb.uuid()).isEqualTo("52454152-e4e4-4e4e-8e4e-000000000002");
        assertThat(sb.revision()).isEqualTo(1);
        assertThat(sb.features()).containsExactly("has_journal", "ext_attr", "resize_inode", "dir_index", "filetype",
                "needs_recovery", "extent", "64bit", "flex_bg", "sparse_super", "large_file", "huge_file", "dir_nlink",
                "extra_isize", "metadata_csum");
        assertThat(sb.hasFeature("metadata_csum")).isTrue();
        assertThat(sb.defaultMountOptions()).containsExactly("user_xattr", "acl");
        assertThat(sb.blockSize()).isEqualTo(4096);
        assertThat(sb.blockCount()).isEqualTo(204800); // 800 MiB
        assertThat(sb.reservedBlockCount()).isEqualTo(2048); // 1 %
        assertThat(sb.inodeCount()).isEqualTo(25648);
        assertThat(sb.inodeSize()).isEqualTo(256); // printed after a tab
        assertThat(sb.maxMountCount()).isEqualTo(25);
        assertThat(sb.checkIntervalSeconds()).isEqualTo(14 * 24 * 3600);
        assertThat(sb.blocksPerGroup()).isEqualTo(32768);
        assertThat(sb.inodesPerGroup()).isEqualTo(3664);
        assertThat(sb.flexBlockGroupSize()).isEqualTo(16);
        assertThat(sb.errorsBehavior()).isEqualTo("Continue");
        assertThat(sb.fields()).containsEntry("Checksum type", "crc32c").containsEntry("Filesystem flags", "signed_directory_hash");
    }

    @Test
    void bytesPerInodeIsNotWhatMke2fsWasGiven() {
        // why the parser does not report "bytes per inode": -i 32768 gave 25648 inodes, rounded up per group
        ExtSuperblock sb = Tune2fsParser.parse(EXT4);
        double bytesPerInode = (double) sb.blockCount() * sb.blockSize() / sb.inodeCount();
        assertThat(bytesPerInode).isBetween(32706.0, 32707.0).isNotEqualTo(32768.0);
        assertThat(sb.inodeCount()).isEqualTo(7 * sb.inodesPerGroup()); // 7 groups of 3664
    }

    @Test
    void readsTheExt3WithSmallBlocksAndChecksOff() {
        ExtSuperblock sb = Tune2fsParser.parse(EXT3);
        assertThat(sb.volumeName()).isEqualTo("rear-boot");
        assertThat(sb.uuid()).isEqualTo("52454152-e3e3-4e3e-8e3e-000000000101");
        assertThat(sb.features()).containsExactly("has_journal", "ext_attr", "resize_inode", "dir_index", "filetype",
                "sparse_super", "large_file");
        assertThat(sb.blockSize()).isEqualTo(1024);
        assertThat(sb.blockCount()).isEqualTo(262144);
        assertThat(sb.reservedBlockCount()).isEqualTo(13107); // the default 5 %
        assertThat(sb.inodeCount()).isEqualTo(65536);
        assertThat(sb.maxMountCount()).isEqualTo(-1);
        assertThat(sb.checkIntervalSeconds()).isZero();
        assertThat(sb.flexBlockGroupSize()).isNull();
        assertThat(sb.fields()).containsEntry("First block", "1");
    }

    @Test
    void readsTheLabelWithASpace() {
        ExtSuperblock sb = Tune2fsParser.parse(Fixtures.read("tune2fs/host-dos-logical-ext4.txt"));
        assertThat(sb.volumeName()).isEqualTo("rear logical");
        assertThat(sb.blockSize()).isEqualTo(1024); // mke2fs "small" type below 512 MiB
        assertThat(sb.inodeCount()).isEqualTo(76912);
    }

    @Test
    void noLabelAndNoDefaultMountOptionsAreNullAndEmpty() {
        String none = EXT4.replace("Filesystem volume name:   rear-root", "Filesystem volume name:   <none>")
                .replace("Default mount options:    user_xattr acl", "Default mount options:    (none)");
        ExtSuperblock sb = Tune2fsParser.parse(none);
        assertThat(sb.volumeName()).isNull();
        assertThat(sb.defaultMountOptions()).isEmpty();
    }

    @Test
    void revisionZeroHasNoInodeSizeLineAndUses128() {
        String rev0 = EXT3.replace("Filesystem revision #:    1 (dynamic)", "Filesystem revision #:    0 (original)")
                .replace("Inode size:\t          128\n", "").replace("Inode size:\t          256\n", "");
        assertThat(rev0).doesNotContain("Inode size");
        assertThat(Tune2fsParser.parse(rev0).inodeSize()).isEqualTo(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Filesystem UUID", "Block count", "Inode count", "Block size", "Filesystem features",
        "Reserved block count", "Maximum mount count", "Check interval", "Inode size"})
    void aMissingFactIsAnError(String name) {
        String without = EXT4.lines().filter(l -> !l.startsWith(name + ":")).reduce("", (a, b) -> a + b + "\n");
        assertThatThrownBy(() -> Tune2fsParser.parse(without))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("tune2fs -l"))
                .hasMessageContaining("\"" + name + "\" is missing");
    }

    @Test
    void aTruncatedListingIsAnError() {
        String cut = EXT4.substring(0, EXT4.indexOf("Block size:"));
        assertThatThrownBy(() -> Tune2fsParser.parse(cut)).isInstanceOf(ToolOutputException.class)
                .hasMessageMatching(".*\"(Block size|Inode size|Maximum mount count|Check interval)\" is missing.*");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "tune2fs 1.47.0 (5-Feb-2023)\ntune2fs: Bad magic number in super-block while trying to open /dev/sdz1\n",
        "garbage without a colon\n",
        "\u0000\u0001\u0002"
    })
    void outputThatIsNoSuperblockListingIsAnError(String garbage) {
        assertThatThrownBy(() -> Tune2fsParser.parse(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("tune2fs -l"));
    }

    @Test
    void aWrongMagicOrARepeatedLineOrAWordForANumberIsAnError() {
        assertThatThrownBy(() -> Tune2fsParser.parse(EXT4.replace("0xEF53", "0x1234")))
                .isInstanceOf(ToolOutputException.class).hasMessageContaining("not an ext2/3/4 superblock");
        assertThatThrownBy(() -> Tune2fsParser.parse(EXT4 + "Block count:              1\n"))
                .isInstanceOf(ToolOutputException.class).hasMessageContaining("\"Block count\" appears twice");
        assertThatThrownBy(() -> Tune2fsParser.parse(EXT4.replace("Block size:               4096", "Block size:               four")))
                .isInstanceOf(ToolOutputException.class).hasMessageContaining("\"Block size\" is \"four\", not a number");
    }
}
