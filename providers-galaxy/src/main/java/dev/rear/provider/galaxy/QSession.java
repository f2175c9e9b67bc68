package dev.rear.provider.galaxy;

import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The qcommands of one operation, logged in to the CommServe: runs each through the context's
 * journaling runner, logs in when a command says the user is not logged in (the first time, and
 * once more when the session expires later), and logs out at the end if it logged in.
 *
 * <p>The password goes to {@code qlogin -clp} (what ReaR does; qlogin has no standard-input form
 * documented) as an argv element marked secret, so the journal and every message show {@code ***}.
 */
final class QSession implements AutoCloseable {

    /** The data agent of a Linux file system client. */
    static final String AGENT = "Q_LINUX_FS";

    private final ProviderContext context;
    private final GalaxySettings settings;
    private final String client;
    private final @Nullable String commServe;
    private @Nullable String password;
    private boolean loggedInByUs;
    private int logins;

    QSession(ProviderContext context, GalaxySettings settings) {
        this.context = context;
        this.settings = settings;
        this.client = settings.client() != null ? settings.client() : localHostName();
        this.commServe = commServeHost(settings);
        this.password = settings.password();
    }

    /** The Commvault client whose backups are restored: {@code GALAXY11_CLIENT}, else this machine's host name. */
    String client() {
        return client;
    }

    /** "the CommServe cs.example.com" or "the CommServe", for messages. */
    String commServeName() {
        return commServe == null ? "the CommServe" : "the CommServe " + commServe;
    }

    /** {@code qlist backupset -c CLIENT -a Q_LINUX_FS}: the client's backup sets. */
    List<String> backupSets() {
        return QOutput.backupSets(run("list the backup sets of client " + client, "qlist", "backupset", "-c", client, "-a", AGENT).stdout());
    }

    /** {@code qlist jobhistory ...}: the completed backup jobs of a backup set, as printed (newest first). */
    List<QOutput.HistoryJob> backupJobs(String backupSet) {
        String out = run("list the backup jobs of client " + client + ", backup set " + backupSet, "qlist", "jobhistory", "-c", client,
                "-js", "Completed", "-jt", "Backup", "-dispJobTime", "-b", backupSet, "-a", AGENT).stdout();
        try {
            return QOutput.jobHistory(out);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderException.Kind.FAILED, "cannot read what qlist jobhistory printed for client " + client
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code qoperation restore -af FILE}: the job id. */
    String startRestore(Path argumentFile) {
        String out = run("start the restore job", "qoperation", "restore", "-af", argumentFile.toString()).stdout();
        try {
            return QOutput.jobId(out);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderException.Kind.FAILED, "could not start the Commvault restore job: " + e.getMessage(), e);
        }
    }

    /** {@code qlist job -j ID -co sr}: the job's status and failure reasons. */
    QOutput.JobStatus jobStatus(String jobId) {
        String out = run("read the state of restore job " + jobId, "qlist", "job", "-j", jobId, "-co", "sr").stdout();
        try {
            return QOutput.jobStatus(out).orElseThrow(() -> new ProviderException(ProviderException.Kind.FAILED,
                    commServeName() + " knows no job " + jobId + " ('qlist job -j " + jobId + "' says: No jobs to display)"));
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ProviderException.Kind.FAILED, "cannot read the state of Commvault job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** {@code qoperation jobcontrol -o kill -j ID}; returns null when done, else why it failed. */
    @Nullable String kill(String jobId) {
        try {
            run("kill job " + jobId, "qoperation", "jobcontrol", "-o", "kill", "-j", jobId);
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Runs a qcommand (logging in first when it says so), returning its result on exit code 0. */
    CommandResult run(String purpose, String program, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(settings.program(program));
        argv.addAll(List.of(args));
        CommandSpec spec = new CommandSpec(argv, CommandSpec.DEFAULT_TIMEOUT.multipliedBy(5), Map.of(), Set.of(0, 1, 2), Set.of(), null);
        CommandResult r = context.commands().run(spec);
        if (r.exitCode() != 0 && notLoggedIn(r)) {
            if (logins >= 2) {
                throw new ProviderException(ProviderException.Kind.AUTHENTICATION, "the Commvault session to " + commServeName()
                        + " ended again after rear logged in a second time (" + firstLine(r.stderr()) + "); could not " + purpose
                        + ". Check the session timeout (QSDKSessionTimeout) and the user's rights");
            }
            if (logins == 0) {
                context.log().info("not logged in to " + commServeName() + "; logging in as " + settings.user());
            } else {
                context.log().warn("the Commvault session to " + commServeName() + " expired; logging in again as " + settings.user());
            }
            login();
            r = context.commands().run(spec);
            if (r.exitCode() != 0 && notLoggedIn(r)) {
                throw new ProviderException(ProviderException.Kind.AUTHENTICATION, "logged in to " + commServeName() + " as "
                        + settings.user() + ", but '" + spec.display() + "' still says: " + firstLine(r.stderr()));
            }
        }
        if (r.exitCode() != 0) {
            String why = firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr());
            boolean missing = why.toLowerCase(Locale.ROOT).contains("not found");
            throw new ProviderException(missing ? ProviderException.Kind.NOT_FOUND : ProviderException.Kind.FAILED, "could not " + purpose
                    + ": '" + spec.display() + "' failed with exit code " + r.exitCode() + ": " + why);
        }
        return r;
    }

    /** {@code qlogin [-cs HOST] -u USER -clp PASSWORD}, the password marked secret. */
    private void login() {
        String user = settings.user();
        if (user == null) {
            throw new ProviderException(ProviderException.Kind.AUTHENTICATION, "not logged in to " + commServeName() + " and "
                    + GalaxySettings.USER + " is not set: set " + GalaxySettings.USER + " and " + GalaxySettings.PASSWORD
                    + " (or log in with qlogin before running rear)");
        }
        if (password == null) {
            password = context.ask("Password of the Commvault user " + user + " on " + commServeName(), true)
                    .filter(p -> !p.isEmpty()).orElseThrow(() -> new ProviderException(ProviderException.Kind.AUTHENTICATION,
                            "no password to log in to " + commServeName() + " as " + user + ": set " + GalaxySettings.PASSWORD
                                    + " in the environment of the recovery, or run it at a console that can ask"));
        }
        List<String> argv = new ArrayList<>(List.of(settings.program("qlogin")));
        if (commServe != null) {
            argv.addAll(List.of("-cs", commServe));
        }
        argv.addAll(List.of("-u", user, "-clp", password));
        CommandSpec spec = new CommandSpec(argv, CommandSpec.DEFAULT_TIMEOUT.multipliedBy(2), Map.of(), Set.of(0, 1, 2),
                Set.of(argv.size() - 1), null);
        context.progress().report(dev.rear.api.spi.Progress.phase("logging in to " + commServeName() + " as " + user));
        CommandResult r = context.commands().run(spec);
        logins++;
        if (r.exitCode() != 0) {
            throw new ProviderException(ProviderException.Kind.AUTHENTICATION, "qlogin as " + user + " to " + commServeName()
                    + " failed with exit code " + r.exitCode() + ": " + firstLine(r.stderr().replace(password, "***"))
                    + " (check " + GalaxySettings.USER + " and " + GalaxySettings.PASSWORD + ")");
        }
        loggedInByUs = true;
    }

    /** Logs out if this session logged in; a failing qlogout is only a warning. */
    @Override
    public void close() {
        if (!loggedInByUs) {
            return;
        }
        loggedInByUs = false;
        try {
            CommandResult r = context.commands().run(new CommandSpec(List.of(settings.program("qlogout")), CommandSpec.DEFAULT_TIMEOUT,
                    Map.of(), Set.of(0, 1, 2), Set.of(), null));
            if (r.exitCode() != 0) {
                context.log().warn("qlogout from " + commServeName() + " failed with exit code " + r.exitCode() + ": " + firstLine(r.stderr()));
            }
        } catch (RuntimeException e) {
            context.log().warn("qlogout from " + commServeName() + " failed: " + e.getMessage());
        }
    }

    /** Commvault's "User not logged in" (error 0x268); ReaR takes exit code 2 of a qlist as that. */
    private static boolean notLoggedIn(CommandResult r) {
        String text = (r.stderr() + "\n" + r.stdout()).toLowerCase(Locale.ROOT);
        return r.exitCode() == 2 && (text.contains("not logged in") || text.contains("0x268"));
    }

    static String firstLine(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "(no message)";
    }

    private static String localHostName() {
        for (String f : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
            try {
                String h = Files.readString(Path.of(f)).strip();
                if (!h.isEmpty()) {
                    return h;
                }
            } catch (IOException | RuntimeException e) {
                // try the next
            }
        }
        throw new ProviderException(ProviderException.Kind.MISCONFIGURED, "cannot read this machine's host name; set "
                + GalaxySettings.CLIENT + " to the Commvault client name");
    }

    private static @Nullable String commServeHost(GalaxySettings s) {
        Path p = Path.of(s.configDirectory(), "Galaxy", s.instance(), "CommServe", ".properties");
        try {
            return Files.isReadable(p) ? QOutput.commServeHost(Files.readString(p)).orElse(null) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
