package dev.rear.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.engine.cli.FormatCommandTestHosts;
import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.rescue.RescueImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OUTPUT=USB with a recording runner: the commands, their order, and the unmount in every outcome. */
class UsbOutputTest {

    @TempDir
    Path tmp;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T19:05:00Z"), ZoneOffset.UTC);

    /** Answers blkid for sdb1 (REAR-000) and every other command with success, unless it is {@code failing}. */
    private static CommandRunner runner(List<List<String>> ran, String failing) {
        return spec -> {
            ran.add(spec.argv());
            if (spec.program().equals(failing)) {
                throw new CommandFailedException(spec, new CommandResult(spec.argv(), 1, "", failing + ": error: disk full", Duration.ZERO));
            }
            String out = spec.argv().equals(List.of("blkid", "-p", "-o", "export", "/dev/sdb1"))
                    ? "DEVNAME=/dev/sdb1\nLABEL=REAR-000\nTYPE=ext4\n" : "";
            return new CommandResult(spec.argv(), 0, out, "", Duration.ZERO);
        };
    }

    private OutputRequest request() {
        return new OutputRequest(OutputMethod.USB, tmp.resolve("out"), null, "web1", "rear-web1", "RELAXRECOVER", List.of(), Path.of("/dev/sdb"));
    }

    @Test
    void theRear000PartitionIsMountedFilledAndUnmountedAndGrubInstalledOnTheDisk() throws Exception {
        RescueImage image = TestImages.image(tmp);
        List<List<String>> ran = new ArrayList<>();
        HostProbe host = FormatCommandTestHosts.host(FormatCommandTestHosts.SYSTEM);
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));

        OutputResult r = new UsbOutput(host, CLOCK, Tools.GRUB_LIB, mnt).write(image, request(), runner(ran, "none"));

        String mp = mountPoint(ran);
        assertThat(ran).containsExactly(
                List.of("blkid", "-p", "-o", "export", "/dev/sdb1"),
                List.of("blkid", "-p", "-o", "export", "/dev/sdb2"),
                List.of("mount", "-o", "rw,noatime", "/dev/sdb1", mp),
                List.of("grub-install", "--target=i386-pc", "--boot-directory=" + mp + "/boot", "/dev/sdb"),
                List.of("umount", mp));
        // Nothing really mounted here: what was written is in the mount point directory.
        assertThat(Path.of(mp, "rear/web1/20261126.1905/kernel")).hasContent("KERNEL-BYTES");
        assertThat(Path.of(mp, "rear/web1/20261126.1905/initrd.cgz")).hasContent("INITRD-BYTES");
        assertThat(Files.readString(Path.of(mp, "boot/grub/grub.cfg"))).contains("search --no-floppy --set=root --label REAR-000",
                "linux /rear/web1/20261126.1905/kernel console=ttyS0,115200\n");
        assertThat(r.artifacts()).contains(Path.of("/dev/sdb1:/rear/web1/20261126.1905/kernel"));
        assertThat(r.summary()).startsWith("USB /dev/sdb1:/rear/web1/20261126.1905/, /dev/sdb (MBR: GRUB i386-pc)");
    }

    @Test
    void aFailingGrubInstallIsReportedTheSetsFilesRemovedAndThePartitionUnmounted() throws Exception {
        RescueImage image = TestImages.image(tmp);
        List<List<String>> ran = new ArrayList<>();
        HostProbe host = FormatCommandTestHosts.host(FormatCommandTestHosts.SYSTEM);
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));

        assertThatThrownBy(() -> new UsbOutput(host, CLOCK, Tools.GRUB_LIB, mnt).write(image, request(), runner(ran, "grub-install")))
                .isInstanceOf(OutputException.class)
                .hasMessageContaining("the rescue system on the USB disk /dev/sdb").hasMessageContaining("grub-install failed (exit code 1)")
                .hasMessageContaining("disk full");
        String mp = mountPoint(ran);
        assertThat(ran.get(ran.size() - 1)).containsExactly("umount", mp);
        assertThat(Path.of(mp, "rear/web1/20261126.1905/kernel")).doesNotExist();
        assertThat(Path.of(mp, "boot/grub/grub.cfg")).doesNotExist();
    }

    @Test
    void aDiskWithoutRear000IsRefusedNamingTheFormatCommand() throws Exception {
        RescueImage image = TestImages.image(tmp);
        List<List<String>> ran = new ArrayList<>();
        HostProbe host = FormatCommandTestHosts.host(FormatCommandTestHosts.SYSTEM);
        OutputRequest onSdc = new OutputRequest(OutputMethod.USB, tmp.resolve("out"), null, "web1", "rear-web1", "REAR-000", List.of(),
                Path.of("/dev/sdc"));

        assertThatThrownBy(() -> new UsbOutput(host, CLOCK, Tools.GRUB_LIB, tmp).write(image, onSdc, runner(ran, "none")))
                .hasMessageContaining("no partition of it is labelled REAR-000").hasMessageContaining("rear format /dev/sdc");
        assertThat(ran).noneMatch(a -> a.get(0).equals("mount"));
        assertThatThrownBy(() -> new UsbOutput(host, CLOCK, Tools.GRUB_LIB, tmp).write(image,
                new OutputRequest(OutputMethod.USB, tmp, null, "web1", "p", "REAR-000", List.of(), Path.of("/dev/sda")), runner(ran, "none")))
                .hasMessageContaining("refusing to write").hasMessageContaining("is the system disk");
    }

    private static String mountPoint(List<List<String>> ran) {
        List<String> mount = ran.stream().filter(a -> a.get(0).equals("mount")).findFirst().orElseThrow();
        return mount.get(mount.size() - 1);
    }
}
