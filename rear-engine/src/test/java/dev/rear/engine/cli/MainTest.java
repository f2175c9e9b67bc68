package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'validate x.json',        warn",
        "'-v validate x.json',     info",
        "'-d validate x.json',     debug",
        "'-v -d validate x.json',  debug",
        "'-dv validate x.json',    debug",
        "'-D validate x.json',     trace",
        "'validate -v x.json',     warn",
        "'--version',              warn",
    })
    void globalOptionsBeforeTheCommandSetTheLogLevel(String line, String level) {
        assertThat(Main.logLevel(line.split(" "))).isEqualTo(level);
    }

    @org.junit.jupiter.api.Test
    void workflowsGetALogFileCommandsDoNot() {
        assertThat(Main.logFileName("-v savelayout".split(" "), "web1")).isEqualTo("rear-web1.log");
        assertThat(Main.logFileName("-c /etc/rear -D mkbackup".split(" "), "web1")).isEqualTo("rear-web1.log");
        assertThat(Main.logFileName("checklayout".split(" "), "web1")).as("read-only: a log of its own").isEqualTo("rear-web1-checklayout.log");
        assertThat(Main.logFileName("validate x.json".split(" "), "web1")).isNull();
        assertThat(Main.logFileName("--version".split(" "), "web1")).isNull();
    }

    @org.junit.jupiter.api.Test
    void optionValuesAreNoCommand() {
        assertThat(Main.command("-c /etc/rear -C extra -v mountonly --read-only".split(" "))).isEqualTo("mountonly");
        assertThat(Main.logLevel("-c /etc/rear -D mkbackup".split(" "))).isEqualTo("trace");
    }

    @org.junit.jupiter.api.Test
    void earlierLogsAreKeptNewestFirst(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = dir.resolve("rear-web1.log");
        for (int run = 1; run <= 6; run++) {
            Main.rotate(log, 4);
            java.nio.file.Files.writeString(log, "run " + run);
        }
        assertThat(log).hasContent("run 6");
        assertThat(java.nio.file.Path.of(log + ".1")).hasContent("run 5");
        assertThat(java.nio.file.Path.of(log + ".4")).hasContent("run 2");
        assertThat(java.nio.file.Path.of(log + ".5")).doesNotExist();
    }
}
