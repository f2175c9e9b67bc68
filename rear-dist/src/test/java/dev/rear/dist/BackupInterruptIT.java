package dev.rear.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.event.JournalEvent;
import dev.rear.api.event.RunFinished;
import dev.rear.api.event.StepFailed;
import dev.rear.engine.journal.JournalReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code rear mkbackuponly} in a real rear process: the provider stops between files,
 * rear exits 130, the backup journal ends with the backup step failed ("cancelled"), and no archive
 * (not even a partial one) is left where a later recovery could take it for a good backup.
 */
class BackupInterruptIT {

    @TempDir
    Path tmp;

    @Test
    void ctrlCStopsTheBackupAndLeavesNothingThatLooksLikeOne() throws Exception {
        Path lib = Path.of("target", "rear", "lib").toAbsolutePath();
        assumeTrue(Files.isDirectory(lib), "the distribution " + lib + " is not built (mvn package)");
        // A process started in the background by a non-interactive shell ('cmd &') has SIGINT ignored, and so
        // has every process it starts, rear included: the JVM then leaves it ignored, and no Ctrl-C reaches it
        assumeTrue(!sigintIgnored(), "SIGINT is ignored in this process (started in the background by a non-interactive shell),"
                + " and rear inherits that: a Ctrl-C cannot be tested here");
        Path src = Files.createDirectories(tmp.resolve("src/data"));
        Random r = new Random(7);
        byte[] block = new byte[256 << 10];
        for (int i = 0; i < 64; i++) {
            r.nextBytes(block);
            Files.write(src.resolve(String.format("blob-%03d", i)), block);
        }
        Path store = Files.createDirectories(tmp.resolve("store"));
        Path conf = Files.createDirectories(tmp.resolve("etc-rear"));
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=file://" + store + "\nNETFS_PREFIX=host\n");
        Path journal = tmp.resolve("backup.jsonl");
        Path log = tmp.resolve("rear.log");
        // Interpreted only (-Xint), so the backup takes long enough to be interrupted half-way.
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xint", "-cp", lib + "/*",
                "dev.rear.engine.cli.Main", "-v", "-c", conf.toString(), "mkbackuponly", "--source-root", tmp.resolve("src").toString(),
                "--journal", journal.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path partial = store.resolve("host/backup.tar.zst.partial");
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline && p.isAlive() && !(Files.exists(partial) && Files.size(partial) > (1 << 20))) {
                Thread.sleep(20);
            }
            assertThat(p.isAlive()).as("rear still backing up (log: %s)", Files.readString(log)).isTrue();
            // the shell's own kill: Java cannot send SIGINT, and procps's kill may not be installed
            new ProcessBuilder("/bin/sh", "-c", "kill -INT \"$1\"", "sh", Long.toString(p.pid())).inheritIO().start().waitFor();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("rear stopped").isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isEqualTo(130);
            assertThat(Files.readString(log)).contains("rear: interrupted (SIGINT)", "mkbackuponly: FAILED; no backup was made");
            List<JournalEvent> events = JournalReader.read(journal).events();
            assertThat(events.get(events.size() - 1)).isInstanceOf(RunFinished.class)
                    .extracting(e -> ((RunFinished) e).verdict()).isEqualTo(RunFinished.Verdict.FAILED);
            StepFailed failed = (StepFailed) events.get(events.size() - 2);
            assertThat(failed.message()).contains("backup provider 'tar' backup failed (cancelled)");
            try (Stream<Path> left = Files.walk(store)) {
                assertThat(left.filter(Files::isRegularFile).toList()).as("no archive, manifest or partial file").isEmpty();
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status). */
    static boolean sigintIgnored() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst()
                .map(l -> (Long.parseUnsignedLong(l.substring(7).strip(), 16) & (1L << 1)) != 0).orElse(false);
    }
}
