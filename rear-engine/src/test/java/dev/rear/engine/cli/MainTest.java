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
    void onlyQuietWorkflowRunsGetALogFile() {
        assertThat(Main.runLog("-v savelayout".split(" "))).isNull();
        assertThat(Main.runLog("validate x.json".split(" "))).isNull();
        assertThat(Main.runLog("--version".split(" "))).isNull();
    }
}
