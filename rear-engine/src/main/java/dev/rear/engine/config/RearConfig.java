package dev.rear.engine.config;

import dev.rear.engine.config.ConfigEnvironment.Origin;
import dev.rear.engine.config.ConfigEnvironment.Var;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * rear's configuration: ReaR's variables, read from {@code /etc/rear} as ReaR reads them, with
 * ReaR's names and defaults, checked and typed. Immutable.
 *
 * <h2>Files and order</h2>
 * rear's defaults (ReaR's {@code default.conf} values for what rear supports), then, in the
 * configuration directory ({@code /etc/rear}, or {@code -c DIR}), {@code WORKFLOW.conf} when a
 * workflow is named, {@code site.conf} and {@code local.conf}, then every {@code -C FILE} in the
 * order given (absolute, or relative to the configuration directory; {@code FILE.conf} when
 * {@code FILE} does not exist) — ReaR's order. Later assignments override earlier ones, and
 * {@code KEY+=( ... )} adds to what the files before set. A missing {@code site.conf} or
 * {@code local.conf} is fine, and so is a missing {@code /etc/rear}; a missing {@code -c DIR} or
 * {@code -C FILE} is an error (ReaR only reports a missing {@code -C} file and goes on). The
 * syntax is described in {@link ConfigParser}: assignments only, anything else refused with file
 * and line. rear does not read {@code os.conf} or {@code rescue.conf} (it warns when they exist),
 * nor ReaR's distribution files, nor the environment.
 *
 * <h2>The embedded default</h2>
 * ReaR's default is {@code BACKUP=REQUESTRESTORE}: no backup at all, the rescue system waits for
 * someone to restore the files by hand. rear chooses a working default instead and says so:
 * {@code BACKUP=NETFS}, and when no configuration file sets {@code BACKUP} or {@code BACKUP_URL}
 * (in particular when there is no configuration at all), {@code BACKUP_URL=file:///var/lib/rear/backup}
 * (a directory on this machine) with {@code OUTPUT_URL=null} (the rescue image stays in
 * {@code ISO_DIR=/var/lib/rear/output}, {@code OUTPUT=ISO}), and a {@link #warnings() warning} that
 * a backup on the machine's own disk is no disaster recovery. {@code BACKUP=NETFS} set in a file
 * without a {@code BACKUP_URL} is refused.
 *
 * <h2>Values</h2>
 * Booleans are read as ReaR's {@code is_true} and {@code is_false} read them ({@link #isTrue},
 * {@link #isFalse}); an empty value is false; anything else is refused. A variable rear knows with
 * a value it cannot use ({@code OUTPUT=FLOPPY}, {@code BACKUP_TYPE=weekly}) is a
 * {@link ConfigException} naming the line that set it and the values allowed. A variable rear does
 * not know is a warning, once per variable, naming the first line that sets it. Elements that are
 * empty strings are left out of the typed lists.
 *
 * <h2>Secrets</h2>
 * {@link #backupProgCryptKey()}, {@link #sshRootPassword()} and the raw values of secret variables
 * are never to be logged; {@link #dump()} masks them (see {@link #isSecret}).
 */
public final class RearConfig {

    /** ReaR's configuration directory, {@code -c DIR} overrides it. */
    public static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/rear");

    /** Where the embedded default puts the backup: a directory on this machine. */
    public static final String EMBEDDED_BACKUP_URL = "file:///var/lib/rear/backup";

    /** The {@code USER_INPUT_*} variables that are settings of the prompts, not pre-answers. */
    private static final Set<String> USER_INPUT_SETTINGS = Set.of(
            "USER_INPUT_TIMEOUT", "USER_INPUT_INTERRUPT_TIMEOUT", "USER_INPUT_UNATTENDED_TIMEOUT", "USER_INPUT_PROMPT", "USER_INPUT_MAX_CHARS");

    /** ReaR's backup methods (doc/rear.8.md and usr/share/rear/restore/), to tell them from typos. */
    private static final Set<String> REAR_BACKUP_METHODS = Set.of("AVA", "BACULA", "BAREOS", "BLOCKCLONE", "BORG", "CDM", "DP",
            "DUPLICITY", "EXTERNAL", "FDRUPSTREAM", "GALAXY", "GALAXY7", "GALAXY10", "GALAXY11", "NBKDC", "NBU", "NETFS", "NFS4SERVER",
            "NSR", "OBDR", "PPDM", "RBME", "REQUESTRESTORE", "RSYNC", "SESAM", "TSM", "VEEAM", "YUM", "ZYPPER");
    private static final Set<String> REAR_OUTPUT_METHODS = Set.of("ISO", "PXE", "USB", "RAMDISK", "RAWDISK", "OBDR", "PORTABLE");

    /**
     * What rear needs to know about the machine to expand ReaR's defaults.
     *
     * @param hostname      the short host name ({@code $HOSTNAME}, as ReaR's {@code hostname -s})
     * @param kernelRelease the running kernel's release ({@code KERNEL_VERSION}'s default, {@code uname -r})
     */
    public record Host(String hostname, String kernelRelease) {

        /** This machine, from {@code /proc/sys/kernel/hostname} and {@code /proc/sys/kernel/osrelease}. */
        public static Host current() {
            String host = proc("/proc/sys/kernel/hostname", "localhost");
            int dot = host.indexOf('.');
            return new Host(dot > 0 ? host.substring(0, dot) : host, proc("/proc/sys/kernel/osrelease", System.getProperty("os.version", "")));
        }

        private static String proc(String file, String fallback) {
            try {
                String s = Files.readString(Path.of(file)).strip();
                return s.isEmpty() ? fallback : s;
            } catch (IOException | RuntimeException e) {
                return fallback;
            }
        }
    }

    private final ConfigEnvironment env;
    private final List<Path> files;
    private final List<ConfigWarning> warnings;

    private final BackupMethod backup;
    private final String backupUrl;
    private final String backupOptions;
    private final List<String> backupProgInclude;
    private final List<String> backupProgExclude;
    private final boolean backupOnlyInclude;
    private final List<String> backupProgCompressOptions;
    private final BackupType backupType;
    private final boolean backupProgCryptEnabled;
    private final String backupProgCryptKey;
    private final OutputMethod output;
    private final String outputUrl;
    private final String kernelFile;
    private final String kernelVersion;
    private final List<String> modules;
    private final List<String> firmwareFiles;
    private final List<String> copyAsIs;
    private final List<String> copyAsIsExclude;
    private final List<String> requiredProgs;
    private final List<String> progs;
    private final List<String> excludeComponents;
    private final boolean autoexcludeDisks;
    private final List<String> autoexcludeUsbPath;
    private final List<String> onlyIncludeVg;
    private final List<String> excludeVg;
    private final List<String> excludeMd;
    private final List<String> excludeMountpoints;
    private final Map<String, String> userInput;
    private final String sshRootPassword;
    private final Path isoDir;
    private final String isoPrefix;

    private RearConfig(ConfigLoader.Loaded loaded) {
        env = loaded.env();
        files = loaded.files();
        warnings = loaded.warnings();

        backup = choice("BACKUP", BackupMethod.class, REAR_BACKUP_METHODS, "a backup method");
        backupUrl = url("BACKUP_URL");
        backupOptions = string("BACKUP_OPTIONS");
        backupProgInclude = list("BACKUP_PROG_INCLUDE");
        backupProgExclude = list("BACKUP_PROG_EXCLUDE");
        backupOnlyInclude = bool("BACKUP_ONLY_INCLUDE");
        backupProgCompressOptions = list("BACKUP_PROG_COMPRESS_OPTIONS");
        backupType = parseBackupType();
        backupProgCryptEnabled = bool("BACKUP_PROG_CRYPT_ENABLED");
        backupProgCryptKey = string("BACKUP_PROG_CRYPT_KEY");
        output = choice("OUTPUT", OutputMethod.class, REAR_OUTPUT_METHODS, "an output method");
        String configuredOutputUrl = url("OUTPUT_URL");
        outputUrl = configuredOutputUrl.isEmpty() ? backupUrl : configuredOutputUrl;
        kernelFile = string("KERNEL_FILE");
        kernelVersion = string("KERNEL_VERSION");
        modules = list("MODULES");
        firmwareFiles = list("FIRMWARE_FILES");
        copyAsIs = list("COPY_AS_IS");
        copyAsIsExclude = list("COPY_AS_IS_EXCLUDE");
        requiredProgs = list("REQUIRED_PROGS");
        progs = list("PROGS");
        excludeComponents = list("EXCLUDE_COMPONENTS");
        autoexcludeDisks = bool("AUTOEXCLUDE_DISKS");
        autoexcludeUsbPath = list("AUTOEXCLUDE_USB_PATH");
        onlyIncludeVg = list("ONLY_INCLUDE_VG");
        excludeVg = list("EXCLUDE_VG");
        excludeMd = list("EXCLUDE_MD");
        excludeMountpoints = list("EXCLUDE_MOUNTPOINTS");
        sshRootPassword = string("SSH_ROOT_PASSWORD");
        isoDir = absolutePath("ISO_DIR");
        isoPrefix = string("ISO_PREFIX");
        for (String n : List.of("USER_INPUT_TIMEOUT", "USER_INPUT_INTERRUPT_TIMEOUT", "USER_INPUT_UNATTENDED_TIMEOUT", "USER_INPUT_MAX_CHARS")) {
            integer(n);
        }
        Map<String, String> answers = new LinkedHashMap<>();
        withPrefix("USER_INPUT_").forEach((name, value) -> {
            if (!USER_INPUT_SETTINGS.contains(name)) {
                answers.put(name.substring("USER_INPUT_".length()), single(name, value));
            }
        });
        userInput = java.util.Collections.unmodifiableMap(answers);
    }

    /**
     * Reads the configuration.
     *
     * @param configDir  {@code /etc/rear} ({@link #DEFAULT_CONFIG_DIR}) or the {@code -c DIR}
     * @param extraFiles the {@code -C FILE} arguments, in order
     * @param workflow   the workflow being run, to read {@code configDir/WORKFLOW.conf}, or null
     * @param host       the machine's name and kernel release, for the defaults
     * @throws ConfigException for the first thing rear refuses
     */
    public static RearConfig load(Path configDir, List<String> extraFiles, @Nullable String workflow, Host host) {
        return new RearConfig(ConfigLoader.load(configDir, List.copyOf(extraFiles), workflow, host));
    }

    /** {@link #load(Path, List, String, Host)} on this machine, without a workflow file. */
    public static RearConfig load(Path configDir, List<String> extraFiles) {
        return load(configDir, extraFiles, null, Host.current());
    }

    // ---------------------------------------------------------------- ReaR's booleans

    /**
     * ReaR's {@code is_true}: {@code y}, {@code yes}, {@code t}, {@code true} or {@code 1}, in
     * any case. Anything else — also an empty value — is not true.
     */
    public static boolean isTrue(@Nullable String value) {
        return value != null && Set.of("y", "yes", "t", "true", "1").contains(value.toLowerCase(Locale.ROOT));
    }

    /**
     * ReaR's {@code is_false}: {@code n}, {@code no}, {@code f}, {@code false} or {@code 0}, in
     * any case. An empty value is neither true nor false for ReaR; rear's typed settings take it as
     * false.
     */
    public static boolean isFalse(@Nullable String value) {
        return value != null && Set.of("n", "no", "f", "false", "0").contains(value.toLowerCase(Locale.ROOT));
    }

    // ---------------------------------------------------------------- typed settings

    /** {@code BACKUP}: how the files are backed up and restored; {@link BackupMethod#NETFS} by default (ReaR: REQUESTRESTORE). */
    public BackupMethod backup() {
        return backup;
    }

    /** {@code BACKUP_URL}: where NETFS puts the backup ({@code nfs://}, {@code cifs://}, {@code usb://}, {@code file://}, ...); empty if not set. */
    public String backupUrl() {
        return backupUrl;
    }

    /** {@code BACKUP_OPTIONS}: mount options for BACKUP_URL ({@code cred=/etc/rear/cifs}); empty by default. */
    public String backupOptions() {
        return backupOptions;
    }

    /** {@code BACKUP_PROG_INCLUDE}: what the backup holds besides the filesystems of the layout; none by default. */
    public List<String> backupProgInclude() {
        return backupProgInclude;
    }

    /** {@code BACKUP_PROG_EXCLUDE}: tar patterns left out of the backup; {@code /tmp/* /dev/shm/* /var/lib/rear/output/*} by default. */
    public List<String> backupProgExclude() {
        return backupProgExclude;
    }

    /** {@code BACKUP_ONLY_INCLUDE}: back up only BACKUP_PROG_INCLUDE, not the layout's filesystems; false by default. */
    public boolean backupOnlyInclude() {
        return backupOnlyInclude;
    }

    /** {@code BACKUP_PROG_COMPRESS_OPTIONS}: tar's compression options; {@code --gzip} by default. */
    public List<String> backupProgCompressOptions() {
        return backupProgCompressOptions;
    }

    /** {@code BACKUP_TYPE}: full by default (empty), incremental or differential. */
    public BackupType backupType() {
        return backupType;
    }

    /** {@code BACKUP_PROG_CRYPT_ENABLED}: encrypt the archive; false by default. */
    public boolean backupProgCryptEnabled() {
        return backupProgCryptEnabled;
    }

    /** {@code BACKUP_PROG_CRYPT_KEY}: the archive's key. A secret: never log it. Empty by default. */
    public String backupProgCryptKey() {
        return backupProgCryptKey;
    }

    /** {@code OUTPUT}: the form of the rescue system; {@link OutputMethod#ISO} by default. */
    public OutputMethod output() {
        return output;
    }

    /**
     * Where the rescue image and the other result files are copied: {@code OUTPUT_URL}, or
     * {@code BACKUP_URL} when OUTPUT_URL is empty (as in ReaR); {@code null} keeps them in
     * ISO_DIR only; empty when neither is set.
     */
    public String outputUrl() {
        return outputUrl;
    }

    /** {@code KERNEL_FILE}: the rescue system's kernel; empty (the default) means the one for KERNEL_VERSION. */
    public String kernelFile() {
        return kernelFile;
    }

    /** {@code KERNEL_VERSION}: whose modules the rescue system gets; the running kernel's release by default. */
    public String kernelVersion() {
        return kernelVersion;
    }

    /** {@code MODULES}: kernel modules for the rescue system; {@code all_modules} by default ({@code loaded_modules}, {@code no_modules} or names). */
    public List<String> modules() {
        return modules;
    }

    /** {@code FIRMWARE_FILES}: firmware for the rescue system (patterns); empty (the default) means all. */
    public List<String> firmwareFiles() {
        return firmwareFiles;
    }

    /**
     * {@code COPY_AS_IS}: files and directories copied into the rescue system; {@code /usr/share/rear
     * /var/lib/rear} by default. The per-method {@code COPY_AS_IS_<BACKUP>} is separate ({@link #value}).
     */
    public List<String> copyAsIs() {
        return copyAsIs;
    }

    /** {@code COPY_AS_IS_EXCLUDE}: tar patterns left out of COPY_AS_IS; ReaR's list by default. */
    public List<String> copyAsIsExclude() {
        return copyAsIsExclude;
    }

    /** {@code REQUIRED_PROGS}: programs the rescue system must have; ReaR's list by default. */
    public List<String> requiredProgs() {
        return requiredProgs;
    }

    /** {@code PROGS}: programs the rescue system gets when the machine has them; none by default. */
    public List<String> progs() {
        return progs;
    }

    /** {@code EXCLUDE_COMPONENTS}: layout components left out ({@code fs:/data}); none by default. */
    public List<String> excludeComponents() {
        return excludeComponents;
    }

    /** {@code AUTOEXCLUDE_DISKS}: leave out disks no mounted filesystem or swap uses; true by default. */
    public boolean autoexcludeDisks() {
        return autoexcludeDisks;
    }

    /** {@code AUTOEXCLUDE_USB_PATH}: mount points of USB media to leave out; none by default. */
    public List<String> autoexcludeUsbPath() {
        return autoexcludeUsbPath;
    }

    /** {@code ONLY_INCLUDE_VG}: when set, the only LVM volume groups in the layout; none by default. */
    public List<String> onlyIncludeVg() {
        return onlyIncludeVg;
    }

    /** {@code EXCLUDE_VG}: LVM volume groups left out; none by default. */
    public List<String> excludeVg() {
        return excludeVg;
    }

    /** {@code EXCLUDE_MD}: md arrays left out; none by default. */
    public List<String> excludeMd() {
        return excludeMd;
    }

    /** {@code EXCLUDE_MOUNTPOINTS}: mount points left out of layout and backup; none by default. */
    public List<String> excludeMountpoints() {
        return excludeMountpoints;
    }

    /**
     * The pre-answers {@code USER_INPUT_<ID>=answer} by prompt id ({@code LAYOUT_MIGRATION_CONFIRM_MAPPINGS}),
     * without the prompt settings USER_INPUT_TIMEOUT (300), _INTERRUPT_TIMEOUT (30), _UNATTENDED_TIMEOUT (3),
     * _PROMPT and _MAX_CHARS, which {@link #value} gives.
     */
    public Map<String, String> userInput() {
        return userInput;
    }

    /** {@code SSH_ROOT_PASSWORD}: root's password for ssh into the rescue system. A secret: never log it. Empty by default. */
    public String sshRootPassword() {
        return sshRootPassword;
    }

    /** {@code ISO_DIR}: where the ISO image is written; {@code /var/lib/rear/output} by default. */
    public Path isoDir() {
        return isoDir;
    }

    /** {@code ISO_PREFIX}: the ISO image's name without {@code .iso}; {@code rear-$HOSTNAME} by default. */
    public String isoPrefix() {
        return isoPrefix;
    }

    // ---------------------------------------------------------------- raw values

    /** The value of any variable, as bash would hold it (secret ones unmasked). */
    public Optional<ConfigValue> value(String name) {
        return env.get(name).filter(v -> !v.fixed()).map(Var::value);
    }

    /**
     * Every variable whose name starts with {@code prefix}, defaults included, in the order they were
     * first set: {@code TSM_}, {@code GALAXY11_}, {@code BACULA_}, {@code BEXTRACT_} for the providers,
     * which check their own settings.
     */
    public Map<String, ConfigValue> withPrefix(String prefix) {
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        env.all().forEach((name, v) -> {
            if (name.startsWith(prefix) && !v.fixed()) {
                out.put(name, v.value());
            }
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Whether a configuration file set (or added to) {@code name}, rather than rear's defaults alone. */
    public boolean isSetByFile(String name) {
        return env.get(name).map(Var::setByFile).orElse(false);
    }

    /** Whether a variable's value is a secret: by its name (see {@link Secrets#isSecretName}) or set in ReaR's confidential form. */
    public boolean isSecret(String name) {
        return Secrets.isSecretName(name) || env.get(name).map(Var::secret).orElse(false);
    }

    /** The files read, in order. */
    public List<Path> files() {
        return files;
    }

    /** What the caller should print: variables rear does not use (once each), the embedded default, files rear does not read. */
    public List<ConfigWarning> warnings() {
        return warnings;
    }

    /**
     * The effective configuration for {@code rear dump}, one variable a line in ReaR's syntax
     * ({@code KEY="value"} or {@code KEY=( "a" "b" )}) followed by where it came from
     * ({@code # default}, {@code # /etc/rear/local.conf:3}, several for {@code +=}). Secret values
     * are shown as {@code ***} (empty ones as empty), passwords in URLs and {@code password=} mount
     * options as well. Variables rear does not use are marked so.
     */
    public String dump() {
        StringBuilder sb = new StringBuilder();
        env.all().forEach((name, v) -> {
            if (v.fixed()) {
                return;
            }
            boolean secret = isSecret(name);
            List<String> shown = v.value().elements().stream()
                    .map(e -> secret ? (e.isEmpty() ? "" : Secrets.MASK) : Secrets.maskCredentials(e))
                    .toList();
            ConfigValue masked = v.value().array() ? ConfigValue.ofArray(shown) : ConfigValue.ofString(shown.get(0));
            sb.append(name).append('=').append(masked.toSyntax()).append("  # ")
                    .append(v.origins().stream().map(Origin::toString).collect(Collectors.joining(", ")));
            if (!ConfigLoader.isKnown(name)) {
                sb.append(" (not used by rear)");
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    /**
     * A value as it may be shown: secret variables masked whole, credentials inside URLs and mount
     * options masked ({@code cifs://user:***@host/share}); the same masking as {@link #dump()}.
     */
    public String shown(String name, String value) {
        if (isSecret(name)) {
            return value.isEmpty() ? "" : Secrets.MASK;
        }
        return Secrets.maskCredentials(value);
    }

    /** The methods and files, never values. */
    @Override
    public String toString() {
        return "RearConfig[BACKUP=" + backup + ", OUTPUT=" + output + ", files=" + files + "]";
    }

    // ---------------------------------------------------------------- conversions

    private Var var(String name) {
        return env.get(name).orElseThrow(() -> new IllegalStateException(name + " has no default"));
    }

    private ConfigException invalid(String name, String reason) {
        Origin o = var(name).last();
        return new ConfigException(o.isDefault() ? ConfigLoader.DEFAULTS : o.file(), o.line(), 0, reason);
    }

    private String single(String name, ConfigValue v) {
        if (v.array() && v.elements().size() > 1) {
            throw invalid(name, name + " takes one value, not an array of " + v.elements().size() + ": write " + name + "=\"...\"");
        }
        return v.text();
    }

    private String string(String name) {
        return single(name, var(name).value());
    }

    private List<String> list(String name) {
        return var(name).value().elements().stream().filter(e -> !e.isEmpty()).toList();
    }

    private boolean bool(String name) {
        String s = string(name);
        if (s.isEmpty() || isFalse(s)) {
            return false;
        }
        if (isTrue(s)) {
            return true;
        }
        throw invalid(name, name + "=" + s + " is neither true nor false: write y, yes, true or 1, or n, no, false or 0 (as ReaR's is_true and is_false read them)");
    }

    private int integer(String name) {
        String s = string(name);
        if (!s.matches("[0-9]{1,9}")) {
            throw invalid(name, name + "=" + s + " is not a number of seconds or characters: write a whole number, 0 or more");
        }
        return Integer.parseInt(s);
    }

    private <E extends Enum<E>> E choice(String name, Class<E> type, Set<String> rearKnown, String what) {
        String s = string(name);
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                throw invalid(name, name + "=" + s + ": write " + e.name() + " in capitals, as ReaR needs it too");
            }
        }
        if (rearKnown.contains(s)) {
            throw invalid(name, name + "=" + s + " is " + what + " of ReaR that rear does not support: rear supports " + allowed);
        }
        throw invalid(name, name + "=" + s + " is not " + what + ": rear supports " + allowed);
    }

    private BackupType parseBackupType() {
        String s = string("BACKUP_TYPE");
        return switch (s) {
            case "", "full" -> BackupType.FULL;
            case "incremental" -> BackupType.INCREMENTAL;
            case "differential" -> BackupType.DIFFERENTIAL;
            default -> throw invalid("BACKUP_TYPE", "BACKUP_TYPE=" + s + " is not a backup type: write incremental, differential, or full (or nothing) for a full backup");
        };
    }

    private String url(String name) {
        String s = string(name);
        if (s.isEmpty() || (name.equals("OUTPUT_URL") && s.equals("null")) || s.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            return s;
        }
        // also user:password@host without a scheme
        String shown = Secrets.maskCredentials(s).replaceFirst("^([^:@/]*):[^@]*@", "$1:" + Secrets.MASK + "@");
        String hint = s.startsWith("/") ? ", e.g. " + name + "=file://" + shown : ", e.g. nfs://server/export or file:///path";
        throw invalid(name, name + "=" + shown + " is not a URL: write scheme://host/path" + hint);
    }

    private Path absolutePath(String name) {
        String s = string(name);
        if (!s.startsWith("/")) {
            throw invalid(name, name + "=" + s + " is not an absolute path: write a path starting with /");
        }
        return Path.of(s);
    }
}
