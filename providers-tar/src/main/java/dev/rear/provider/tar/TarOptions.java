package dev.rear.provider.tar;

import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The tar provider's settings, validated from ReaR-style settings.
 *
 * <ul>
 *   <li>{@code BACKUP_URL} (required): {@code file:///absolute/dir} (an existing directory),
 *       {@code usb:///dev/disk/by-label/REAR-000}, {@code nfs://host/export}, {@code cifs://server/share}
 *       or {@code sshfs://user@host/path} (see {@link BackupUrl}; the last four mounted by rear for
 *       each operation, see {@link TargetMount}). The archive is
 *       {@code <target>/<NETFS_PREFIX>/backup.tar<suffix>}, the manifest beside it with
 *       {@code .manifest} appended.</li>
 *   <li>{@code BACKUP_OPTIONS}: the mount options of the target, as ReaR takes them
 *       ({@code cred=/etc/rear/cifs}, {@code nfsvers=4}, {@code port=2222,IdentityFile=/root/.ssh/id_rear}).</li>
 *   <li>{@code NETFS_PREFIX}: the sub-directory, default the host name ({@code HOSTNAME} setting, else
 *       the kernel's).</li>
 *   <li>{@code REAR_TAR_COMPRESSION}: {@code zstd} (default, suffix {@code .zst}), {@code gzip}
 *       ({@code .gz}) or {@code none}.</li>
 *   <li>{@code REAR_TAR_COMPRESSION_LEVEL}: zstd 1..19 (default 3), gzip 1..9 (default 6).</li>
 *   <li>{@code REAR_TAR_ZSTD_WORKERS}: zstd threads, default the number of processors.</li>
 *   <li>ReaR's {@code BACKUP_PROG_INCLUDE}, {@code BACKUP_PROG_EXCLUDE}, {@code EXCLUDE_MOUNTPOINTS}
 *       and {@code BACKUP_ONLY_INCLUDE}, see {@link TarBackupProvider}.</li>
 * </ul>
 */
record TarOptions(BackupUrl url, @Nullable String mountOptions, @Nullable Path store, String prefix, String compression, int level, int workers, List<String> includes,
                  List<String> excludes, List<String> excludeMountpoints, boolean onlyInclude) {

    static final String URL = "BACKUP_URL";
    static final String PREFIX = "NETFS_PREFIX";
    static final String COMPRESSION = "REAR_TAR_COMPRESSION";
    static final String LEVEL = "REAR_TAR_COMPRESSION_LEVEL";
    static final String WORKERS = "REAR_TAR_ZSTD_WORKERS";

    static final String OPTIONS = "BACKUP_OPTIONS";

    /** The archive's directory; only once the target is reachable ({@link #at}). */
    Path directory() {
        return store().resolve(prefix);
    }

    /** The target's root: the file:// directory, or where the target is mounted ({@link #at}). */
    @Override
    public Path store() {
        if (store == null) {
            throw new IllegalStateException(url + " is not mounted");
        }
        return store;
    }

    /** These options with the target reachable at {@code root}. */
    TarOptions at(Path root) {
        return new TarOptions(url, mountOptions, root, prefix, compression, level, workers, includes, excludes, excludeMountpoints, onlyInclude);
    }

    String archiveName() {
        return "backup.tar" + switch (compression) {
            case "zstd" -> ".zst";
            case "gzip" -> ".gz";
            default -> "";
        };
    }

    static List<Diagnostic> validate(ProviderSettings s) {
        List<Diagnostic> out = new ArrayList<>();
        parse(s, out);
        return out;
    }

    static TarOptions of(ProviderSettings s) {
        List<Diagnostic> out = new ArrayList<>();
        TarOptions o = parse(s, out);
        Optional<Diagnostic> error = out.stream().filter(Diagnostic::isError).findFirst();
        if (error.isPresent() || o == null) {
            throw new ProviderException(ProviderException.Kind.MISCONFIGURED, error.map(Diagnostic::message).orElse("invalid settings"));
        }
        return o;
    }

    private static @Nullable TarOptions parse(ProviderSettings s, List<Diagnostic> out) {
        Path store = null;
        BackupUrl backupUrl = null;
        Optional<String> url = s.get(URL);
        if (url.isEmpty()) {
            out.add(Diagnostic.error(URL, URL + " is not set; set it to one of " + String.join(", ", BackupUrl.SUPPORTED)));
        } else {
            try {
                backupUrl = BackupUrl.parse(url.get());
                if (backupUrl.scheme() == BackupUrl.Scheme.FILE) {
                    if (!Files.isDirectory(Path.of(backupUrl.path()))) {
                        out.add(Diagnostic.error(URL, URL + "=" + url.get() + ": the directory " + backupUrl.path() + " does not exist"));
                    } else {
                        store = Path.of(backupUrl.path());
                    }
                } else {
                    TargetMount.Helper helper = TargetMount.helper(backupUrl.scheme());
                    if (helper != null && TargetMount.SYSTEM_PATH.apply(helper.program()).isEmpty()) {
                        out.add(Diagnostic.warning(URL, URL + "=" + url.get() + " needs " + helper.program() + ", which is not installed here"
                                + " (package " + helper.debianPackage() + ")"));
                    }
                }
            } catch (BackupUrl.BadUrlException e) {
                out.add(Diagnostic.error(URL, e.getMessage()));
            }
        }
        String prefix = s.get(PREFIX).or(() -> s.get("HOSTNAME")).orElseGet(TarOptions::kernelHostname);
        if (prefix.isEmpty() || prefix.contains("/") || prefix.equals("..") || prefix.equals(".")) {
            out.add(Diagnostic.error(PREFIX, PREFIX + "=" + prefix + " must be one path component (the host name by default)"));
        }
        String compression = s.get(COMPRESSION).orElse("zstd").toLowerCase(Locale.ROOT);
        if (!List.of("zstd", "gzip", "none").contains(compression)) {
            out.add(Diagnostic.error(COMPRESSION, COMPRESSION + "=" + compression + " is not one of zstd, gzip, none"));
        }
        int max = compression.equals("gzip") ? 9 : 19;
        int level = compression.equals("gzip") ? 6 : 3;
        Optional<String> l = s.get(LEVEL);
        if (l.isPresent()) {
            if (!l.get().matches("\\d{1,2}") || Integer.parseInt(l.get()) < 1 || Integer.parseInt(l.get()) > max) {
                out.add(Diagnostic.error(LEVEL, LEVEL + "=" + l.get() + " must be a whole number from 1 to " + max + " for " + compression));
            } else {
                level = Integer.parseInt(l.get());
            }
        }
        int workers = Runtime.getRuntime().availableProcessors();
        Optional<String> w = s.get(WORKERS);
        if (w.isPresent()) {
            if (!w.get().matches("\\d{1,3}") || Integer.parseInt(w.get()) > 256) {
                out.add(Diagnostic.error(WORKERS, WORKERS + "=" + w.get() + " must be a whole number from 0 (single-threaded) to 256"));
            } else {
                workers = Integer.parseInt(w.get());
            }
        }
        List<String> includes = s.list("BACKUP_PROG_INCLUDE");
        for (String i : includes) {
            if (!i.startsWith("/")) {
                out.add(Diagnostic.error("BACKUP_PROG_INCLUDE", "BACKUP_PROG_INCLUDE holds '" + i + "', which is not an absolute path"));
            }
        }
        boolean onlyInclude = false;
        try {
            onlyInclude = s.flag("BACKUP_ONLY_INCLUDE", false);
        } catch (ProviderException e) {
            out.add(Diagnostic.error("BACKUP_ONLY_INCLUDE", e.getMessage()));
        }
        if (onlyInclude && includes.isEmpty()) {
            out.add(Diagnostic.error("BACKUP_ONLY_INCLUDE", "BACKUP_ONLY_INCLUDE is set but BACKUP_PROG_INCLUDE is empty: nothing would be backed up"));
        }
        if (!out.stream().noneMatch(Diagnostic::isError) || backupUrl == null) {
            return null;
        }
        return new TarOptions(backupUrl, s.get(OPTIONS).orElse(null), store, prefix, compression, level, workers, includes, s.list("BACKUP_PROG_EXCLUDE"),
                s.list("EXCLUDE_MOUNTPOINTS"), onlyInclude);
    }

    private static String kernelHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
