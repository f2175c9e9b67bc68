package dev.rear.provider.tar;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** Builds a tree with every case rear must keep; parts that need root or a given filesystem are switched. */
final class Corpus {

    private Corpus() {}

    static final Instant NANOS = Instant.parse("2023-05-06T07:08:09.123456789Z");

    static void build(Path root, boolean asRoot, long sparseApparentBytes, boolean trusted) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Path hosts = root.resolve("etc/hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n");
        Posix.setXattr(hosts.toString(), "user.comment", "plain text".getBytes(StandardCharsets.UTF_8));
        Posix.setXattr(hosts.toString(), "user.binary", new byte[] {0, (byte) 0xff, (byte) 0x80, 10, 0x3d, 0x20});
        if (trusted) {
            Posix.setXattr(hosts.toString(), "trusted.rear", "trusted value".getBytes(StandardCharsets.UTF_8));
        }
        Files.setLastModifiedTime(hosts, FileTime.from(NANOS));
        Path acl = root.resolve("etc/acl-file");
        Files.writeString(acl, "acl\n");
        Posix.setXattr(acl.toString(), "system.posix_acl_access", Acls.fromText("user::rw-,user:1234:r--,group::r--,mask::r--,other::---"));
        Path aclDir = Files.createDirectories(root.resolve("srv/acl-dir"));
        Posix.setXattr(aclDir.toString(), "system.posix_acl_default", Acls.fromText("user::rwx,group::r-x,group:2345:rwx,mask::rwx,other::---"));
        Files.createDirectories(root.resolve("var/empty/deeper-empty"));
        Path suid = root.resolve("usr/bin/suid-tool");
        Files.createDirectories(suid.getParent());
        Files.writeString(suid, "#!/bin/sh\n");
        Posix.chmod(suid.toString(), 04755);
        Path sgid = root.resolve("usr/bin/sgid-tool");
        Files.writeString(sgid, "#!/bin/sh\n");
        Posix.chmod(sgid.toString(), 02711);
        Path sticky = Files.createDirectories(root.resolve("tmp-like"));
        Posix.chmod(sticky.toString(), 01777);
        Path ping = root.resolve("usr/bin/ping-like");
        Files.writeString(ping, "capability\n");
        if (asRoot) {
            // cap_net_raw+ep, VFS_CAP_REVISION_2 as setcap writes it
            byte[] cap = new byte[] {0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00};
            Posix.setXattr(ping.toString(), "security.capability", cap);
            Posix.lchown(root.resolve("etc/acl-file").toString(), 1234, 2345);
            Posix.mknod(root.resolve("dev-null-like").toString(), Posix.S_IFCHR, 0666, 1, 3);
            Posix.mknod(root.resolve("dev-loop-like").toString(), Posix.S_IFBLK, 0660, 7, 300);
            Posix.mknod(root.resolve("dev-big-minor").toString(), Posix.S_IFCHR, 0600, 259, 70000);
        }
        Posix.mkfifo(root.resolve("fifo").toString(), 0640);
        Path data = root.resolve("data");
        Files.createDirectories(data);
        Files.write(data.resolve("first"), "hard linked\n".getBytes(StandardCharsets.UTF_8));
        Files.createLink(data.resolve("second"), data.resolve("first"));
        Files.createLink(root.resolve("etc/third-link"), data.resolve("first"));
        Files.createSymbolicLink(data.resolve("symlink"), Path.of("first"));
        Files.createSymbolicLink(data.resolve("dangling"), Path.of("/nowhere/at/all"));
        String longName = "d".repeat(120);
        Path deep = Files.createDirectories(data.resolve(longName).resolve("e".repeat(200)));
        Files.writeString(deep.resolve("f".repeat(250)), "long name\n");
        Files.createSymbolicLink(data.resolve("long-link"), Path.of(longName + "/" + "e".repeat(200) + "/" + "f".repeat(250)));
        Files.writeString(data.resolve("ünïcödé ☃ name.txt"), "unicode\n");
        Path sparse = data.resolve("sparse.img");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(sparseApparentBytes);
            f.seek(0);
            f.write("start".getBytes(StandardCharsets.UTF_8));
            f.seek(sparseApparentBytes / 2);
            f.write(new byte[128 * 1024]); // explicit zeros: data, not a hole
            f.write("middle".getBytes(StandardCharsets.UTF_8));
            f.seek(sparseApparentBytes - 4096 * 3);
            f.write("near the end".getBytes(StandardCharsets.UTF_8));
        }
        Path trailingHole = data.resolve("trailing-hole.img");
        try (RandomAccessFile f = new RandomAccessFile(trailingHole.toFile(), "rw")) {
            f.write("head".getBytes(StandardCharsets.UTF_8));
            f.setLength(10L << 20);
        }
        byte[] random = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(random);
        Files.write(data.resolve("random.bin"), random);
        Files.setLastModifiedTime(data.resolve("random.bin"), FileTime.from(Instant.parse("1969-07-20T20:17:40.5Z")));
    }
}
