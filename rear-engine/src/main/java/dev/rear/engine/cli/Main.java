package dev.rear.engine.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The process entry point: the one place rear ends the JVM. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Libraries log through SLF4J, quietly unless asked: Hibernate Validator's jboss-logging
        // would otherwise pick java.util.logging and print INFO lines on the console.
        System.setProperty("org.jboss.logging.provider", System.getProperty("org.jboss.logging.provider", "slf4j"));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel(args)));
        System.setProperty("org.slf4j.simpleLogger.log.org.hibernate",
                System.getProperty("org.slf4j.simpleLogger.log.org.hibernate", "debug".equals(logLevel(args)) ? "info" : "warn"));
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        Warmup.start(args);
        int code = Rear.run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
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
