package dev.rear.e2e;

import dev.rear.engine.rescue.RescueImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A small but real rescue image for boot tests of the outputs: Debian's kernel and a gzip'ed newc
 * initramfs with a static busybox whose {@code /init} prints {@link #MARKER} followed by the kernel
 * command line on the console, then powers the machine off. The real rescue image (from the
 * builder) goes through the same outputs and {@link IsoBoot}; only the marker differs.
 */
final class TinyImage {
    private TinyImage() {}

    static final String MARKER = "REAR-TINY-INIT cmdline=";

    static RescueImage build(Path dir, Path kernel, String kernelRelease, Path busybox) throws IOException {
        String init = "#!/bin/busybox sh\n"
                + "/bin/busybox mount -t proc proc /proc\n"
                + "/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null\n"
                + "echo \"" + MARKER + "$(/bin/busybox cat /proc/cmdline)\"\n"
                + "/bin/busybox poweroff -f\n";
        Initramfs tree = new Initramfs().dir("proc").dir("dev").file("bin/busybox", busybox, 0755).text("init", init, 0755);
        Files.createDirectories(dir);
        Path initrd = dir.resolve("tiny-initrd.cgz");
        long t0 = System.nanoTime();
        try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(initrd), 1 << 16))) {
            tree.write(out);
        }
        return new RescueImage(kernel, initrd, kernelRelease, Files.size(initrd), Files.size(busybox), tree.size(),
                Duration.ofNanos(System.nanoTime() - t0), List.of(), List.of("busybox"), List.of(), List.of("console=ttyS0,115200"));
    }
}
