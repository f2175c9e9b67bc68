package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.engine.rescue.RescueImage;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code OUTPUT=PXE}: the files a PXE server serves. Into the TFTP directory ({@code PXE_TFTP_PATH},
 * by default the output directory) go {@code HOSTNAME.kernel}, {@code HOSTNAME.initrd} (ReaR's
 * {@code PXE_TFTP_PREFIX} is {@code HOSTNAME.}) and a GRUB netboot configuration
 * {@code rear-HOSTNAME.grub.cfg} (for UEFI clients booting {@code grubnetx64.efi}: {@code configfile}
 * it from the server's {@code grub.cfg}); into the configuration directory ({@code PXE_CONFIG_PATH},
 * by default {@code pxelinux.cfg} in the TFTP directory) goes the PXELINUX entry file
 * {@code rear-HOSTNAME} (ReaR's {@code PXE_CONFIG_PREFIX} is {@code rear-}), to be linked to the
 * client's {@code 01-MAC} or hex-IP name. Paths inside both configurations are relative to the TFTP
 * directory, which is taken as the TFTP root.
 */
final class PxeOutput implements RescueOutput {

    private final @Nullable Path tftpDir;
    private final @Nullable Path configDir;

    /**
     * @param tftpDir   {@code PXE_TFTP_PATH}, or {@code null} for the output directory
     * @param configDir {@code PXE_CONFIG_PATH}, or {@code null} for {@code pxelinux.cfg} in the TFTP directory
     */
    PxeOutput(@Nullable Path tftpDir, @Nullable Path configDir) {
        this.tftpDir = tftpDir;
        this.configDir = configDir;
    }

    @Override
    public OutputResult write(RescueImage image, OutputRequest request, CommandRunner runner) {
        long t0 = System.nanoTime();
        BasicOutputs.check(image, request);
        List<String> args = BootMenu.kernelArgs(image.cmdline(), request.cmdline());
        String host = request.hostname();
        Path tftp = tftpDir != null ? tftpDir : BasicOutputs.outputDir(request);
        Path config = configDir != null ? configDir : tftp.resolve("pxelinux.cfg");
        String kernelName = host + ".kernel";
        String initrdName = host + ".initrd";
        try (Artifacts out = new Artifacts()) {
            Path kernel = out.copy(image.kernel(), tftp.resolve(kernelName), "the PXE kernel");
            Path initrd = out.copy(image.initrd(), tftp.resolve(initrdName), "the PXE initrd");
            Path pxelinux = out.write(BootMenu.pxelinux(host, kernelName, initrdName, args, BasicOutputs.stamp(request)),
                    config.resolve("rear-" + host), "the PXELINUX configuration");
            Path grub = out.write(BootMenu.grub(host, "/" + kernelName, "/" + initrdName, args, null, BasicOutputs.stamp(request)),
                    tftp.resolve("rear-" + host + ".grub.cfg"), "the GRUB netboot configuration");
            String readme = "# " + BasicOutputs.stamp(request) + "\n"
                    + "The rescue system of " + host + " for a PXE server (OUTPUT=PXE), in the TFTP directory " + tftp + ":\n\n"
                    + "    " + kernelName + ", " + initrdName + "\n"
                    + "    " + config.resolve("rear-" + host) + "   PXELINUX (BIOS): link it as pxelinux.cfg/01-<MAC with dashes> of the client\n"
                    + "    " + grub.getFileName() + "   GRUB (UEFI, grubnetx64.efi): 'configfile (tftp)/" + grub.getFileName()
                    + "' in the server's grub.cfg\n\n"
                    + "Kernel command line: " + String.join(" ", args) + " (add 'unattended' to recover without questions)\n";
            out.write(readme, tftp.resolve("README"), "the boot hint");
            List<Path> files = out.files();
            out.commit();
            String took = BasicOutputs.millis(t0);
            List<String> copied = BasicOutputs.copyToUrl(files, request, runner);
            return new OutputResult(files, copied, "PXE " + kernel + " (" + Artifacts.size(BasicOutputs.size(kernel)) + "), " + initrd
                    + " (" + Artifacts.size(BasicOutputs.size(initrd)) + "), " + pxelinux + ", " + grub + ", written in " + took);
        }
    }
}
