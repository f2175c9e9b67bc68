package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.engine.rescue.RescueImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code OUTPUT=ISO}: {@code ISO_PREFIX.iso} in the output directory, bootable from CD/DVD, virtual
 * media and (hybrid GPT/MBR) USB sticks, with GRUB on BIOS (El Torito, i386-pc) and on UEFI (an El
 * Torito EFI system partition image with x86_64-efi GRUB). {@code grub-mkrescue} builds it: it makes
 * the two GRUB images and the FAT EFI image with mtools (no vfat mount) and drives {@code xorriso};
 * the volume id comes from the request ({@code ISO_VOLID}, ReaR's {@code RELAXRECOVER}). The
 * finished image is read back with {@code xorriso -report_el_torito}: an ISO without both boot
 * entries (grub-mkrescue silently leaves out a platform whose GRUB files are not installed) is an
 * error, never a result.
 *
 * <p>Layout: {@code /boot/kernel}, {@code /boot/initrd}, {@code /boot/grub/grub.cfg} (see
 * {@link BootMenu#grub}), {@code /README}.
 */
final class IsoOutput implements RescueOutput {

    /** ISO 9660 volume ids: at most 32 characters; rear keeps to those every tool and firmware shows alike. */
    private static final Pattern VOLID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    static final Duration MKRESCUE_TIMEOUT = Duration.ofMinutes(10);

    private final Path grubLib;

    IsoOutput() {
        this(Tools.GRUB_LIB);
    }

    IsoOutput(Path grubLib) {
        this.grubLib = grubLib;
    }

    @Override
    public OutputResult write(RescueImage image, OutputRequest request, CommandRunner runner) {
        long t0 = System.nanoTime();
        BasicOutputs.check(image, request);
        if (request.volumeId() == null || !VOLID.matcher(request.volumeId()).matches()) {
            throw new OutputException("the ISO volume id '" + request.volumeId() + "' is not usable: 1 to 32 letters, digits, '_' or '-'"
                    + " (ReaR's default is RELAXRECOVER)");
        }
        if (request.isoPrefix() == null || request.isoPrefix().isBlank() || request.isoPrefix().contains("/")) {
            throw new OutputException("ISO_PREFIX '" + request.isoPrefix() + "' cannot name the ISO file");
        }
        List<String> args = BootMenu.kernelArgs(image.cmdline(), request.cmdline());
        Path dir = BasicOutputs.outputDir(request);
        Path iso = dir.resolve(request.isoPrefix() + ".iso");
        String artifact = "the ISO image " + iso;
        Tools.require(artifact, List.of("grub-mkrescue", "xorriso", "mformat", "mcopy"), grubLib, List.of("i386-pc", "x86_64-efi"));
        // One staging directory per ISO name (a left-over of an interrupted run is replaced): its path is in grub-mkrescue's argv.
        Path staging = dir.resolve("." + request.isoPrefix() + ".iso.staging");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new OutputException("cannot make the ISO's staging directory in " + dir + ": " + Artifacts.reason(e), e);
        }
        try (Artifacts out = new Artifacts()) {
            stage(staging, image, request, args);
            Path tmp = out.temp(iso);
            Tools.run(runner, artifact, MKRESCUE_TIMEOUT, mkrescueArgv(tmp, staging, request.volumeId()).toArray(String[]::new));
            String report = Tools.run(runner, artifact, Duration.ofMinutes(2), "xorriso", "-indev", tmp.toString(),
                    "-report_el_torito", "plain").stdout();
            List<String> platforms = bootPlatforms(report);
            if (!platforms.containsAll(List.of("BIOS", "UEFI"))) {
                throw new OutputException("cannot write " + artifact + ": grub-mkrescue made an image that boots only on "
                        + (platforms.isEmpty() ? "nothing" : String.join(" and ", platforms))
                        + " (xorriso -report_el_torito found these El Torito entries); both BIOS and UEFI need GRUB's files: "
                        + "packages grub-pc-bin and grub-efi-amd64-bin");
            }
            out.rename(tmp, iso);
            out.write(readme(request, iso, args), dir.resolve("README"), "the boot hint");
            List<Path> files = out.files();
            out.commit();
            String took = BasicOutputs.millis(t0);
            List<String> copied = BasicOutputs.copyToUrl(files, request, runner);
            return new OutputResult(files, copied, "ISO " + iso + " (" + Artifacts.size(BasicOutputs.size(iso)) + "), BIOS and UEFI, volume id "
                    + request.volumeId() + ", written in " + took);
        } finally {
            deleteTree(staging);
        }
    }

    /** The grub-mkrescue command: no locales, fonts or themes (a text menu on a serial line needs none), xorriso's volume id. */
    static List<String> mkrescueArgv(Path target, Path staging, String volumeId) {
        return List.of("grub-mkrescue", "--output=" + target, "--locales=", "--fonts=", "--themes=", "--product-name=rear",
                staging.toString(), "--", "-volid", volumeId);
    }

    private static void stage(Path staging, RescueImage image, OutputRequest request, List<String> args) {
        try {
            Path boot = Files.createDirectories(staging.resolve("boot/grub"));
            link(image.kernel(), staging.resolve("boot/kernel"));
            link(image.initrd(), staging.resolve("boot/initrd"));
            Files.writeString(boot.resolve("grub.cfg"), BootMenu.grub(request.hostname(), "/boot/kernel", "/boot/initrd", args, null,
                    BasicOutputs.stamp(request)));
        } catch (IOException e) {
            throw new OutputException("cannot stage the ISO's files in " + staging + ": " + Artifacts.reason(e), e);
        }
    }

    /** A hard link where the filesystem allows (the initrd is large), else a copy. */
    private static void link(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    /**
     * The platforms of the El Torito boot images in {@code xorriso -report_el_torito plain} output
     * ({@code El Torito boot img :   1  BIOS  y ...}), in catalog order.
     */
    static List<String> bootPlatforms(String report) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^El Torito boot img\\s*:\\s*\\d+\\s+(\\S+)\\s").matcher(report);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String readme(OutputRequest request, Path iso, List<String> args) {
        return "# " + BasicOutputs.stamp(request) + "\n"
                + "The rescue system of " + request.hostname() + " as a bootable ISO image (OUTPUT=ISO): " + iso.getFileName() + "\n\n"
                + "It boots with GRUB on BIOS and on UEFI machines, from a CD/DVD, a virtual CD of the server's management\n"
                + "board, or a USB stick it was copied to (dd if=" + iso.getFileName() + " of=/dev/sdX bs=4M; the image is hybrid).\n"
                + "The menu, on the screen and on the first serial port (115200 baud), offers:\n\n"
                + "    Recover " + request.hostname() + "                the rescue system (default after " + BootMenu.TIMEOUT_SECONDS + " s)\n"
                + "    Recover " + request.hostname() + " (unattended)   runs 'rear recover' by itself\n\n"
                + "Kernel command line: " + String.join(" ", args) + "\n"
                + "Volume id: " + request.volumeId() + "\n";
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a staging directory left behind is harmless; it starts with a dot
        }
    }
}
