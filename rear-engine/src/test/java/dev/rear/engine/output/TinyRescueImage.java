package dev.rear.engine.output;

import dev.rear.engine.rescue.RescueImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * A small but real rescue image for output tests: Debian's kernel from {@code /boot} and a gzip'ed
 * newc initramfs holding a static busybox and an {@code /init} that prints {@link #MARKER} with the
 * kernel command line on the console and powers the machine off.
 */
final class TinyRescueImage {
    private TinyRescueImage() {}

    static final String MARKER = "REAR-TINY-INIT cmdline=";

    /** The newest {@code /boot/vmlinuz-*}, if readable. */
    static Optional<Path> kernel() {
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-") && Files.isReadable(p))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<Path> busybox() {
        return Stream.of("/bin/busybox", "/usr/bin/busybox").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    static String init() {
        return "#!/bin/busybox sh\n"
                + "/bin/busybox mkdir -p /proc /dev\n"
                + "/bin/busybox mount -t proc proc /proc\n"
                + "/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null\n"
                + "echo \"" + MARKER + "$(/bin/busybox cat /proc/cmdline)\"\n"
                + "/bin/busybox sync\n"
                + "/bin/busybox poweroff -f\n";
    }

    /** Writes the initramfs into {@code dir} and returns the image (cmdline {@code console=ttyS0,115200}). */
    static RescueImage build(Path dir, Path kernel, Path busybox) throws IOException {
        Path initrd = dir.resolve("tiny-initrd.cgz");
        long t0 = System.nanoTime();
        try (OutputStream f = new BufferedOutputStream(Files.newOutputStream(initrd));
             GZIPOutputStream gz = new GZIPOutputStream(f);
             CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gz, CpioConstants.FORMAT_NEW)) {
            for (String d : List.of("bin", "dev", "proc")) {
                CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, d, 0);
                e.setMode(CpioConstants.C_ISDIR | 0755);
                e.setNumberOfLinks(2);
                cpio.putArchiveEntry(e);
                cpio.closeArchiveEntry();
            }
            byte[] bb = Files.readAllBytes(busybox);
            put(cpio, "bin/busybox", bb, 0755);
            put(cpio, "init", init().getBytes(StandardCharsets.UTF_8), 0755);
            cpio.finish();
        }
        return new RescueImage(kernel, initrd, kernel.getFileName().toString().substring("vmlinuz-".length()), Files.size(initrd),
                Files.size(busybox), 5, Duration.ofNanos(System.nanoTime() - t0), List.of(), List.of("busybox"), List.of(),
                List.of("console=ttyS0,115200"));
    }

    private static void put(CpioArchiveOutputStream cpio, String name, byte[] content, int mode) throws IOException {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, content.length);
        e.setMode(CpioConstants.C_ISREG | mode);
        e.setNumberOfLinks(1);
        cpio.putArchiveEntry(e);
        cpio.write(content);
        cpio.closeArchiveEntry();
    }
}
