package dev.rear.engine.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderLog;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.engine.config.RearConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineProviderContextTest {

    @TempDir
    Path tmp;

    static final CommandRunner NO_COMMANDS = spec -> {
        throw new AssertionError("no command expected: " + spec.display());
    };

    /** Every line logged, with its level. */
    static final class Lines implements ProviderLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void debug(String message) {
            lines.add("debug " + message);
        }

        @Override
        public void info(String message) {
            lines.add("info " + message);
        }

        @Override
        public void warn(String message) {
            lines.add("warn " + message);
        }
    }

    @Test
    void theTemporaryDirectoryIsMadeOnFirstUseAndDeletedWithItsContentOnClose() throws Exception {
        Path dir;
        try (EngineProviderContext c = EngineProviderContext.builder(ProviderSettings.empty(), NO_COMMANDS).tempParent(tmp).build()) {
            dir = c.tempDirectory();
            assertThat(dir).isDirectory().isEmptyDirectory().startsWith(tmp);
            assertThat(c.tempDirectory()).isEqualTo(dir);
            Files.createDirectories(dir.resolve("a/b"));
            Files.writeString(dir.resolve("a/b/args"), "x");
            Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc"));
        }
        assertThat(dir).doesNotExist();
        assertThat(Path.of("/etc")).isDirectory();
    }

    @Test
    void commandsGoToTheRunnerGiven() {
        List<String> ran = new ArrayList<>();
        CommandRunner journaled = spec -> {
            ran.add(spec.display());
            return new CommandResult(spec.argv(), 0, "ok", "", Duration.ZERO);
        };
        try (EngineProviderContext c = EngineProviderContext.builder(ProviderSettings.empty(), journaled).build()) {
            assertThat(c.commands().run(CommandSpec.of("dsmc", "query", "backup")).stdout()).isEqualTo("ok");
        }
        assertThat(ran).containsExactly("dsmc query backup");
    }

    @Test
    void ctrlCCancelsAndEndsAPauseAtOnce() {
        AtomicBoolean flag = new AtomicBoolean();
        try (EngineProviderContext c = EngineProviderContext.builder(ProviderSettings.empty(), NO_COMMANDS).cancelled(flag::get).build()) {
            c.checkCancelled();
            new Thread(() -> {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                flag.set(true);
            }).start();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.pause(Duration.ofMinutes(5))).isInstanceOf(ProviderException.class)
                    .extracting(e -> ((ProviderException) e).kind()).isEqualTo(ProviderException.Kind.CANCELLED);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(c.isCancelled()).isTrue();
        }
    }

    @Test
    void aPassedDeadlineTimesOut() {
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (EngineProviderContext c = EngineProviderContext.builder(ProviderSettings.empty(), NO_COMMANDS).clock(clock)
                .deadline(Instant.parse("2029-12-31T23:00:00Z")).build()) {
            assertThatThrownBy(() -> c.pause(Duration.ofMillis(1))).isInstanceOf(ProviderException.class)
                    .extracting(e -> ((ProviderException) e).kind()).isEqualTo(ProviderException.Kind.TIMED_OUT);
        }
    }

    @Test
    void aShortPauseWaits() {
        try (EngineProviderContext c = EngineProviderContext.builder(ProviderSettings.empty(), NO_COMMANDS).build()) {
            long t0 = System.nanoTime();
            c.pause(Duration.ofMillis(120));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
        }
    }

    @Test
    void nobodyToAskGivesNoAnswerAndASecretAnswerIsNeverLogged() {
        Lines log = new Lines();
        ProviderSettings s = ProviderSettings.builder().set("TSM_NODE", "web1").secret("TSM_PASSWORD", "hunter22").build();
        try (EngineProviderContext c = EngineProviderContext.builder(s, NO_COMMANDS).log(log).build()) {
            assertThat(c.ask("TSM node password?", true)).isEmpty();
        }
        try (EngineProviderContext c = EngineProviderContext.builder(s, NO_COMMANDS).log(log)
                .prompt((q, secret) -> Optional.of(secret ? "s3cret-answer" : "plain")).build()) {
            assertThat(c.ask("TSM node password?", true)).contains("s3cret-answer");
            assertThat(c.ask("which node?", false)).contains("plain");
        }
        assertThat(String.join("\n", log.lines)).contains("TSM_PASSWORD=[***]", "TSM_NODE=[web1]", "(a secret answer)", "-> plain")
                .doesNotContain("hunter22", "s3cret-answer");
    }

    @Test
    void settingsComeFromTheConfigurationWithSecretsMarked() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("etc-rear"));
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=file:///srv/backup\n"
                + "BACKUP_PROG_EXCLUDE=( '/tmp/*' '/var/cache/*' )\nBACKUP_PROG_CRYPT_KEY=topsecret\n");
        RearConfig config = RearConfig.load(conf, List.of(), "mkbackuponly", new RearConfig.Host("web1", "6.1.0"));
        ProviderSettings s = ProviderConfiguration.settings(config, new FakeTarProvider());
        assertThat(s.require("BACKUP_URL")).isEqualTo("file:///srv/backup");
        assertThat(s.list("BACKUP_PROG_EXCLUDE")).containsExactly("/tmp/*", "/var/cache/*");
        assertThat(s.isSecret("BACKUP_PROG_CRYPT_KEY")).isTrue();
        assertThat(s.isSecret("FAKE_PASSWORD")).as("named secret by the provider").isTrue();
        assertThat(s.toString()).contains("BACKUP_PROG_CRYPT_KEY=[***]").doesNotContain("topsecret");
    }
}
