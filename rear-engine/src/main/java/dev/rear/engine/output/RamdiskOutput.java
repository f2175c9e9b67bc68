package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.engine.rescue.RescueImage;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code OUTPUT=RAMDISK}: the kernel and the initramfs, as {@code kernel-HOSTNAME} and
 * {@code initramfs-HOSTNAME.img} in the output directory, and a {@code README} saying how to boot
 * them (the kernel command line included) — for a boot loader, a PXE or iPXE server, or
 * {@code qemu -kernel} that the administrator sets up.
 */
final class RamdiskOutput implements RescueOutput {

    @Override
    public OutputResult write(RescueImage image, OutputRequest request, CommandRunner runner) {
        long t0 = System.nanoTime();
        BasicOutputs.check(image, request);
        List<String> args = BootMenu.kernelArgs(image.cmdline(), request.cmdline());
        Path dir = BasicOutputs.outputDir(request);
        String host = request.hostname();
        try (Artifacts out = new Artifacts()) {
            Path kernel = out.copy(image.kernel(), dir.resolve("kernel-" + host), "the kernel");
            Path initrd = out.copy(image.initrd(), dir.resolve("initramfs-" + host + ".img"), "the initramfs");
            String readme = "# " + BasicOutputs.stamp(request) + "\n"
                    + "The rescue system of " + host + " as a kernel and an initramfs (OUTPUT=RAMDISK).\n\n"
                    + "Boot " + kernel.getFileName() + " with the initrd " + initrd.getFileName() + " and the kernel command line\n\n"
                    + "    " + String.join(" ", args) + "\n\n"
                    + "Add 'unattended' to run 'rear recover' without questions; 'rear.journal=LABEL=REAR-000' to keep its\n"
                    + "journal on that disk (then 'rear.resume' continues a recovery cut off by a power loss), and\n"
                    + "'rear.keyfile=LABEL=KEYS:luks.key' for the LUKS key file. For example, with qemu:\n\n"
                    + "    qemu-system-x86_64 -m 2048 -kernel " + kernel.getFileName() + " -initrd " + initrd.getFileName()
                    + " -append '" + String.join(" ", args) + "'\n\n"
                    + "or with GRUB:\n\n"
                    + "    linux /PATH/" + kernel.getFileName() + " " + String.join(" ", args) + "\n"
                    + "    initrd /PATH/" + initrd.getFileName() + "\n";
            out.write(readme, dir.resolve("README"), "the boot hint");
            List<Path> files = out.files();
            out.commit();
            List<String> copied = BasicOutputs.copyToUrl(files, request, runner);
            return new OutputResult(files, copied, "RAMDISK " + kernel + " (" + Artifacts.size(BasicOutputs.size(kernel)) + ") and "
                    + initrd + " (" + Artifacts.size(BasicOutputs.size(initrd)) + ") in " + BasicOutputs.millis(t0));
        }
    }
}
