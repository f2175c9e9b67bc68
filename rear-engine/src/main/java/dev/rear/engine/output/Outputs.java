package dev.rear.engine.output;

import dev.rear.engine.config.OutputMethod;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** The {@link RescueOutput} for each {@code OUTPUT} method. */
public final class Outputs {
    private Outputs() {}

    /**
     * The output writing {@code method}: {@code RAMDISK} (kernel + initramfs), {@code ISO} (BIOS and
     * UEFI GRUB through grub-mkrescue/xorriso), {@code PXE} (TFTP files in the output directory),
     * {@code USB} (onto the disk {@code rear format} prepared). Each copies its artifacts to
     * {@code OUTPUT_URL} when the request names one (USB excepted: the disk is the destination).
     */
    public static RescueOutput forMethod(OutputMethod method) {
        return switch (method) {
            case RAMDISK -> new RamdiskOutput();
            case ISO -> new IsoOutput();
            case PXE -> new PxeOutput(null, null);
            case USB -> new UsbOutput();
        };
    }

    /**
     * {@code OUTPUT=PXE} with ReaR's {@code PXE_TFTP_PATH} and {@code PXE_CONFIG_PATH}.
     *
     * @param tftpDir   where kernel, initrd and the GRUB netboot configuration go; {@code null}: the output directory
     * @param configDir where the PXELINUX entry goes; {@code null}: {@code pxelinux.cfg} in the TFTP directory
     */
    public static RescueOutput pxe(@Nullable Path tftpDir, @Nullable Path configDir) {
        return new PxeOutput(tftpDir, configDir);
    }
}
