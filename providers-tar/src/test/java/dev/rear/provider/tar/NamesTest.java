package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names are bytes: every byte sequence survives decode/encode, the manifest's escaping, and a trip through the filesystem. */
class NamesTest {

    @TempDir
    Path tmp;

    @Test
    void everyByteSequenceSurvivesDecodeAndEncode() {
        Random r = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            String name = Names.decode(b);
            assertThat(Names.encode(name)).as("round %d", i).isEqualTo(b);
            assertThat(Manifest.unescape(Manifest.escape(name))).isEqualTo(name);
            assertThat(Manifest.escape(name)).doesNotContain("\n", "\t", "\r");
        }
    }

    @Test
    void utf8StaysTextAndOtherBytesAreEscaped() {
        assertThat(Names.decode("ünïcödé ☃".getBytes(StandardCharsets.UTF_8))).isEqualTo("ünïcödé ☃");
        String latin1 = Names.decode(new byte[] {'c', 'a', 'f', (byte) 0xe9});
        assertThat(Names.isText(latin1)).isFalse();
        assertThat(Manifest.escape(latin1)).isEqualTo("caf%E9");
        assertThat(Manifest.escape("100%\tdone")).isEqualTo("100%25%09done");
        assertThat(Manifest.unescape("caf%E9")).isEqualTo(latin1);
        // a manifest written before bytes were escaped reads the same
        assertThat(Manifest.unescape("a%25b%09c%0Ad")).isEqualTo("a%b\tc\nd");
        // a character beyond U+FFFF whose low surrogate lies in the escape range is text, not bytes
        String emoji = new String(Character.toChars(0x1F0A0)); // U+1F0A0 is D83C DCA0 in UTF-16
        assertThat(emoji.charAt(1)).isBetween('\uDC80', '\uDCFF');
        assertThat(Names.isText(emoji)).isTrue();
        assertThat(Names.decode(emoji.getBytes(StandardCharsets.UTF_8))).isEqualTo(emoji);
        assertThat(Names.encode(emoji)).isEqualTo(emoji.getBytes(StandardCharsets.UTF_8));
        assertThat(Manifest.unescape(Manifest.escape("x" + emoji))).isEqualTo("x" + emoji);
        // an encoded surrogate (CESU, not UTF-8) stays bytes, not a character
        assertThat(Names.isText(Names.decode(new byte[] {(byte) 0xed, (byte) 0xb3, (byte) 0xa9}))).isFalse();
    }

    @Test
    void pathsWithAnyBytesAreCreatedAndNamedExactly() throws IOException {
        List<byte[]> names = List.of(new byte[] {'c', 'a', 'f', (byte) 0xe9}, new byte[] {(byte) 0xff, (byte) 0xfe, ' ', '%', '2', '0'},
                "ünï".getBytes(StandardCharsets.UTF_8), new byte[] {'a', '?', '#', (byte) 0x80});
        List<byte[]> seen = new ArrayList<>();
        for (byte[] n : names) {
            Path p = Names.resolve(tmp, Names.decode(n));
            Files.writeString(p, "x");
            assertThat(Names.bytes(p)).endsWith(n);
            assertThat(Names.path(Names.of(p))).isEqualTo(p);
        }
        try (var ds = Files.newDirectoryStream(tmp)) {
            ds.forEach(p -> seen.add(Names.encode(Names.fileName(p))));
        }
        assertThat(seen).usingElementComparator(java.util.Arrays::compare).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void aRecordedDeletionNeverReachesOutsideTheTargetRoot() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "keep me");
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createDirectories(root.resolve("dir/sub"));
        Files.writeString(root.resolve("dir/sub/f"), "f");
        Extractor x = new Extractor(root, false, w -> { });
        x.delete("/link/victim");
        assertThat(outside.resolve("victim")).hasContent("keep me");
        assertThatThrownBy(() -> x.delete("/../outside/victim")).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED));
        assertThatThrownBy(() -> x.delete("/")).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED));
        x.delete("/link"); // the link goes, not what it points to
        assertThat(root.resolve("link")).doesNotExist();
        assertThat(outside.resolve("victim")).hasContent("keep me");
        x.delete("/dir");
        assertThat(root.resolve("dir")).doesNotExist();
        x.delete("/never/was"); // nothing there: nothing to do
    }
}
