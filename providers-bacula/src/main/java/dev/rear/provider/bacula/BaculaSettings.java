package dev.rear.provider.bacula;

import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import dev.rear.api.spi.ProviderSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The settings of {@code BACKUP=BACULA}, with ReaR's variable names where ReaR has them
 * ({@code BACULA_CONF_DIR}, {@code BACULA_BIN_DIR}, {@code BEXTRACT_DEVICE}, {@code BEXTRACT_VOLUME}) and
 * {@code BACULA_*} names for what ReaR computes or asks; the poll interval, ReaR's Bareos
 * {@code PROGRESS_WAIT_SECONDS}, is {@code BACULA_PROGRESS_WAIT_SECONDS} (rear's configuration
 * passes the {@code BACULA_} family to the provider).
 */
record BaculaSettings(Path confDir, Path binDir, Path bconsoleConf, String client, @Nullable String fileset,
                      @Nullable String job, @Nullable String restoreJob, @Nullable String bextractDevice,
                      @Nullable String bextractVolume, Duration pollInterval, Duration jobTimeout,
                      boolean rescueConsoleConfig, java.time.ZoneId zone) {

    static final String CONF_DIR = "BACULA_CONF_DIR";
    static final String BIN_DIR = "BACULA_BIN_DIR";
    static final String BCONSOLE_CONF = "BACULA_BCONSOLE_CONF";
    static final String CLIENT = "BACULA_CLIENT";
    static final String FILESET = "BACULA_FILESET";
    static final String JOB = "BACULA_JOB";
    static final String RESTORE_JOB = "BACULA_RESTORE_JOB";
    static final String BEXTRACT_DEVICE = "BEXTRACT_DEVICE";
    static final String BEXTRACT_VOLUME = "BEXTRACT_VOLUME";
    static final String POLL = "BACULA_PROGRESS_WAIT_SECONDS";
    static final String TIMEOUT = "BACULA_JOB_TIMEOUT";
    static final String RESCUE_CONSOLE_CONFIG = "BACULA_RESCUE_CONSOLE_CONFIG";
    static final String TIMEZONE = "BACULA_TIMEZONE";

    static final Duration DEFAULT_POLL = Duration.ofSeconds(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

    /** The settings, defaults applied; throws MISCONFIGURED for what {@link #validate} reports as errors. */
    static BaculaSettings of(ProviderSettings s) {
        List<Diagnostic> errors = validate(s).stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            throw new ProviderException(Kind.MISCONFIGURED, errors.get(0).toString());
        }
        Path conf = confDir(s);
        Path bin = s.get(BIN_DIR).map(Path::of).orElseGet(() -> Files.isDirectory(Path.of("/usr/sbin")) || !Files.isDirectory(Path.of("/opt/bacula/bin"))
                ? Path.of("/usr/sbin") : Path.of("/opt/bacula/bin"));
        Path bconsole = s.get(BCONSOLE_CONF).map(Path::of).orElse(conf.resolve("bconsole.conf"));
        String client = s.get(CLIENT).orElseGet(() -> defaultClient(conf));
        return new BaculaSettings(conf, bin, bconsole, client, s.get(FILESET).orElse(null), s.get(JOB).orElse(null),
                s.get(RESTORE_JOB).orElse(null), s.get(BEXTRACT_DEVICE).orElse(null), s.get(BEXTRACT_VOLUME).orElse(null),
                seconds(s, POLL).orElse(DEFAULT_POLL), seconds(s, TIMEOUT).orElse(DEFAULT_TIMEOUT), s.flag(RESCUE_CONSOLE_CONFIG, true),
                s.get(TIMEZONE).map(java.time.ZoneId::of).orElse(java.time.ZoneId.systemDefault()));
    }

    private static Path confDir(ProviderSettings s) {
        return s.get(CONF_DIR).map(Path::of).orElseGet(() -> Files.isDirectory(Path.of("/etc/bacula")) || !Files.isDirectory(Path.of("/opt/bacula/etc"))
                ? Path.of("/etc/bacula") : Path.of("/opt/bacula/etc"));
    }

    /** The FileDaemon's {@code Name} in {@code bacula-fd.conf}, else {@code <short hostname>-fd}. */
    static String defaultClient(Path confDir) {
        Path fd = confDir.resolve("bacula-fd.conf");
        try {
            if (Files.isReadable(fd)) {
                Optional<String> name = BaculaConf.parse(Files.readString(fd, StandardCharsets.UTF_8)).first("FileDaemon")
                        .flatMap(r -> r.get("Name"));
                if (name.isPresent() && !name.get().isBlank()) {
                    return name.get();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall back to the host name
        }
        String host = "localhost";
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // keep localhost
        }
        int dot = host.indexOf('.');
        return (dot > 0 ? host.substring(0, dot) : host) + "-fd";
    }

    private static Optional<Duration> seconds(ProviderSettings s, String name) {
        Optional<String> v = s.get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            long n = Long.parseLong(v.get().strip());
            return n > 0 ? Optional.of(Duration.ofSeconds(n)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the offline path (bextract from a volume) is configured. */
    boolean offlineConfigured() {
        return bextractDevice != null;
    }

    /** Every problem with the settings; reads only the files they name. */
    static List<Diagnostic> validate(ProviderSettings s) {
        List<Diagnostic> out = new ArrayList<>();
        for (String name : List.of(CONF_DIR, BIN_DIR, BCONSOLE_CONF)) {
            s.get(name).ifPresent(v -> {
                if (!v.startsWith("/")) {
                    out.add(Diagnostic.error(name, name + "=" + v + " must be an absolute path (bconsole resolves a relative"
                            + " config path in /etc/bacula, not in the current directory)"));
                }
            });
        }
        for (String name : List.of(POLL, TIMEOUT)) {
            s.get(name).ifPresent(v -> {
                if (!v.strip().matches("[0-9]{1,9}") || Long.parseLong(v.strip()) == 0) {
                    out.add(Diagnostic.error(name, name + "=" + v + " is not a positive number of seconds"));
                }
            });
        }
        for (String name : List.of(CLIENT, FILESET, JOB, RESTORE_JOB, BEXTRACT_VOLUME)) {
            s.get(name).ifPresent(v -> {
                if (v.contains("\"") || v.contains("\n") || v.isBlank()) {
                    out.add(Diagnostic.error(name, name + " cannot contain a double quote or a line break"));
                }
            });
        }
        s.get(TIMEZONE).ifPresent(z -> {
            try {
                java.time.ZoneId.of(z);
            } catch (java.time.DateTimeException e) {
                out.add(Diagnostic.error(TIMEZONE, TIMEZONE + "=" + z + " is not a time zone (e.g. Europe/Berlin, UTC): " + e.getMessage()));
            }
        });
        try {
            s.flag(RESCUE_CONSOLE_CONFIG, true);
        } catch (ProviderException e) {
            out.add(Diagnostic.error(RESCUE_CONSOLE_CONFIG, e.getMessage()));
        }
        if (out.stream().anyMatch(Diagnostic::isError)) {
            return out;
        }
        Path conf = confDir(s);
        Path bconsole = s.get(BCONSOLE_CONF).map(Path::of).orElse(conf.resolve("bconsole.conf"));
        if (!Files.isReadable(bconsole)) {
            out.add(Diagnostic.warning(s.contains(BCONSOLE_CONF) ? BCONSOLE_CONF : CONF_DIR, "the bconsole configuration " + bconsole
                    + " is not readable here; a restore needs it (or BACULA_DIRECTOR_ADDRESS and the console password at recovery)"));
        }
        if (s.get(BEXTRACT_VOLUME).isPresent() && s.get(BEXTRACT_DEVICE).isEmpty()) {
            out.add(Diagnostic.error(BEXTRACT_DEVICE, "BEXTRACT_VOLUME is set but BEXTRACT_DEVICE is not: the offline restore"
                    + " needs the storage daemon's device (its name in bacula-sd.conf or its Archive Device directory)"));
        }
        if (s.get(BEXTRACT_DEVICE).isPresent() && !Files.isReadable(conf.resolve("bacula-sd.conf"))) {
            out.add(Diagnostic.error(CONF_DIR, "BEXTRACT_DEVICE is set but " + conf.resolve("bacula-sd.conf")
                    + " is not readable: bextract reads the device from the storage daemon's configuration"));
        }
        return out;
    }
}
