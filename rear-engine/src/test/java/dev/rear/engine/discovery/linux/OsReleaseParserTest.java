package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.OsReleaseParser.OsRelease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /etc/os-release} of this Debian 12 VM, and the quoting rules of os-release(5). */
class OsReleaseParserTest {

    @TempDir
    Path tmp;

    @Test
    void readsDebianTwelve() {
        OsRelease os = OsReleaseParser.parse(Fixtures.read("os-release/host.txt"));
        assertThat(os.id()).isEqualTo("debian");
        assertThat(os.name()).isEqualTo("Debian GNU/Linux");
        assertThat(os.prettyName()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(os.versionId()).isEqualTo("12");
        assertThat(os.versionCodename()).isEqualTo("bookworm");
        assertThat(os.get("VERSION")).isEqualTo("12 (bookworm)");
        assertThat(os.get("HOME_URL")).isEqualTo("https://www.debian.org/");
        assertThat(os.idLike()).isEmpty();
        assertThat(os.fields()).hasSize(9);
    }

    /** Written to a file and read back, as production reads the real one (STYLE.md 1.1). */
    private OsRelease parseFile(String text) throws IOException {
        Path f = tmp.resolve("os-release");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return OsReleaseParser.parse(Files.readString(f, StandardCharsets.UTF_8));
    }

    @Test
    void quotesAndBackslashesFollowTheShell() throws IOException {
        OsRelease os = parseFile("""
                # a comment, then a blank line

                NAME="openSUSE Tumbleweed"
                ID=opensuse-tumbleweed
                ID_LIKE="opensuse suse"
                PRETTY_NAME='single $quoted \\n text'
                VARIANT="a \\"quoted\\" word, a \\$dollar, a \\`tick\\`, a \\\\ and \\x kept"
                BUILD_ID=plain\\ escaped\\ spaces
                  VERSION_ID=20240131\s\s
                CPE_NAME="cpe:/o:opensuse:tumbleweed:20240131"\s\s\s
                """);
        assertThat(os.name()).isEqualTo("openSUSE Tumbleweed");
        assertThat(os.id()).isEqualTo("opensuse-tumbleweed");
        assertThat(os.idLike()).containsExactly("opensuse", "suse");
        assertThat(os.prettyName()).isEqualTo("single $quoted \\n text");
        assertThat(os.get("VARIANT")).isEqualTo("a \"quoted\" word, a $dollar, a `tick`, a \\ and \\x kept");
        assertThat(os.get("BUILD_ID")).isEqualTo("plain escaped spaces");
        assertThat(os.versionId()).isEqualTo("20240131");
        assertThat(os.get("CPE_NAME")).isEqualTo("cpe:/o:opensuse:tumbleweed:20240131");
    }

    @Test
    void theLastAssignmentWinsAndAbsentKeysHaveTheSpecifiedDefaults() throws IOException {
        OsRelease os = parseFile("VERSION_ID=1\nVERSION_ID=2\n");
        assertThat(os.versionId()).isEqualTo("2");
        assertThat(os.id()).isEqualTo("linux");
        assertThat(os.name()).isEqualTo("Linux");
        assertThat(os.prettyName()).isEqualTo("Linux");
        assertThat(os.versionCodename()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "# only a comment\n\n",
        "NAME=\"unterminated\n",
        "NAME='unterminated\n",
        "NAME=\"a\"'b'\n",
        "NAME=a\"b\"\n",
        "NAME=trailing\\\n",
        "this is not an assignment\n",
        "1NAME=x\n",
        "export NAME=x\n",
        "\u0000\u0001\u0002"
    })
    void malformedContentIsAnErrorNamingTheFile(String garbage) {
        assertThatThrownBy(() -> OsReleaseParser.parse(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("cat /etc/os-release"));
    }

    @Test
    void aTruncatedFileEndingInAnOpenQuoteIsAnError() {
        String real = Fixtures.read("os-release/host.txt");
        String cut = real.substring(0, real.indexOf("Debian GNU/Linux 12"));
        assertThatThrownBy(() -> OsReleaseParser.parse(cut)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("line 1 has a double quote that is not closed");
    }
}
