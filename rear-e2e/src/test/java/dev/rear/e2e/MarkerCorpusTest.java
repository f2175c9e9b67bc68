package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The marker corpus list ({@code source/markers.conf}) is consistent: every kind the issue names
 * is there, and each SHA-256 in it is that of what the installer makes from the line.
 */
class MarkerCorpusTest {

    record Item(String kind, String path, String expected, String how) {}

    static List<Item> items() {
        return DebianRoot.resource("markers.conf").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> {
            String[] f = l.split("\\s+", 4);
            return new Item(f[0], f[1], f[2], f.length > 3 ? f[3] : "");
        }).toList();
    }

    @Test
    void everyKindOfTheIssueIsInTheCorpus() {
        Set<String> kinds = items().stream().map(Item::kind).collect(Collectors.toSet());
        assertThat(kinds).containsExactlyInAnyOrder("content", "sparse", "acl", "xattr", "cap", "hardlink", "setuid", "symlink", "fifo");
        assertThat(items().stream().map(Item::path).distinct().count()).as("each path once").isEqualTo(items().size());
        assertThat(items()).allSatisfy(i -> assertThat(i.path()).startsWith("/"));
    }

    @Test
    void contentChecksumsAreThoseOfTheirCommands() {
        for (Item i : items().stream().filter(i -> i.kind().equals("content")).toList()) {
            HostProcess r = HostProcess.run(Duration.ofSeconds(30), "sh", "-c", "(" + i.how() + ") | sha256sum").ok();
            assertThat(r.stdout().split(" ")[0]).as("sha256 of `%s` for %s", i.how(), i.path()).isEqualTo(i.expected());
        }
    }

    @Test
    void sparseChecksumIsThatOfHolesWithTheTextAtItsOffset() throws Exception {
        Item sparse = items().stream().filter(i -> i.kind().equals("sparse")).findFirst().orElseThrow();
        String[] f = sparse.how().split(" ", 3);
        long size = Long.parseLong(f[0]);
        long offset = Long.parseLong(f[1]);
        byte[] text = f[2].getBytes(StandardCharsets.US_ASCII);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[1 << 16];
        for (long done = 0; done < size; ) {
            if (done == offset) {
                md.update(text);
                done += text.length;
                continue;
            }
            int n = (int) Math.min(zeros.length, (done < offset ? offset : size) - done);
            md.update(zeros, 0, n);
            done += n;
        }
        assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(sparse.expected());
    }
}
