package dev.rear.provider.galaxy;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.testkit.RecordingCommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Commvault CommServe with its qcommands for tests: the bash script {@code simulator/galaxy-sim}
 * installed as {@code Base/qlogin}, {@code qlist}, {@code qoperation} and {@code qlogout} (so
 * {@code GALAXY11_HOME_DIRECTORY} points at it as at a real install), and the data files it reads
 * under {@code commserve/} (see the script's header): users, backup sets, backup jobs with the
 * files each holds, how long a session lasts, and how the next restore jobs go.
 */
final class GalaxySimulator {
    static final String CLIENT = "testhost";
    static final String USER = "rear-restore";
    static final String PASSWORD = "s3cret-Pa55word";
    static final String SET = "defaultBackupSet";

    final Path root;
    final Path base;
    final Path commserve;

    private GalaxySimulator(Path root) {
        this.root = root;
        this.base = root.resolve("Base");
        this.commserve = root.resolve("commserve");
    }

    /** The simulator installed under {@code root} before. */
    static GalaxySimulator at(Path root) {
        return new GalaxySimulator(root);
    }

    /** Installs the simulator under {@code root} (created), with one user and client {@link #CLIENT}'s backup set {@link #SET}, no jobs. */
    static GalaxySimulator install(Path root) throws IOException {
        GalaxySimulator sim = new GalaxySimulator(root);
        Files.createDirectories(sim.base);
        Path script = sim.base.resolve("galaxy-sim");
        try (InputStream in = GalaxySimulator.class.getResourceAsStream("/simulator/galaxy-sim")) {
            if (in == null) {
                throw new IllegalStateException("the simulator script is not on the test class path");
            }
            Files.write(script, in.readAllBytes());
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String q : List.of("qlogin", "qlogout", "qlist", "qoperation")) {
            Files.createSymbolicLink(sim.base.resolve(q), script.getFileName());
        }
        Files.createDirectories(sim.commserve.resolve("storage"));
        Files.createDirectories(sim.commserve.resolve("jobs"));
        Path registry = Files.createDirectories(root.resolve("CommVaultRegistry/Galaxy/Instance001/CommServe"));
        Files.writeString(registry.resolve(".properties"), "sCSGUID 8F3C\nCSHOSTNAME commserv.example.test\n");
        Files.createDirectories(sim.base.resolve("certificates"));
        Files.writeString(sim.base.resolve("certificates/client.crt"), "-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n");
        sim.user(USER, PASSWORD).backupSet(CLIENT, SET);
        return sim;
    }

    GalaxySimulator user(String user, String password) throws IOException {
        append(commserve.resolve("users"), user + ":" + password + "\n");
        return this;
    }

    GalaxySimulator backupSet(String client, String set) throws IOException {
        Files.createDirectories(commserve.resolve("clients").resolve(client));
        append(commserve.resolve("clients").resolve(client).resolve("backupsets"), set + "\n");
        return this;
    }

    /**
     * A completed backup job of {@link #CLIENT}'s {@link #SET}; times as qlist prints them.
     *
     * @return the directory holding the job's files, to fill
     */
    Path backupJob(String id, String start, String end) throws IOException {
        return backupJob(id, "Completed", start, end);
    }

    Path backupJob(String id, String status, String start, String end) throws IOException {
        append(commserve.resolve("clients").resolve(CLIENT).resolve(SET + ".jobs"),
                String.join("|", id, status, "SP_FS_30d_Primary", "default", "<default>", start, end) + "\n");
        return Files.createDirectories(commserve.resolve("storage").resolve(id));
    }

    /** Each new session lasts this many qcommands, then says "User not logged in". */
    GalaxySimulator sessionUses(int uses) throws IOException {
        Files.writeString(commserve.resolve("session-uses"), uses + "\n");
        return this;
    }

    /** How the next restore job goes: states separated by ';', each "Status" or "Status|codes|message~message"; the last one stays. */
    GalaxySimulator nextRestore(String states) throws IOException {
        append(commserve.resolve("restore-states"), states + "\n");
        return this;
    }

    /** The argument file restore job {@code id} was submitted with. */
    String request(String jobId) throws IOException {
        return Files.readString(commserve.resolve("jobs").resolve(jobId).resolve("request"));
    }

    boolean killed(String jobId) {
        return Files.exists(commserve.resolve("jobs").resolve(jobId).resolve("killed"));
    }

    /** Every qcommand call the CommServe saw, password masked, in order. */
    List<String> calls() throws IOException {
        Path log = commserve.resolve("commands.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The login session files in the install directory (qsessions.&lt;uid&gt;). */
    List<Path> sessions() throws IOException {
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(p -> p.getFileName().toString().startsWith("qsessions")).toList();
        }
    }

    /** Settings for this CommServe: every GALAXY11_* directory inside the simulator, user and password, client and backup set. */
    ProviderSettings.Builder settings() {
        return ProviderSettings.builder()
                .set(GalaxySettings.HOME_DIRECTORY, base.toString())
                .set(GalaxySettings.CORE_DIRECTORY, root.toString())
                .set(GalaxySettings.LOG_DIRECTORY, root.resolve("Log_Files").toString())
                .set(GalaxySettings.TEMP_DIRECTORY, base.resolve("Temp").toString())
                .set(GalaxySettings.JOBS_RESULTS_DIRECTORY, root.resolve("iDataAgent/jobResults").toString())
                .set(GalaxySettings.CONFIG_DIRECTORY, root.resolve("CommVaultRegistry").toString())
                .set(GalaxySettings.CLIENT, CLIENT)
                .set(GalaxySettings.USER, USER)
                .secret(GalaxySettings.PASSWORD, PASSWORD);
    }

    /** A runner that runs the simulator's programs for real (and nothing else), recording every command line redacted. */
    RecordingCommandRunner runner() {
        RecordingCommandRunner r = RecordingCommandRunner.strict();
        for (String q : List.of("qlogin", "qlogout", "qlist", "qoperation")) {
            r.when(base.resolve(q).toString()).thenRespond(GalaxySimulator::exec);
        }
        return r;
    }

    private static RecordingCommandRunner.Answer exec(CommandSpec spec) {
        ProcessBuilder pb = new ProcessBuilder(spec.argv());
        pb.environment().putAll(spec.extraEnv());
        pb.environment().put("LC_ALL", "C");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the simulator hung: " + spec.display());
            }
            return new RecordingCommandRunner.Answer(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
