package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.VmFixtures.read;
import static dev.rear.engine.discovery.linux.VmFixtures.replacing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.rear.engine.discovery.linux.LvmReport.InternalRole;
import dev.rear.engine.discovery.linux.LvmReport.Lv;
import dev.rear.engine.discovery.linux.LvmReport.Pv;
import dev.rear.engine.discovery.linux.LvmReport.Segment;
import dev.rear.engine.discovery.linux.LvmReport.SegmentDevice;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link LvmReportParser} on LVM 2.03.16 reports captured in a VM ({@code fixtures/lvm/vm-vg-mixed-*}):
 * one VG {@code vg0} over {@code /dev/vdi} and {@code /dev/vdj} with a linear LV, a 2-stripe LV,
 * a thin pool with two thin LVs (one larger than the pool) and a raid1 LV.
 */
class LvmReportParserTest {

    static final long MIB = 1024L * 1024;
    static final String PV1_UUID = "rearPV-vdi0-0000-0000-0000-0000-000001";
    static final String PV2_UUID = "rearPV-vdj0-0000-0000-0000-0000-000002";
    static final String LVM_UUID = "[0-9A-Za-z]{6}(-[0-9A-Za-z]{4}){5}-[0-9A-Za-z]{6}";

    static LvmReport fullreport() {
        return LvmReportParser.parse(read("lvm/vm-vg-mixed-fullreport.json"));
    }

    static Lv lv(LvmReport r, String name) {
        return r.logicalVolume("vg0", name).orElseThrow(() -> new AssertionError("no LV vg0/" + name));
    }

    @Nested
    class Fullreport {

        @Test
        void readsTheVolumeGroup() {
            LvmReport r = fullreport();

            assertThat(r.volumeGroups()).singleElement().satisfies(vg -> {
                assertThat(vg.name()).isEqualTo("vg0");
                assertThat(vg.uuid()).matches(LVM_UUID);
                assertThat(vg.extentSizeBytes()).as("--physicalextentsize 4m").isEqualTo(4 * MIB);
                assertThat(vg.sizeBytes()).as("2 x 63 extents").isEqualTo(126 * 4 * MIB);
                assertThat(vg.freeBytes()).isPositive().isLessThan(vg.sizeBytes());
            });
        }

        @Test
        void readsThePhysicalVolumesWithTheUuidsPvcreateWasGiven() {
            LvmReport r = fullreport();

            assertThat(r.physicalVolumes())
                    .extracting(Pv::device, Pv::uuid, Pv::vgName, Pv::sizeBytes, Pv::peStartBytes, Pv::devSizeBytes)
                    .containsExactly(
                            tuple("/dev/vdi", PV1_UUID, "vg0", 252 * MIB, MIB, 256 * MIB),
                            tuple("/dev/vdj", PV2_UUID, "vg0", 252 * MIB, MIB, 256 * MIB));
            assertThat(r.physicalVolumesOf("vg0")).hasSize(2);
        }

        @Test
        void visibleVolumesAreTheOnesLvcreateMade() {
            assertThat(fullreport().visibleLogicalVolumes())
                    .extracting(Lv::name, Lv::segtype, Lv::sizeBytes)
                    .containsExactlyInAnyOrder(
                            tuple("linear", "linear", 32 * MIB),
                            tuple("striped", "striped", 32 * MIB),
                            tuple("pool", "thin-pool", 64 * MIB),
                            tuple("thin1", "thin", 48 * MIB),
                            tuple("thin2", "thin", 256 * MIB),
                            tuple("mirrored", "raid1", 16 * MIB));
        }

        @Test
        void linearVolumeLivesOnTheFirstPv() {
            Lv linear = lv(fullreport(), "linear");

            assertThat(linear.uuid()).matches(LVM_UUID);
            assertThat(linear.attr()).isEqualTo("-wi-a-----");
            assertThat(linear.layout()).containsExactly("linear");
            assertThat(linear.role()).containsExactly("public");
            assertThat(linear.hidden()).isFalse();
            assertThat(linear.internalRole()).isNull();
            assertThat(linear.segments()).singleElement().satisfies(s -> {
                assertThat(s.stripes()).isEqualTo(1);
                assertThat(s.devices()).containsExactly(new SegmentDevice("/dev/vdi", 0));
            });
        }

        @Test
        void stripedVolumeHasTwoStripesOf64k() {
            Segment s = lv(fullreport(), "striped").segments().get(0);

            assertThat(s.segtype()).isEqualTo("striped");
            assertThat(s.stripes()).isEqualTo(2);
            assertThat(s.stripeSizeBytes()).isEqualTo(64 * 1024);
            assertThat(s.startBytes()).isZero();
            assertThat(s.sizeBytes()).isEqualTo(32 * MIB);
            assertThat(s.devices()).extracting(SegmentDevice::name).containsExactly("/dev/vdi", "/dev/vdj");
        }

        @Test
        void thinPoolHasItsChunkAndMetadataSizeAndIsNotHidden() {
            Lv pool = lv(fullreport(), "pool");

            assertThat(pool.hidden()).as("role 'private', yet a visible LV").isFalse();
            assertThat(pool.role()).containsExactly("private");
            assertThat(pool.layout()).containsExactly("thin", "pool");
            assertThat(pool.metadataSizeBytes()).as("--poolmetadatasize 4m").isEqualTo(4 * MIB);
            assertThat(pool.segments().get(0).chunkSizeBytes()).as("--chunksize 128k").isEqualTo(128 * 1024);
            assertThat(pool.segments().get(0).devices()).containsExactly(new SegmentDevice("pool_tdata", 0));
            assertThat(pool.pool()).isNull();
        }

        @Test
        void thinVolumesNameTheirPoolAndOneOverprovisionsIt() {
            LvmReport r = fullreport();
            Lv pool = lv(r, "pool");
            List<Lv> thins = r.logicalVolumes().stream().filter(lv -> "pool".equals(lv.pool())).toList();

            assertThat(thins).extracting(Lv::name).containsExactlyInAnyOrder("thin1", "thin2");
            assertThat(thins).allSatisfy(t -> {
                assertThat(t.segtype()).isEqualTo("thin");
                assertThat(t.layout()).containsExactly("thin", "sparse");
                assertThat(t.segments().get(0).devices()).as("a thin volume has no devices of its own").isEmpty();
                assertThat(t.segments().get(0).stripes()).isZero();
            });
            assertThat(lv(r, "thin2").sizeBytes()).isGreaterThan(pool.sizeBytes());
            assertThat(thins.stream().mapToLong(Lv::sizeBytes).sum()).isEqualTo(304 * MIB);
        }

        @Test
        void raid1VolumeHasTwoCopies() {
            Lv mirrored = lv(fullreport(), "mirrored");
            Segment s = mirrored.segments().get(0);

            assertThat(mirrored.layout()).containsExactly("raid", "raid1");
            assertThat(s.segtype()).isEqualTo("raid1");
            assertThat(s.dataCopies()).isEqualTo(2);
            assertThat(s.stripes()).as("legs").isEqualTo(2);
            assertThat(s.regionSizeBytes()).isEqualTo(2 * MIB);
            assertThat(s.devices()).extracting(SegmentDevice::name)
                    .containsExactly("mirrored_rimage_0", "mirrored_rimage_1");
        }

        @Test
        void hiddenSubVolumesAreKeptAndFlaggedWithWhatTheyArePartOf() {
            LvmReport r = fullreport();

            assertThat(r.logicalVolumes()).filteredOn(Lv::hidden)
                    .extracting(Lv::name, Lv::internalRole, Lv::parent)
                    .containsExactlyInAnyOrder(
                            tuple("lvol0_pmspare", InternalRole.POOL_METADATA_SPARE, null),
                            tuple("pool_tmeta", InternalRole.THIN_POOL_METADATA, "pool"),
                            tuple("pool_tdata", InternalRole.THIN_POOL_DATA, "pool"),
                            tuple("mirrored_rimage_0", InternalRole.RAID_IMAGE, "mirrored"),
                            tuple("mirrored_rimage_1", InternalRole.RAID_IMAGE, "mirrored"),
                            tuple("mirrored_rmeta_0", InternalRole.RAID_METADATA, "mirrored"),
                            tuple("mirrored_rmeta_1", InternalRole.RAID_METADATA, "mirrored"));
            assertThat(lv(r, "pool_tmeta").sizeBytes()).isEqualTo(lv(r, "pool").metadataSizeBytes());
        }
    }

    @Nested
    class SingleReports {

        @Test
        void lvsAllSaysTheSameAsTheFullreport() {
            LvmReport full = fullreport();
            LvmReport lvs = LvmReportParser.parse(read("lvm/vm-vg-mixed-lvs-all.json"));

            assertThat(lvs.logicalVolumes()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("parent")
                    .containsExactlyInAnyOrderElementsOf(full.logicalVolumes());
            assertThat(lvs.volumeGroups()).as("lvs rows carry no vg subreport").isEmpty();
        }

        @Test
        void lvsWithoutAllShowsOnlyVisibleVolumes() {
            LvmReport lvs = LvmReportParser.parse(read("lvm/vm-vg-mixed-lvs.json"));

            assertThat(lvs.logicalVolumes()).hasSize(6).noneMatch(Lv::hidden);
            assertThat(lvs.logicalVolume("vg0", "striped")).get()
                    .extracting(lv -> lv.segments().get(0).stripes()).isEqualTo(2);
            assertThat(lvs.logicalVolume("vg0", "thin2")).get().extracting(Lv::pool).isEqualTo("pool");
        }

        @Test
        void fullreportWithDefaultColumnsJoinsSegmentsByUuid() {
            LvmReport configured = fullreport();
            LvmReport defaults = LvmReportParser.parse(read("lvm/vm-vg-mixed-fullreport-default.json"));

            assertThat(defaults.volumeGroups()).containsExactlyElementsOf(configured.volumeGroups());
            assertThat(defaults.physicalVolumes()).containsExactlyElementsOf(configured.physicalVolumes());
            assertThat(defaults.logicalVolumes()).as("without --all: the visible ones")
                    .containsExactlyInAnyOrderElementsOf(configured.visibleLogicalVolumes());
        }

        @Test
        void pvsAndVgsSayTheSameAsTheFullreport() {
            LvmReport full = fullreport();

            assertThat(LvmReportParser.parse(read("lvm/vm-vg-mixed-pvs.json")).physicalVolumes())
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(full.physicalVolumes());
            assertThat(LvmReportParser.parse(read("lvm/vm-vg-mixed-vgs.json")).volumeGroups())
                    .containsExactlyElementsOf(full.volumeGroups());
        }
    }

    @Nested
    class Refuses {

        void refused(ThrowingCallable call, String messagePart) {
            Consumer<ToolOutputException> namesCommand =
                    e -> assertThat(e.command()).isEqualTo("lvm fullreport --reportformat json --units b --nosuffix");
            assertThatThrownBy(call).isInstanceOfSatisfying(ToolOutputException.class, namesCommand)
                    .hasMessageContaining(messagePart);
        }

        @Test
        void aSegmentOfAnUnknownLvUuid() {
            String full = read("lvm/vm-vg-mixed-fullreport-default.json");
            String stray = full.replaceFirst("(\"seg\": \\[\\s*\\{.*?\"lv_uuid\":\")[^\"]+", "$1AAAAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAAAA");
            refused(() -> LvmReportParser.parse(stray), "UUID AAAAAA-AAAA");
        }

        @Test
        void truncatedJson() {
            String full = read("lvm/vm-vg-mixed-fullreport.json");
            refused(() -> LvmReportParser.parse(full.substring(0, full.length() / 2)), "ends early");
        }

        @Test
        void trailingGarbage() {
            refused(() -> LvmReportParser.parse(read("lvm/vm-vg-mixed-vgs.json") + "\n  WARNING: something\n"),
                    "malformed");
        }

        @Test
        void garbage() {
            refused(() -> LvmReportParser.parse("  No volume groups found"), "malformed");
        }

        @Test
        void emptyOutput() {
            refused(() -> LvmReportParser.parse(""), "not a JSON object");
        }

        @Test
        void jsonWithoutReport() {
            refused(() -> LvmReportParser.parse("{\"log\": []}"), "no \"report\" array");
        }

        @Test
        void sizesWithASuffix() {
            String withSuffix = replacing("lvm/vm-vg-mixed-vgs.json", "\"vg_extent_size\":\"4194304\"",
                    "\"vg_extent_size\":\"4.00m\"");
            refused(() -> LvmReportParser.parse(withSuffix), "--units b --nosuffix");
        }

        @Test
        void aMissingLvColumn() {
            String noRole = read("lvm/vm-vg-mixed-lvs.json").replaceAll("\"lv_role\":\"[^\"]*\", ", "");
            refused(() -> LvmReportParser.parse(noRole), "the column lv_role is missing");
        }

        @Test
        void aSegmentOfAnUnknownLv() {
            String stray = replacing("lvm/vm-vg-mixed-fullreport.json", "{\"lv_name\":\"striped\", \"segtype\"",
                    "{\"lv_name\":\"ghost\", \"segtype\"");
            refused(() -> LvmReportParser.parse(stray), "vg0/ghost");
        }

        @Test
        void anLvWithoutSegments() {
            String noSeg = replacing("lvm/vm-vg-mixed-fullreport.json", "{\"lv_name\":\"striped\", \"segtype\"",
                    "{\"lv_name\":\"linear\", \"segtype\"");
            refused(() -> LvmReportParser.parse(noSeg), "vg0/striped has no segment");
        }

        @Test
        void aDuplicateKey() {
            String dup = replacing("lvm/vm-vg-mixed-vgs.json", "\"vg_name\":\"vg0\"",
                    "\"vg_name\":\"vg0\", \"vg_name\":\"vg1\"");
            refused(() -> LvmReportParser.parse(dup), "Duplicate field");
        }
    }
}
