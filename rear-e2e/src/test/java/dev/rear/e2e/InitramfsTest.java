package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Initramfs}: a newc archive as the kernel unpacks it, and its cache key. */
class InitramfsTest {

    @TempDir
    Path tmp;

    @Test
    void writesNewcEntriesOwnedByRootWithParentsFirstModesAndLinkTargets() throws Exception {
        Path tool = Files.writeString(tmp.resolve("tool"), "#!/bin/sh\necho hi\n");
        tool.toFile().setExecutable(true);
        Initramfs fs = new Initramfs().file("usr/sbin/tool", tool).symlink("sbin/tool", "../usr/sbin/tool")
                .text("/etc/e2e/key", "secret", 0600).dir("proc");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        fs.write(bytes);

        Map<String, CpioArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            CpioArchiveEntry e;
            while ((e = in.getNextCPIOEntry()) != null) {
                assertThat(e.getFormat()).isEqualTo(CpioConstants.FORMAT_NEW);
                entries.put(e.getName(), e);
                contents.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries.keySet()).containsExactly("etc", "etc/e2e", "etc/e2e/key", "proc", "sbin", "sbin/tool", "usr", "usr/sbin",
                "usr/sbin/tool");
        assertThat(entries.values()).allSatisfy(e -> {
            assertThat(e.getUID()).isZero();
            assertThat(e.getGID()).isZero();
        });
        assertThat(entries.get("etc").getMode()).isEqualTo(CpioConstants.C_ISDIR | 0755);
        assertThat(entries.get("etc/e2e/key").getMode()).isEqualTo(CpioConstants.C_ISREG | 0600);
        assertThat(entries.get("usr/sbin/tool").getMode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(contents.get("usr/sbin/tool")).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(entries.get("sbin/tool").getMode()).isEqualTo(CpioConstants.C_ISLNK | 0777);
        assertThat(contents.get("sbin/tool")).isEqualTo("../usr/sbin/tool");
        assertThat(entries.values().stream().map(CpioArchiveEntry::getInode).distinct()).hasSize(entries.size());
    }

    @Test
    void theCacheKeyFollowsContentModesAndHostFilesButNotTheOrderOfAdding() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "one");
        String a = new Initramfs().file("a", f, 0644).text("b", "x", 0644).contentHash();
        assertThat(new Initramfs().text("b", "x", 0644).file("a", f, 0644).contentHash()).isEqualTo(a);
        assertThat(new Initramfs().file("a", f, 0755).text("b", "x", 0644).contentHash()).isNotEqualTo(a);
        assertThat(new Initramfs().file("a", f, 0644).text("b", "y", 0644).contentHash()).isNotEqualTo(a);
        Files.writeString(f, "two");
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
        assertThat(new Initramfs().file("a", f, 0644).text("b", "x", 0644).contentHash()).isNotEqualTo(a);
    }

    @Test
    void writeCachedWritesOnceAndReusesTheFile() throws Exception {
        Initramfs fs = new Initramfs().text("init", "#!/bin/sh\n", 0755);
        Path first = fs.writeCached(tmp.resolve("cache"));
        Files.writeString(first, "marker: not rewritten");
        Files.setLastModifiedTime(first, FileTime.fromMillis(0));
        Path second = fs.writeCached(tmp.resolve("cache"));
        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(second)).isEqualTo("marker: not rewritten");
        assertThat(Files.getLastModifiedTime(second).toMillis()).as("marked as just used").isPositive();
        try (var s = Files.list(tmp.resolve("cache"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(first.getFileName().toString());
        }
    }

    @Test
    void theCacheKeepsOnlyTheMostRecentlyUsedArchives() throws Exception {
        Path cache = tmp.resolve("cache");
        java.util.List<Path> written = new java.util.ArrayList<>();
        for (int i = 0; i < Initramfs.KEEP + 2; i++) {
            Path p = new Initramfs().text("init", "#" + i + "\n", 0755).writeCached(cache);
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000L * (i + 1)));
            written.add(p);
        }
        Initramfs.prune(cache, Initramfs.KEEP);
        try (var s = Files.list(cache)) {
            assertThat(s.toList()).containsExactlyInAnyOrderElementsOf(written.subList(2, written.size()));
        }
    }

    @Test
    void oneNameWithTwoContentsIsRefused() {
        Initramfs fs = new Initramfs().symlink("bin/sh", "busybox");
        assertThatThrownBy(() -> fs.symlink("bin/sh", "dash")).hasMessageContaining("bin/sh is in the initramfs twice");
        assertThatThrownBy(() -> fs.dir("bin/sh")).hasMessageContaining("bin/sh is already in the initramfs, not as a directory");
    }
}
