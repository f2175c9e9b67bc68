package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.rescue.RescueImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code OUTPUT=USB}: writes the rescue system onto a disk {@code rear format} prepared. The
 * {@code REAR-000} partition is mounted on a temporary directory; kernel and initrd go to
 * {@code rear/HOSTNAME/YYYYmmdd.HHMM/} on it (ReaR's layout; older sets stay), GRUB's configuration
 * to {@code boot/grub/grub.cfg} (the newest set; {@code search --label REAR-000} finds it), and
 * {@code grub-install --target=i386-pc --boot-directory=...} writes GRUB's boot code to the disk's
 * MBR and the gap before the first partition. When the disk has a {@code REAR-EFI} FAT partition,
 * a UEFI GRUB ({@code grub-mkimage -O x86_64-efi}, with a first configuration that finds REAR-000)
 * is copied to its {@code EFI/BOOT/BOOTX64.EFI} with mtools, and GRUB's x86_64-efi modules next to
 * the i386-pc ones. The partition is unmounted in every outcome; a failed write removes the files of
 * this run's set.
 */
final class UsbOutput implements RescueOutput {

    private static final DateTimeFormatter SET = DateTimeFormatter.ofPattern("yyyyMMdd.HHmm");

    /** The GRUB modules built into the UEFI image: enough to find REAR-000 and show the menu from it. */
    static final List<String> EFI_MODULES = List.of("part_msdos", "part_gpt", "ext2", "fat", "search", "search_label", "normal",
            "configfile", "linux", "echo", "serial", "terminal", "test", "all_video", "efi_gop", "gzio", "boot", "ls", "cat");

    private final HostProbe host;
    private final Clock clock;
    private final Path grubLib;
    private final Path tempParent;

    UsbOutput() {
        this(HostProbe.linux(), Clock.systemDefaultZone(), Tools.GRUB_LIB, Path.of(System.getProperty("java.io.tmpdir")));
    }

    UsbOutput(HostProbe host, Clock clock, Path grubLib, Path tempParent) {
        this.host = host;
        this.clock = clock;
        this.grubLib = grubLib;
        this.tempParent = tempParent;
    }

    @Override
    public OutputResult write(RescueImage image, OutputRequest request, CommandRunner runner) {
        long t0 = System.nanoTime();
        BasicOutputs.check(image, request);
        if (request.usbDevice() == null) {
            throw new OutputException("OUTPUT=USB needs the USB disk (USB_DEVICE): prepare one with 'rear format DEVICE' and name it");
        }
        List<String> args = BootMenu.kernelArgs(image.cmdline(), request.cmdline());
        UsbDisk disk = new UsbDisk(request.usbDevice().toString(), host, runner);
        String dev = disk.device();
        String what = "the rescue system on the USB disk " + dev;
        List<String> problems = disk.problems(true, UsbDisk.activeSwaps());
        if (!problems.isEmpty()) {
            throw new OutputException("refusing to write " + what + ": " + String.join("; ", problems));
        }
        String label = request.volumeId() == null || request.volumeId().isBlank() || request.volumeId().equals("RELAXRECOVER")
                ? UsbDisk.DATA_LABEL : request.volumeId();
        Map<String, Map<String, String>> sigs = disk.partitionSignatures(what);
        if (UsbDisk.withLabel(sigs, label, null) == null) {
            disk.showPartitions(what);
            disk.awaitPartition(1, Duration.ofSeconds(5));
            sigs = disk.partitionSignatures(what);
        }
        String data = UsbDisk.withLabel(sigs, label, null);
        if (data == null) {
            throw new OutputException("cannot write " + what + ": no partition of it is labelled " + label
                    + "; prepare the disk with 'rear format " + dev + "' first (it found: " + sigs + ")");
        }
        String esp = UsbDisk.withLabel(sigs, UsbDisk.EFI_LABEL, "vfat");
        List<String> programs = new ArrayList<>(List.of("mount", "umount", "grub-install"));
        List<String> platforms = new ArrayList<>(List.of("i386-pc"));
        if (esp != null) {
            programs.addAll(List.of("grub-mkimage", "mmd", "mcopy"));
            platforms.add("x86_64-efi");
        }
        Tools.require(what, programs, grubLib, platforms);
        String hostname = request.hostname();
        String set = SET.format(LocalDateTime.now(clock));
        List<String> locations = new ArrayList<>();
        List<Path> artifacts = TempMount.with(runner, what, tempParent, "rear-usb-", mp -> List.of("mount", "-o", "rw,noatime", data, mp.toString()),
                mp -> List.of("umount", mp.toString()), Duration.ofMinutes(1), "the rescue system was written to " + data,
                "unmount it before removing the disk", mp -> {
                try (Artifacts out = new Artifacts()) {
                    Path setDir = mp.resolve("rear").resolve(hostname).resolve(set);
                    String rel = "/rear/" + hostname + "/" + set;
                    out.copy(image.kernel(), setDir.resolve("kernel"), "the kernel");
                    out.copy(image.initrd(), setDir.resolve("initrd.cgz"), "the initrd");
                    out.write("# " + BasicOutputs.stamp(request) + "\nThe rescue system of " + hostname + ", set " + set + ", kernel command line: "
                            + String.join(" ", args) + "\n", setDir.resolve("README"), "the boot hint");
                    Path grubDir = mp.resolve("boot/grub");
                    out.write(BootMenu.grub(hostname, rel + "/kernel", rel + "/initrd.cgz", args, label, BasicOutputs.stamp(request)),
                            grubDir.resolve("grub.cfg"), "the GRUB configuration");
                    Tools.run(runner, what, Duration.ofMinutes(5), "grub-install", "--target=i386-pc", "--boot-directory=" + mp.resolve("boot"), dev);
                    locations.add(dev + " (MBR: GRUB i386-pc)");
                    if (esp != null) {
                        installEfi(runner, what, esp, grubDir, label, out);
                        locations.add(esp + " (EFI/BOOT/BOOTX64.EFI)");
                    }
                    List<Path> written = new ArrayList<>(out.files());
                    out.commit();
                    locations.add(0, data + ":" + rel + "/");
                    // the files' paths under the mount point mean nothing once it is unmounted: name them on the partition
                    return written.stream().map(p -> Path.of(data + ":/" + mp.relativize(p))).toList();
                }
                });
        String took = BasicOutputs.millis(t0);
        // The disk is the output (ReaR's OUTPUT_URL=usb://...): nothing is copied elsewhere.
        return new OutputResult(artifacts, List.of(), "USB " + String.join(", ", locations) + ", written in " + took);
    }

    /** A UEFI GRUB on the ESP that finds the REAR-000 partition and its grub.cfg; the modules next to the BIOS ones. */
    private void installEfi(CommandRunner runner, String what, String esp, Path grubDir, String label, Artifacts out) {
        Path modules = grubDir.resolve("x86_64-efi");
        try (Stream<Path> s = Files.list(grubLib.resolve("x86_64-efi"))) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String n = f.getFileName().toString();
                if (n.endsWith(".mod") || n.endsWith(".lst")) {
                    out.copy(f, modules.resolve(n), "GRUB's x86_64-efi module");
                }
            }
        } catch (IOException e) {
            throw new OutputException("cannot read GRUB's x86_64-efi modules in " + grubLib.resolve("x86_64-efi") + ": " + Artifacts.reason(e), e);
        }
        Path work = grubDir.resolve(".rear-efi");
        try {
            Files.createDirectories(work);
            Path early = work.resolve("early.cfg");
            Files.writeString(early, "search --no-floppy --set=root --label " + label + "\nset prefix=($root)/boot/grub\n"
                    + "configfile $prefix/grub.cfg\n");
            Path efi = work.resolve("BOOTX64.EFI");
            List<String> argv = new ArrayList<>(List.of("grub-mkimage", "-O", "x86_64-efi", "-o", efi.toString(), "-p", "/boot/grub",
                    "-c", early.toString()));
            argv.addAll(EFI_MODULES);
            Tools.run(runner, what, Duration.ofMinutes(2), argv.toArray(String[]::new));
            Map<String, String> env = Map.of("MTOOLS_SKIP_CHECK", "1");
            Tools.run(runner, what, CommandSpec.of("mmd", "-i", esp, "::/EFI", "::/EFI/BOOT").withEnv(env).alsoOk(1));
            Tools.run(runner, what, CommandSpec.of("mcopy", "-o", "-i", esp, efi.toString(), "::/EFI/BOOT/BOOTX64.EFI").withEnv(env));
        } catch (IOException e) {
            throw new OutputException("cannot write " + what + ": the UEFI GRUB image in " + work + ": " + Artifacts.reason(e), e);
        } finally {
            IsoOutput.deleteTree(work);
        }
    }
}
