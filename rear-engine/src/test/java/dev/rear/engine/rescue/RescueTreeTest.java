package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RescueTree} written as newc cpio and read back with Commons Compress. */
class RescueTreeTest {

    record Read(CpioArchiveEntry entry, byte[] data) {}

    static Map<String, Read> roundTrip(RescueTree t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.writeCpio(out);
        Map<String, Read> m = new LinkedHashMap<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            CpioArchiveEntry e;
            while ((e = in.getNextCPIOEntry()) != null) {
                assertThat(e.getFormat()).isEqualTo(CpioConstants.FORMAT_NEW);
                m.put(e.getName(), new Read(e, in.readAllBytes()));
            }
        }
        return m;
    }

    @Test
    void filesLinksAndDirectoriesComeBackWithTheirModesAllOwnedByRootParentsFirst(@TempDir Path tmp) throws IOException {
        Path host = Files.writeString(tmp.resolve("tool"), "#!/bin/sh\necho hi\n");
        host.toFile().setExecutable(true);
        Path data = Files.writeString(tmp.resolve("data"), "plain");
        RescueTree t = new RescueTree().file("usr/sbin/tool", host).file("/etc/x/data", data).text("etc/secret-free", "a=1\n", 0600)
                .symlink("bin", "usr/bin").symlink("usr/sbin/alias", "/usr/sbin/tool").dir("tmp", 01777).hardlink("usr/sbin/tool2", "usr/sbin/tool");
        Map<String, Read> r = roundTrip(t);
        assertThat(r).hasSize(t.entries());
        assertThat(r.keySet()).containsExactly("bin", "etc", "etc/secret-free", "etc/x", "etc/x/data", "tmp", "usr", "usr/sbin",
                "usr/sbin/alias", "usr/sbin/tool", "usr/sbin/tool2");
        assertThat(r.values()).allMatch(x -> x.entry().getUID() == 0 && x.entry().getGID() == 0);
        assertThat(r.get("usr/sbin/tool").entry().getMode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(new String(r.get("usr/sbin/tool").data(), StandardCharsets.UTF_8)).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(r.get("etc/x/data").entry().getMode()).isEqualTo(CpioConstants.C_ISREG | 0644);
        assertThat(r.get("etc/secret-free").entry().getMode()).isEqualTo(CpioConstants.C_ISREG | 0600);
        assertThat(r.get("etc").entry().getMode()).isEqualTo(CpioConstants.C_ISDIR | 0755);
        assertThat(r.get("tmp").entry().getMode()).isEqualTo(CpioConstants.C_ISDIR | 01777);
        assertThat(r.get("bin").entry().isSymbolicLink()).isTrue();
        assertThat(new String(r.get("bin").data(), StandardCharsets.UTF_8)).isEqualTo("usr/bin");
        assertThat(new String(r.get("usr/sbin/alias").data(), StandardCharsets.UTF_8)).isEqualTo("/usr/sbin/tool");
        // a hard link: same inode, two links, the data once (with the first name, as the kernel's unpacker wants)
        CpioArchiveEntry first = r.get("usr/sbin/tool").entry();
        CpioArchiveEntry second = r.get("usr/sbin/tool2").entry();
        assertThat(second.getInode()).isEqualTo(first.getInode());
        assertThat(first.getNumberOfLinks()).isEqualTo(2);
        assertThat(second.getNumberOfLinks()).isEqualTo(2);
        assertThat(r.get("usr/sbin/tool2").data()).isEmpty();
        assertThat(r.values().stream().map(x -> x.entry().getInode()).distinct().count()).isEqualTo(r.size() - 1);
        assertThat(t.contentBytes()).isEqualTo(18 + 5 + 4 + 7 + 14);
    }

    @Test
    void aPathTwiceWithDifferentContentOrAFileUnderAFileIsRefused(@TempDir Path tmp) throws IOException {
        RescueTree t = new RescueTree().text("etc/a", "1", 0644);
        t.text("etc/a", "1", 0644); // the same again is fine
        assertThatThrownBy(() -> t.text("etc/a", "2", 0644)).hasMessageContaining("/etc/a is in the rescue tree twice");
        assertThatThrownBy(() -> t.text("etc/a/b", "x", 0644)).hasMessageContaining("/etc/a is in the rescue tree, but not as a directory");
        assertThatThrownBy(() -> t.symlink("etc/../x", "y")).hasMessageContaining("not a plain path");
        assertThatThrownBy(() -> t.hardlink("h", "etc/none")).hasMessageContaining("needs a regular file");
    }

    @Test
    void aFileThatChangesWhileItIsArchivedFailsTheWrite(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "12345");
        RescueTree t = new RescueTree().file("f", f);
        Files.writeString(f, "1234567890");
        // the size is read when writing, so a grown file is archived whole: no silent truncation either way
        Map<String, Read> r = roundTrip(t);
        assertThat(new String(r.get("f").data(), StandardCharsets.UTF_8)).isEqualTo("1234567890");
    }
}
