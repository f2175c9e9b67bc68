package dev.rear.engine.rescue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A built rescue system: the kernel it boots and the initramfs holding rear, a Java runtime, the
 * recovery tools, kernel modules, the descriptor and the (secret-free) configuration.
 *
 * @param kernel        the kernel image to boot (a copy of {@code KERNEL_FILE}, or that file)
 * @param initrd        the compressed newc cpio initramfs
 * @param kernelRelease the kernel's release ({@code uname -r} form), whose modules are inside
 * @param initrdBytes   the size of {@link #initrd()} in bytes
 * @param treeBytes     the uncompressed size of everything in the initramfs
 * @param entries       how many files, directories and links the initramfs holds
 * @param buildTime     how long the build took
 * @param modules       the kernel modules inside (names), in load order
 * @param programs      the programs inside (names), with their libraries added
 * @param leftOut       what was deliberately not copied (secrets), with the reason, for the report
 * @param cmdline       kernel command-line arguments the image expects (e.g. {@code console=ttyS0})
 *                      besides those an output adds; may be empty
 */
public record RescueImage(Path kernel, Path initrd, String kernelRelease, long initrdBytes, long treeBytes, int entries,
                          Duration buildTime, List<String> modules, List<String> programs, List<LeftOut> leftOut,
                          List<String> cmdline) {
    public RescueImage {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(kernelRelease, "kernelRelease");
        modules = List.copyOf(modules);
        programs = List.copyOf(programs);
        leftOut = List.copyOf(leftOut);
        cmdline = List.copyOf(cmdline);
    }

    /**
     * Something on the live system that the rescue system deliberately does not carry.
     *
     * @param path   the path (or, for a variable, its name)
     * @param reason why, in words an administrator reads in the report ("private SSH key without
     *               passphrase", "TSM password file: the node password is asked at recovery")
     */
    public record LeftOut(String path, String reason) {}
}
