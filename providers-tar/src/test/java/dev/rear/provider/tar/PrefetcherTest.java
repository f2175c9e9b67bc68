package dev.rear.provider.tar;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefetcherTest {

    @TempDir
    Path dir;

    @Test
    void theWalkNeverWaitsForItEvenFarBeyondItsWindowAndItStopsOnClose() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[8192]);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Prefetcher p = new Prefetcher()) {
                long last = 0;
                // 20x the window submitted without the walk passing anything: submit must not block
                for (long sum = 0; sum < 20 * Prefetcher.WINDOW; sum += Prefetcher.PER_FILE + 4096) {
                    last = p.submit(f.toString(), Long.MAX_VALUE);
                }
                p.passed(last / 2);
                p.passed(last);
                p.passed(1); // an older ticket after a newer one: ignored
                p.submit(dir.resolve("gone").toString(), 100); // a file that is not there is left to the read
            }
        });
        assertTrue(Files.isRegularFile(f)); // announced reads change nothing
    }

    @Test
    void willNeedOnAFifoReturnsAtOnce() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Posix.willNeed(fifo.toString(), 4096));
    }
}
