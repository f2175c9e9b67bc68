package dev.rear.provider.bacula;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.spi.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Bacula 9.6 on 127.0.0.1 for tests: a director (SQLite catalog), a storage daemon writing
 * file volumes and a file daemon, each in the foreground with all configuration and state in one
 * directory, on the test ports 19101–19103 (never Bacula's 9101–9103). Made from the verified recipe
 * in the project's reference ({@code bacula-loopback-demo.sh}).
 *
 * <p>The director knows one client {@code test-fd}, one storage {@code File1} (auto-labelled volumes
 * {@code Vol-0001}, ...), one restore job {@code RestoreFiles}; FileSets and backup jobs are added
 * per test with {@link #define} (written below {@code conf.d/} and loaded with {@code reload}). Start
 * it once per test class; {@link #close} stops the three daemons (TERM, then KILL) and they remove
 * their pid files.
 */
final class BaculaLoopback implements AutoCloseable {

    static final int DIR_PORT = 19101;
    static final int FD_PORT = 19102;
    static final int SD_PORT = 19103;
    static final String CLIENT = "test-fd";
    static final String DIRECTOR = "test-dir";
    private static final Path SCHEMA = Path.of("/usr/share/dbconfig-common/data/bacula-director-sqlite3/install/sqlite3");
    private static final List<String> PROGRAMS = List.of("/usr/sbin/bacula-dir", "/usr/sbin/bacula-sd", "/usr/sbin/bacula-fd",
            "/usr/sbin/bconsole", "/usr/sbin/bextract", "/usr/bin/sqlite3");

    private final Path root;
    private final List<Process> daemons = new ArrayList<>();
    private Duration startup = Duration.ZERO;

    private BaculaLoopback(Path root) {
        this.root = root;
    }

    /** Skips the calling test (JUnit assumption) with the reason when Bacula cannot run here. */
    static void assumeAvailable() {
        for (String p : PROGRAMS) {
            assumeTrue(Files.isExecutable(Path.of(p)), p + " is not installed (Debian: bacula-director bacula-director-sqlite3 bacula-sd"
                    + " bacula-fd bacula-console sqlite3)");
        }
        assumeTrue(Files.isReadable(SCHEMA), SCHEMA + " is missing (package bacula-director-sqlite3)");
        assumeTrue("root".equals(System.getProperty("user.name")), "the Bacula file daemon must run as root to restore owners");
    }

    /** Configures and starts the three daemons in {@code root} (an empty directory), waiting until the director answers. */
    static BaculaLoopback start(Path root) throws IOException, InterruptedException {
        assumeAvailable();
        BaculaLoopback b = new BaculaLoopback(root);
        try {
            b.configure();
            b.launch();
        } catch (IOException | InterruptedException | RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    Path root() {
        return root;
    }

    Path confDir() {
        return root.resolve("conf");
    }

    Path bconsoleConf() {
        return confDir().resolve("bconsole.conf");
    }

    Path volumes() {
        return root.resolve("volumes");
    }

    /** How long starting took until the director answered. */
    Duration startup() {
        return startup;
    }

    /** Settings for the provider against this Bacula: BACULA_CONF_DIR, BACULA_CLIENT, fast polling. */
    ProviderSettings.Builder settings() {
        return ProviderSettings.builder().set("BACULA_CONF_DIR", confDir().toString()).set("BACULA_CLIENT", CLIENT)
                .set("BACULA_PROGRESS_WAIT_SECONDS", "1").set("BACULA_JOB_TIMEOUT", "300");
    }

    private void configure() throws IOException, InterruptedException {
        for (String d : List.of("conf/conf.d", "dir", "sd", "fd", "run", "log", "volumes")) {
            Files.createDirectories(root.resolve(d));
        }
        String t = root.toString();
        write("conf/bacula-dir.conf", """
                Director {
                  Name = test-dir
                  DIRport = %2$d
                  DirAddress = 127.0.0.1
                  QueryFile = "/etc/bacula/scripts/query.sql"
                  WorkingDirectory = "%1$s/dir"
                  PidDirectory = "%1$s/run"
                  Maximum Concurrent Jobs = 1
                  Password = "dir-secret"
                  Messages = Daemon
                }
                Catalog {
                  Name = MyCatalog
                  dbname = "bacula"; dbuser = ""; dbpassword = ""
                }
                Client {
                  Name = test-fd
                  Address = 127.0.0.1
                  FDPort = %3$d
                  Catalog = MyCatalog
                  Password = "fd-secret"
                  AutoPrune = no
                }
                Storage {
                  Name = File1
                  Address = 127.0.0.1
                  SDPort = %4$d
                  Password = "sd-secret"
                  Device = FileStorage
                  Media Type = File
                }
                Pool {
                  Name = Default
                  Pool Type = Backup
                  Label Format = "Vol-"
                  Recycle = yes
                  AutoPrune = yes
                  Volume Retention = 365 days
                  Maximum Volume Bytes = 1G
                }
                Job {
                  Name = RestoreFiles
                  Type = Restore
                  Client = test-fd
                  Storage = File1
                  Pool = Default
                  Messages = Standard
                  Where = %1$s/restore
                  FileSet = Placeholder
                }
                FileSet {
                  Name = Placeholder
                  Include {
                    File = %1$s/nothing
                  }
                }
                Messages {
                  Name = Standard
                  console = all, !skipped, !saved
                  append = "%1$s/log/bacula.log" = all, !skipped
                  catalog = all
                }
                Messages {
                  Name = Daemon
                  console = all, !skipped, !saved
                  append = "%1$s/log/bacula.log" = all, !skipped
                }
                @|"sh -c 'cat %1$s/conf/conf.d/*.conf 2>/dev/null; true'"
                """.formatted(t, DIR_PORT, FD_PORT, SD_PORT));
        write("conf/bacula-sd.conf", """
                Storage {
                  Name = test-sd
                  SDPort = %2$d
                  SDAddress = 127.0.0.1
                  WorkingDirectory = "%1$s/sd"
                  Pid Directory = "%1$s/run"
                  Maximum Concurrent Jobs = 10
                }
                Director {
                  Name = test-dir
                  Password = "sd-secret"
                }
                Device {
                  Name = FileStorage
                  Media Type = File
                  Archive Device = %1$s/volumes
                  LabelMedia = yes
                  Random Access = yes
                  AutomaticMount = yes
                  RemovableMedia = no
                  AlwaysOpen = no
                }
                Messages {
                  Name = Standard
                  director = test-dir = all
                }
                """.formatted(t, SD_PORT));
        write("conf/bacula-fd.conf", """
                Director {
                  Name = test-dir
                  Password = "fd-secret"
                }
                FileDaemon {
                  Name = test-fd
                  FDport = %2$d
                  FDAddress = 127.0.0.1
                  WorkingDirectory = %1$s/fd
                  Pid Directory = %1$s/run
                  Maximum Concurrent Jobs = 20
                }
                Messages {
                  Name = Standard
                  director = test-dir = all, !skipped, !restored
                }
                """.formatted(t, FD_PORT));
        write("conf/bconsole.conf", """
                Director {
                  Name = test-dir
                  DIRport = %d
                  address = 127.0.0.1
                  Password = "dir-secret"
                }
                """.formatted(DIR_PORT));
        run(List.of("sh", "-c", "sqlite3 '" + root.resolve("dir/bacula.db") + "' < '" + SCHEMA + "'"));
        for (String d : List.of("dir", "sd", "fd")) {
            run(List.of("/usr/sbin/bacula-" + d, "-t", "-c", confDir().resolve("bacula-" + d + ".conf").toString()));
        }
    }

    private void launch() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        for (String d : List.of("sd", "fd", "dir")) {
            ProcessBuilder pb = new ProcessBuilder("/usr/sbin/bacula-" + d, "-f", "-c", confDir().resolve("bacula-" + d + ".conf").toString());
            pb.redirectErrorStream(true).redirectOutput(root.resolve("log/" + d + ".out").toFile());
            daemons.add(pb.start());
        }
        // bconsole waits 5 s before retrying a refused connection: first wait (bounded) for the port itself
        for (int i = 0; i < 200 && !listening(DIR_PORT); i++) {
            Thread.sleep(50);
        }
        for (int i = 0; i < 100; i++) {
            if (console("version").contains(" Version: ")) {
                startup = Duration.ofNanos(System.nanoTime() - t0);
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the Bacula director on 127.0.0.1:" + DIR_PORT + " did not answer within 10 s; see " + root.resolve("log"));
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Adds a FileSet including {@code files} and a Full backup job of {@code test-fd} with it, and
     * reloads the director.
     */
    void define(String fileset, String job, List<Path> files) throws IOException, InterruptedException {
        defineRaw(fileset, job, files.stream().map(Path::toString).toList());
    }

    /**
     * Like {@link #define}, the FileSet's files read at backup time by the file daemon from
     * {@code listFile} (Bacula's {@code File = "\\<file"}), one path a line.
     */
    void defineFromList(String fileset, String job, Path listFile) throws IOException, InterruptedException {
        defineRaw(fileset, job, List.of("\\\\<" + listFile));
    }

    private void defineRaw(String fileset, String job, List<String> entries) throws IOException, InterruptedException {
        StringBuilder include = new StringBuilder();
        for (String f : entries) {
            include.append("    File = \"").append(f).append("\"\n");
        }
        write("conf/conf.d/" + job + ".conf", """
                FileSet {
                  Name = "%1$s"
                  Include {
                    Options {
                      signature = MD5
                    }
                %3$s  }
                }
                Job {
                  Name = "%2$s"
                  Type = Backup
                  Level = Full
                  Client = test-fd
                  FileSet = "%1$s"
                  Storage = File1
                  Pool = Default
                  Messages = Standard
                  Write Bootstrap = "%4$s/dir/%%c-%2$s.bsr"
                }
                """.formatted(fileset, job, include, root));
        String answer = console("reload", ".filesets");
        if (!answer.contains(fileset)) {
            throw new IllegalStateException("the director did not load FileSet " + fileset + ": " + answer);
        }
    }

    /** Runs bconsole commands directly (for the test's own checks), returning the whole output. */
    String console(String... commands) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/usr/sbin/bconsole", "-n", "-c", bconsoleConf().toString()).redirectErrorStream(true);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write((String.join("\n", commands) + "\nquit\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("bconsole did not finish within 60 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private void write(String relative, String text) throws IOException {
        Files.writeString(root.resolve(relative), text, StandardCharsets.UTF_8);
    }

    private void run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** Stops the daemons: TERM, up to 10 s, then KILL. */
    @Override
    public void close() {
        for (Process p : daemons) {
            p.destroy();
        }
        for (Process p : daemons) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        daemons.clear();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
