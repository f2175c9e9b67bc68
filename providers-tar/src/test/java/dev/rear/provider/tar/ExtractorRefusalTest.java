package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted malicious archives, built here (named after what they attack, {@code -fail}: they must be
 * refused), and damaged ones. In every case nothing is written outside the target root.
 */
class ExtractorRefusalTest {

    @TempDir
    Path tmp;
    Path target;
    Path outside;
    final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void dirs() throws IOException {
        target = Files.createDirectories(tmp.resolve("target"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "outside\n");
    }

    private interface Builder {
        void build(TarArchiveOutputStream t) throws IOException;
    }

    private static byte[] archive(Builder b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            b.build(t);
        }
        return out.toByteArray();
    }

    private static void file(TarArchiveOutputStream t, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(bytes.length);
        t.putArchiveEntry(e);
        t.write(bytes);
        t.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream t, String name, byte type, String to) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(to);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    private void extract(byte[] archive, boolean asRoot) throws IOException {
        Extractor x = new Extractor(target, asRoot, warnings::add);
        try (TarReader r = new TarReader(new ByteArrayInputStream(archive))) {
            for (TarReader.Entry e; (e = r.next()) != null; ) {
                x.extract(e, r);
            }
        }
        x.finish();
    }

    private void assertRefused(byte[] archive, String messagePart) throws IOException {
        assertThatThrownBy(() -> extract(archive, true))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED))
                .hasMessageContaining(messagePart);
        try (var s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("secret");
        }
        assertThat(outside.resolve("secret")).hasContent("outside");
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void dotDotEscapeFail() throws IOException {
        assertRefused(archive(t -> file(t, "etc/../../evil", "x")), "'..'");
    }

    @Test
    void absoluteNameFail() throws IOException {
        assertRefused(archive(t -> file(t, tmp.resolve("evil").toString(), "x")), "absolute name");
    }

    @Test
    void symlinkThenWriteThroughItFail() throws IOException {
        assertRefused(archive(t -> {
            link(t, "escape", TarConstants.LF_SYMLINK, outside.toString());
            file(t, "escape/secret", "overwritten");
        }), "symbolic link escape");
    }

    @Test
    void symlinkDeepInTheTreeThenWriteThroughItFail() throws IOException {
        assertRefused(archive(t -> {
            file(t, "a/b/c", "fine");
            link(t, "a/b/up", TarConstants.LF_SYMLINK, "../../../outside");
            file(t, "a/b/up/new-file", "x");
        }), "symbolic link a/b/up");
    }

    @Test
    void hardlinkToAFileOutsideFail() throws IOException {
        assertRefused(archive(t -> link(t, "innocent", TarConstants.LF_LINK, "../outside/secret")), "'..'");
    }

    @Test
    void hardlinkThroughASymlinkFail() throws IOException {
        assertRefused(archive(t -> {
            link(t, "escape", TarConstants.LF_SYMLINK, outside.toString());
            link(t, "innocent", TarConstants.LF_LINK, "escape/secret");
        }), "symbolic link escape");
    }

    @Test
    void hardlinkToAnAbsolutePathFail() throws IOException {
        assertRefused(archive(t -> link(t, "innocent", TarConstants.LF_LINK, outside.resolve("secret").toString())), "absolute name");
    }

    @Test
    void aSymlinkAlreadyInTheTargetIsNotFollowedEither() throws IOException {
        Files.createSymbolicLink(target.resolve("pre-existing"), outside);
        assertRefused(archive(t -> file(t, "pre-existing/secret", "overwritten")), "symbolic link pre-existing");
    }

    @Test
    void aFileReplacingASymlinkReplacesTheLinkNotItsTarget() throws IOException {
        Files.createSymbolicLink(target.resolve("victim"), outside.resolve("secret"));
        extract(archive(t -> file(t, "victim", "new content")), true);
        assertThat(target.resolve("victim")).isRegularFile().hasContent("new content");
        assertThat(outside.resolve("secret")).hasContent("outside");
    }

    @Test
    void deviceNodesAreSkippedWithAWarningWhenNotRoot() throws IOException {
        extract(archive(t -> {
            TarArchiveEntry e = new TarArchiveEntry("dev/sda", TarConstants.LF_BLK, true);
            e.setDevMajor(8);
            t.putArchiveEntry(e);
            t.closeArchiveEntry();
        }), false);
        assertThat(target.resolve("dev/sda")).doesNotExist();
        assertThat(warnings).singleElement().asString().contains("/dev/sda").contains("only root");
    }

    @Test
    void truncatedInContentFail() throws IOException {
        byte[] whole = archive(t -> {
            file(t, "first", "a".repeat(1000));
            file(t, "second", "b".repeat(5000));
        });
        byte[] cut = java.util.Arrays.copyOf(whole, 512 * 3 + 512 + 1000);
        assertThatThrownBy(() -> extract(cut, true)).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.getCause()).isInstanceOf(EOFException.class)).hasMessageContaining("/second");
    }

    @Test
    void corruptedHeaderFail() throws IOException {
        byte[] bytes = archive(t -> {
            file(t, "first", "a".repeat(10));
            file(t, "second", "b");
        });
        bytes[1024 + 3] ^= 0x01; // the name of the second header
        assertThatThrownBy(() -> extract(bytes, true)).isInstanceOf(IOException.class).hasMessageContaining("checksum")
                .hasMessageContaining("first");
    }

    @Test
    void anArchiveWithoutItsEndBlocksIsReportedAsTruncated() throws IOException {
        byte[] whole = archive(t -> file(t, "only", "x"));
        byte[] cut = java.util.Arrays.copyOf(whole, 1024);
        assertThatThrownBy(() -> extract(cut, true)).isInstanceOf(EOFException.class).hasMessageContaining("only");
    }
}
