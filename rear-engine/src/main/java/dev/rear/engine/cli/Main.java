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
            "recover", "restoreonly", "mkbackuponly", "verify");

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
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", runLog != null ? "debug" : logLevel(args)));
        System.setProperty("org.slf4j.simpleLogger.log.org.hibernate",
                System.getProperty("org.slf4j.simpleLogger.log.org.hibernate", "debug".equals(logLevel(args)) ? "info" : "warn"));
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        Warmup.start(args);
        org.slf4j.Logger log = runLog == null ? null : org.slf4j.LoggerFactory.getLogger("rear");
        if (log != null) {
            log.info("rear {} started as: rear {}", Rear.class.getPackage().getImplementationVersion(), String.join(" ", args));
        }
        int code = Rear.run(out, err, args);
        if (log != null) {
            log.info("rear finished with exit code {}", code);
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The log file of this run, for a workflow run without {@code -v}/{@code -d}/{@code -D} (those
     * send the log to the console), when {@link #LOG_DIR} can be written: {@code rear-HOST.log},
     * replaced on every run as ReaR does. {@code null} otherwise.
     */
    static java.nio.file.@org.jspecify.annotations.Nullable Path runLog(String[] args) {
        if (!logLevel(args).equals("warn")) {
            return null;
        }
        String command = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        if (!LOGGED_WORKFLOWS.contains(command)) {
            return null;
        }
        try {
            java.nio.file.Files.createDirectories(LOG_DIR);
            if (!java.nio.file.Files.isWritable(LOG_DIR)) {
                return null;
            }
        } catch (java.io.IOException | SecurityException e) {
            return null;
        }
        String host = dev.rear.engine.config.RearConfig.Host.current().hostname();
        return LOG_DIR.resolve("rear-" + host + ".log");
    }

    /**
     * The console log level the global options ask for, read before picocli parses them because
     * the logging backend fixes its level when the first logger is made: {@code -D} trace,
     * {@code -d} debug, {@code -v} info, else warn. Only options before the command count, as
     * picocli reads them (e.g. {@code rear -v validate ...}, {@code rear -dv ...}).
     */
    static String logLevel(String[] args) {
        String level = "warn";
        for (String a : args) {
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
