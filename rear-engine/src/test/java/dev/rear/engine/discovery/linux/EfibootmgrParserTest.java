package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.rear.engine.discovery.linux.EfibootmgrParser.BootManager;
import dev.rear.engine.discovery.linux.EfibootmgrParser.Entry;
import dev.rear.engine.discovery.linux.EfibootmgrParser.Form;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link EfibootmgrParser} on efibootmgr 17 output captured under OVMF by
 * {@code descriptors/tools/capture-efi-fixtures.sh} ({@code fixtures/efibootmgr/vm-ovmf-*}). The
 * entries, their order, BootNext and Timeout are the ones the script set with efibootmgr; the
 * partition GUIDs are the ones its sfdisk script gave the two ESPs, and blkid's view of those
 * partitions is captured beside them ({@code fixtures/blkid/vm-ovmf-esp*.export}).
 */
class EfibootmgrParserTest {

    static final String INSTALLED = "efibootmgr/vm-ovmf-installed";
    static final String REBOOTED = "efibootmgr/vm-ovmf-rebooted";
    /** What OVMF prints for the 16 bytes of its auto-created-entry GUID, under -v. */
    static final String OVMF_AUTO_CREATED = "N.....YM....R,Y.";
    static final String STUB_CMDLINE =
            "initrd=\\EFI\\rear\\initrd.gz console=ttyS0 rdinit=/init rear_phase=rebooted panic=1 loglevel=4";

    /** The PARTUUID blkid printed for the ESP in the fixture {@code blkid/<name>.export}. */
    static String blkidPartUuid(String name) {
        List<BlkidParser.Entry> esp = BlkidParser.parse(read("blkid/" + name + ".export"));
        assertThat(esp).hasSize(1);
        assertThat(esp.get(0).type()).isEqualTo("vfat");
        return esp.get(0).partUuid();
    }

    static BootManager verbose(String scenario) {
        return EfibootmgrParser.parse(read(scenario + "-verbose.txt"));
    }

    @Nested
    class AsInstallersLeaveIt {

        @Test
        void readsTheEntriesTheScriptCreatedWithTheirPartitionAndLoader() {
            BootManager bm = verbose(INSTALLED);
            String esp = blkidPartUuid("vm-ovmf-esp");
            String esp2 = blkidPartUuid("vm-ovmf-esp2");

            assertThat(bm.entries())
                    .extracting(Entry::number, Entry::active, Entry::label, Entry::partition, Entry::partUuid,
                            Entry::loaderPath)
                    .containsExactly(
                            tuple("0000", true, "UiApp", null, null, null),
                            tuple("0001", true, "debian", 1, esp, "\\EFI\\debian\\shimx64.efi"),
                            tuple("0002", false, "debian-grub", 1, esp, "\\EFI\\debian\\grubx64.efi"),
                            tuple("0003", true, "Linux Boot Manager", 1, esp, "\\EFI\\systemd\\systemd-bootx64.efi"),
                            tuple("0004", true, "debian (disk 2)", 1, esp2, "\\EFI\\debian\\shimx64.efi"),
                            tuple("0005", true, "rear EFI stub", 1, esp, "\\EFI\\rear\\vmlinuz.efi"));
        }

        @Test
        void thePartUuidsAreTheOnesBlkidPrintsForTheEsps() {
            BootManager bm = verbose(INSTALLED);

            assertThat(blkidPartUuid("vm-ovmf-esp")).isEqualTo("e5a1b0c7-0001-4e5f-9a0b-00000000da01");
            assertThat(bm.entriesOn(blkidPartUuid("vm-ovmf-esp"))).extracting(Entry::label)
                    .containsExactly("debian", "debian-grub", "Linux Boot Manager", "rear EFI stub");
            assertThat(bm.entriesOn(blkidPartUuid("vm-ovmf-esp2"))).extracting(Entry::label)
                    .containsExactly("debian (disk 2)");
            assertThat(bm.entriesOn("E5A1B0C7-0001-4E5F-9A0B-00000000DB01")).as("either case").hasSize(1);
        }

        @Test
        void readsBootOrderBootNextAndTimeoutAsSetButNoBootCurrentUnderQemuKernel() {
            BootManager bm = verbose(INSTALLED);

            assertThat(bm.bootOrder()).containsExactly("0001", "0004", "0002", "0003", "0000");
            assertThat(bm.bootNext()).isEqualTo("0005");
            assertThat(bm.timeoutSeconds()).isEqualTo(3);
            assertThat(bm.bootCurrent()).as("OVMF started the kernel without a boot entry").isNull();
            assertThat(bm.current()).isEmpty();
        }

        @Test
        void keepsTheDevicePathAndTheOptionalDataPrintedRightAfterIt() {
            BootManager bm = verbose(INSTALLED);

            Entry debian = bm.entry("0001").orElseThrow();
            assertThat(debian.devicePath())
                    .isEqualTo("HD(1,GPT,e5a1b0c7-0001-4e5f-9a0b-00000000da01,0x800,0x32000)/File(\\EFI\\debian\\shimx64.efi)");
            assertThat(debian.optionalData()).isNull();

            Entry stub = bm.entry("0005").orElseThrow();
            assertThat(stub.devicePath()).endsWith("/File(\\EFI\\rear\\vmlinuz.efi)");
            assertThat(stub.optionalData()).as("UCS-2 bytes as ASCII, '.' for the zero bytes")
                    .isEqualTo(STUB_CMDLINE.replaceAll("(.)", "$1."));

            Entry uiApp = bm.entry("0000").orElseThrow();
            assertThat(uiApp.devicePath())
                    .isEqualTo("FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)");
            assertThat(uiApp.loaderPath()).as("FvFile is not a File node").isNull();
        }

        @Test
        void theUnicodeFormDecodesTheKernelCommandLineAndReadsTheSamePaths() {
            BootManager v = verbose(INSTALLED);
            BootManager u = EfibootmgrParser.parse(read(INSTALLED + "-unicode-verbose.txt"), Form.UNICODE_VERBOSE);

            assertThat(u.entry("0005").orElseThrow().optionalData()).isEqualTo(STUB_CMDLINE);
            assertThat(u.entries()).extracting(Entry::number, Entry::label, Entry::devicePath, Entry::loaderPath)
                    .containsExactlyElementsOf(v.entries().stream()
                            .map(e -> tuple(e.number(), e.label(), e.devicePath(), e.loaderPath())).toList());
        }

        @Test
        void thePlainListingOfEfibootmgr17HasLabelsButNoPaths() {
            BootManager plain = EfibootmgrParser.parse(read(INSTALLED + ".txt"), Form.PLAIN);
            BootManager v = verbose(INSTALLED);

            assertThat(plain.entries()).extracting(Entry::number, Entry::active, Entry::label)
                    .containsExactlyElementsOf(v.entries().stream()
                            .map(e -> tuple(e.number(), e.active(), e.label())).toList());
            assertThat(plain.entries()).allSatisfy(e -> {
                assertThat(e.devicePath()).isNull();
                assertThat(e.partUuid()).isNull();
                assertThat(e.loaderPath()).isNull();
            });
            assertThat(plain.bootOrder()).isEqualTo(v.bootOrder());
            assertThat(plain.bootNext()).isEqualTo("0005");
        }

        @Test
        void aFreshOvmfVarstoreBootedWithQemuKernelHasOnlyUiApp() {
            BootManager bm = verbose("efibootmgr/vm-ovmf-firmware");

            assertThat(bm.entries()).extracting(Entry::number, Entry::label).containsExactly(tuple("0000", "UiApp"));
            assertThat(bm.bootOrder()).containsExactly("0000");
            assertThat(bm.timeoutSeconds()).isZero();
            assertThat(bm.bootCurrent()).isNull();
            assertThat(bm.bootNext()).isNull();
        }
    }

    @Nested
    class AfterTheFirmwareBootedTheStub {

        @Test
        void bootCurrentIsTheEntryBootNextNamedAndBootNextIsGone() {
            BootManager bm = verbose(REBOOTED);

            assertThat(bm.bootCurrent()).isEqualTo("0005");
            assertThat(bm.current()).map(Entry::label).contains("rear EFI stub");
            assertThat(bm.bootNext()).isNull();
            assertThat(bm.bootOrder()).as("booted once, never in BootOrder").doesNotContain("0005");
            assertThat(bm.timeoutSeconds()).as("OVMF writes its own Timeout at every boot").isZero();
        }

        @Test
        void theFirmwareAppendedItsOwnEntriesToBootOrder() {
            BootManager bm = verbose(REBOOTED);

            assertThat(bm.bootOrder()).containsExactly("0001", "0004", "0002", "0003", "0000", "0006", "0007", "0008",
                    "0009", "000A", "000B", "000C", "000D", "000E");
            assertThat(bm.entries()).filteredOn(e -> e.number().compareTo("0006") >= 0)
                    .extracting(Entry::label, Entry::devicePath, Entry::optionalData)
                    .containsExactly(
                            tuple("UEFI Misc Device", "PciRoot(0x0)/Pci(0x2,0x0)", OVMF_AUTO_CREATED),
                            tuple("UEFI Misc Device 2", "PciRoot(0x0)/Pci(0x3,0x0)", OVMF_AUTO_CREATED),
                            tuple("UEFI Misc Device 3", "PciRoot(0x0)/Pci(0x4,0x0)", OVMF_AUTO_CREATED),
                            tuple("UEFI Misc Device 4", "PciRoot(0x0)/Pci(0x5,0x0)", OVMF_AUTO_CREATED),
                            tuple("UEFI PXEv4 (MAC:525400524541)",
                                    "PciRoot(0x0)/Pci(0x1,0x0)/MAC(525400524541,1)/IPv4(0.0.0.00.0.0.0,0,0)",
                                    OVMF_AUTO_CREATED),
                            tuple("UEFI PXEv6 (MAC:525400524541)",
                                    "PciRoot(0x0)/Pci(0x1,0x0)/MAC(525400524541,1)/IPv6([::]:<->[::]:,0,0)",
                                    OVMF_AUTO_CREATED),
                            tuple("UEFI HTTPv4 (MAC:525400524541)",
                                    "PciRoot(0x0)/Pci(0x1,0x0)/MAC(525400524541,1)/IPv4(0.0.0.00.0.0.0,0,0)/Uri()",
                                    OVMF_AUTO_CREATED),
                            tuple("UEFI HTTPv6 (MAC:525400524541)",
                                    "PciRoot(0x0)/Pci(0x1,0x0)/MAC(525400524541,1)/IPv6([::]:<->[::]:,0,0)/Uri()",
                                    OVMF_AUTO_CREATED),
                            tuple("EFI Internal Shell",
                                    "FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(7c04a583-9e3e-4f1c-ad65-e05268d0b4d1)",
                                    null));
            assertThat(bm.entries()).filteredOn(e -> e.number().compareTo("0006") >= 0)
                    .allSatisfy(e -> assertThat(e.loaderPath()).isNull())
                    .allSatisfy(e -> assertThat(e.partUuid()).isNull());
        }

        @Test
        void theEntriesMadeBeforeAreUnchanged() {
            BootManager before = verbose(INSTALLED);
            BootManager after = verbose(REBOOTED);

            assertThat(after.entries().subList(0, 6)).isEqualTo(before.entries());
        }

        @Test
        void theUnicodeFormShowsOvmfsGuidAsUcs2ButTheSamePaths() {
            BootManager v = verbose(REBOOTED);
            BootManager u = EfibootmgrParser.parse(read(REBOOTED + "-unicode-verbose.txt"), Form.UNICODE_VERBOSE);

            assertThat(u.entries()).extracting(Entry::devicePath)
                    .containsExactlyElementsOf(v.entries().stream().map(Entry::devicePath).toList());
            assertThat(u.entry("0006").orElseThrow().optionalData()).hasSize(8);
            BootManager plain = EfibootmgrParser.parse(read(REBOOTED + ".txt"), Form.PLAIN);
            assertThat(plain.entries()).extracting(Entry::label)
                    .containsExactlyElementsOf(v.entries().stream().map(Entry::label).toList());
        }
    }

    @Test
    void aLabelKeepsItsTrailingBlank() {
        // OVMF_VARS_4M.ms.fd ships with the entries of the VM it was made in.
        BootManager bm = verbose("efibootmgr/vm-ovmf-secureboot");

        Entry sata = bm.entry("0001").orElseThrow();
        assertThat(sata.label()).isEqualTo("UEFI QEMU HARDDISK QM00001 ");
        assertThat(sata.devicePath()).isEqualTo("PciRoot(0x0)/Pci(0x1f,0x2)/Sata(0,65535,0)");
        assertThat(sata.optionalData()).isEqualTo(OVMF_AUTO_CREATED);
    }

    @Nested
    class OtherShapes {

        @Test
        void anMbrHardDriveGivesTheLinuxPartUuidAndOptionalDataMayFollowTheFile() {
            BootManager bm = EfibootmgrParser.parse("BootCurrent: 0000\nBootOrder: 0000\n"
                    + "Boot0000* Windows Boot Manager\tHD(1,MBR,0x52454152,0x800,0x32000)/File(\\EFI\\Microsoft\\Boot\\"
                    + "bootmgfw.efi)WINDOWS.........x...B.C.D.O.B.J.E.C.T.=.{.9.d.e.a.8.6.2.c.-.5.c.d.d.}...\n");

            Entry w = bm.current().orElseThrow();
            assertThat(w.partition()).isEqualTo(1);
            assertThat(w.partUuid()).isEqualTo("52454152-01");
            assertThat(w.loaderPath()).isEqualTo("\\EFI\\Microsoft\\Boot\\bootmgfw.efi");
            assertThat(w.optionalData()).startsWith("WINDOWS...").endsWith("}...");
        }

        @Test
        void aFullDevicePathLeadingToTheHardDriveIsRead() {
            BootManager bm = EfibootmgrParser.parse("BootOrder: 0003\n"
                    + "Boot0003* ubuntu\tPciRoot(0x0)/Pci(0x1d,0x0)/Pci(0x0,0x0)/NVMe(0x1,00-25-38-5A-91-B0-2C-6E)"
                    + "/HD(1,GPT,0C4E8F0A-7B1D-4C2E-9F3A-1B2C3D4E5F60,0x800,0x100000)/File(\\EFI\\ubuntu\\shimx64.efi)\n");

            Entry e = bm.entry("0003").orElseThrow();
            assertThat(e.partition()).isEqualTo(1);
            assertThat(e.partUuid()).as("lower case").isEqualTo("0c4e8f0a-7b1d-4c2e-9f3a-1b2c3d4e5f60");
            assertThat(e.loaderPath()).isEqualTo("\\EFI\\ubuntu\\shimx64.efi");
            assertThat(e.optionalData()).isNull();
        }

        @Test
        void efibootmgr18PrintsPathsInThePlainFormAndDumpLinesUnderVerbose() {
            String plain = "BootCurrent: 0001\nTimeout: 1 seconds\nBootOrder: 0001,0000\n"
                    + "Boot0000* UiApp\tFvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)\n"
                    + "Boot0001* debian\tHD(1,GPT,e5a1b0c7-0001-4e5f-9a0b-00000000da01,0x800,0x32000)/File(\\EFI\\debian\\shimx64.efi)"
                    + " File(.\\grubx64.efi)\n"
                    + "Boot0002* UEFI Misc Device\tPciRoot(0x0)/Pci(0x2,0x0){auto_created_boot_option}\n";
            String verbose = plain.replace("Boot0001*", "      dp: 01 04 14 00 / 7f ff 04 00\nBoot0001*")
                    + "      dp: 02 01 0c 00 d0 41 03 0a 00 00 00 00 / 7f ff 04 00\n"
                    + "    data: 4e ac 08 81 11 9f 59 4d 85 0e e2 1a 52 2c 59 b2\n";

            for (BootManager bm : List.of(EfibootmgrParser.parse(plain, Form.PLAIN), EfibootmgrParser.parse(verbose))) {
                assertThat(bm.entries()).extracting(Entry::number, Entry::loaderPath, Entry::optionalData)
                        .containsExactly(tuple("0000", null, null),
                                tuple("0001", "\\EFI\\debian\\shimx64.efi", " File(.\\grubx64.efi)"),
                                tuple("0002", null, "{auto_created_boot_option}"));
                assertThat(bm.current()).map(Entry::label).contains("debian");
                assertThat(bm.timeoutSeconds()).isEqualTo(1);
            }
        }

        @Test
        void noBootOrderIsAnEmptyOrderAndMirrorLinesAreSkipped() {
            BootManager bm = EfibootmgrParser.parse("No BootOrder is set; firmware will attempt recovery\n"
                    + "Boot0000* UiApp\tFvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)\n"
                    + "MirroredPercentageAbove4G: 0.00\nMirrorMemoryBelow4GB: false\n");

            assertThat(bm.bootOrder()).isEmpty();
            assertThat(bm.entries()).hasSize(1);
        }

        @Test
        void lowerCaseHexInAVariableNameIsNormalised() {
            BootManager bm = EfibootmgrParser.parse("BootOrder: 000A\nBoot000a* odd firmware\tFile(\\EFI\\odd.efi)\n");

            assertThat(bm.entry("000a")).map(Entry::number).contains("000A");
            assertThat(bm.entry("000A").orElseThrow().partition()).as("a file path without HD()").isNull();
            assertThat(bm.entry("000A").orElseThrow().loaderPath()).isEqualTo("\\EFI\\odd.efi");
        }
    }

    @Nested
    class Rejects {

        private void rejected(String output, Form form, String message) {
            assertThatThrownBy(() -> EfibootmgrParser.parse(output, form))
                    .isInstanceOfSatisfying(ToolOutputException.class,
                            e -> assertThat(e.command()).isEqualTo(form.command()))
                    .hasMessageContaining(message);
        }

        private void rejected(String output, String message) {
            rejected(output, Form.VERBOSE, message);
        }

        private String installedWith(String literal, String replacement) {
            String text = read(INSTALLED + "-verbose.txt");
            assertThat(text).contains(literal);
            return text.replaceFirst(Pattern.quote(literal), Matcher.quoteReplacement(replacement));
        }

        @Test
        void garbage() {
            rejected("EFI variables are not supported on this system.\n", "line 1 is not one efibootmgr prints");
            rejected("<html><body>efibootmgr</body></html>\n", Form.PLAIN, "is not one efibootmgr prints");
            rejected(read("blkid/vm-ovmf-esp.export"), "line 1 is not one efibootmgr prints: 'DEVNAME=/dev/vda1'");
        }

        @Test
        void nothing() {
            rejected("", "printed nothing");
            rejected("\n\n", Form.UNICODE_VERBOSE, "printed nothing");
            rejected("MirrorMemoryBelow4GB: false\n", "neither BootOrder");
        }

        @Test
        void anOutputCutOffInTheMiddleOfALine() {
            String text = read(INSTALLED + "-verbose.txt");
            String cut = text.substring(0, text.indexOf("shimx64.efi)"));

            rejected(cut, "ends in the middle of a line");
            rejected(Fixtures.truncated(read(REBOOTED + ".txt"), 0.5), Form.PLAIN, "ends in the middle of a line");
        }

        @Test
        void aTruncatedLine() {
            rejected(installedWith("0x32000)/File(\\EFI\\debian\\grubx64.efi)\n", "0x3\n"), "line 6 (Boot0002): the"
                    + " device path ends inside HD(");
            rejected(installedWith("debian (disk 2)\tHD(1,GPT", "debian (dis\nX"), "line 8 (Boot0004) has no TAB");
        }

        @Test
        void badHex() {
            rejected(installedWith("Boot0004*", "Boot00G4*"), "line 8 is not one efibootmgr prints: 'Boot00G4* debian");
            rejected(installedWith("BootOrder: 0001,0004", "BootOrder: 0001,00X4"),
                    "line 3: BootOrder has '00X4', not four hex digits");
            rejected(installedWith("BootOrder: 0001,0004,", "BootOrder: 0001,,"), "BootOrder has '', not four hex digits");
            rejected(installedWith("BootNext: 0005", "BootNext: 5"), "BootNext has '5', not four hex digits");
            rejected(installedWith("e5a1b0c7-0001-4e5f-9a0b-00000000da01", "e5a1b0c7-0001-4e5f-9a0b-00000000dz01"),
                    "(Boot0001): HD(1,GPT,e5a1b0c7-0001-4e5f-9a0b-00000000dz01,0x800,0x32000) has a GPT signature that"
                            + " is not a GUID");
            rejected(installedWith("0x800,0x32000)/File(\\EFI\\debian\\shimx64.efi)", "0x800,32000)/File(\\x)"),
                    "start or size that is not a 0x number");
            rejected(installedWith("HD(1,", "HD(one,"), "is not HD(number,type,signature,start,size)");
        }

        @Test
        void aMalformedTimeout() {
            rejected(installedWith("Timeout: 3 seconds", "Timeout: three seconds"), "is not 'Timeout: N seconds'");
        }

        @Test
        void twoOutputsRunTogether() {
            String text = read(INSTALLED + "-verbose.txt");
            rejected(text + text, "line 10: BootNext appears twice");
            rejected(text.replace("Boot0003*", "Boot0001*"), "line 7: Boot0001 appears twice");
        }

        @Test
        void aDumpLineWithoutAnEntryOrInThePlainForm() {
            rejected("      dp: 01 04 14 00\nBootOrder: 0000\n", "line 1 is not one efibootmgr prints");
            rejected("BootOrder: 0000\nBoot0000* x\tFile(\\a)\n    data: 00\n", Form.PLAIN, "line 3 is not one");
        }

        @Test
        void aDevicePathThatIsNoNode() {
            rejected("BootOrder: 0000\nBoot0000* x\t(garbage\n", "the device path does not start with a node");
        }
    }
}
