package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.command.CommandSpec;
import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.output.OutputRequest;
import dev.rear.engine.output.OutputResult;
import dev.rear.engine.output.Outputs;
import dev.rear.engine.output.UsbDisk;
import dev.rear.engine.output.UsbFormat;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.rescue.RescueImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Tier 3: the ISO and USB outputs, written by rear from a small real image, boot through real
 * firmware in qemu (TCG): SeaBIOS and OVMF for the ISO, SeaBIOS for the USB disk. Each test asserts
 * on the serial console that GRUB's menu appeared ("Recover web1") and that the default entry booted
 * the kernel with the initramfs and the expected command line (the image's {@code console=ttyS0,115200}
 * then the request's argument, and no {@code unattended}), then that the guest powered off.
 */
class OutputBootVmIT {

    static final Duration MENU_WAIT = Duration.ofMinutes(3);
    static final Duration INIT_WAIT = Duration.ofMinutes(5);

    @TempDir
    Path tmp;

    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void isoBootsWithSeaBios() throws Exception {
        bootIso(IsoBoot.Firmware.BIOS, "rear.test=iso-bios");
    }

    @Test
    void isoBootsWithOvmf() throws Exception {
        bootIso(IsoBoot.Firmware.UEFI, "rear.test=iso-uefi");
    }

    @Test
    void usbDiskBootsWithSeaBios() throws Exception {
        bootUsb(IsoBoot.Firmware.BIOS, "rear.test=usb-bios");
    }

    @Test
    void usbDiskBootsWithOvmfFromItsEsp() throws Exception {
        bootUsb(IsoBoot.Firmware.UEFI, "rear.test=usb-uefi");
    }

    private void bootIso(IsoBoot.Firmware fw, String arg) throws Exception {
        IsoBoot.qemu(fw);
        requireTools("grub-mkrescue", "xorriso", "mformat");
        RescueImage image = tinyImage();
        OutputRequest req = new OutputRequest(OutputMethod.ISO, tmp.resolve("output"), null, "web1", "rear-web1", "RELAXRECOVER",
                List.of(arg), null);
        long t0 = System.nanoTime();
        OutputResult r = Outputs.forMethod(OutputMethod.ISO).write(image, req, runner);
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        Path iso = r.artifacts().get(0);
        try (QemuVm vm = IsoBoot.boot(iso, fw, tmp.resolve("vm"))) {
            expectBoot(vm, "ISO " + fw, arg, Files.size(iso), writeMs);
        }
    }

    private void bootUsb(IsoBoot.Firmware fw, String arg) throws Exception {
        IsoBoot.qemu(fw);
        requireTools("sfdisk", "partx", "mkfs.ext4", "mkfs.fat", "grub-install", "grub-mkimage", "mcopy", "losetup");
        if (!"root".equals(System.getProperty("user.name")) || !Files.exists(Path.of("/dev/loop-control"))) {
            throw new TestAbortedException("needs root and loop devices to write the USB disk image");
        }
        RescueImage image = tinyImage();
        Path img = tmp.resolve("usb.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(256L << 20);
        }
        long t0 = System.nanoTime();
        String dev = runner.run(CommandSpec.of("losetup", "-f", "--show", "--partscan", img.toString())).stdout().strip();
        OutputResult r;
        try {
            UsbDisk disk = new UsbDisk(dev, HostProbe.linux(), runner);
            assertThat(disk.problems(false, UsbDisk.activeSwaps())).isEmpty();
            new UsbFormat(disk, runner).format(true, 64);
            r = Outputs.forMethod(OutputMethod.USB).write(image, new OutputRequest(OutputMethod.USB, tmp.resolve("output"), null, "web1",
                    "rear-web1", "REAR-000", List.of(arg), Path.of(dev)), runner);
        } finally {
            quietly("partx", "-d", dev);
            quietly("losetup", "-d", dev);
        }
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("OutputBootVmIT: " + r.summary());
        try (QemuVm vm = IsoBoot.bootDisk(img, fw, tmp.resolve("vm"))) {
            expectBoot(vm, "USB " + fw, arg, Files.size(img), writeMs);
        }
    }

    private void expectBoot(QemuVm vm, String what, String arg, long bytes, long writeMs) {
        vm.await("Recover web1", MENU_WAIT);
        Duration menu = vm.uptime();
        String line = vm.await(TinyImage.MARKER, INIT_WAIT);
        Duration init = vm.uptime();
        String cmdline = line.substring(line.indexOf(TinyImage.MARKER) + TinyImage.MARKER.length());
        assertThat(cmdline).as(vm.tail(40)).contains("console=ttyS0,115200 " + arg).doesNotContain("unattended");
        boolean off = vm.awaitExit(Duration.ofSeconds(60));
        System.out.printf("OutputBootVmIT: %s: %d bytes, written in %d ms; GRUB menu after %.1f s, init after %.1f s, powered off: %s%n",
                what, bytes, writeMs, menu.toMillis() / 1000.0, init.toMillis() / 1000.0, off);
        assertThat(off).as("the guest powers itself off after the marker\n" + vm.tail(20)).isTrue();
    }

    private RescueImage tinyImage() throws IOException {
        Path busybox = VmHost.which("busybox").orElseThrow(() -> new TestAbortedException("busybox is not installed (package busybox-static)"));
        Path kernel;
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            kernel = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-") && Files.isReadable(p))
                    .max(Comparator.comparing(p -> VmHost.versionKey(p.getFileName().toString())))
                    .orElseThrow(() -> new TestAbortedException("no readable /boot/vmlinuz-* (package linux-image-amd64; run as root)"));
        }
        return TinyImage.build(tmp.resolve("image"), kernel, kernel.getFileName().toString().substring("vmlinuz-".length()), busybox);
    }

    private static void requireTools(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String t : tools) {
            if (VmHost.which(t).isEmpty()) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            throw new TestAbortedException("missing tools: " + missing
                    + " (packages grub-common, grub2-common, grub-pc-bin, grub-efi-amd64-bin, xorriso, mtools, dosfstools, fdisk, e2fsprogs)");
        }
    }

    private void quietly(String... argv) {
        try {
            runner.run(CommandSpec.of(argv));
        } catch (RuntimeException e) {
            // cleanup goes on
        }
    }
}
