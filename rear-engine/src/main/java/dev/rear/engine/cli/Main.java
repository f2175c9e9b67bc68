package dev.rear.engine.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The process entry point: the one place rear ends the JVM. */
public final class Main {
    private Main() {}

    /** ReaR's log directory. */
    static final java.nio.file.Path LOG_DIR = java.nio.file.Path.of("/var/log/rear");

    /** The workflows that leave a log of their run, as ReaR's do ({@code /var/log/rear/rear-HOST.log}). */
    static final java.util.Set<String> LOGGED_WORKFLOWS = java.util.Set.of("savelayout", "checklayout", "dump", "audit", "journal",
            "recover", "restoreonly", "mkbackuponly", "verify", "mkrescue", "mkbackup", "mountonly", "layoutonly");

    /** How many earlier logs of the writing workflows are kept ({@code rear-HOST.log.1} the newest). */
    static final int KEPT_LOGS = 4;

    public static void main(String[] args) {
        // Libraries log through SLF4J, quietly unless asked: Hibernate Validator's jboss-logging
        // would otherwise pick java.util.logging and print INFO lines on the console.
        System.setProperty("org.jboss.logging.provider", System.getProperty("org.jboss.logging.provider", "slf4j"));
        java.nio.file.Path runLog = runLog(args);
        if (runLog != null && System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            // A workflow without -v/-d logs everything it runs to its log file, not to the console.
            System.setProperty("org.slf4j.simpleLogger.logFile", runLog.toString());
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", runLog != null
                        ? (logLevel(args).equals("trace") ? "trace" : "debug") : logLevel(args)));
        System.setProperty("org.slf4j.simpleLogger.log.org.hibernate",
                System.getProperty("org.slf4j.simpleLogger.log.org.hibernate", "debug".equals(logLevel(args)) ? "info" : "warn"));
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        // SLF4J is initialised here, before the warm-up thread's libraries log: initialised by two threads
        // at once it replays their calls with a warning on the console.
        org.slf4j.LoggerFactory.getILoggerFactory();
        Warmup.start(args);
        org.slf4j.Logger log = runLog == null ? null : org.slf4j.LoggerFactory.getLogger("rear");
        if (log != null) {
            log.info("rear {} started as: rear {}", Rear.class.getPackage().getImplementationVersion(), String.join(" ", args));
            if (!logLevel(args).equals("warn")) {
                err.println("rear: log: " + runLog);
            }
        }
        int code = Rear.run(out, err, Defaults.live(runLog), args);
        if (log != null) {
            log.info("rear finished with exit code {}", code);
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The log file of this run, when {@link #LOG_DIR} can be written: {@code rear-HOST.log} for a
     * workflow that changes something, as ReaR's, the earlier ones kept as {@code rear-HOST.log.1}
     * (newest) to {@code .4}; {@code rear-HOST-WORKFLOW.log} for a read-only one (a {@code checklayout}
     * from cron must not cut into the log of a running {@code mkbackup}). {@code null} for commands
     * that are no workflow (validate, diff, plan, help, --version).
     */
    static java.nio.file.@org.jspecify.annotations.Nullable Path runLog(String[] args) {
        String name = logFileName(args, dev.rear.engine.config.RearConfig.Host.current().hostname());
        if (name == null) {
            return null;
        }
        try {
            java.nio.file.Files.createDirectories(LOG_DIR);
            if (!java.nio.file.Files.isWritable(LOG_DIR)) {
                return null;
            }
            java.nio.file.Path log = LOG_DIR.resolve(name);
            if (!dev.rear.engine.workflow.RunLock.LOCKLESS.contains(command(args))) {
                rotate(log, KEPT_LOGS);
            }
            return log;
        } catch (java.io.IOException | SecurityException e) {
            return null;
        }
    }

    /** The log's file name for these arguments ({@link #runLog}), or null when the command keeps no log. */
    static @org.jspecify.annotations.Nullable String logFileName(String[] args, String host) {
        String command = command(args);
        if (!LOGGED_WORKFLOWS.contains(command)) {
            return null;
        }
        return dev.rear.engine.workflow.RunLock.LOCKLESS.contains(command) ? "rear-" + host + "-" + command + ".log" : "rear-" + host + ".log";
    }

    /** {@code log} → {@code log.1} → ... → {@code log.KEEP} (the oldest dropped). */
    static void rotate(java.nio.file.Path log, int keep) throws java.io.IOException {
        if (!java.nio.file.Files.exists(log)) {
            return;
        }
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(log + "." + keep));
        for (int i = keep - 1; i >= 1; i--) {
            java.nio.file.Path from = java.nio.file.Path.of(log + "." + i);
            if (java.nio.file.Files.exists(from)) {
                java.nio.file.Files.move(from, java.nio.file.Path.of(log + "." + (i + 1)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        java.nio.file.Files.move(log, java.nio.file.Path.of(log + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The command: the first argument that is neither a global option nor the value of {@code -c} or {@code -C}. */
    static String command(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-c") || a.equals("-C")) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return "";
    }

    /**
     * The console log level the global options ask for, read before picocli parses them because
     * the logging backend fixes its level when the first logger is made: {@code -D} trace,
     * {@code -d} debug, {@code -v} info, else warn. Only options before the command count, as
     * picocli reads them (e.g. {@code rear -v validate ...}, {@code rear -dv ...}).
     */
    static String logLevel(String[] args) {
        String level = "warn";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-c") || a.equals("-C")) {
                i++;
                continue;
            }
            if (!a.startsWith("-") || a.startsWith("--")) {
                break;
            }
            if (a.contains("D")) {
                return "trace";
            }
            if (a.contains("d")) {
                level = "debug";
            } else if (a.contains("v") && level.equals("warn")) {
                level = "info";
            }
        }
        return level;
    }
}
