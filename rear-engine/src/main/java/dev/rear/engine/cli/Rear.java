package dev.rear.engine.cli;

import dev.rear.api.spi.ProviderException;
import dev.rear.engine.descriptor.DescriptorInvalidException;
import dev.rear.engine.provider.ProviderSelectionException;
import dev.rear.engine.workflow.RunLock;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code rear}: the top-level command. Subcommands are ReaR's workflows plus rear's own
 * ({@code validate}, {@code diff}, {@code providers}).
 */
@Command(name = "rear",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Relax-and-Recover for the JVM: bare-metal disaster recovery for GNU/Linux.", ""},
        subcommands = {LayoutCommands.SaveLayout.class, LayoutCommands.CheckLayout.class, LayoutCommands.Audit.class, DumpCommand.class,
            ValidateCommand.class, DiffCommand.class, PlanCommand.class, LayoutOnlyCommand.class, RecoverCommand.class,
            RestoreOnlyCommand.class, MkBackupOnlyCommand.class, MkRescueCommand.class, MkBackupCommand.class, MountOnlyCommand.class,
            VerifyCommand.class, RestorePointsCommand.class, ProvidersCommand.class, JournalCommand.class, FormatCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        footer = {"", "rear help COMMAND shows the options of one command."})
public final class Rear implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "-v", description = "Verbose: say more about what is being done.")
    boolean verbose;

    @Option(names = "-d", description = "Debug: also print stack traces of errors.")
    boolean debug;

    @Option(names = "-D", description = "Debug with a trace (implies -d): the log also gets the error output of every command run"
            + " (each command's argv, exit code and duration are always there).")
    boolean debugTrace;

    @Option(names = {"-s", "--simulate"}, scope = CommandLine.ScopeType.INHERIT, description = "Simulation: list the steps the workflow would run, with the settings in effect;"
            + " touch nothing.")
    boolean simulate;

    @Option(names = "-c", paramLabel = "DIR", description = "The configuration directory (default: /etc/rear): site.conf, then local.conf.")
    java.nio.file.Path configDir = dev.rear.engine.config.RearConfig.DEFAULT_CONFIG_DIR;

    @Option(names = "-C", paramLabel = "FILE", description = "A further configuration file, read last (absolute, or relative to the configuration directory; .conf may be left out).")
    java.util.List<String> extraConfig = new java.util.ArrayList<>();

    private dev.rear.engine.config.@org.jspecify.annotations.Nullable RearConfig config;

    /**
     * The configuration, read once per run; its warnings are printed when it is first read.
     *
     * @throws dev.rear.engine.config.ConfigException with file and line when it cannot be used
     */
    dev.rear.engine.config.RearConfig config(String workflow) {
        if (config == null) {
            config = dev.rear.engine.config.RearConfig.load(configDir, extraConfig, workflow,
                    dev.rear.engine.config.RearConfig.Host.current());
            config.warnings().forEach(w -> spec.commandLine().getErr().println("rear: warning: " + w));
        }
        return config;
    }

    private Services services = Defaults.SERVICES;

    /** The workflow that changes something being run now (for its verdict line on failure), else null. */
    private @org.jspecify.annotations.Nullable String writingWorkflow;

    Services services() {
        return services;
    }

    boolean debugging() {
        return debug || debugTrace;
    }

    /** {@code -s}: list the steps, touch nothing. */
    boolean simulating() {
        return simulate;
    }

    /** {@code -v} (or {@code -d}, {@code -D}): more progress detail on the console. */
    boolean verbose() {
        return verbose || debug || debugTrace;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given; try 'rear help'");
    }

    /** Runs rear with the given arguments; returns the exit code. Never calls {@code System.exit}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, Defaults.SERVICES, args);
    }

    /** {@link #run(PrintWriter, PrintWriter, String...)} with the outside world given (tests). */
    public static int run(PrintWriter out, PrintWriter err, Services services, String... args) {
        Rear root = new Rear();
        root.services = services;
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(Rear::exitCodeOf);
        cl.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("rear: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try 'rear help" + (ex.getCommandLine() == cl ? "" : " " + ex.getCommandLine().getCommandName()) + "'.");
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler((Exception ex, CommandLine cmd, ParseResult parsed) -> {
            int code = exitCodeOf(ex);
            err.println("rear: " + message(ex, code));
            if (root.debugging()) {
                ex.printStackTrace(err);
            } else if (code == ExitCode.INTERNAL_ERROR.code()) {
                err.println("rear: run again with -d to see where it happened, and report it as a bug");
            }
            if (root.writingWorkflow != null) {
                err.println("rear " + root.writingWorkflow + ": FAILED (exit " + code + ": " + meaning(code) + ")");
            }
            return code;
        });
        cl.setExecutionStrategy(parsed -> executeLocked(root, parsed, services, err));
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Runs the parsed command; a workflow that changes something (all but {@link RunLock#LOCKLESS},
     * and not under {@code -s}) holds the run lock of {@link Services#lockDirectory()} meanwhile, and
     * ends, when it fails, with one verdict line on standard error.
     */
    private static int executeLocked(Rear root, ParseResult parsed, Services services, PrintWriter err) {
        ParseResult sub = parsed.subcommand();
        String name = sub == null ? null : sub.commandSpec().name();
        boolean writing = name != null && !RunLock.LOCKLESS.contains(name) && !root.simulate
                && !sub.isUsageHelpRequested() && !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested();
        java.nio.file.Path dir = services.lockDirectory();
        RunLock lock = null;
        if (writing && dir != null) {
            try {
                lock = RunLock.acquire(dir, name);
            } catch (RunLock.HeldException e) {
                err.println("rear: " + e.getMessage());
                err.println("rear " + name + ": not started (exit " + ExitCode.PRECONDITION_FAILED.code() + ")");
                return ExitCode.PRECONDITION_FAILED.code();
            } catch (java.io.IOException | RuntimeException e) {
                err.println("rear: warning: cannot take the run lock in " + dir + " (" + e.getMessage()
                        + "): nothing keeps a second rear from running at the same time");
            }
        }
        root.writingWorkflow = writing ? name : null;
        try {
            return new CommandLine.RunLast().execute(parsed);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    /** The exit code's meaning, for the verdict line. */
    private static String meaning(int code) {
        for (ExitCode c : ExitCode.values()) {
            if (c.code() == code) {
                return c.meaning();
            }
        }
        return "exit code " + code;
    }

    static int exitCodeOf(Throwable t) {
        if (t instanceof ExitException e) {
            return e.code.code();
        }
        if (t instanceof dev.rear.engine.rescue.RescueBuildException || t instanceof RunLock.HeldException) {
            return ExitCode.PRECONDITION_FAILED.code();
        }
        if (t instanceof dev.rear.engine.output.OutputException) {
            return ExitCode.IO_ERROR.code();
        }
        if (t instanceof dev.rear.engine.workflow.ProviderServices.FailedException) {
            return ExitCode.PROVIDER_FAILURE.code();
        }
        if (t instanceof dev.rear.engine.plan.PlanException) {
            return ExitCode.PRECONDITION_FAILED.code();
        }
        if (t instanceof DescriptorInvalidException) {
            return ExitCode.DESCRIPTOR_INVALID.code();
        }
        if (t instanceof dev.rear.engine.config.ConfigException) {
            return ExitCode.CONFIG_INVALID.code();
        }
        if (t instanceof dev.rear.engine.journal.JournalCorruptException) {
            return ExitCode.JOURNAL_INVALID.code();
        }
        if (t instanceof ProviderException p && p.kind() == ProviderException.Kind.CANCELLED) {
            return ExitCode.INTERRUPTED.code();
        }
        if (t instanceof ProviderException || t instanceof ProviderSelectionException) {
            return ExitCode.PROVIDER_FAILURE.code();
        }
        if (t instanceof UncheckedIOException || t instanceof java.io.IOException) {
            return ExitCode.IO_ERROR.code();
        }
        if (t instanceof CommandLine.ParameterException) {
            return ExitCode.USAGE.code();
        }
        return ExitCode.INTERNAL_ERROR.code();
    }

    private static String message(Throwable t, int code) {
        if (t instanceof UncheckedIOException u && u.getMessage() != null) {
            return u.getMessage().replaceFirst("^java\\.io\\.\\w+: ", "");
        }
        if (code == ExitCode.INTERNAL_ERROR.code()) {
            return "internal error: " + t;
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Ends a command with a chosen exit code and a one-sentence message. */
    static final class ExitException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ExitCode code;

        ExitException(ExitCode code, String message) {
            super(message);
            this.code = code;
        }
    }
}
