package dev.rear.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.command.CommandSpec;
import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.rescue.RescueImage;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier: the outputs written with the real tools from a small real rescue image, and inspected
 * with the tools an administrator would use ({@code xorriso}, {@code blkid}, {@code mdir},
 * {@code file}). Booting them is the rear-e2e tier's part.
 */
class OutputsIT {

    @TempDir
    Path tmp;

    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    private RescueImage tinyImage() throws IOException {
        Path kernel = TinyRescueImage.kernel().orElse(null);
        assumeTrue(kernel != null, "no readable /boot/vmlinuz-* (package linux-image-amd64; run as root)");
        Path busybox = TinyRescueImage.busybox().orElse(null);
        assumeTrue(busybox != null, "no busybox (package busybox-static)");
        return TinyRescueImage.build(Files.createDirectories(tmp.resolve("image")), kernel, busybox);
    }

    private static void assumeTools(String... tools) {
        for (String t : tools) {
            assumeTrue(Tools.which(t) != null, t + " is not installed (package " + Tools.packageOf(t) + ")");
        }
    }

    @Test
    void isoHasBiosAndUefiElToritoEntriesTheVolumeIdAndTheBootMenu() throws Exception {
        assumeTools("grub-mkrescue", "xorriso", "mformat", "mcopy");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/grub/i386-pc")), "no GRUB i386-pc files (package grub-pc-bin)");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/grub/x86_64-efi")), "no GRUB x86_64-efi files (package grub-efi-amd64-bin)");
        RescueImage image = tinyImage();
        Path out = tmp.resolve("output");
        OutputRequest req = new OutputRequest(OutputMethod.ISO, out, null, "web1", "rear-web1", "RELAXRECOVER",
                List.of("rear.test=iso"), null);

        long t0 = System.nanoTime();
        OutputResult r = Outputs.forMethod(OutputMethod.ISO).write(image, req, runner);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        Path iso = out.resolve("rear-web1.iso");
        assertThat(r.artifacts()).containsExactly(iso, out.resolve("README"));
        System.out.printf("OutputsIT: ISO %s: %d bytes (kernel %d, initrd %d), written in %d ms%n", iso, Files.size(iso),
                Files.size(image.kernel()), Files.size(image.initrd()), ms);
        String report = xorriso(iso, "-report_el_torito", "plain");
        assertThat(IsoOutput.bootPlatforms(report)).containsExactly("BIOS", "UEFI");
        assertThat(report).contains("/boot/grub/i386-pc/eltorito.img");
        String files = xorriso(iso, "-find", "/", "-type", "f");
        assertThat(files).contains("'/boot/kernel'", "'/boot/initrd'", "'/boot/grub/grub.cfg'", "'/efi.img'");
        assertThat(xorriso(iso, "-pvd_info")).contains("Volume Id    : RELAXRECOVER");
        Path cfg = tmp.resolve("grub.cfg");
        runner.run(CommandSpec.of("xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract",
                "/boot/grub/grub.cfg", cfg.toString()));
        assertThat(Files.readString(cfg)).contains("menuentry \"Recover web1\"",
                "linux /boot/kernel console=ttyS0,115200 rear.test=iso\n", "terminal_output serial console");
        // The kernel on the ISO is the image's kernel, byte for byte.
        Path k = tmp.resolve("kernel");
        runner.run(CommandSpec.of("xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract",
                "/boot/kernel", k.toString()));
        assertThat(Files.mismatch(k, image.kernel())).isEqualTo(-1L);
        try (var s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("rear-web1.iso", "README");
        }
    }

    @Test
    void formatThenUsbOutputMakesAGrubBootableRear000DiskWithAnEsp() throws Exception {
        LoopDevices.assumeUsable("sfdisk", "partx", "mkfs.ext4", "mkfs.fat", "grub-install", "grub-mkimage", "mmd", "mcopy", "blkid", "file");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/grub/i386-pc")), "no GRUB i386-pc files (package grub-pc-bin)");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/grub/x86_64-efi")), "no GRUB x86_64-efi files (package grub-efi-amd64-bin)");
        RescueImage image = tinyImage();
        try (LoopDevices loops = new LoopDevices(tmp)) {
            String dev = loops.attach("usb", 256L << 20);

            long t0 = System.nanoTime();
            RearRun fmt = RearRun.withoutConfig(tmp, "format", "--yes", "--efi", "--efi-size", "64", dev);
            long formatMs = (System.nanoTime() - t0) / 1_000_000;
            loops.addPartitions(dev); // registers the partitions' removal on close
            assertThat(fmt.code()).as(fmt.out() + fmt.err()).isZero();
            assertThat(fmt.out()).contains(dev + "p2 (ext4, REAR-000)", dev + "p1 (FAT, REAR-EFI)");
            assertThat(loops.run("blkid", "-p", "-o", "export", dev + "p2").stdout()).contains("LABEL=REAR-000", "TYPE=ext4");
            assertThat(loops.run("blkid", "-p", "-o", "export", dev + "p1").stdout()).contains("LABEL=REAR-EFI", "TYPE=vfat");

            OutputRequest req = new OutputRequest(OutputMethod.USB, tmp.resolve("output"), null, "web1", "rear-web1", "REAR-000",
                    List.of("rear.test=usb"), Path.of(dev));
            long t1 = System.nanoTime();
            OutputResult r = new UsbOutput(HostProbe.linux(), java.time.Clock.systemUTC(),
                    Tools.GRUB_LIB, tmp.resolve("mnt")).write(image, req, runner);
            long usbMs = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf("OutputsIT: format %d ms, USB output %d ms: %s%n", formatMs, usbMs, r.summary());

            // Unmounted again, and the mount point removed.
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dev + "p2");
            try (var s = Files.list(tmp.resolve("mnt"))) {
                assertThat(s).isEmpty();
            }
            // GRUB's boot code in the MBR, and the partition table kept.
            byte[] mbr = new byte[512];
            try (InputStream in = Files.newInputStream(tmp.resolve("usb.img"))) {
                assertThat(in.readNBytes(mbr, 0, 512)).isEqualTo(512);
            }
            // GRUB's boot.img: its messages are in the boot sector ('file' on this Debian says only "DOS/MBR boot sector").
            assertThat(new String(mbr, StandardCharsets.ISO_8859_1)).contains("GRUB ", "Geom", "Hard Disk", "Read", " Error");
            assertThat(mbr[510] & 0xff).isEqualTo(0x55);
            assertThat(mbr[511] & 0xff).isEqualTo(0xaa);
            assertThat(loops.run("file", "-b", tmp.resolve("usb.img").toString()).stdout()).contains("DOS/MBR boot sector");

            Path mp = tmp.resolve("check");
            loops.mount(dev + "p2", mp, "ro");
            Path web1 = mp.resolve("rear/web1");
            List<Path> sets;
            try (var s = Files.list(web1)) {
                sets = s.toList();
            }
            assertThat(sets).hasSize(1);
            assertThat(sets.get(0).getFileName().toString()).matches("\\d{8}\\.\\d{4}");
            assertThat(Files.mismatch(sets.get(0).resolve("kernel"), image.kernel())).isEqualTo(-1L);
            assertThat(Files.mismatch(sets.get(0).resolve("initrd.cgz"), image.initrd())).isEqualTo(-1L);
            String rel = "/rear/web1/" + sets.get(0).getFileName();
            assertThat(Files.readString(mp.resolve("boot/grub/grub.cfg"))).contains("search --no-floppy --set=root --label REAR-000",
                    "linux " + rel + "/kernel console=ttyS0,115200 rear.test=usb\n", "initrd " + rel + "/initrd.cgz\n");
            assertThat(mp.resolve("boot/grub/i386-pc/core.img")).exists();
            assertThat(mp.resolve("boot/grub/x86_64-efi/linux.mod")).exists();
            assertThat(mp.resolve("boot/grub/.rear-efi")).doesNotExist();
            String esp = runner.run(CommandSpec.of("mdir", "-b", "-i", dev + "p1", "::/EFI/BOOT")
                    .withEnv(java.util.Map.of("MTOOLS_SKIP_CHECK", "1"))).stdout();
            assertThat(esp).contains("BOOTX64.EFI");
            assertThat(Arrays.stream(r.artifacts().toArray()).map(Object::toString)).contains(dev + "p2:/" + "rear/web1/" + sets.get(0).getFileName() + "/kernel");
        }
    }

    private String xorriso(Path iso, String... cmd) {
        List<String> argv = new java.util.ArrayList<>(List.of("xorriso", "-indev", iso.toString()));
        argv.addAll(List.of(cmd));
        var r = runner.run(new CommandSpec(argv, java.time.Duration.ofSeconds(60), java.util.Map.of(), java.util.Set.of(0),
                java.util.Set.of(), null));
        return r.stdout();
    }
}
