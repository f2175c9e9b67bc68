package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.VmFixtures.read;
import static dev.rear.engine.discovery.linux.VmFixtures.replacing;
import static dev.rear.engine.discovery.linux.VmFixtures.withoutLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link MdadmDetailParser} on mdadm 4.2 output captured in a VM
 * ({@code fixtures/mdadm/vm-*}). The UUIDs, names, chunk and member layout are the ones the
 * capture script gave {@code mdadm --create}.
 */
class MdadmDetailParserTest {

    static final String RAID1_UUID = "3f6a2c1e:8b7d4e90:a1c2d3e4:f5061728";
    static final String RAID5_UUID = "0badc0de:cafe4e11:8e5a1d00:5ca1ab1e";
    static final String DEGRADED_UUID = "d15ea5ed:0dd0b1e5:feedface:00c0ffee";

    @Nested
    class ExportForm {

        @Test
        void readsRaid1WithItsTwoMembersAndTheirSlots() {
            MdadmDetailParser.Export e = MdadmDetailParser.parse(read("mdadm/vm-raid1-bitmap-detail-export.txt"));

            assertThat(e.level()).isEqualTo("raid1");
            assertThat(e.raidDevices()).isEqualTo(2);
            assertThat(e.metadata()).isEqualTo("1.2");
            assertThat(e.uuid()).isEqualTo(RAID1_UUID);
            assertThat(e.name()).isEqualTo("capturevm:raid1boot");
            assertThat(e.devname()).as("no /dev/md/<name> for an array created as /dev/md0").isNull();
            assertThat(e.members())
                    .extracting(MdadmDetailParser.ExportMember::key, MdadmDetailParser.ExportMember::device,
                            MdadmDetailParser.ExportMember::slot)
                    .containsExactlyInAnyOrder(tuple("dev_vdb", "/dev/vdb", 0), tuple("dev_vdc", "/dev/vdc", 1));
        }

        @Test
        void readsTheRaid5SpareAsAMemberWithoutSlot() {
            MdadmDetailParser.Export e = MdadmDetailParser.parse(read("mdadm/vm-raid5-spare-detail-export.txt"));

            assertThat(e.level()).isEqualTo("raid5");
            assertThat(e.raidDevices()).isEqualTo(3);
            assertThat(e.uuid()).isEqualTo(RAID5_UUID);
            assertThat(e.members())
                    .extracting(MdadmDetailParser.ExportMember::device, MdadmDetailParser.ExportMember::slot)
                    .containsExactlyInAnyOrder(tuple("/dev/vdd", 0), tuple("/dev/vde", 1), tuple("/dev/vdf", 2),
                            tuple("/dev/vdg", null));
        }

        @Test
        void aDegradedArrayListsOnlyItsPresentMember() {
            MdadmDetailParser.Export e = MdadmDetailParser.parse(read("mdadm/vm-raid1-degraded-detail-export.txt"));

            assertThat(e.raidDevices()).isEqualTo(2);
            assertThat(e.members()).extracting(MdadmDetailParser.ExportMember::device).containsExactly("/dev/vdh");
        }

        @Test
        void rejectsAMissingUuidNamingTheCommandAndKey() {
            String noUuid = withoutLine("mdadm/vm-raid1-bitmap-detail-export.txt", "MD_UUID=");

            assertThatThrownBy(() -> MdadmDetailParser.parse(noUuid))
                    .isInstanceOfSatisfying(ToolOutputException.class,
                            e -> assertThat(e.command()).isEqualTo("mdadm --detail --export"))
                    .hasMessageContaining("MD_UUID is missing");
        }

        @Test
        void rejectsGarbage() {
            assertThatThrownBy(() -> MdadmDetailParser.parse("mdadm: cannot open /dev/md9: No such file or directory"))
                    .isInstanceOfSatisfying(ToolOutputException.class,
                            e -> assertThat(e.command()).isEqualTo("mdadm --detail --export"))
                    .hasMessageContaining("not KEY=value");
        }

        @Test
        void rejectsEmptyOutput() {
            assertThatThrownBy(() -> MdadmDetailParser.parse("\n"))
                    .isInstanceOf(ToolOutputException.class)
                    .hasMessageContaining("empty");
        }

        @Test
        void rejectsARoleThatIsNeitherSlotNorSpare() {
            String odd = replacing("mdadm/vm-raid1-bitmap-detail-export.txt", "MD_DEVICE_dev_vdb_ROLE=0",
                    "MD_DEVICE_dev_vdb_ROLE=zero");

            assertThatThrownBy(() -> MdadmDetailParser.parse(odd))
                    .isInstanceOf(ToolOutputException.class)
                    .hasMessageContaining("MD_DEVICE_dev_vdb_ROLE");
        }

        @Test
        void rejectsASlotBeyondTheArray() {
            String odd = replacing("mdadm/vm-raid1-bitmap-detail-export.txt", "MD_DEVICE_dev_vdb_ROLE=0",
                    "MD_DEVICE_dev_vdb_ROLE=2");

            assertThatThrownBy(() -> MdadmDetailParser.parse(odd))
                    .isInstanceOf(ToolOutputException.class)
                    .hasMessageContaining("outside the 2 slots");
        }

        @Test
        void rejectsAKeyGivenTwice() {
            String twice = read("mdadm/vm-raid1-bitmap-detail-export.txt") + "MD_LEVEL=raid1\n";

            assertThatThrownBy(() -> MdadmDetailParser.parse(twice))
                    .isInstanceOf(ToolOutputException.class)
                    .hasMessageContaining("MD_LEVEL appears twice");
        }
    }

    @Nested
    class HumanForm {

        @Test
        void readsBitmapSizeAndStateThatTheExportFormLacks() {
            MdadmDetailParser.Human h = MdadmDetailParser.parseHuman(read("mdadm/vm-raid1-bitmap-detail.txt"));

            assertThat(h.device()).isEqualTo("/dev/md0");
            assertThat(h.metadata()).isEqualTo("1.2");
            assertThat(h.level()).isEqualTo("raid1");
            assertThat(h.bitmap()).isEqualTo("Internal");
            assertThat(h.consistencyPolicy()).isEqualTo("bitmap");
            assertThat(h.arraySizeBytes()).isEqualTo(64512L * 1024);
            assertThat(h.chunkSizeBytes()).as("raid1 has no chunk").isNull();
            assertThat(h.layout()).isNull();
            assertThat(h.state()).containsExactly("clean");
            assertThat(h.members())
                    .extracting(MdadmDetailParser.HumanMember::device, MdadmDetailParser.HumanMember::slot,
                            MdadmDetailParser.HumanMember::states)
                    .containsExactly(tuple("/dev/vdb", 0, java.util.List.of("active", "sync")),
                            tuple("/dev/vdc", 1, java.util.List.of("active", "sync")));
        }

        @Test
        void readsChunkAndLayoutOfRaid5() {
            MdadmDetailParser.Human h = MdadmDetailParser.parseHuman(read("mdadm/vm-raid5-spare-detail.txt"));

            assertThat(h.chunkSizeBytes()).as("--chunk=512").isEqualTo(512L * 1024);
            assertThat(h.layout()).isEqualTo("left-symmetric");
            assertThat(h.bitmap()).isNull();
            assertThat(h.totalDevices()).isEqualTo(4);
            // raid5 is built by recovering onto the last member, which therefore gets number 4
            assertThat(h.members())
                    .extracting(MdadmDetailParser.HumanMember::number, MdadmDetailParser.HumanMember::device,
                            MdadmDetailParser.HumanMember::slot)
                    .containsExactly(tuple(0, "/dev/vdd", 0), tuple(1, "/dev/vde", 1), tuple(4, "/dev/vdf", 2),
                            tuple(3, "/dev/vdg", null));
        }

        @Test
        void rejectsOutputCutBeforeTheMemberTable() {
            String full = read("mdadm/vm-raid1-bitmap-detail.txt");
            String cut = full.substring(0, full.indexOf("    Number"));

            assertThatThrownBy(() -> MdadmDetailParser.parseHuman(cut))
                    .isInstanceOfSatisfying(ToolOutputException.class,
                            e -> assertThat(e.command()).isEqualTo("mdadm --detail"))
                    .hasMessageContaining("member table");
        }

        @Test
        void rejectsAMissingState() {
            String noState = withoutLine("mdadm/vm-raid1-bitmap-detail.txt", "State :");

            assertThatThrownBy(() -> MdadmDetailParser.parseHuman(noState))
                    .isInstanceOf(ToolOutputException.class)
                    .hasMessageContaining("'State' is missing");
        }

        @Test
        void rejectsOutputThatDoesNotStartWithTheDevice() {
            assertThatThrownBy(() -> MdadmDetailParser.parseHuman("mdadm: md device /dev/md9 does not appear to be active."))
                    .isInstanceOfSatisfying(ToolOutputException.class,
                            e -> assertThat(e.command()).isEqualTo("mdadm --detail"))
                    .hasMessageContaining("first line");
        }

        @Test
        void rejectsAMalformedChunk() {
            String odd = replacing("mdadm/vm-raid5-spare-detail.txt", "Chunk Size : 512K", "Chunk Size : big");

            assertThatThrownBy(() -> MdadmDetailParser.parseHuman(odd))
                    .isInstanceOf(ToolOutputException.class)
                    .hasMessageContaining("Chunk Size");
        }
    }

    @Nested
    class BothForms {

        @Test
        void raid1WithInternalBitmap() {
            MdArrayFacts f = MdadmDetailParser.parse(read("mdadm/vm-raid1-bitmap-detail-export.txt"),
                    read("mdadm/vm-raid1-bitmap-detail.txt"));

            assertThat(f.device()).isEqualTo("/dev/md0");
            assertThat(f.uuid()).isEqualTo(RAID1_UUID);
            assertThat(f.name()).isEqualTo("capturevm:raid1boot");
            assertThat(f.metadata()).isEqualTo("1.2");
            assertThat(f.bitmap()).isEqualTo("internal");
            assertThat(f.degraded()).isFalse();
            assertThat(f.missingSlots()).isEmpty();
            assertThat(f.spares()).isEmpty();
            assertThat(f.members()).extracting(MdArrayFacts.Member::device, MdArrayFacts.Member::slot)
                    .containsExactly(tuple("/dev/vdb", 0), tuple("/dev/vdc", 1));
        }

        @Test
        void raid5WithSpare() {
            MdArrayFacts f = MdadmDetailParser.parse(read("mdadm/vm-raid5-spare-detail-export.txt"),
                    read("mdadm/vm-raid5-spare-detail.txt"));

            assertThat(f.level()).isEqualTo("raid5");
            assertThat(f.raidDevices()).isEqualTo(3);
            assertThat(f.chunkSizeBytes()).isEqualTo(524288L);
            assertThat(f.layout()).isEqualTo("left-symmetric");
            assertThat(f.bitmap()).isEqualTo("none");
            assertThat(f.sizeBytes()).as("two data members of 62 MiB").isEqualTo(124L * 1024 * 1024);
            assertThat(f.spares()).singleElement()
                    .satisfies(s -> {
                        assertThat(s.device()).isEqualTo("/dev/vdg");
                        assertThat(s.states()).containsExactly("spare");
                    });
        }

        @Test
        void degradedRaid1KnowsItsEmptySlot() {
            MdArrayFacts f = MdadmDetailParser.parse(read("mdadm/vm-raid1-degraded-detail-export.txt"),
                    read("mdadm/vm-raid1-degraded-detail.txt"));

            assertThat(f.uuid()).isEqualTo(DEGRADED_UUID);
            assertThat(f.state()).containsExactly("clean", "degraded");
            assertThat(f.degraded()).isTrue();
            assertThat(f.missingSlots()).containsExactly(1);
            assertThat(f.members()).extracting(MdArrayFacts.Member::device, MdArrayFacts.Member::slot)
                    .containsExactly(tuple("/dev/vdh", 0));
        }

        @Test
        void refusesOutputsOfTwoDifferentArrays() {
            assertThatThrownBy(() -> MdadmDetailParser.parse(read("mdadm/vm-raid1-bitmap-detail-export.txt"),
                            read("mdadm/vm-raid5-spare-detail.txt")))
                    .isInstanceOfSatisfying(ToolOutputException.class,
                            e -> assertThat(e.command()).isEqualTo("mdadm --detail"))
                    .hasMessageContaining("disagrees with mdadm --detail --export");
        }

        @Test
        void refusesAMemberTheTableDoesNotHave() {
            String export = replacing("mdadm/vm-raid1-bitmap-detail-export.txt", "=/dev/vdc", "=/dev/vdx");

            assertThatThrownBy(() -> MdadmDetailParser.parse(export, read("mdadm/vm-raid1-bitmap-detail.txt")))
                    .isInstanceOf(ToolOutputException.class)
                    .hasMessageContaining("/dev/vdx");
        }
    }

    /**
     * An array whose homehost is the machine it runs on: mdadm's human forms add
     * {@code (local to host rearvm)} after the name; the export form has the name alone
     * ({@code fixtures/mdadm/vm-raid1-homehost-*}, captured by the rear-e2e storage VM).
     */
    @Nested
    class LocalToHost {

        @Test
        void theNameLosesMdadmsLocalToHostNoteAndAgreesWithTheExportForm() {
            MdadmDetailParser.Human h = MdadmDetailParser.parseHuman(read("mdadm/vm-raid1-homehost-detail.txt"));
            assertThat(h.name()).isEqualTo("rearvm:e2e0");

            MdArrayFacts f = MdadmDetailParser.parse(read("mdadm/vm-raid1-homehost-detail-export.txt"),
                    read("mdadm/vm-raid1-homehost-detail.txt"));
            assertThat(f.name()).isEqualTo("rearvm:e2e0");
            assertThat(f.uuid()).isEqualTo("3e2a1c0d:5b4f4a6e:9c8d7e6f:0a1b2c3d");
        }

        @Test
        void theExamineFormLosesItToo() {
            MdSuperblockFacts s = MdadmExamineParser.parseHuman(read("mdadm/vm-raid1-homehost-examine.txt"));
            assertThat(s.name()).isEqualTo("rearvm:e2e0");
            assertThat(s.arrayUuid()).isEqualTo("3e2a1c0d:5b4f4a6e:9c8d7e6f:0a1b2c3d");
        }

        @Test
        void onlyTheNoteAtTheEndIsTakenOff() {
            assertThat(MdadmDetailParser.arrayName("rearvm:e2e0  (local to host rearvm)")).isEqualTo("rearvm:e2e0");
            assertThat(MdadmDetailParser.arrayName("capturevm:raid1boot")).isEqualTo("capturevm:raid1boot");
            assertThat(MdadmDetailParser.arrayName("a (local to host b) c")).isEqualTo("a (local to host b) c");
            assertThat(MdadmDetailParser.arrayName(null)).isNull();
        }
    }
}
