package dev.rear.engine.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The release of a Linux kernel image, read from the image itself: an x86 {@code bzImage} carries
 * its version string (as {@code uname -r} and {@code file} show it, e.g. {@code 6.1.0-56-amd64
 * (debian-kernel@lists.debian.org) #1 SMP ...}) at {@code 0x200 + kernel_version}, where
 * {@code kernel_version} is the 16-bit field at offset {@code 0x20e} of the setup header whose magic
 * {@code HdrS} is at {@code 0x202} (Documentation/arch/x86/boot.rst, protocol 2.00+).
 */
public final class KernelImage {
    private KernelImage() {}

    /** The release of {@code image} ({@code 6.1.0-56-amd64}), from its header, else from a {@code vmlinuz-RELEASE} name. */
    public static Optional<String> release(Path image) {
        Optional<String> h = headerRelease(image);
        if (h.isPresent()) {
            return h;
        }
        String name = image.getFileName() == null ? "" : image.getFileName().toString();
        for (String prefix : new String[] {"vmlinuz-", "vmlinux-", "bzImage-", "kernel-"}) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                return Optional.of(name.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    /** The release from the bzImage setup header; empty when the file is none (or unreadable). */
    static Optional<String> headerRelease(Path image) {
        byte[] head = new byte[0x10000];
        int n;
        try (InputStream in = Files.newInputStream(image)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return parseHeader(head, n);
    }

    /** The version string of a bzImage's first {@code n} bytes (package-private for tests). */
    static Optional<String> parseHeader(byte[] head, int n) {
        if (n < 0x210 || head[0x202] != 'H' || head[0x203] != 'd' || head[0x204] != 'r' || head[0x205] != 'S') {
            return Optional.empty();
        }
        int offset = (head[0x20e] & 0xff) | (head[0x20f] & 0xff) << 8;
        int at = 0x200 + offset;
        if (offset == 0 || at >= n) {
            return Optional.empty();
        }
        int end = at;
        while (end < n && head[end] != 0 && head[end] != ' ') {
            end++;
        }
        String release = new String(head, at, end - at, StandardCharsets.US_ASCII);
        return release.matches("[0-9][0-9A-Za-z._+~-]*") ? Optional.of(release) : Optional.empty();
    }
}
