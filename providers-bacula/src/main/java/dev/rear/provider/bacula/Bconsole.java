package dev.rear.provider.bacula;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks to the director through {@code bconsole -n -c <config>}, commands fed on standard input
 * (never on the command line), each session through the context's journaling runner.
 *
 * <p>bconsole exits 0 whenever it could connect, even when every command failed, and 1 when it
 * could not (configuration error, director unreachable, password refused): the answers are read
 * from its output, the failure to connect from its exit code and the lines it printed.
 */
final class Bconsole {

    private final ProviderContext context;
    private final Path program;
    private final Path config;
    private final Duration timeout;

    Bconsole(ProviderContext context, Path program, Path config, Duration timeout) {
        this.context = context;
        this.program = program;
        this.config = config;
        this.timeout = timeout;
    }

    /** The config file this console uses (for messages). */
    Path config() {
        return config;
    }

    /** One command's answer. */
    String one(String command) {
        return session(List.of(command)).get(0);
    }

    /** One command's answer, allowing it {@code longer} (a restore's directory tree for a big catalog takes a while). */
    String one(String command, Duration longer) {
        return new Bconsole(context, program, config, longer.compareTo(timeout) > 0 ? longer : timeout).one(command);
    }

    /**
     * Runs the commands in one session ({@code quit} is added) and returns each one's answer.
     *
     * @throws ProviderException UNREACHABLE, AUTHENTICATION or MISCONFIGURED when bconsole could not
     *     talk to the director, naming the config file and what bconsole said
     */
    List<String> session(List<String> commands) {
        context.checkCancelled();
        StringBuilder in = new StringBuilder();
        for (String c : commands) {
            if (c.contains("\n")) {
                throw new IllegalArgumentException("a bconsole command is one line: " + c);
            }
            in.append(c).append('\n');
        }
        in.append("quit\n");
        // the journal records bconsole's argv only; what it was asked goes to the log (no secret is ever a command)
        context.log().debug("bconsole -c " + config + ": " + String.join(" ; ", commands));
        CommandSpec spec = new CommandSpec(List.of(program.toString(), "-n", "-c", config.toString()), timeout,
                java.util.Map.of(), java.util.Set.of(0, 1), java.util.Set.of(), in.toString().getBytes(StandardCharsets.UTF_8));
        CommandResult r;
        try {
            r = context.commands().run(spec);
        } catch (CommandFailedException e) {
            r = e.result();
        }
        if (r.exitCode() != 0) {
            throw connectFailure(r);
        }
        return BconsoleOutput.answers(r.stdout(), commands);
    }

    private ProviderException connectFailure(CommandResult r) {
        String all = (r.stdout() + "\n" + r.stderr()).strip();
        List<String> said = new ArrayList<>();
        for (String l : all.split("\n")) {
            String s = l.strip();
            if (!s.isEmpty() && !said.contains(s) && said.size() < 4) {
                said.add(s);
            }
        }
        String what = String.join(" / ", said);
        if (all.contains("authorization problem")) {
            return new ProviderException(Kind.AUTHENTICATION, "the Bacula director refused bconsole (" + config
                    + "): the console password does not match the director's (bconsole said: " + what + ")");
        }
        if (all.contains("Config error") || all.contains("ERROR TERMINATION")) {
            return new ProviderException(Kind.MISCONFIGURED, "bconsole cannot use its configuration " + config + ": " + what);
        }
        return new ProviderException(Kind.UNREACHABLE, "bconsole (" + config + ") could not reach the Bacula director, exit code "
                + r.exitCode() + (what.isEmpty() ? "" : ": " + what));
    }
}
