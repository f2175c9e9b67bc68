package dev.rear.engine.recover.finalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.TargetDisk;
import dev.rear.engine.recover.finalize.ConfigRewriter.Kind;
import dev.rear.engine.recover.finalize.ConfigRewriter.Result;
import dev.rear.engine.recover.finalize.ConfigRewriter.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rewrites on real-looking files: Debian's fstab (comments, tabs, UUID=, swap, cdrom, tmpfs, a
 * bind mount, NFS), crypttab, mdadm.conf (DEVICE and ARRAY lines) and /etc/default/grub, each with
 * the mapping of a sample descriptor onto /dev/vdX targets.
 */
class ConfigRewriterTest {

    static final Path SAMPLES = Path.of("..", "descriptors", "samples");
    static final Path FIXTURES = Path.of("src/test/resources/fixtures/finalize");

    static SystemDescriptor sample(String name) {
        return DescriptorFiles.load(SAMPLES.resolve(name));
    }

    /** Each disk onto /dev/vdb, /dev/vdc, ... of its size (mapped by size: a replaced disk). */
    static DiskMapping toVd(SystemDescriptor d) {
        char c = 'b';
        List<TargetDisk> targets = new java.util.ArrayList<>();
        for (Disk disk : d.disks()) {
            targets.add(new TargetDisk("/dev/vd" + c++, disk.sizeBytes(), disk.logicalSectorSize(), null, null, null));
        }
        return DiskMapping.map(d, targets, Map.of());
    }

    static String fixture(String name) throws IOException {
        return Files.readString(FIXTURES.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void debianFstabGetsTheMappedNameAndKeepsEveryOtherByte() throws IOException {
        SystemDescriptor d = sample("bios-msdos-lvm-sata.json");
        Result r = ConfigRewriter.rewrite(Kind.FSTAB, fixture("fstab-debian-bios-msdos-lvm.txt"), DeviceNames.of(d, toVd(d)));
        assertThat(r.text()).isEqualTo(fixture("fstab-debian-bios-msdos-lvm.expected.txt"));
        assertThat(r.changes()).singleElement().satisfies(c -> {
            assertThat(c.line()).isEqualTo(13);
            assertThat(c.before()).isEqualTo("/dev/sda1\t/boot\text4\tdefaults\t0\t2");
            assertThat(c.after()).isEqualTo("/dev/vdb1\t/boot\text4\tdefaults\t0\t2");
        });
        // the cdrom is noauto: a warning, not a failure; the comment naming /dev/sda1 stays as the installer wrote it
        assertThat(r.failures()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(Severity.WARN);
            assertThat(p.line()).isEqualTo(16);
            assertThat(p.message()).contains("/dev/sr0", "/media/cdrom0", "noauto/nofail");
        });
        assertThat(r.text()).contains("# /boot was on /dev/sda1 during installation");
    }

    @Test
    void rewritingTheRewrittenFstabChangesNothing() throws IOException {
        SystemDescriptor d = sample("bios-msdos-lvm-sata.json");
        DeviceNames names = DeviceNames.of(d, toVd(d));
        Result once = ConfigRewriter.rewrite(Kind.FSTAB, fixture("fstab-debian-bios-msdos-lvm.txt"), names);
        Result twice = ConfigRewriter.rewrite(Kind.FSTAB, once.text(), names);
        assertThat(twice.changed()).isFalse();
        assertThat(twice.text()).isEqualTo(once.text());
    }

    @Test
    void identityMappingLeavesTheFileAsItIs() throws IOException {
        SystemDescriptor d = sample("bios-msdos-lvm-sata.json");
        Disk sda = d.disks().get(0);
        DiskMapping same = DiskMapping.map(d, List.of(new TargetDisk("/dev/sda", sda.sizeBytes(), 512, sda.serial(), sda.wwn(), null)), Map.of());
        String text = fixture("fstab-debian-bios-msdos-lvm.txt");
        Result r = ConfigRewriter.rewrite(Kind.FSTAB, text, DeviceNames.of(d, same));
        assertThat(r.changed()).isFalse();
        assertThat(r.text()).isEqualTo(text);
    }

    @Test
    void byIdNameOfAReplacedDiskBecomesTheUuidOfWhatIsOnIt() {
        SystemDescriptor d = sample("bios-msdos-lvm-sata.json");
        String line = "/dev/disk/by-id/ata-WDC_WD5000LPCX-24VHAT0_WD-WXJ1A38K9F27-part1 /boot ext4 defaults 0 2\n";
        Result r = ConfigRewriter.rewrite(Kind.FSTAB, line, DeviceNames.of(d, toVd(d)));
        assertThat(r.text()).isEqualTo("UUID=b7686859-895d-4978-96df-287d1af1b6c8 /boot ext4 defaults 0 2\n");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void byIdNameOfTheSameDiskStays() {
        SystemDescriptor d = sample("bios-msdos-lvm-sata.json");
        Disk sda = d.disks().get(0);
        DiskMapping byWwn = DiskMapping.map(d, List.of(new TargetDisk("/dev/sdc", sda.sizeBytes(), 512, null, sda.wwn(), null)), Map.of());
        String line = "/dev/disk/by-id/wwn-0x50014ee65c2f8a1b-part1 /boot ext4 defaults 0 2\n/dev/sda1 /mnt ext4 noauto 0 0\n";
        Result r = ConfigRewriter.rewrite(Kind.FSTAB, line, DeviceNames.of(d, byWwn));
        assertThat(r.text()).isEqualTo("/dev/disk/by-id/wwn-0x50014ee65c2f8a1b-part1 /boot ext4 defaults 0 2\n/dev/sdc1 /mnt ext4 noauto 0 0\n");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void aBootLineThatWillNotResolveFailsNamingTheLineAndNofailOnlyWarns() {
        SystemDescriptor d = sample("bios-msdos-lvm-sata.json");
        String text = "UUID=0a0b0c0d-1111-2222-3333-444455556666 /srv ext4 defaults 0 2\n"
                + "LABEL=scratch /scratch xfs defaults,nofail 0 0\n"
                + "PARTUUID=85bfc7aa-01 /boot ext4 defaults 0 2\n"
                + "/dev/sdb1 /data ext4 defaults 0 2\n";
        Result r = ConfigRewriter.rewrite(Kind.FSTAB, text, DeviceNames.of(d, toVd(d)));
        assertThat(r.failures()).extracting(ConfigRewriter.Problem::line).containsExactly(1, 4);
        assertThat(r.failures().get(0).message()).contains("line 1 (/srv)", "UUID=0a0b0c0d-1111-2222-3333-444455556666",
                "no filesystem, swap or LUKS container with UUID", "add nofail", "run the step again");
        assertThat(r.failures().get(1).message()).contains("/dev/sdb1 is not recreated");
        assertThat(r.problems()).filteredOn(p -> p.severity() == Severity.WARN).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("line 2 (/scratch)", "label scratch"));
    }

    @Test
    void aLineOfAnExcludedComponentOnlyWarns() throws IOException {
        Path f = SAMPLES.resolve("hybrid-boot-usb-excluded.json");
        SystemDescriptor d = DescriptorFiles.load(f);
        assertThat(d.excluded()).isNotEmpty();
        String comp = d.excluded().stream().filter(x -> x.component().startsWith("disk:")).findFirst().orElseThrow().component();
        String dev = "/dev/" + comp.substring("disk:".length()) + "1";
        Result r = ConfigRewriter.rewrite(Kind.FSTAB, dev + " /media/usb ext4 defaults 0 2\n", DeviceNames.of(d, toVd(d)));
        assertThat(r.failures()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("excluded " + comp + " on purpose"));
    }

    @Test
    void swappedDisksSwapTheirNamesInOnePass() throws IOException {
        SystemDescriptor d = sample("bios-gpt-raid1-lvm.json");
        long size = d.disks().get(0).sizeBytes();
        DiskMapping swap = DiskMapping.map(d, List.of(TargetDisk.of("/dev/sda", size), TargetDisk.of("/dev/sdb", size)),
                Map.of("/dev/sda", "/dev/sdb", "/dev/sdb", "/dev/sda"));
        Result r = ConfigRewriter.rewrite(Kind.MDADM, fixture("mdadm-debian-bios-gpt-raid1.txt"), DeviceNames.of(d, swap));
        assertThat(r.text()).contains("DEVICE /dev/sdb2 /dev/sda2\n", "   devices=/dev/sdb2,/dev/sda2\n");
    }

    @Test
    void mdadmConfDevicesAreMappedAndAnArrayThatIsNotRecreatedWarns() throws IOException {
        SystemDescriptor d = sample("bios-gpt-raid1-lvm.json");
        String in = fixture("mdadm-debian-bios-gpt-raid1.txt");
        Result r = ConfigRewriter.rewrite(Kind.MDADM, in, DeviceNames.of(d, toVd(d)));
        assertThat(r.text()).isEqualTo(in.replace("DEVICE /dev/sda2 /dev/sdb2", "DEVICE /dev/vdb2 /dev/vdc2")
                .replace("devices=/dev/sda2,/dev/sdb2", "devices=/dev/vdb2,/dev/vdc2"));
        assertThat(r.changes()).extracting(ConfigRewriter.Change::line).containsExactly(12, 22);
        assertThat(r.failures()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(23);
            assertThat(p.message()).contains("0a1b2c3d:4e5f6a7b:8c9d0e1f:2a3b4c5d", "not recreated");
        });
    }

    @Test
    void crypttabDeviceIsMappedUuidStaysAndAnUnknownNoautoDeviceWarns() throws IOException {
        SystemDescriptor d = sample("uefi-luks2-lvm.json");
        String in = fixture("crypttab-debian-uefi-luks2-lvm.txt");
        Result r = ConfigRewriter.rewrite(Kind.CRYPTTAB, in, DeviceNames.of(d, toVd(d)));
        assertThat(r.text()).isEqualTo(in.replace("swap_crypt\t/dev/sda2\t", "swap_crypt\t/dev/vdb2\t"));
        assertThat(r.failures()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("(usbkey_crypt)", "usb-SanDisk", "noauto/nofail");
        });
        Result bad = ConfigRewriter.rewrite(Kind.CRYPTTAB, "data_crypt UUID=0a0b0c0d-1111-2222-3333-444455556666 none luks\n",
                DeviceNames.of(d, toVd(d)));
        assertThat(bad.failures()).singleElement().satisfies(p -> assertThat(p.message()).contains("crypttab line 1 (data_crypt)"));
    }

    @Test
    void grubCommandLineIsMappedAndItsBootParametersChecked() throws IOException {
        SystemDescriptor d = sample("bios-msdos-lvm-sata.json");
        String in = fixture("default-grub-debian.txt");
        Result r = ConfigRewriter.rewrite(Kind.DEFAULT_GRUB, in, DeviceNames.of(d, toVd(d)));
        assertThat(r.text()).isEqualTo(in.replace("root=/dev/sda1 ", "root=/dev/vdb1 "));
        assertThat(r.problems()).isEmpty();

        String missing = "GRUB_CMDLINE_LINUX=\"rd.lvm.lv=system/gone resume=UUID=0a0b0c0d-1111-2222-3333-444455556666 root=/dev/disk/by-id/"
                + "ata-WDC_WD5000LPCX-24VHAT0_WD-WXJ1A38K9F27-part1\"\n";
        Result m = ConfigRewriter.rewrite(Kind.DEFAULT_GRUB, missing, DeviceNames.of(d, toVd(d)));
        assertThat(m.text()).contains("root=UUID=b7686859-895d-4978-96df-287d1af1b6c8\"");
        assertThat(m.failures()).singleElement().satisfies(p -> assertThat(p.message()).contains("rd.lvm.lv=system/gone"));
        assertThat(m.problems()).filteredOn(p -> p.severity() == Severity.WARN).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("resume=UUID=0a0b0c0d"));
    }

    @Test
    void aLabelWithABlankWrittenAsOctalResolves() {
        SystemDescriptor d = sample("lvm-thin-pool.json");
        SystemDescriptor labelled = new SystemDescriptor(d.schema(), d.capturedAt(), d.host(), d.disks(), d.raidArrays(), d.lvm(), d.encryption(),
                d.filesystems().stream().map(f -> f.mounts().stream().anyMatch(m -> m.mountpoint().equals("/scratch"))
                        ? new dev.rear.api.descriptor.Filesystem(f.device(), f.type(), f.uuid(), "scratch space", f.mounts(), f.parameters()) : f).toList(),
                d.swap(), d.bootloader(), d.network(), d.excluded());
        Result r = ConfigRewriter.rewrite(Kind.FSTAB, "LABEL=scratch\\040space /scratch xfs defaults 0 2\n", DeviceNames.of(labelled, toVd(labelled)));
        assertThat(r.problems()).isEmpty();
        assertThat(r.changed()).isFalse();
    }

    @Test
    void nvmePartitionNamesMapToSataNames() {
        SystemDescriptor d = sample("uefi-gpt-ext4-nvme.json");
        DiskMapping m = DiskMapping.map(d, List.of(TargetDisk.of("/dev/sda", d.disks().get(0).sizeBytes())), Map.of());
        Result r = ConfigRewriter.rewrite(Kind.FSTAB, "/dev/nvme0n1p2 / ext4 errors=remount-ro 0 1\n/dev/nvme0n1p1 /boot/efi vfat umask=0077 0 1\n",
                DeviceNames.of(d, m));
        assertThat(r.text()).isEqualTo("/dev/sda2 / ext4 errors=remount-ro 0 1\n/dev/sda1 /boot/efi vfat umask=0077 0 1\n");
    }
}
