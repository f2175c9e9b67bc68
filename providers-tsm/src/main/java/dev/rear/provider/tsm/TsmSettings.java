package dev.rear.provider.tsm;

import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The TSM provider's settings, read from ReaR's variables. {@link #validate} reports every problem;
 * {@link #from} reads them for an operation and throws on the first.
 *
 * @param clientDir          {@code TSM_CLIENT_DIR}: the backup-archive client directory holding
 *                           {@code dsmc}, {@code dsm.sys} and {@code dsm.opt}
 * @param restoreOptions     {@code TSM_DSMC_RESTORE_OPTIONS}: appended to every {@code dsmc restore}
 * @param backupOptions      {@code TSM_DSMC_BACKUP_OPTIONS}: appended to every {@code dsmc incremental}
 * @param pit                {@code TSM_RESTORE_PIT_DATE} and {@code TSM_RESTORE_PIT_TIME}: the
 *                           point in time a "latest" restore restores instead, or null
 * @param filespaces         {@code TSM_FILESPACES}: the filespaces to restore, in this order,
 *                           instead of those matching the recreated mount points; empty for the default
 * @param carryPasswordFiles {@code TSM_RESCUE_PASSWORD_FILES}: copy the password files into the rescue system
 * @param restoreTimeout     {@code TSM_RESTORE_TIMEOUT}: how long one filespace's restore may run
 * @param queryTimeout       {@code TSM_QUERY_TIMEOUT}: how long a query may run
 * @param copyAsIs           {@code COPY_AS_IS_TSM}: trees copied into the rescue system (globs allowed)
 * @param copyAsIsExclude    {@code COPY_AS_IS_EXCLUDE_TSM}: globs left out of them
 * @param libraryPath        {@code TSM_LD_LIBRARY_PATH}: where dsmc's libraries are
 * @param nodePassword       {@code TSM_NODE_PASSWORD} (secret): the node password for an
 *                           unattended recovery without password files, or null
 */
record TsmSettings(Path clientDir, List<String> restoreOptions, List<String> backupOptions, @Nullable LocalDateTime pit,
                   List<String> filespaces, boolean carryPasswordFiles, Duration restoreTimeout, Duration queryTimeout,
                   List<String> copyAsIs, List<String> copyAsIsExclude, List<String> libraryPath, @Nullable String nodePassword) {

    static final String CLIENT_DIR = "TSM_CLIENT_DIR";
    static final String RESTORE_OPTIONS = "TSM_DSMC_RESTORE_OPTIONS";
    static final String BACKUP_OPTIONS = "TSM_DSMC_BACKUP_OPTIONS";
    static final String PIT_DATE = "TSM_RESTORE_PIT_DATE";
    static final String PIT_TIME = "TSM_RESTORE_PIT_TIME";
    static final String FILESPACES = "TSM_FILESPACES";
    static final String PASSWORD_FILES = "TSM_RESCUE_PASSWORD_FILES";
    static final String RESTORE_TIMEOUT = "TSM_RESTORE_TIMEOUT";
    static final String QUERY_TIMEOUT = "TSM_QUERY_TIMEOUT";
    static final String COPY_AS_IS = "COPY_AS_IS_TSM";
    static final String COPY_AS_IS_EXCLUDE = "COPY_AS_IS_EXCLUDE_TSM";
    static final String LD_LIBRARY_PATH = "TSM_LD_LIBRARY_PATH";
    static final String NODE_PASSWORD = "TSM_NODE_PASSWORD";
    static final String RESULT_FILE_PATH = "TSM_RESULT_FILE_PATH";
    static final String RESULT_SAVE = "TSM_RESULT_SAVE";
    static final String RM_ISOFILE = "TSM_RM_ISOFILE";
    static final String ARCHIVE_MGMT_CLASS = "TSM_ARCHIVE_MGMT_CLASS";

    static final String DEFAULT_RESULT_FILE_PATH = "/opt/tivoli/tsm/rear";
    static final String DEFAULT_CLIENT_DIR = "/opt/tivoli/tsm/client/ba/bin";
    static final List<String> DEFAULT_COPY_AS_IS = List.of("/etc/adsm", "/opt/tivoli/tsm/client", "/usr/local/ibm/gsk8*");
    static final String DEFAULT_LD_LIBRARY_PATH = "/opt/tivoli/tsm/client/ba/bin:/opt/tivoli/tsm/client/api/bin64"
            + ":/opt/tivoli/tsm/client/api/bin:/opt/tivoli/tsm/client/api/bin64/cit/bin";
    static final Duration DEFAULT_RESTORE_TIMEOUT = Duration.ofDays(7);
    static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(10);

    /** The {@code dsmc} program: {@code TSM_CLIENT_DIR/dsmc}. */
    Path dsmc() {
        return clientDir.resolve("dsmc");
    }

    Path dsmSys() {
        return clientDir.resolve("dsm.sys");
    }

    Path dsmOpt() {
        return clientDir.resolve("dsm.opt");
    }

    /** The environment dsmc runs with: where its options files are ({@code DSM_DIR}, {@code DSM_CONFIG}). */
    Map<String, String> environment() {
        return Map.of("DSM_DIR", clientDir.toString(), "DSM_CONFIG", dsmOpt().toString());
    }

    /**
     * Reads the settings for an operation.
     *
     * @throws ProviderException of kind {@link ProviderException.Kind#MISCONFIGURED} naming the
     *     first setting at fault
     */
    static TsmSettings from(ProviderSettings s) {
        List<Diagnostic> errors = validate(s).stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            Diagnostic d = errors.get(0);
            throw new ProviderException(ProviderException.Kind.MISCONFIGURED, (d.setting() == null ? "" : d.setting() + ": ") + d.message());
        }
        return new TsmSettings(Path.of(s.get(CLIENT_DIR).orElse(DEFAULT_CLIENT_DIR)), s.list(RESTORE_OPTIONS), s.list(BACKUP_OPTIONS),
                pit(s, new ArrayList<>()), s.list(FILESPACES), s.flag(PASSWORD_FILES, false),
                seconds(s, RESTORE_TIMEOUT, DEFAULT_RESTORE_TIMEOUT, new ArrayList<>()),
                seconds(s, QUERY_TIMEOUT, DEFAULT_QUERY_TIMEOUT, new ArrayList<>()),
                s.contains(COPY_AS_IS) ? s.list(COPY_AS_IS) : DEFAULT_COPY_AS_IS, s.list(COPY_AS_IS_EXCLUDE),
                List.of(s.get(LD_LIBRARY_PATH).orElse(DEFAULT_LD_LIBRARY_PATH).split(":")).stream().filter(p -> !p.isBlank()).toList(),
                s.get(NODE_PASSWORD).orElse(null));
    }

    /**
     * How the rescue image is stored in TSM (ReaR's {@code output/TSM/default/950_dsmc_save_result_files.sh}
     * and {@code 960_dsmc_verify_isofile.sh}).
     *
     * @param save       {@code TSM_RESULT_SAVE} (default yes): store it at all
     * @param path       {@code TSM_RESULT_FILE_PATH} (default {@code /opt/tivoli/tsm/rear}); null when set
     *                   empty (ReaR then uses its temporary directory)
     * @param mgmtClass  {@code TSM_ARCHIVE_MGMT_CLASS}: archive with this management class instead of
     *                   backing up with {@code dsmc incremental}; null when unset or empty
     * @param removeIso  {@code TSM_RM_ISOFILE}: remove the local ISO (and the copies) once TSM lists it
     */
    record ResultFiles(boolean save, @Nullable Path path, @Nullable String mgmtClass, boolean removeIso) {}

    /** The result-file settings; the settings are valid (see {@link #from}). */
    static ResultFiles resultFiles(ProviderSettings s) {
        String path = s.get(RESULT_FILE_PATH).orElse(s.contains(RESULT_FILE_PATH) ? "" : DEFAULT_RESULT_FILE_PATH);
        String mc = s.get(ARCHIVE_MGMT_CLASS).orElse("");
        return new ResultFiles(s.flag(RESULT_SAVE, true), path.isBlank() ? null : Path.of(path), mc.isBlank() ? null : mc,
                s.flag(RM_ISOFILE, false));
    }

    /** Every problem with the settings and the options files they name; runs nothing. */
    static List<Diagnostic> validate(ProviderSettings s) {
        List<Diagnostic> out = new ArrayList<>();
        String dir = single(s, CLIENT_DIR, out);
        Path clientDir = Path.of(dir == null ? DEFAULT_CLIENT_DIR : dir);
        if (!clientDir.isAbsolute()) {
            out.add(Diagnostic.error(CLIENT_DIR, "the TSM client directory must be an absolute path, not '" + clientDir + "'"));
        } else if (!Files.isDirectory(clientDir)) {
            out.add(Diagnostic.error(CLIENT_DIR, "the TSM client directory " + clientDir + " does not exist"
                    + (dir == null ? " (TSM_CLIENT_DIR is not set; this is its default): install the IBM Storage Protect"
                    + " backup-archive client or set TSM_CLIENT_DIR" : "")));
        } else {
            checkClientDir(clientDir, out);
        }
        options(s, RESTORE_OPTIONS, out);
        options(s, BACKUP_OPTIONS, out);
        pit(s, out);
        for (String fs : s.list(FILESPACES)) {
            if (!fs.startsWith("/")) {
                out.add(Diagnostic.error(FILESPACES, "a filespace is an absolute path as 'dsmc query filespace' lists it, not '" + fs + "'"));
            }
        }
        flag(s, PASSWORD_FILES, out);
        flag(s, RESULT_SAVE, out);
        flag(s, RM_ISOFILE, out);
        seconds(s, RESTORE_TIMEOUT, DEFAULT_RESTORE_TIMEOUT, out);
        seconds(s, QUERY_TIMEOUT, DEFAULT_QUERY_TIMEOUT, out);
        for (String p : s.list(COPY_AS_IS)) {
            if (!p.startsWith("/")) {
                out.add(Diagnostic.error(COPY_AS_IS, "entries are absolute paths (globs allowed), not '" + p + "'"));
            }
        }
        String ld = single(s, LD_LIBRARY_PATH, out);
        if (ld != null) {
            for (String p : ld.split(":")) {
                if (!p.isBlank() && !p.startsWith("/")) {
                    out.add(Diagnostic.error(LD_LIBRARY_PATH, "a colon-separated list of absolute directories; '" + p + "' is not absolute"));
                }
            }
        }
        String result = single(s, RESULT_FILE_PATH, out);
        if (result != null && !result.startsWith("/")) {
            out.add(Diagnostic.error(RESULT_FILE_PATH, "must be an absolute directory, not '" + result + "'"));
        }
        String mc = single(s, ARCHIVE_MGMT_CLASS, out);
        if (mc != null && !mc.matches("[A-Za-z0-9_.\\-]+")) {
            out.add(Diagnostic.error(ARCHIVE_MGMT_CLASS, "'" + mc + "' is not a management class name"));
        }
        boolean rmIso = false;
        try {
            rmIso = s.flag(RM_ISOFILE, false);
        } catch (ProviderException e) {
            // reported above
        }
        boolean save = true;
        try {
            save = s.flag(RESULT_SAVE, true);
        } catch (ProviderException e) {
            // reported above
        }
        if (!save && (rmIso || mc != null)) {
            out.add(Diagnostic.warning(rmIso ? RM_ISOFILE : ARCHIVE_MGMT_CLASS, (rmIso ? "TSM_RM_ISOFILE" : "TSM_ARCHIVE_MGMT_CLASS")
                    + " has no effect: TSM_RESULT_SAVE says the rescue image is not stored in TSM"));
        }
        return out;
    }

    private static void checkClientDir(Path clientDir, List<Diagnostic> out) {
        Path sys = clientDir.resolve("dsm.sys");
        Path opt = clientDir.resolve("dsm.opt");
        if (!Files.isExecutable(clientDir.resolve("dsmc"))) {
            out.add(Diagnostic.error(CLIENT_DIR, "there is no executable dsmc in the TSM client directory " + clientDir));
        }
        if (!Files.isRegularFile(sys)) {
            out.add(Diagnostic.error(CLIENT_DIR, sys + " does not exist: dsmc needs it to know its server"));
            return;
        }
        if (!Files.isRegularFile(opt)) {
            out.add(Diagnostic.error(CLIENT_DIR, opt + " does not exist: dsmc needs it (it names the dsm.sys server stanza)"));
            return;
        }
        try {
            List<DsmSys.Stanza> stanzas = DsmSys.parseStanzas(Files.readString(sys, StandardCharsets.UTF_8));
            Map<String, String> options = DsmSys.parseOptions(Files.readString(opt, StandardCharsets.UTF_8));
            if (stanzas.isEmpty()) {
                out.add(Diagnostic.error(CLIENT_DIR, sys + " has no server stanza (a line 'SErvername NAME' followed by its options)"));
                return;
            }
            DsmSys.Stanza stanza = DsmSys.selected(stanzas, options);
            if (stanza == null) {
                out.add(Diagnostic.error(CLIENT_DIR, opt + " names server '" + options.get("servername") + "' but " + sys
                        + " has no such stanza (it has " + String.join(", ", stanzas.stream().map(DsmSys.Stanza::name).toList()) + ")"));
                return;
            }
            String address = stanza.option("tcpserveraddress");
            if (address == null || address.isBlank()) {
                out.add(Diagnostic.error(CLIENT_DIR, "TSM server not set in " + sys + ": stanza " + stanza.name() + " has no TCPServeraddress"));
            }
            for (String inclexcl : stanza.inclexclFiles()) {
                if (!Files.isRegularFile(Path.of(inclexcl))) {
                    out.add(Diagnostic.warning(CLIENT_DIR, "stanza " + stanza.name() + " of " + sys + " names the include-exclude file "
                            + inclexcl + ", which does not exist"));
                }
            }
        } catch (IOException e) {
            out.add(Diagnostic.error(CLIENT_DIR, "cannot read " + sys + " or " + opt + ": " + e.getMessage()));
        }
    }

    private static @Nullable String single(ProviderSettings s, String name, List<Diagnostic> out) {
        try {
            return s.get(name).orElse(null);
        } catch (ProviderException e) {
            out.add(Diagnostic.error(name, e.getMessage()));
            return null;
        }
    }

    private static void flag(ProviderSettings s, String name, List<Diagnostic> out) {
        try {
            s.flag(name, false);
        } catch (ProviderException e) {
            out.add(Diagnostic.error(name, e.getMessage()));
        }
    }

    private static void options(ProviderSettings s, String name, List<Diagnostic> out) {
        for (String o : s.list(name)) {
            if (!o.startsWith("-")) {
                out.add(Diagnostic.error(name, "each element is one dsmc option starting with '-' (e.g. -quiet), not '" + o + "'"));
            } else if (o.toLowerCase(java.util.Locale.ROOT).startsWith("-pas")) {
                out.add(Diagnostic.error(name, "a password does not belong in " + name + " (it would show in logs and 'ps'):"
                        + " set TSM_NODE_PASSWORD, or let the recovery ask"));
            }
        }
    }

    private static Duration seconds(ProviderSettings s, String name, Duration dflt, List<Diagnostic> out) {
        String v = single(s, name, out);
        if (v == null) {
            return dflt;
        }
        if (!v.strip().matches("\\d{1,9}") || Long.parseLong(v.strip()) == 0) {
            out.add(Diagnostic.error(name, "a number of seconds greater than 0, not '" + v + "'"));
            return dflt;
        }
        return Duration.ofSeconds(Long.parseLong(v.strip()));
    }

    /** {@code TSM_RESTORE_PIT_DATE} (YYYY-MM-DD or YYYY.MM.DD) and {@code TSM_RESTORE_PIT_TIME} (HH:MM[:SS], default 23:59:59 as dsmc's). */
    private static @Nullable LocalDateTime pit(ProviderSettings s, List<Diagnostic> out) {
        String date = single(s, PIT_DATE, out);
        String time = single(s, PIT_TIME, out);
        if (date == null) {
            if (time != null) {
                out.add(Diagnostic.error(PIT_TIME, "TSM_RESTORE_PIT_TIME=" + time + " is set without TSM_RESTORE_PIT_DATE"));
            }
            return null;
        }
        LocalDate d;
        try {
            d = LocalDate.parse(date.strip().replace('.', '-'));
        } catch (DateTimeParseException e) {
            out.add(Diagnostic.error(PIT_DATE, "'" + date + "' is not a date YYYY-MM-DD (or YYYY.MM.DD)"));
            return null;
        }
        LocalTime t = LocalTime.of(23, 59, 59);
        if (time != null) {
            try {
                t = LocalTime.parse(time.strip());
            } catch (DateTimeParseException e) {
                out.add(Diagnostic.error(PIT_TIME, "'" + time + "' is not a time HH:MM:SS"));
                return null;
            }
        }
        return LocalDateTime.of(d, t);
    }
}
