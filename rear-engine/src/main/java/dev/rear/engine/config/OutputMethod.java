package dev.rear.engine.config;

/** The {@code OUTPUT} formats of the rescue system rear supports, with ReaR's names. */
public enum OutputMethod {
    /** A bootable ISO image in {@code ISO_DIR} (BIOS and UEFI); the default, as in ReaR. */
    ISO,
    /** Kernel, initramfs and a boot configuration for a PXE server. */
    PXE,
    /** A bootable USB disk. */
    USB,
    /** Kernel and initramfs only. */
    RAMDISK
}
