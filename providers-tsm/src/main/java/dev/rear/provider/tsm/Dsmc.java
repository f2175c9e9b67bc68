package dev.rear.provider.tsm;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One provider operation's way of running {@code dsmc}: through the context's journaling runner,
 * argv only, with {@code DSM_DIR}/{@code DSM_CONFIG} set, every return code accepted so the output
 * can be read (vendor-clis §1.4), the node password (when there is one) as a secret argv element,
 * and the timeouts of the settings cut to the context's deadline.
 */
final class Dsmc {

    /** Messages that mean the session was refused for want of a valid password. */
    static final Set<String> PASSWORD_MESSAGES = Set.of("ANS1025E", "ANS1503E", "ANS2050E", "ANS1051I");
    /** The node's password has expired on the server: only an administrator can set a new one. */
    static final String EXPIRED = "ANS1352E";
    /** The server cannot be reached. */
    static final Set<String> UNREACHABLE_MESSAGES = Set.of("ANS1017E", "ANS1029E");

    /** What one dsmc call did. */
    record Run(CommandSpec spec, CommandResult result, List<DsmcOutput.Message> messages) {
        int rc() {
            return result.exitCode();
        }

        String output() {
            return result.stdout() + (result.stderr().isBlank() ? "" : "\n" + result.stderr());
        }

        boolean has(Set<String> ids) {
            return messages.stream().anyMatch(m -> ids.contains(m.id()));
        }

        /** The warning and error messages, one per line, for a verdict. */
        String problems() {
            List<String> lines = messages.stream().filter(m -> m.severity() != 'I' || PASSWORD_MESSAGES.contains(m.id()))
                    .map(DsmcOutput.Message::toString).distinct().toList();
            return lines.isEmpty() ? "no ANS message" : String.join("; ", lines.size() > 5 ? lines.subList(0, 5) : lines)
                    + (lines.size() > 5 ? "; ... (" + (lines.size() - 5) + " more)" : "");
        }
    }

    private final TsmSettings settings;
    private final ProviderContext context;
    private final String server;
    private @Nullable String password;

    private Map<String, String> environment;

    private Dsmc(TsmSettings settings, ProviderContext context, String server, @Nullable String password) {
        this.settings = settings;
        this.context = context;
        this.server = server;
        this.environment = settings.environment();
        if (password != null) {
            usePassword(password);
        }
    }

    /**
     * Passes the node password to every later dsmc call as {@code -password=} (a secret argv
     * element). dsmc ignores that option under {@code passwordaccess generate} (IBM: "The password
     * option is ignored when the passwordaccess option is set to generate"), so then dsmc runs with
     * {@code DSM_DIR} pointing to a directory in the operation's temporary directory that links
     * everything of the client directory but holds a copy of {@code dsm.sys} whose
     * {@code passwordaccess} lines say {@code prompt}. Nothing on the rescue system is changed.
     */
    private void usePassword(String pw) {
        this.password = pw;
        try {
            String sys = Files.readString(settings.dsmSys(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            boolean generate = false;
            for (String line : sys.split("\n", -1)) {
                String[] kv = line.strip().split("\\s+", 2);
                if (!line.strip().startsWith("*") && kv.length == 2 && DsmSys.canonical(kv[0]).equals("passwordaccess")
                        && kv[1].strip().replace("\"", "").equalsIgnoreCase("generate")) {
                    generate = true;
                    lines.add(line.substring(0, line.indexOf(kv[0])) + kv[0] + " prompt");
                } else {
                    lines.add(line);
                }
            }
            if (!generate) {
                return;
            }
            java.nio.file.Path dir = Files.createDirectories(context.tempDirectory().resolve("dsm-dir"));
            try (var entries = Files.list(settings.clientDir())) {
                for (java.nio.file.Path e : entries.toList()) {
                    if (!e.getFileName().toString().equals("dsm.sys")) {
                        Files.createSymbolicLink(dir.resolve(e.getFileName().toString()), e);
                    }
                }
            }
            Files.writeString(dir.resolve("dsm.sys"), String.join("\n", lines), StandardCharsets.UTF_8);
            environment = Map.of("DSM_DIR", dir.toString(), "DSM_CONFIG", settings.dsmOpt().toString());
            context.log().info("passwordaccess generate in " + settings.dsmSys() + " ignores a password given to dsmc: using a copy with"
                    + " passwordaccess prompt in " + dir + " for this operation");
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "cannot prepare dsmc's options for the node password in " + context.tempDirectory()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The server as dsm.sys names it, for messages: {@code TSMSRV1 (tsm-server:1500)}. */
    String server() {
        return server;
    }

    /**
     * Opens the operation's session: {@code dsmc query session}. When the server refuses for want
     * of a password (no password file in the rescue system), asks the node password through the
     * context — or uses {@code TSM_NODE_PASSWORD} — and tries once more.
     *
     * @return the runner, with the session's facts
     * @throws ProviderException AUTHENTICATION (expired or refused password, nobody to ask),
     *     UNREACHABLE (no connection to the server), FAILED (anything else)
     */
    static Dsmc open(TsmSettings settings, ProviderContext context) {
        Dsmc d = new Dsmc(settings, context, describeServer(settings), settings.nodePassword());
        Run r = d.query("query session", List.of("query", "session"));
        if (r.rc() != 0 && r.has(PASSWORD_MESSAGES) && !r.has(Set.of(EXPIRED)) && d.password == null) {
            Optional<String> answer = context.ask("TSM node password for server " + d.server
                    + " (the rescue system carries no password file)", true);
            if (answer.isEmpty() || answer.get().isEmpty()) {
                throw new ProviderException(Kind.AUTHENTICATION, "TSM server " + d.server + " refused the session (" + r.problems()
                        + ") and nobody can be asked for the node password: run 'rear recover' at the console, set TSM_NODE_PASSWORD,"
                        + " or build the rescue system with TSM_RESCUE_PASSWORD_FILES=yes");
            }
            d.usePassword(answer.get());
            r = d.query("query session", List.of("query", "session"));
            if (r.rc() != 0 && r.has(PASSWORD_MESSAGES) && !r.has(Set.of(EXPIRED))) {
                throw new ProviderException(Kind.AUTHENTICATION, "TSM server " + d.server + " refused the node password that was typed ("
                        + r.problems() + "); nothing was restored");
            }
        }
        d.requireSession(r, "query session");
        Map<String, String> facts = DsmcOutput.parseSession(r.result().stdout());
        context.log().info("TSM session with server " + facts.getOrDefault("Server Name", d.server) + " as node "
                + facts.getOrDefault("Node Name", "?"));
        return d;
    }

    /** Throws the right kind of exception when a call shows the session failed; returns when it did not. */
    void requireSession(Run r, String what) {
        if (r.has(Set.of(EXPIRED))) {
            throw new ProviderException(Kind.AUTHENTICATION, "the TSM node password has expired on server " + server + " ("
                    + r.problems() + "): an administrator must set a new one on the server (UPDATE NODE), then run 'rear recover' again");
        }
        if (r.rc() != 0 && r.has(PASSWORD_MESSAGES)) {
            throw new ProviderException(Kind.AUTHENTICATION, "TSM server " + server + " refused the session of 'dsmc " + what + "' ("
                    + r.problems() + ")" + (password != null && settings.nodePassword() != null && password.equals(settings.nodePassword())
                    ? ": check TSM_NODE_PASSWORD" : ""));
        }
        if (r.rc() != 0 && r.has(UNREACHABLE_MESSAGES)) {
            throw new ProviderException(Kind.UNREACHABLE, "TSM server " + server + " cannot be reached ('dsmc " + what + "' exited with rc "
                    + r.rc() + ": " + r.problems() + "); check the network of the rescue system and TCPServeraddress in " + settings.dsmSys());
        }
        if (r.rc() == 12 && what.startsWith("query session")) {
            throw new ProviderException(Kind.FAILED, "'dsmc " + what + "' failed with rc 12: " + r.problems());
        }
    }

    /** A query with the query timeout. */
    Run query(String what, List<String> args) {
        return run(what, settings.queryTimeout(), TsmSettings.QUERY_TIMEOUT, args);
    }

    /**
     * Runs {@code dsmc args...}.
     *
     * @param what          for messages, e.g. {@code "restore of /home"}
     * @param timeout       the setting's timeout, cut to the context's deadline
     * @param timeoutSetting the setting that gave it, named when it expires
     */
    Run run(String what, Duration timeout, String timeoutSetting, List<String> args) {
        context.checkCancelled();
        List<String> argv = new ArrayList<>();
        argv.add(settings.dsmc().toString());
        argv.addAll(args);
        // as ReaR does for restores: dsmc's error log in a place that exists (the dsm.sys one may not in the rescue system)
        java.nio.file.Path errorLog = context.tempDirectory().resolve("dsmerror.log");
        argv.add("-errorlogname=" + errorLog);
        long logged = sizeOf(errorLog);
        Set<Integer> secret = Set.of();
        if (password != null) {
            argv.add("-password=" + password);
            secret = Set.of(argv.size() - 1);
        }
        Duration limit = timeout;
        boolean byDeadline = false;
        Instant deadline = context.deadline();
        if (deadline != null) {
            Duration left = Duration.between(context.clock().instant(), deadline);
            if (left.compareTo(limit) < 0) {
                limit = left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
                byDeadline = true;
            }
        }
        CommandSpec spec = new CommandSpec(argv, limit, environment, Set.of(0, 4, 8, 12), secret, null);
        CommandResult result;
        try {
            result = context.commands().run(spec);
        } catch (CommandTimeoutException e) {
            throw new ProviderException(Kind.TIMED_OUT, "dsmc " + what + " did not finish within " + seconds(limit) + " and was killed ("
                    + (byDeadline ? "the operation's deadline" : timeoutSetting + (context.settings().get(timeoutSetting).isPresent() ? "="
                    + context.settings().get(timeoutSetting).get() : " default " + timeout.toSeconds()) + " s") + "): '"
                    + spec.display() + "'", e);
        } catch (ToolNotFoundException e) {
            throw new ProviderException(Kind.MISCONFIGURED, "dsmc is not installed at " + settings.dsmc()
                    + " (TSM_CLIENT_DIR): install the IBM Storage Protect backup-archive client", e);
        } catch (CommandFailedException e) {
            CommandResult r = e.result();
            List<DsmcOutput.Message> m = DsmcOutput.messages(r.stdout() + "\n" + r.stderr());
            throw new ProviderException(Kind.FAILED, "'" + spec.display() + "' failed with exit code " + r.exitCode()
                    + ", which is not a dsmc return code: " + (m.isEmpty() ? r.stderrTail(3).replace('\n', ' ')
                    : m.stream().map(DsmcOutput.Message::toString).collect(Collectors.joining("; "))), e);
        }
        copyErrorLog(errorLog, logged, what);
        List<DsmcOutput.Message> messages = DsmcOutput.messages(result.stdout() + "\n" + result.stderr());
        for (DsmcOutput.Message m : messages) {
            if (m.severity() == 'I') {
                context.log().debug("dsmc " + what + ": " + m);
            } else {
                context.log().warn("dsmc " + what + ": " + m);
            }
        }
        return new Run(spec, result, messages);
    }

    private static long sizeOf(java.nio.file.Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** What dsmc added to its error log during one call, into rear's log (the temporary directory goes away). */
    private void copyErrorLog(java.nio.file.Path errorLog, long from, String what) {
        try {
            if (!Files.exists(errorLog) || Files.size(errorLog) <= from) {
                return;
            }
            byte[] all = Files.readAllBytes(errorLog);
            String added = new String(all, (int) Math.min(from, all.length), all.length - (int) Math.min(from, all.length), StandardCharsets.UTF_8);
            for (String line : added.split("\n")) {
                if (!line.isBlank()) {
                    context.log().debug("dsmc " + what + " error log: " + line.strip());
                }
            }
        } catch (IOException e) {
            context.log().debug("cannot read dsmc's error log " + errorLog + ": " + e.getMessage());
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private static String describeServer(TsmSettings settings) {
        try {
            DsmSys.Stanza s = DsmSys.selected(DsmSys.parseStanzas(Files.readString(settings.dsmSys(), StandardCharsets.UTF_8)),
                    DsmSys.parseOptions(Files.readString(settings.dsmOpt(), StandardCharsets.UTF_8)));
            if (s == null) {
                return "(no stanza in " + settings.dsmSys() + ")";
            }
            String address = s.option("tcpserveraddress");
            String port = s.option("tcpport");
            return s.name() + (address == null ? "" : " (" + address + (port == null ? "" : ":" + port) + ")");
        } catch (IOException e) {
            return "(unknown: " + settings.dsmSys() + " cannot be read)";
        }
    }
}
