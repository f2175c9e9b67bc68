package dev.rear.engine.config;

import dev.rear.engine.config.ConfigEnvironment.Var;
import dev.rear.engine.config.ConfigParser.Assignment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Finds the configuration files, reads them in ReaR's order and applies rear's embedded default. */
final class ConfigLoader {
    private ConfigLoader() {}

    /** The file name shown for rear's own defaults. */
    static final String DEFAULTS = "rear defaults";

    static final String VAR_DIR = "/var/lib/rear";
    static final String SHARE_DIR = "/usr/share/rear";
    static final String LOG_DIR = "/var/log/rear";

    private static final List<String> FAMILY_PREFIXES = List.of("TSM_", "GALAXY11_", "BACULA_", "BEXTRACT_", "USER_INPUT_");
    private static final Pattern METHOD_ARRAY = Pattern.compile("(COPY_AS_IS|COPY_AS_IS_EXCLUDE|PROGS|REQUIRED_PROGS)_(TSM|GALAXY11|BACULA)");

    private static final List<Assignment> DEFAULT_ASSIGNMENTS = ConfigParser.parse(DEFAULTS, resource("defaults.conf"));
    private static final Set<String> DEFAULT_NAMES = DEFAULT_ASSIGNMENTS.stream().map(Assignment::name).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> REAR_NAMES = resource("rear-variables.txt").lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::strip).collect(Collectors.toUnmodifiableSet());

    /** What was read. */
    record Loaded(ConfigEnvironment env, List<Path> files, List<ConfigWarning> warnings) {}

    static Loaded load(Path configDir, List<String> extraFiles, @Nullable String workflow, RearConfig.Host host) {
        ConfigEnvironment env = new ConfigEnvironment();
        env.fix("VAR_DIR", VAR_DIR);
        env.fix("SHARE_DIR", SHARE_DIR);
        env.fix("CONFIG_DIR", configDir.toString());
        env.fix("LOG_DIR", LOG_DIR);
        env.fix("HOSTNAME", host.hostname());
        env.setDefault("KERNEL_VERSION", ConfigValue.ofString(host.kernelRelease()));
        env.apply(null, DEFAULT_ASSIGNMENTS);

        List<ConfigWarning> warnings = new ArrayList<>();
        List<Path> files = files(configDir, extraFiles, workflow, warnings);
        Set<String> warned = new HashSet<>();
        for (Path f : files) {
            String name = f.toString();
            List<Assignment> assignments = ConfigParser.parse(name, read(f));
            for (Assignment a : assignments) {
                if (!isKnown(a.name()) && !isFixed(env, a.name()) && warned.add(a.name())) {
                    warnings.add(new ConfigWarning(name, a.pos().line(), unknownMessage(a.name())));
                }
            }
            env.apply(name, assignments);
        }
        embeddedDefault(env, warnings);
        return new Loaded(env, List.copyOf(files), List.copyOf(warnings));
    }

    /** Whether rear knows a variable: its defaults, the providers' families, their per-method arrays. */
    static boolean isKnown(String name) {
        return DEFAULT_NAMES.contains(name) || name.equals("KERNEL_VERSION")
                || FAMILY_PREFIXES.stream().anyMatch(name::startsWith) || METHOD_ARRAY.matcher(name).matches();
    }

    private static boolean isFixed(ConfigEnvironment env, String name) {
        return env.get(name).map(Var::fixed).orElse(false);
    }

    private static String unknownMessage(String name) {
        if (REAR_NAMES.contains(name)) {
            return name + " is a ReaR setting that rear does not support: it has no effect";
        }
        String near = null;
        int best = 3;
        for (String k : DEFAULT_ASSIGNMENTS.stream().map(Assignment::name).distinct().toList()) {
            int d = distance(name, k);
            if (d < best) {
                best = d;
                near = k;
            }
        }
        return name + " is not a setting of rear or ReaR: it has no effect" + (near != null && name.length() > 3 ? " (did you mean " + near + "?)" : "");
    }

    /**
     * ReaR's default BACKUP=REQUESTRESTORE only waits for someone to restore by hand; rear's is NETFS.
     * When the files set neither BACKUP nor BACKUP_URL, the backup goes to a local directory, with a
     * warning, and the rescue image stays in ISO_DIR (OUTPUT_URL=null). BACKUP=NETFS without a
     * BACKUP_URL is refused.
     */
    private static void embeddedDefault(ConfigEnvironment env, List<ConfigWarning> warnings) {
        Var backup = env.get("BACKUP").orElseThrow();
        Var url = env.get("BACKUP_URL").orElseThrow();
        if (!backup.setByFile() && !url.setByFile() && backup.value().text().equals("NETFS")) {
            env.setDefault("BACKUP_URL", ConfigValue.ofString(RearConfig.EMBEDDED_BACKUP_URL));
            if (!env.get("OUTPUT_URL").orElseThrow().setByFile()) {
                env.setDefault("OUTPUT_URL", ConfigValue.ofString("null"));
            }
            warnings.add(new ConfigWarning(DEFAULTS, 0, "no BACKUP_URL is configured: rear backs up to " + RearConfig.EMBEDDED_BACKUP_URL
                    + " on this machine's own disk, which is no disaster recovery; set BACKUP_URL in /etc/rear/local.conf to a place off this machine (nfs://, cifs://, usb://, ...)"));
            return;
        }
        url = env.get("BACKUP_URL").orElseThrow();
        if (backup.value().text().equals("NETFS") && url.value().text().isEmpty()) {
            ConfigEnvironment.Origin o = url.setByFile() ? url.last() : backup.last();
            throw new ConfigException(o.isDefault() ? DEFAULTS : o.file(), o.line(), 0,
                    "BACKUP=NETFS needs a BACKUP_URL, the place the backup goes to (nfs://, cifs://, usb://, file://, ...)");
        }
    }

    // ---------------------------------------------------------------- files

    private static List<Path> files(Path configDir, List<String> extraFiles, @Nullable String workflow, List<ConfigWarning> warnings) {
        List<Path> files = new ArrayList<>();
        if (!Files.exists(configDir)) {
            if (!configDir.equals(RearConfig.DEFAULT_CONFIG_DIR)) {
                throw new ConfigException(configDir.toString(), "the configuration directory does not exist");
            }
        } else if (!Files.isDirectory(configDir)) {
            throw new ConfigException(configDir.toString(), "the configuration directory is not a directory");
        } else {
            List<String> names = new ArrayList<>();
            if (workflow != null) {
                names.add(workflow + ".conf");
            }
            names.add("site.conf");
            names.add("local.conf");
            for (String n : names) {
                Path p = configDir.resolve(n);
                if (Files.exists(p)) {
                    files.add(p);
                }
            }
            for (String n : List.of("os.conf", "rescue.conf")) {
                if (Files.exists(configDir.resolve(n))) {
                    warnings.add(new ConfigWarning(configDir.resolve(n).toString(), 0, n.equals("os.conf")
                            ? "rear does not read os.conf: it finds the operating system itself"
                            : "rear does not read rescue.conf, which ReaR writes into its own rescue system"));
                }
            }
        }
        for (String extra : extraFiles) {
            Path p = extra.startsWith("/") ? Path.of(extra) : configDir.resolve(extra);
            Path withSuffix = Path.of(p + ".conf");
            if (Files.exists(p) && !Files.isDirectory(p)) {
                files.add(p);
            } else if (Files.exists(withSuffix) && !Files.isDirectory(withSuffix)) {
                files.add(withSuffix);
            } else {
                throw new ConfigException(p.toString(), "there is '-C " + extra + "' but neither " + p + " nor " + withSuffix + " exists");
            }
        }
        return files;
    }

    /** The text of a file: UTF-8, or a ConfigException naming the line that is not. */
    static String read(Path f) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (AccessDeniedException e) {
            throw new ConfigException(f.toString(), "cannot be read: permission denied");
        } catch (NoSuchFileException e) {
            throw new ConfigException(f.toString(), "cannot be read: it does not exist");
        } catch (IOException e) {
            throw new ConfigException(f.toString(), "cannot be read: " + e.getMessage());
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int line = 1;
            for (int k = 0; k < in.position(); k++) {
                if (bytes[k] == '\n') {
                    line++;
                }
            }
            throw new ConfigException(f.toString(), line, 0, "this line is not UTF-8 text: save the file as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static String resource(String name) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from rear-engine");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int k = 1; k <= a.length(); k++) {
            cur[0] = k;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(k - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
