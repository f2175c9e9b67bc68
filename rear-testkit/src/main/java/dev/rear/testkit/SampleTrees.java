package dev.rear.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;

/**
 * Small trees for round-trip tests, made the same way every time.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public final class SampleTrees {
    private SampleTrees() {}

    /** The modification time every file of {@link #standard} gets. */
    public static final Instant MODIFIED = Instant.parse("2024-02-29T12:34:56Z");

    /**
     * A small system-like tree that any file-level backup must reproduce: nested directories, an
     * empty directory, an empty file, a 256 KiB binary file, a file name with blanks and one with
     * non-ASCII letters, a relative symbolic link, a private directory ({@code rwx------}), an
     * executable and a private file, and a fixed modification time on every regular file. No
     * special files, extended attributes or ACLs (those belong to the tar provider's own fidelity
     * tests).
     *
     * @param root an existing, empty directory
     */
    public static void standard(Path root) throws IOException {
        write(root.resolve("etc/hostname"), "sample\n");
        write(root.resolve("etc/fstab"), "UUID=0a1b2c3d / ext4 defaults 0 1\n");
        write(root.resolve("etc/shadow-like"), "root:*:19000:0:99999:7:::\n");
        Files.setPosixFilePermissions(root.resolve("etc/shadow-like"), PosixFilePermissions.fromString("rw-------"));
        write(root.resolve("home/user/.profile"), "export PATH=$HOME/bin:$PATH\n");
        write(root.resolve("home/user/empty-file"), "");
        write(root.resolve("home/user/bin/script.sh"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(root.resolve("home/user/bin/script.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        write(root.resolve("home/user/name with blanks.txt"), "blanks\n");
        write(root.resolve("home/user/Grüße-ñ.txt"), "unicode\n");
        Files.createDirectories(root.resolve("var/empty-dir"));
        byte[] big = new byte[256 * 1024];
        new Random(42).nextBytes(big);
        Files.createDirectories(root.resolve("var/lib"));
        Files.write(root.resolve("var/lib/data.bin"), big);
        Files.setLastModifiedTime(root.resolve("var/lib/data.bin"), FileTime.from(MODIFIED));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createSymbolicLink(root.resolve("usr/lib/hostname-link"), Path.of("../../etc/hostname"));
        Files.setPosixFilePermissions(root.resolve("home/user"), PosixFilePermissions.fromString("rwx------"));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }
}
