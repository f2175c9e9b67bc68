package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.VmFixtures.read;
import static dev.rear.engine.discovery.linux.VmFixtures.replacing;
import static dev.rear.engine.discovery.linux.VmFixtures.withoutLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.MdSuperblockFacts.Role;
import org.junit.jupiter.api.Test;

/** {@link MdadmExamineParser} on mdadm 4.2 output captured in a VM ({@code fixtures/mdadm/vm-*-examine*}). */
class MdadmExamineParserTest {

    @Test
    void exportFormGivesArrayAndMemberUuids() {
        MdadmExamineParser.Export e = MdadmExamineParser.parse(read("mdadm/vm-raid1-bitmap-examine-export.txt"));

        assertThat(e.level()).isEqualTo("raid1");
        assertThat(e.raidDevices()).isEqualTo(2);
        assertThat(e.name()).isEqualTo("capturevm:raid1boot");
        assertThat(e.arrayUuid()).isEqualTo(MdadmDetailParserTest.RAID1_UUID);
        assertThat(e.deviceUuid()).matches("[0-9a-f]{8}(:[0-9a-f]{8}){3}");
        assertThat(e.arraySizeText()).as("kept as printed: rounded, decimal units").isEqualTo("66.06MB");
        assertThat(e.updateTime()).isNotNull();
        assertThat(e.events()).isPositive();
    }

    @Test
    void humanFormGivesRoleDataOffsetAndBitmap() {
        MdSuperblockFacts s = MdadmExamineParser.parseHuman(read("mdadm/vm-raid1-bitmap-examine.txt"));

        assertThat(s.device()).isEqualTo("/dev/vdb");
        assertThat(s.metadata()).isEqualTo("1.2");
        assertThat(s.featureMap()).isEqualTo("0x1");
        assertThat(s.arrayUuid()).isEqualTo(MdadmDetailParserTest.RAID1_UUID);
        assertThat(s.name()).isEqualTo("capturevm:raid1boot");
        assertThat(s.level()).isEqualTo("raid1");
        assertThat(s.raidDevices()).isEqualTo(2);
        assertThat(s.role()).isEqualTo(Role.ACTIVE);
        assertThat(s.slot()).isZero();
        assertThat(s.dataOffsetSectors()).isEqualTo(2048);
        assertThat(s.dataOffsetBytes()).isEqualTo(1024L * 1024);
        assertThat(s.superOffsetSectors()).isEqualTo(8);
        assertThat(s.availDevSizeSectors()).isEqualTo(129024);
        assertThat(s.arraySizeBytes()).isEqualTo(64512L * 1024);
        assertThat(s.bitmap()).isEqualTo("8 sectors from superblock");
        assertThat(s.chunkSizeBytes()).isNull();
        assertThat(s.arrayState()).isEqualTo("AA");
    }

    @Test
    void bothFormsOfOneMemberAgree() {
        MdadmExamineParser.Export e = MdadmExamineParser.parse(read("mdadm/vm-raid5-spare-examine-export.txt"));
        MdSuperblockFacts s = MdadmExamineParser.parseHuman(read("mdadm/vm-raid5-spare-examine.txt"));

        assertThat(s.deviceUuid()).isEqualTo(e.deviceUuid());
        assertThat(s.arrayUuid()).isEqualTo(e.arrayUuid()).isEqualTo(MdadmDetailParserTest.RAID5_UUID);
        assertThat(s.events()).isEqualTo(e.events());
        assertThat(s.level()).isEqualTo(e.level());
    }

    @Test
    void raid5MemberHasChunkLayoutAndSlot() {
        MdSuperblockFacts s = MdadmExamineParser.parseHuman(read("mdadm/vm-raid5-spare-examine.txt"));

        assertThat(s.device()).isEqualTo("/dev/vde");
        assertThat(s.role()).isEqualTo(Role.ACTIVE);
        assertThat(s.slot()).isEqualTo(1);
        assertThat(s.chunkSizeBytes()).isEqualTo(512L * 1024);
        assertThat(s.layout()).isEqualTo("left-symmetric");
        assertThat(s.bitmap()).isNull();
        assertThat(s.arrayState()).isEqualTo("AAA");
    }

    @Test
    void theSpareSaysSo() {
        MdSuperblockFacts s = MdadmExamineParser.parseHuman(read("mdadm/vm-raid5-spare-examine-spare.txt"));

        assertThat(s.device()).isEqualTo("/dev/vdg");
        assertThat(s.role()).isEqualTo(Role.SPARE);
        assertThat(s.slot()).isNull();
    }

    @Test
    void theDegradedMemberSeesAMissingPeer() {
        MdSuperblockFacts s = MdadmExamineParser.parseHuman(read("mdadm/vm-raid1-degraded-examine.txt"));

        assertThat(s.arrayUuid()).isEqualTo(MdadmDetailParserTest.DEGRADED_UUID);
        assertThat(s.arrayState()).isEqualTo("A.");
        assertThat(s.slot()).isZero();
    }

    @Test
    void refusesA090Superblock() {
        String old = replacing("mdadm/vm-raid1-bitmap-examine.txt", "Version : 1.2", "Version : 0.90.00");

        assertThatThrownBy(() -> MdadmExamineParser.parseHuman(old))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("mdadm --examine"))
                .hasMessageContaining("0.90.00 is not 1.x");
    }

    @Test
    void refusesAMissingDeviceRole() {
        String noRole = withoutLine("mdadm/vm-raid1-bitmap-examine.txt", "Device Role");

        assertThatThrownBy(() -> MdadmExamineParser.parseHuman(noRole))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("'Device Role' is missing");
    }

    @Test
    void refusesAnUnknownRole() {
        String odd = replacing("mdadm/vm-raid1-bitmap-examine.txt", "Active device 0", "Something else");

        assertThatThrownBy(() -> MdadmExamineParser.parseHuman(odd))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("unknown Device Role");
    }

    @Test
    void refusesTwoDevicesInOneOutput() {
        String two = read("mdadm/vm-raid1-bitmap-examine.txt") + read("mdadm/vm-raid1-bitmap-examine.txt");

        assertThatThrownBy(() -> MdadmExamineParser.parseHuman(two))
                .isInstanceOf(ToolOutputException.class);
    }

    @Test
    void refusesExportWithoutArrayUuid() {
        String noUuid = withoutLine("mdadm/vm-raid1-bitmap-examine-export.txt", "MD_UUID=");

        assertThatThrownBy(() -> MdadmExamineParser.parse(noUuid))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("mdadm --examine --export"))
                .hasMessageContaining("MD_UUID is missing");
    }

    @Test
    void refusesGarbage() {
        assertThatThrownBy(() -> MdadmExamineParser.parse("mdadm: No md superblock detected on /dev/vdx."))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("mdadm --examine --export"));
        assertThatThrownBy(() -> MdadmExamineParser.parseHuman("mdadm: No md superblock detected on /dev/vdx."))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.command()).isEqualTo("mdadm --examine"));
    }

    @Test
    void refusesANonNumericEventCount() {
        String odd = replacing("mdadm/vm-raid1-bitmap-examine-export.txt", "MD_EVENTS=", "MD_EVENTS=x");

        assertThatThrownBy(() -> MdadmExamineParser.parse(odd))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("MD_EVENTS is not a number");
    }
}
