package dev.rear.provider.tsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dsmc parsers on the captured outputs of vendor-clis.md §1.5 (fixtures/dsmc, each with a .meta note). */
class DsmcOutputTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = DsmcOutputTest.class.getResourceAsStream("/fixtures/dsmc/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void filespacesOfThe81LayoutAfterTheBanner() throws IOException {
        List<DsmcOutput.Filespace> fs = DsmcOutput.parseFilespaces(fixture("banner.txt") + fixture("query-filespace-8.1.txt"));
        assertThat(fs).containsExactly(new DsmcOutput.Filespace(1, LocalDateTime.of(2024, 9, 13, 4, 16, 26), "EXT4", "/"));
    }

    @Test
    void filespacesOfTheOlderLayoutWithDayFirstDates() throws IOException {
        List<DsmcOutput.Filespace> fs = DsmcOutput.parseFilespaces(fixture("query-filespace-old.txt"));
        assertThat(fs).extracting(DsmcOutput.Filespace::number, DsmcOutput.Filespace::lastIncremental, DsmcOutput.Filespace::type,
                DsmcOutput.Filespace::name).containsExactly(
                tuple(1, LocalDateTime.of(2013, 5, 2, 2, 13, 13), "EXT4", "/"),
                tuple(2, LocalDateTime.of(2014, 7, 25, 12, 26, 9), "EXT3", "/home"));
    }

    @Test
    void filespaceNamesKeepTheirBlanksAndANeverBackedUpOneHasNoDate() throws IOException {
        // the 8.1 layout with two more rows: a name with blanks, and one without a last incremental
        String text = fixture("query-filespace-8.1.txt")
                + "  2     2024-09-13 04:20:01     XFS     /srv/data with blanks\n"
                + "  3                             EXT4    /new\n";
        assertThat(DsmcOutput.parseFilespaces(text)).extracting(DsmcOutput.Filespace::name, DsmcOutput.Filespace::lastIncremental)
                .containsExactly(tuple("/", LocalDateTime.of(2024, 9, 13, 4, 16, 26)),
                        tuple("/srv/data with blanks", LocalDateTime.of(2024, 9, 13, 4, 20, 1)), tuple("/new", null));
    }

    @Test
    void noFilespaceTableIsNoFilespace() throws IOException {
        assertThat(DsmcOutput.parseFilespaces(fixture("banner.txt") + "ANS1083E No files have previously been backed up.\n")).isEmpty();
    }

    @Test
    void backupVersionsWithSeparatorsActiveAndInactive() throws IOException {
        assertThat(DsmcOutput.parseVersions(fixture("query-backup.txt"))).containsExactly(
                new DsmcOutput.Version(512, LocalDateTime.of(2011, 9, 12, 19, 57, 9), "STANDARD", true, "/home/ians/projects/hfs0106"),
                new DsmcOutput.Version(1024, LocalDateTime.of(2011, 12, 8, 2, 46, 53), "STANDARD", true, "/home/ians/projects/hsm41perf"),
                new DsmcOutput.Version(8448, LocalDateTime.of(2011, 12, 3, 1, 31, 18), "STANDARD", false,
                        "/home/ians/projects/hsm41perf/tables"));
    }

    @Test
    void backupVersionsOfTheNewerLayoutWithAUnit() {
        // "a newer layout prints 512  B  24-04-2012 02:52:09 STANDARD A /path" (vendor-clis §1.5)
        assertThat(DsmcOutput.parseVersions("512  B  24-04-2012 02:52:09 STANDARD A /path with blank\n"))
                .containsExactly(new DsmcOutput.Version(512, LocalDateTime.of(2012, 4, 24, 2, 52, 9), "STANDARD", true, "/path with blank"));
    }

    @Test
    void restoreSummaryCountsAndBytes() throws IOException {
        DsmcOutput.Summary s = DsmcOutput.parseSummary(fixture("restore.txt"));
        assertThat(s.objects()).isEqualTo(6491);
        assertThat(s.failed()).isZero();
        assertThat(s.bytes()).isEqualTo(Math.round(2.37 * 1024 * 1024 * 1024));
        assertThat(s.lines()).containsEntry("Elapsed processing time", "00:00:31");
    }

    @Test
    void ansMessagesWithTheirSeverityAndReturnCode() throws IOException {
        List<DsmcOutput.Message> m = DsmcOutput.messages(fixture("restore.txt") + fixture("restore-ans4000e.txt"));
        assertThat(m).extracting(DsmcOutput.Message::id, DsmcOutput.Message::severity, DsmcOutput.Message::returnCode).containsExactly(
                tuple("ANS1247I", 'I', 0), tuple("ANS4000E", 'E', 12));
        assertThat(m.get(1).text()).isEqualTo("Error processing '<path>': file space does not exist.");
    }

    @Test
    void sessionFactsFromTheBlockAndTheBanner() throws IOException {
        Map<String, String> s = DsmcOutput.parseSession(fixture("query-session.txt"));
        assertThat(s).containsEntry("Server Name", "HALLEY_SERVER1").containsEntry("Node Name", "HALLEY")
                .containsEntry("Archive Retain Protect", "No").containsEntry("User Name", "");
        assertThat(DsmcOutput.parseSession(fixture("banner.txt"))).containsEntry("Server Name", "DCO1-BACKUP-SERVER-2")
                .containsEntry("Node Name", "YOURNODENAME");
    }

    @Test
    void dsmSysStanzaAsSitesWriteIt() throws IOException {
        List<DsmSys.Stanza> stanzas = DsmSys.parseStanzas(fixture("dsm.sys"));
        assertThat(stanzas).hasSize(1);
        DsmSys.Stanza s = DsmSys.selected(stanzas, DsmSys.parseOptions("SErvername tsmsrv1\n"));
        assertThat(s).isNotNull();
        assertThat(s.option("tcpserveraddress")).isEqualTo("tsm-server");
        assertThat(s.option("passwordaccess")).isEqualTo("generate");
        assertThat(s.option("errorlogname")).isEqualTo("/var/log/dsmerror.log");
        assertThat(DsmSys.selected(stanzas, DsmSys.parseOptions("* no server named\n"))).isEqualTo(s);
        assertThat(DsmSys.selected(stanzas, DsmSys.parseOptions("se other\n"))).isNull();
    }

    @Test
    void dsmSysAbbreviationsCommentsQuotesAndSeveralStanzas() {
        String text = String.join("\n", "* comment line", "SE first", "  TCPS 10.0.0.1", "  PASSWORDDIR \"/etc/adsm/first\"",
                "  INCLEXCL /etc/adsm/a.excl", "  inclexcl /etc/adsm/b.excl", "SErvername second", "  TCPServeraddress tsm2", "");
        List<DsmSys.Stanza> stanzas = DsmSys.parseStanzas(text);
        assertThat(stanzas).extracting(DsmSys.Stanza::name).containsExactly("first", "second");
        assertThat(stanzas.get(0).option("tcpserveraddress")).isEqualTo("10.0.0.1");
        assertThat(stanzas.get(0).option("passworddir")).isEqualTo("/etc/adsm/first");
        assertThat(stanzas.get(0).inclexclFiles()).containsExactly("/etc/adsm/a.excl", "/etc/adsm/b.excl");
        assertThat(DsmSys.selected(stanzas, DsmSys.parseOptions("SErvername SECOND\n")).option("tcpserveraddress")).isEqualTo("tsm2");
    }
}
