package dev.rear.engine.testing;

import dev.rear.engine.cli.Rear;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One run of the {@code rear} command line in this JVM: exit code, standard output and error.
 *
 * @param code the exit code
 * @param out  what it printed on standard output
 * @param err  what it printed on standard error
 */
public record RearRun(int code, String out, String err) {

    /**
     * Runs {@code rear -c <dir>/no-config ARGS}: with an empty configuration directory under
     * {@code dir}, so the test does not depend on this machine's {@code /etc/rear}.
     */
    public static RearRun withoutConfig(Path dir, String... args) {
        Path noConfig = dir.resolve("no-config");
        try {
            Files.createDirectories(noConfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return withConfig(noConfig, args);
    }

    /** Runs {@code rear -c CONFDIR ARGS} in this JVM: the test's configuration, never this machine's {@code /etc/rear}. */
    public static RearRun withConfig(Path confDir, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = confDir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), all);
        return new RearRun(code, out.toString(), err.toString());
    }
}
