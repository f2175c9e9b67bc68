package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The mirror is read from apt's sources as this machine has them (fixture: its debian.sources). */
class DebianRootTest {

    @Test
    void mirrorOfBookwormFromTheDeb822SourcesOfThisMachine() throws Exception {
        String text;
        try (InputStream in = getClass().getResourceAsStream("fixtures/debian.sources")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(DebianRoot.mirrorFromDeb822(text, "bookworm")).contains("http://deb.debian.org/debian");
        assertThat(DebianRoot.mirrorFromDeb822(text, "bookworm-security")).contains("http://deb.debian.org/debian-security");
        assertThat(DebianRoot.mirrorFromDeb822(text, "trixie")).isEmpty();
    }

    @Test
    void mirrorFromAOneLineSourcesList() {
        String list = "# deb cdrom:[Debian]/ bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian bookworm main\n"
                + "deb http://security.debian.org/debian-security bookworm-security main\n";
        assertThat(DebianRoot.mirrorFromList(list, "bookworm")).contains("http://ftp.de.debian.org/debian");
        assertThat(DebianRoot.mirrorFromList(list, "sid")).isEmpty();
    }

    @Test
    void keyChangesWithThePackagesAndTheScript() {
        String a = DebianRoot.key("http://m/debian", DebianRoot.packages(), "script");
        assertThat(a).hasSize(16).isEqualTo(DebianRoot.key("http://m/debian", DebianRoot.packages(), "script"));
        assertThat(DebianRoot.key("http://m/debian", java.util.List.of("kmod"), "script")).isNotEqualTo(a);
        assertThat(DebianRoot.key("http://m/debian", DebianRoot.packages(), "script2")).isNotEqualTo(a);
        assertThat(DebianRoot.packages()).contains("linux-image-amd64", "grub-pc-bin", "mdadm", "lvm2", "openjdk-17-jdk-headless");
    }
}
