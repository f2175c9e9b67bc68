package dev.rear.engine.cli;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.engine.config.RearConfig;
import dev.rear.engine.provider.ConsoleProgress;
import dev.rear.engine.provider.EngineProviderContext;
import dev.rear.engine.provider.LoggingProviderLog;
import dev.rear.engine.provider.Prompt;
import dev.rear.engine.provider.ProviderConfiguration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the workflows that talk to the backup provider share: the configuration, the provider its
 * {@code BACKUP} selects, its settings (validated before anything is done), progress on the
 * console, Ctrl-C, and contexts for each provider call.
 */
final class ProviderRun implements AutoCloseable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    final RearConfig config;
    final BackupProvider provider;
    final ProviderSettings settings;
    final ConsoleProgress progress;
    final PrintWriter out;
    final PrintWriter err;
    private final Interrupts interrupts;
    private final boolean unattended;

    private ProviderRun(Rear root, CommandSpec spec, String workflow, boolean json, boolean unattended) {
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
        this.config = root.config(workflow);
        this.provider = ProviderConfiguration.select(config, root.services().providers());
        this.settings = ProviderConfiguration.settings(config, provider);
        this.unattended = unattended;
        // Progress is for the administrator: never inside a --json document on standard output.
        // System.console() is there only when standard input and output are a terminal.
        this.progress = ConsoleProgress.of(json ? err : out, !json && System.console() != null);
        this.interrupts = Interrupts.install(err);
    }

    /** Selects and configures the provider; refuses settings the provider finds errors in (exit 8). */
    static ProviderRun open(Rear root, CommandSpec spec, String workflow, boolean json, boolean unattended) {
        ProviderRun run = new ProviderRun(root, spec, workflow, json, unattended);
        try {
            if (BACKUP_WRITERS.contains(workflow)) {
                run.embeddedDefaultDirectory(root.simulating());
            }
            run.validate();
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /** The workflows that write a backup. */
    static final java.util.Set<String> BACKUP_WRITERS = java.util.Set.of("mkbackup", "mkbackuponly");

    /** The embedded default's backup directory when it is missing: made by a run, only said by a simulation. */
    private @org.jspecify.annotations.Nullable Path embeddedDirToMake;

    /**
     * With no BACKUP_URL configured, the backup goes to the embedded default's directory: a run that
     * writes a backup makes it (0700, as the backup holds every file of the machine); a simulation
     * leaves it to the run and does not count its absence against the settings.
     */
    private void embeddedDefaultDirectory(boolean simulating) {
        if (config.isSetByFile("BACKUP_URL") || !config.backupUrl().equals(RearConfig.EMBEDDED_BACKUP_URL)) {
            return;
        }
        Path dir = Path.of(java.net.URI.create(RearConfig.EMBEDDED_BACKUP_URL).getPath());
        if (Files.isDirectory(dir)) {
            return;
        }
        if (simulating) {
            embeddedDirToMake = dir;
            return;
        }
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            err.println("rear: made " + dir + " for the backup (the embedded default's BACKUP_URL)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir + " for the backup (the embedded default's BACKUP_URL): " + e.getMessage(), e);
        }
    }

    /** In a simulation, the embedded default's backup directory a run would make, else null. */
    @org.jspecify.annotations.Nullable Path embeddedDirToMake() {
        return embeddedDirToMake;
    }

    private void validate() {
        List<Diagnostic> found = provider.validate(settings);
        if (embeddedDirToMake != null) {
            // the run makes it; the provider cannot know
            found = found.stream().filter(d -> !"BACKUP_URL".equals(d.setting())).toList();
        }
        for (Diagnostic d : found) {
            if (d.severity() == Diagnostic.Severity.WARNING) {
                err.println("rear: warning: " + (d.setting() == null ? "" : d.setting() + ": ") + d.message());
            }
        }
        if (found.stream().anyMatch(Diagnostic::isError)) {
            throw new Rear.ExitException(ExitCode.CONFIG_INVALID, "BACKUP=" + config.backup().name() + ": the settings of backup provider '"
                    + provider.id() + "' cannot be used: " + ProviderConfiguration.errors(found)
                    + (config.files().isEmpty() ? " (no configuration file was read)" : " (read " + config.files() + ")"));
        }
    }

    /** A fresh context around {@code commands} (journaled ones during a run). */
    EngineProviderContext context(CommandRunner commands) {
        return EngineProviderContext.builder(settings, commands)
                .progress(progress)
                .log(new LoggingProviderLog(provider.id(), line -> {
                    err.println("rear: " + provider.id() + ": " + line);
                    err.flush();
                }))
                .cancelled(interrupts.flag()::get)
                .prompt(Prompt.console(unattended))
                .build();
    }

    /**
     * Starts the daemons the provider needs while it verifies and restores (its
     * {@link dev.rear.api.spi.RescueRequirements#services()}); close the result to stop them.
     */
    dev.rear.engine.workflow.ProviderServices startServices() {
        java.util.List<dev.rear.api.spi.RescueRequirements.RescueService> services;
        try (EngineProviderContext ctx = context(new dev.rear.engine.exec.ProcessCommandRunner())) {
            services = provider.rescueRequirements(ctx).services();
        }
        if (services.isEmpty()) {
            return dev.rear.engine.workflow.ProviderServices.none();
        }
        return dev.rear.engine.workflow.ProviderServices.start(services, new dev.rear.engine.exec.ProcessCommandRunner(), line -> {
            err.println("rear: " + provider.id() + ": " + line);
            err.flush();
        });
    }

    boolean interrupted() {
        return interrupts.flag().get();
    }

    /** {@code DIR/WORKFLOW-yyyyMMddTHHmmssZ.jsonl}, its directory made. */
    static Path newJournal(Path dir, String workflow) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal directory " + dir + ": " + e.getMessage(), e);
        }
        return dir.resolve(workflow + "-" + STAMP.format(Instant.now()) + ".jsonl");
    }

    /** Makes the directory of an explicitly given journal. */
    static Path journalFile(Path file) {
        Path abs = file.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal's directory " + abs.getParent() + ": " + e.getMessage(), e);
        }
        return abs;
    }

    @Override
    public void close() {
        progress.finish();
        interrupts.close();
    }
}
