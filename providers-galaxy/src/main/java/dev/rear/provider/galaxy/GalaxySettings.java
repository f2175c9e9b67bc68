package dev.rear.provider.galaxy;

import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code GALAXY11_*} settings, read and checked. Names as in ReaR where ReaR has them; rear's
 * own additions ({@code GALAXY11_CLIENT}, {@code GALAXY11_INSTANCE}, {@code GALAXY11_POLL_INTERVAL},
 * {@code GALAXY11_RESTORE_TIMEOUT}) are documented in the README.
 */
record GalaxySettings(@Nullable String user, @Nullable String password, @Nullable String client, @Nullable String backupSet,
                      String instance, @Nullable Path argumentFile, @Nullable String pitRecovery, Duration pollInterval,
                      Duration restoreTimeout, @Nullable String homeDirectory, String configDirectory,
                      @Nullable String coreDirectory, @Nullable String logDirectory, @Nullable String tempDirectory,
                      @Nullable String jobResultsDirectory, List<String> copyAsIs, List<String> copyAsIsExclude) {

    static final String USER = "GALAXY11_USER";
    static final String PASSWORD = "GALAXY11_PASSWORD";
    static final String CLIENT = "GALAXY11_CLIENT";
    static final String BACKUPSET = "GALAXY11_BACKUPSET";
    static final String INSTANCE = "GALAXY11_INSTANCE";
    static final String ARGUMENT_FILE = "GALAXY11_Q_ARGUMENTFILE";
    static final String PIT_RECOVERY = "GALAXY11_PIT_RECOVERY";
    static final String POLL_INTERVAL = "GALAXY11_POLL_INTERVAL";
    static final String RESTORE_TIMEOUT = "GALAXY11_RESTORE_TIMEOUT";
    static final String HOME_DIRECTORY = "GALAXY11_HOME_DIRECTORY";
    static final String CONFIG_DIRECTORY = "GALAXY11_CONFIG_DIRECTORY";
    static final String CORE_DIRECTORY = "GALAXY11_CORE_DIRECTORY";
    static final String LOG_DIRECTORY = "GALAXY11_LOG_DIRECTORY";
    static final String TEMP_DIRECTORY = "GALAXY11_TEMP_DIRECTORY";
    static final String JOBS_RESULTS_DIRECTORY = "GALAXY11_JOBS_RESULTS_DIRECTORY";
    static final String COPY_AS_IS = "COPY_AS_IS_GALAXY11";
    static final String COPY_AS_IS_EXCLUDE = "COPY_AS_IS_EXCLUDE_GALAXY11";

    static final String DEFAULT_INSTANCE = "Instance001";
    static final String DEFAULT_CONFIG_DIRECTORY = "/etc/CommVaultRegistry";
    /** ReaR polls every 60 s. */
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);
    /** A whole-system restore may take many hours; a day is past any sensible one. */
    static final Duration DEFAULT_RESTORE_TIMEOUT = Duration.ofHours(24);

    /** The five install directories ReaR reads from {@code commvault status}, by setting and status label. */
    static final List<String[]> DIRECTORIES = List.of(
            new String[] {CORE_DIRECTORY, "Core Directory"}, new String[] {HOME_DIRECTORY, "Home Directory"},
            new String[] {LOG_DIRECTORY, "Log Directory"}, new String[] {TEMP_DIRECTORY, "Temp Directory"},
            new String[] {JOBS_RESULTS_DIRECTORY, "Job Results Directory"});

    /**
     * Every problem with the settings, each naming its variable; never a secret value.
     */
    static List<Diagnostic> check(ProviderSettings s) {
        List<Diagnostic> out = new ArrayList<>();
        Optional<String> user = get(s, USER, out);
        Optional<String> password = get(s, PASSWORD, out);
        if (password.isPresent() && user.isEmpty()) {
            out.add(Diagnostic.error(USER, PASSWORD + " is set but " + USER + " is not: qlogin needs the Commvault user name too"));
        }
        user.filter(u -> u.isBlank() || hasControl(u)).ifPresent(u -> out.add(Diagnostic.error(USER, USER + " must be one line of text")));
        for (String name : List.of(CLIENT, BACKUPSET)) {
            get(s, name, out).filter(v -> v.isBlank() || hasControl(v) || v.startsWith("["))
                    .ifPresent(v -> out.add(Diagnostic.error(name, name + "='" + printable(v)
                            + "' cannot go into a qoperation argument file: it must be one line not starting with '['")));
        }
        get(s, INSTANCE, out).filter(v -> !v.matches("Instance\\d{3}"))
                .ifPresent(v -> out.add(Diagnostic.error(INSTANCE, INSTANCE + "='" + printable(v)
                        + "' is not a Commvault instance name such as Instance001")));
        get(s, ARGUMENT_FILE, out).ifPresent(f -> {
            Path p = Path.of(f);
            if (!p.isAbsolute()) {
                out.add(Diagnostic.error(ARGUMENT_FILE, ARGUMENT_FILE + "=" + f + " is not an absolute path"));
            } else if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                out.add(Diagnostic.error(ARGUMENT_FILE, ARGUMENT_FILE + "=" + f + " is not a readable file"));
            } else {
                try {
                    if (Files.size(p) == 0) {
                        out.add(Diagnostic.error(ARGUMENT_FILE, ARGUMENT_FILE + "=" + f + " is empty (ReaR refuses it too)"));
                    }
                } catch (IOException e) {
                    out.add(Diagnostic.error(ARGUMENT_FILE, "cannot read " + ARGUMENT_FILE + "=" + f + ": " + e.getMessage()));
                }
            }
        });
        get(s, PIT_RECOVERY, out).filter(v -> !isPit(v)).ifPresent(v -> out.add(Diagnostic.error(PIT_RECOVERY, PIT_RECOVERY + "='"
                + printable(v) + "' is neither an index (0 = the newest backup job) nor an end time as qlist jobhistory prints it"
                + " (yyyy/mm/dd hh:mm:ss)")));
        seconds(s, POLL_INTERVAL, 1, 3600, out);
        seconds(s, RESTORE_TIMEOUT, 1, 30L * 24 * 3600, out);
        for (String name : List.of(HOME_DIRECTORY, CONFIG_DIRECTORY, CORE_DIRECTORY, LOG_DIRECTORY, TEMP_DIRECTORY, JOBS_RESULTS_DIRECTORY)) {
            get(s, name, out).filter(v -> !v.startsWith("/")).ifPresent(v -> out.add(Diagnostic.error(name, name + "=" + printable(v)
                    + " is not an absolute path")));
        }
        get(s, HOME_DIRECTORY, out).filter(v -> v.startsWith("/") && !Files.isDirectory(Path.of(v)))
                .ifPresent(v -> out.add(Diagnostic.error(HOME_DIRECTORY, HOME_DIRECTORY + "=" + v
                        + " is not a directory: it is where qlogin, qlist and qoperation are installed")));
        for (String name : List.of(COPY_AS_IS, COPY_AS_IS_EXCLUDE)) {
            for (String v : s.list(name)) {
                if (!v.startsWith("/")) {
                    out.add(Diagnostic.error(name, name + " holds '" + printable(v) + "', not an absolute path"));
                }
            }
        }
        if (user.isEmpty() && !s.contains(PASSWORD)) {
            out.add(Diagnostic.warning(USER, USER + " is not set: unless the rescue system is already logged in to the CommServe,"
                    + " the recovery cannot log in and stops"));
        }
        return out;
    }

    /** Reads checked settings; call after {@link #check} found no error. */
    static GalaxySettings of(ProviderSettings s) {
        List<Diagnostic> problems = check(s).stream().filter(Diagnostic::isError).toList();
        if (!problems.isEmpty()) {
            Diagnostic d = problems.get(0);
            throw new ProviderException(ProviderException.Kind.MISCONFIGURED, d.setting() + ": " + d.message());
        }
        return new GalaxySettings(s.get(USER).orElse(null), s.get(PASSWORD).orElse(null), s.get(CLIENT).orElse(null),
                s.get(BACKUPSET).map(String::strip).orElse(null), s.get(INSTANCE).orElse(DEFAULT_INSTANCE),
                s.get(ARGUMENT_FILE).map(Path::of).orElse(null), s.get(PIT_RECOVERY).map(String::strip).orElse(null),
                s.get(POLL_INTERVAL).map(v -> Duration.ofSeconds(Long.parseLong(v.strip()))).orElse(DEFAULT_POLL_INTERVAL),
                s.get(RESTORE_TIMEOUT).map(v -> Duration.ofSeconds(Long.parseLong(v.strip()))).orElse(DEFAULT_RESTORE_TIMEOUT),
                s.get(HOME_DIRECTORY).orElse(null), s.get(CONFIG_DIRECTORY).orElse(DEFAULT_CONFIG_DIRECTORY),
                s.get(CORE_DIRECTORY).orElse(null), s.get(LOG_DIRECTORY).orElse(null), s.get(TEMP_DIRECTORY).orElse(null),
                s.get(JOBS_RESULTS_DIRECTORY).orElse(null), s.list(COPY_AS_IS), s.list(COPY_AS_IS_EXCLUDE));
    }

    /** A qcommand: in {@link #homeDirectory} when it is set (where Commvault installs them), else looked up on PATH. */
    String program(String name) {
        return homeDirectory == null ? name : homeDirectory.replaceAll("/+$", "") + "/" + name;
    }

    /** Whether the value is an index or a qlist jobhistory end time. */
    static boolean isPit(String v) {
        String t = v.strip();
        if (t.matches("\\d{1,6}")) {
            return true;
        }
        try {
            LocalDateTime.parse(t, QOutput.JOB_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Optional<String> get(ProviderSettings s, String name, List<Diagnostic> out) {
        try {
            return s.get(name);
        } catch (ProviderException e) {
            out.add(Diagnostic.error(name, e.getMessage()));
            return Optional.empty();
        }
    }

    private static void seconds(ProviderSettings s, String name, long min, long max, List<Diagnostic> out) {
        get(s, name, out).ifPresent(v -> {
            String t = v.strip();
            if (!t.matches("\\d{1,9}") || Long.parseLong(t) < min || Long.parseLong(t) > max) {
                out.add(Diagnostic.error(name, name + "='" + printable(v) + "' is not a number of seconds from " + min + " to " + max));
            }
        });
    }

    private static boolean hasControl(String v) {
        return v.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String printable(String v) {
        return v.replaceAll("\\p{Cntrl}", "?");
    }
}
