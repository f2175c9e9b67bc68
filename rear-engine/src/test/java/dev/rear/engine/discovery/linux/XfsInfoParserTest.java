package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.XfsInfoParser.XfsGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code xfs_info} of the two mounted xfs of capture-host-fixtures.sh. */
class XfsInfoParserTest {

    private static final String DEFAULTS = Fixtures.read("xfs_info/host-gpt-data.txt");
    private static final String STRIPED = Fixtures.read("xfs_info/host-whole-disk-4k.txt");

    @Test
    void readsTheGeometryOfMkfsXfsDefaults() {
        XfsGeometry g = XfsInfoParser.parse(DEFAULTS);
        assertThat(g.source()).isEqualTo("/dev/loop0p3");
        assertThat(g.inodeSize()).isEqualTo(512);
        assertThat(g.agCount()).isEqualTo(4);
        assertThat(g.agSizeBlocks()).isEqualTo(38400);
        assertThat(g.sectorSize()).isEqualTo(512);
        assertThat(g.crc()).isTrue();
        assertThat(g.finobt()).isTrue();
        assertThat(g.sparseInodes()).isTrue();
        assertThat(g.rmapbt()).isFalse();
        assertThat(g.reflink()).isTrue();
        assertThat(g.bigtime()).isTrue();
        assertThat(g.inobtcount()).isTrue();
        assertThat(g.nrext64()).isFalse();
        assertThat(g.blockSize()).isEqualTo(4096);
        assertThat(g.dataBlocks()).isEqualTo(153600); // 600 MiB
        assertThat(g.dataBlocks() * g.blockSize()).isEqualTo(600L << 20);
        assertThat(g.imaxpct()).isEqualTo(25);
        assertThat(g.stripeUnitBlocks()).isZero();
        assertThat(g.stripeWidthBlocks()).isZero();
        assertThat(g.directoryBlockSize()).isEqualTo(4096);
        assertThat(g.ftype()).isTrue();
        assertThat(g.log()).isEqualTo("internal log");
        assertThat(g.logBlockSize()).isEqualTo(4096);
        assertThat(g.logBlocks()).isEqualTo(16384);
        assertThat(g.logVersion()).isEqualTo(2);
        assertThat(g.logSectorSize()).isEqualTo(512);
        assertThat(g.logStripeUnitBlocks()).isZero();
        assertThat(g.lazyCount()).isTrue();
        assertThat(g.realtime()).isEqualTo("none");
        assertThat(g.sections()).containsKeys("meta-data", "data", "naming", "log", "realtime");
        assertThat(g.sections().get("naming")).containsEntry("", "version 2").containsEntry("ascii-ci", "0");
        assertThat(g.sections().get("realtime")).containsEntry("extsz", "4096");
    }

    @Test
    void readsTheStripeGeometryAndFourKibibyteSectors() {
        // mkfs.xfs -d su=64k,sw=4 on a loop device with 4096-byte sectors
        XfsGeometry g = XfsInfoParser.parse(STRIPED);
        assertThat(g.source()).isEqualTo("/dev/loop3");
        assertThat(g.sectorSize()).isEqualTo(4096);
        assertThat(g.agCount()).isEqualTo(8);
        assertThat(g.agSizeBlocks()).isEqualTo(32752);
        assertThat(g.dataBlocks()).isEqualTo(262016);
        assertThat(g.stripeUnitBlocks()).isEqualTo(16);
        assertThat(g.stripeWidthBlocks()).isEqualTo(64);
        assertThat(g.stripeUnitBytes()).isEqualTo(64 * 1024);
        assertThat(g.stripeWidthBytes()).isEqualTo(4 * 64 * 1024);
        assertThat(g.logSectorSize()).isEqualTo(4096);
        assertThat(g.logStripeUnitBlocks()).isEqualTo(1);
    }

    @Test
    void flagsAnOlderXfsInfoDoesNotPrintAreNull() {
        // xfsprogs before 5.10: no bigtime, inobtcount, nrext64 on the fourth meta-data line
        String old = DEFAULTS.replace("         =                       reflink=1    bigtime=1 inobtcount=1 nrext64=0\n",
                "         =                       reflink=1\n");
        XfsGeometry g = XfsInfoParser.parse(old);
        assertThat(g.reflink()).isTrue();
        assertThat(g.bigtime()).isNull();
        assertThat(g.inobtcount()).isNull();
        assertThat(g.nrext64()).isNull();
    }

    @Test
    void pairsOfANewerXfsInfoAreKeptButDoNotDisturb() {
        String newer = DEFAULTS.replace("nrext64=0", "nrext64=0 exchange=1 metadir=0");
        XfsGeometry g = XfsInfoParser.parse(newer);
        assertThat(g.sections().get("meta-data")).containsEntry("exchange", "1");
        assertThat(g.inodeSize()).isEqualTo(512);
    }

    @ParameterizedTest
    @ValueSource(strings = {"isize", "agcount", "agsize", "swidth"})
    void aMissingNumberIsAnError(String key) {
        String without = DEFAULTS.replaceFirst(" " + key + "=[0-9]+,?", " ");
        assertThatThrownBy(() -> XfsInfoParser.parse(without))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("xfs_info"))
                .hasMessageContaining(key + " is missing");
    }

    @Test
    void aTruncatedOutputIsAnError() {
        String cut = DEFAULTS.substring(0, DEFAULTS.indexOf("naming"));
        assertThatThrownBy(() -> XfsInfoParser.parse(cut)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("section naming is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "xfs_info: /mnt is not a mounted XFS filesystem\n",
        "meta-data=/dev/sda1 isize=512 agcount=four, agsize=1 blks\n",
        "meta-data=/dev/sda1 isize=512 agcount=4 surprise agsize=1\n",
        "    = sectsz=512\n",
        "meta-data=/dev/sda1 isize=512\nmeta-data=/dev/sda2 isize=256\n",
        "\u0000\u0001="
    })
    void outputThatIsNoGeometryIsAnError(String garbage) {
        assertThatThrownBy(() -> XfsInfoParser.parse(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("xfs_info"));
    }

    @Test
    void aFlagOtherThanZeroOrOneIsAnError() {
        assertThatThrownBy(() -> XfsInfoParser.parse(DEFAULTS.replace("crc=1", "crc=yes")))
                .isInstanceOf(ToolOutputException.class).hasMessageContaining("meta-data crc is \"yes\", not 0 or 1");
    }
}
