package dev.rear.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.spi.RescueRequirements.RescueService;
import dev.rear.engine.exec.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider daemons with real processes: one that daemonizes, one that stays in the foreground, one that fails, one never ready. */
class ProviderServicesTest {

    @TempDir
    Path tmp;

    final List<String> notes = new ArrayList<>();

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static void awaitEnd(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    }

    @Test
    void aDaemonizingServiceIsReadyByItsCheckAndStoppedByItsStopCommand() throws Exception {
        Path pid = tmp.resolve("pid");
        Path ready = tmp.resolve("ready");
        RescueService fd = new RescueService("fd", List.of("sh", "-c", "sleep 60 </dev/null >/dev/null 2>&1 & echo $! > " + pid
                + "; (sleep 0.5; touch " + ready + ") &"), List.of("test", "-f", ready.toString()),
                List.of("sh", "-c", "kill $(cat " + pid + ")"), Duration.ofSeconds(10));
        long daemon;
        try (ProviderServices s = ProviderServices.start(List.of(fd), new ProcessCommandRunner(), notes::add)) {
            assertThat(ready).as("polled until ready").exists();
            daemon = Long.parseLong(Files.readString(pid).strip());
            assertThat(alive(daemon)).isTrue();
            assertThat(s.facts().get("service.fd")).matches("started \\(`sh -c .*`\\), ready after \\d+\\.\\d s");
        }
        awaitEnd(daemon);
        assertThat(alive(daemon)).isFalse();
        assertThat(notes).hasSize(2);
        assertThat(notes.get(1)).isEqualTo("service fd stopped (`sh -c kill $(cat " + pid + ")`)");
    }

    @Test
    void aForegroundServiceWithoutCheckIsEndedWhenStopped() {
        RescueService fg = new RescueService("fg", List.of("sleep", "60"), List.of(), List.of(), Duration.ofSeconds(5));
        ProviderServices s = ProviderServices.start(List.of(fg), new ProcessCommandRunner(), notes::add);
        assertThat(s.running()).isEqualTo(1);
        assertThat(notes.get(0)).contains("running as PID");
        long pid = Long.parseLong(notes.get(0).replaceAll(".*running as PID (\\d+).*", "$1"));
        assertThat(alive(pid)).isTrue();
        s.close();
        awaitEnd(pid);
        assertThat(alive(pid)).isFalse();
        assertThat(notes.get(1)).isEqualTo("service fg stopped; its process " + pid + " ended");
    }

    @Test
    void aServiceThatFailsToStartIsNamedWithItsOutput() {
        RescueService bad = new RescueService("bacula-fd", List.of("sh", "-c", "echo 'bind: port 9102 is in use' >&2; exit 3"),
                List.of("true"), List.of(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> ProviderServices.start(List.of(bad), new ProcessCommandRunner(), notes::add))
                .isInstanceOf(ProviderServices.FailedException.class)
                .hasMessage("the backup provider's service bacula-fd could not be started: `sh -c echo 'bind: port 9102 is in use' >&2; exit 3`"
                        + " exited 3:\nbind: port 9102 is in use");
    }

    @Test
    void aServiceNeverReadyTimesOutAndIsEnded() throws Exception {
        Path pid = tmp.resolve("pid");
        RescueService slow = new RescueService("slow", List.of("sh", "-c", "echo $$ > " + pid + "; echo starting; exec sleep 60"),
                List.of("sh", "-c", "echo not listening >&2; exit 1"), List.of(), Duration.ofSeconds(1));
        RescueService first = new RescueService("first", List.of("sleep", "60"), List.of(), List.of(), Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ProviderServices.start(List.of(first, slow), new ProcessCommandRunner(), notes::add))
                .isInstanceOf(ProviderServices.FailedException.class)
                .hasMessage("the backup provider's service slow did not become ready within 1.0 s; the readiness check"
                        + " `sh -c echo not listening >&2; exit 1` last exited 1: not listening; its output:\nstarting");
        assertThat((System.nanoTime() - t0) / 1e9).as("bounded by the timeouts").isLessThan(15);
        long p = Long.parseLong(Files.readString(pid).strip());
        awaitEnd(p);
        assertThat(alive(p)).isFalse();
        assertThat(notes).anyMatch(n -> n.startsWith("service first stopped")).anyMatch(n -> n.startsWith("service slow stopped"));
    }
}
