package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer and reader together: every attribute of every entry of the corpus survives, on the build machine's filesystem. */
class TarRoundTripTest {

    @TempDir
    Path tmp;

    @Test
    void everyAttributeOfEveryEntrySurvives() throws IOException {
        boolean root = Posix.isRoot();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Corpus.build(src, root, 256L << 20, root);
        Map<String, String> expected = TreeComparator.describe(src);
        Map<String, Long> dirTimes = TreeComparator.directoryTimes(src);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> warnings = new ArrayList<>();
        List<TarWriter.Written> written = new ArrayList<>();
        try (TarWriter w = new TarWriter(out, new TarWriter.Listener() {
            @Override
            public void written(TarWriter.Written entry) {
                written.add(entry);
            }

            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        })) {
            w.addTree(src, "", p -> false, () -> { });
        }
        assertThat(warnings).isEmpty();
        assertThat(out.size()).as("a 256 MiB sparse file is stored as its data").isLessThan(16 << 20);
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        List<String> restoreWarnings = new ArrayList<>();
        Extractor x = new Extractor(dst, root, restoreWarnings::add);
        try (TarReader r = new TarReader(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarReader.Entry e; (e = r.next()) != null; ) {
                x.extract(e, r);
            }
        }
        x.finish();
        assertThat(restoreWarnings).isEmpty();
        assertThat(TreeComparator.differences(expected, TreeComparator.describe(dst))).isEmpty();
        assertThat(TreeComparator.directoryTimes(dst)).isEqualTo(dirTimes);
    }

    @Test
    void aNameThatIsNotUtf8IsKeptByteForByteWithHdrcharsetBinary() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        // Latin-1 "café" (caf\xe9), a directory "r\xe9p" holding a file, and a symlink whose target is not UTF-8 either
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf x > \"$(printf 'caf\\351')\" && mkdir \"$(printf 'r\\351p')\""
                + " && printf z > \"$(printf 'r\\351p/f\\377')\" && ln -s \"$(printf 'caf\\351')\" link && printf y > good", "sh")
                .directory(src.toFile()).start();
        assertThat(p.waitFor()).isZero();
        List<String> warnings = new ArrayList<>();
        List<String> names = new ArrayList<>();
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(archive, new TarWriter.Listener() {
            @Override
            public void written(TarWriter.Written entry) {
                names.add(Manifest.escape(entry.name()));
            }

            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        })) {
            w.addTree(src, "", x -> false, () -> { });
        }
        assertThat(warnings).isEmpty();
        assertThat(names).containsExactlyInAnyOrder("/", "/caf%E9", "/good", "/link", "/r%E9p", "/r%E9p/f%FF");
        byte[] tar = archive.toByteArray();
        assertThat(TarBackupProviderTest.indexOf(tar, "hdrcharset=BINARY\n".getBytes())).isPositive();
        assertThat(TarBackupProviderTest.indexOf(tar, new byte[] {'p', 'a', 't', 'h', '=', 'c', 'a', 'f', (byte) 0xe9, '\n'})).isPositive();

        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Extractor x = new Extractor(dst, false, warnings::add);
        try (TarReader r = new TarReader(new java.io.ByteArrayInputStream(tar))) {
            for (TarReader.Entry e; (e = r.next()) != null; ) {
                x.extract(e, r);
            }
        }
        x.finish();
        Process ls = new ProcessBuilder("/bin/sh", "-c", "cd \"$1\" && find . | LC_ALL=C sort | od -An -c | tr -s ' ' && readlink link | od -An -c",
                "sh", dst.toString()).redirectErrorStream(true).start();
        String listing = new String(ls.getInputStream().readAllBytes()).replaceAll("\\s+", " ").trim();
        assertThat(ls.waitFor()).isZero();
        assertThat(listing).contains("c a f 351").contains("r 351 p / f 377").endsWith("c a f 351 \\n");
        assertThat(Files.readString(Names.resolve(dst, Names.decode(new byte[] {'c', 'a', 'f', (byte) 0xe9})))).isEqualTo("x");
    }

    /**
     * A long name's ustar placeholder is its first 99 characters; cut right after a '/', it ended in
     * '/', which Commons Compress takes for a directory: the backup failed with "Request to write
     * ... exceeds size in header of '0' bytes" (the drill's S3 mkbackup, on rear's own work directory).
     */
    @Test
    void aLongFileNameWhosePlaceholderIsCutAtASlashStaysAFile() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dir = Files.createDirectories(src.resolve("d".repeat(98)));
        Files.writeString(dir.resolve("file.so"), "x".repeat(300_000));
        Files.createDirectories(src.resolve("e".repeat(97) + "/sub"));
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>();
        try (TarWriter w = new TarWriter(archive, new TarWriter.Listener() {
            @Override
            public void written(TarWriter.Written entry) {
                names.add(entry.name());
            }

            @Override
            public void warning(String message) {
                throw new AssertionError(message);
            }
        })) {
            w.addTree(src, "", x -> false, () -> { });
        }
        assertThat(names).contains("/" + "d".repeat(98) + "/file.so", "/" + "e".repeat(97) + "/sub");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Extractor x = new Extractor(dst, false, m -> { });
        try (TarReader r = new TarReader(new java.io.ByteArrayInputStream(archive.toByteArray()))) {
            for (TarReader.Entry e; (e = r.next()) != null; ) {
                x.extract(e, r);
            }
        }
        x.finish();
        assertThat(dst.resolve("d".repeat(98)).resolve("file.so")).hasContent("x".repeat(300_000));
        assertThat(dst.resolve("e".repeat(97)).resolve("sub")).isDirectory();
        Path gnu = Files.createDirectories(tmp.resolve("gnu"));
        Path tarFile = Files.write(tmp.resolve("a.tar"), archive.toByteArray());
        Process p = new ProcessBuilder("tar", "-xf", tarFile.toString(), "-C", gnu.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(gnu.resolve("d".repeat(98)).resolve("file.so")).hasSize(300_000);
    }

    @Test
    void paxRecordsCountTheirOwnLength() {
        assertThat(new String(TarWriter.record("path", "x".repeat(3).getBytes()))).isEqualTo("12 path=xxx\n");
        for (int n = 0; n < 2000; n++) {
            byte[] r = TarWriter.record("a", "b".repeat(n).getBytes());
            String s = new String(r);
            assertThat(Integer.parseInt(s.substring(0, s.indexOf(' ')))).as("record with %d bytes of value", n).isEqualTo(r.length);
        }
    }

    @Test
    void gnuTarAclTextBecomesTheKernelsBinaryForm() {
        byte[] b = Acls.fromText("user::rw-,user:bob:r--:1000,group::r--,mask::r--,other::---");
        assertThat(b).hasSize(4 + 5 * 8);
        assertThat(java.util.HexFormat.of().formatHex(b)).isEqualTo(
                "02000000" + "01000600ffffffff" + "02000400e8030000" + "04000400ffffffff" + "10000400ffffffff" + "20000000ffffffff");
    }

    @Test
    void aclTextAndBinaryFormsRoundTrip() {
        String text = "user::rw-,user:1234:r--,group::r-x,group:2345:rwx,mask::rwx,other::---";
        assertThat(Acls.toText(Acls.fromText(text))).isEqualTo(text);
        assertThat(Acls.fromText("u::rw-,u:root:r--,g::r--,m::r--,o::---")).isEqualTo(Acls.fromText("user::rw-,user:0:r--,group::r--,mask::r--,other::---"));
    }

    @Test
    void globsFollowGnuTarAsReaRUsesThem() {
        var p = Glob.any(List.of("/tmp/*", "/var/lib/*.log", "/data/"));
        assertThat(p.test("/tmp/x")).isTrue();
        assertThat(p.test("/tmp")).isFalse();
        assertThat(p.test("/var/lib/a.log")).isTrue();
        assertThat(p.test("/var/lib/sub/a.log")).isFalse();
        assertThat(p.test("/data")).isTrue();
    }
}
