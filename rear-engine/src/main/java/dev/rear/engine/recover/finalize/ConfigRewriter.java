package dev.rear.engine.recover.finalize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the device names in a restored system's configuration files after the mapping, and checks
 * that every device reference in them resolves on the recreated layout. Pure: text in, text out.
 *
 * <p>What is rewritten: {@code /etc/fstab} (the device field, and device paths in the options, e.g.
 * btrfs {@code device=}), {@code /etc/crypttab} (the device field, and a key file on a device),
 * {@code mdadm.conf} ({@code DEVICE} lines and {@code devices=} of {@code ARRAY} lines), and
 * {@code /etc/default/grub} (the values of {@code GRUB_CMDLINE_LINUX} and
 * {@code GRUB_CMDLINE_LINUX_DEFAULT}). Every other byte stays as it was: comments (which often
 * record what the installer saw), blank lines, the blanks and tabs between fields. All names of a
 * line are replaced at once, so a mapping that swaps {@code sda} and {@code sdb} swaps them.
 *
 * <p>Unresolvable references are problems, with a severity decided per place. {@link Severity#FAIL}:
 * something the boot waits for that will not come — an fstab or crypttab line without {@code noauto}
 * or {@code nofail}, a kernel {@code root=}, {@code rd.luks.uuid=}, {@code rd.md.uuid=},
 * {@code rd.lvm.lv=}/{@code rd.lvm.vg=}; the machine would drop into an emergency shell or wait for
 * ever, so the run stops and names the line (the administrator fixes it under the target root, e.g.
 * adds {@code nofail}, and runs the step again). {@link Severity#WARN}: lines the boot does not wait for
 * ({@code noauto}/{@code nofail}), lines of components the descriptor excluded on purpose (the
 * administrator chose to bring them back otherwise), {@code resume=} (the boot goes on without it
 * after a timeout), and {@code ARRAY} lines of mdadm.conf (mdadm skips arrays it does not find).
 */
public final class ConfigRewriter {
    private ConfigRewriter() {}

    public enum Severity { FAIL, WARN }

    /** A reference that will not resolve, on line {@code line} (1-based). */
    public record Problem(int line, Severity severity, String message) {}

    /** A line that changed. */
    public record Change(int line, String before, String after) {}

    /** The rewritten text, the changed lines and the problems found. */
    public record Result(String text, List<Change> changes, List<Problem> problems) {
        public Result {
            Objects.requireNonNull(text, "text");
            changes = List.copyOf(changes);
            problems = List.copyOf(problems);
        }

        public boolean changed() {
            return !changes.isEmpty();
        }

        public List<Problem> failures() {
            return problems.stream().filter(p -> p.severity() == Severity.FAIL).toList();
        }
    }

    /** Which file: decides the syntax. */
    public enum Kind {
        FSTAB, CRYPTTAB, MDADM, DEFAULT_GRUB;

        /** From the path inside the restored system. */
        public static Kind of(String file) {
            return switch (file) {
                case "/etc/fstab" -> FSTAB;
                case "/etc/crypttab" -> CRYPTTAB;
                case "/etc/mdadm/mdadm.conf", "/etc/mdadm.conf" -> MDADM;
                case "/etc/default/grub" -> DEFAULT_GRUB;
                default -> throw new IllegalArgumentException("no rewrite for " + file);
            };
        }
    }

    public static Result rewrite(Kind kind, String text, DeviceNames names) {
        List<String> lines = splitKeepingEnds(text);
        List<Change> changes = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String end = raw.endsWith("\r\n") ? "\r\n" : raw.endsWith("\n") ? "\n" : "";
            String line = raw.substring(0, raw.length() - end.length());
            String after = switch (kind) {
                case FSTAB -> table(line, i + 1, names, problems, 0, 3, 1, "fstab");
                case CRYPTTAB -> table(line, i + 1, names, problems, 1, 3, -1, "crypttab");
                case MDADM -> mdadm(line, i + 1, names, problems);
                case DEFAULT_GRUB -> grub(line, i + 1, names, problems);
            };
            if (!after.equals(line)) {
                changes.add(new Change(i + 1, line, after));
            }
            out.append(after).append(end);
        }
        return new Result(out.toString(), changes, problems);
    }

    private static List<String> splitKeepingEnds(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Fields of a whitespace-separated line, with the blanks before each kept. */
    private record Field(String lead, String value) {}

    private static List<Field> fields(String line) {
        List<Field> out = new ArrayList<>();
        Matcher m = Pattern.compile("(\\s*)(\\S+)").matcher(line);
        while (m.find()) {
            out.add(new Field(m.group(1), m.group(2)));
        }
        return out;
    }

    private static String join(List<Field> fields, String line) {
        StringBuilder b = new StringBuilder();
        fields.forEach(f -> b.append(f.lead()).append(f.value()));
        // trailing blanks of the original line stay
        Matcher m = Pattern.compile("\\s*$").matcher(line);
        if (m.find()) {
            b.append(m.group());
        }
        return b.toString();
    }

    /**
     * fstab ({@code spec file type options}) and crypttab ({@code name device keyfile options}): the device
     * field is renamed (a {@code UUID=} allowed) and checked; device paths elsewhere renamed.
     */
    private static String table(String line, int no, DeviceNames names, List<Problem> problems, int devField, int optField,
                                int mountField, String file) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return line;
        }
        List<Field> f = new ArrayList<>(fields(line));
        if (f.size() <= devField) {
            return line;
        }
        String dev = f.get(devField).value();
        String renamed = dev.startsWith("/dev/") ? names.rename(dev, true) : dev;
        f.set(devField, new Field(f.get(devField).lead(), renamed));
        for (int k = 0; k < f.size(); k++) {
            if (k != devField && (file.equals("fstab") ? k == optField : k >= 2)) {
                f.set(k, new Field(f.get(k).lead(), names.renameAll(f.get(k).value())));
            }
        }
        String why = names.unresolved(renamed);
        if (why != null) {
            String options = f.size() > optField ? f.get(optField).value() : "";
            List<String> opts = List.of(options.split(","));
            boolean optional = opts.contains("noauto") || opts.contains("nofail");
            String mp = mountField >= 0 && f.size() > mountField ? f.get(mountField).value() : null;
            String excluded = names.excludedComponent(mp, dev);
            Severity s = optional || excluded != null ? Severity.WARN : Severity.FAIL;
            String what = file.equals("fstab") ? (mp == null ? "" : " (" + mp + ")") : " (" + f.get(0).value() + ")";
            problems.add(new Problem(no, s, file + " line " + no + what + " refers to " + dev + ", which will not exist: " + why
                    + (excluded != null ? "; the descriptor excluded " + excluded + " on purpose"
                    : optional ? "; the line is noauto/nofail, so the boot does not wait for it"
                    : "; the boot would wait for it: fix the line (or add nofail) and run the step again")));
        }
        return join(f, line);
    }

    private static final Pattern MD_UUID = Pattern.compile("(?i)\\buuid=([0-9a-f:.-]+)");

    /** mdadm.conf: device paths renamed everywhere but in comments; {@code UUID=} of ARRAY lines checked (warn). */
    private static String mdadm(String line, int no, DeviceNames names, List<Problem> problems) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return line;
        }
        int hash = line.indexOf('#');
        String body = hash < 0 ? line : line.substring(0, hash);
        String comment = hash < 0 ? "" : line.substring(hash);
        String first = t.split("\\s+")[0].toUpperCase(Locale.ROOT);
        boolean array = first.equals("ARRAY") || Character.isWhitespace(line.charAt(0));
        if (array) {
            Matcher m = MD_UUID.matcher(body);
            while (m.find()) {
                if (!names.mdUuidRecreated(m.group(1))) {
                    problems.add(new Problem(no, Severity.WARN, "mdadm.conf line " + no + " names the md array with UUID " + m.group(1)
                            + ", which is not recreated; mdadm skips arrays it does not find"));
                }
            }
        }
        return names.renameAll(body) + comment;
    }

    private static final Pattern GRUB_CMDLINE = Pattern.compile("^(\\s*(?:export\\s+)?GRUB_CMDLINE_LINUX(?:_DEFAULT)?=)(.*)$");

    /** /etc/default/grub: the kernel command line values renamed and their boot device parameters checked. */
    private static String grub(String line, int no, DeviceNames names, List<Problem> problems) {
        Matcher m = GRUB_CMDLINE.matcher(line);
        if (!m.matches()) {
            return line;
        }
        String value = m.group(2);
        StringBuilder out = new StringBuilder();
        Matcher p = Pattern.compile("([^\\s\"']+)").matcher(value);
        int last = 0;
        while (p.find()) {
            out.append(value, last, p.start());
            out.append(param(p.group(1), no, names, problems));
            last = p.end();
        }
        out.append(value.substring(last));
        return m.group(1) + out;
    }

    private static String param(String token, int no, DeviceNames names, List<Problem> problems) {
        int eq = token.indexOf('=');
        if (eq < 0) {
            return token;
        }
        String key = token.substring(0, eq);
        String v = token.substring(eq + 1);
        String where = "/etc/default/grub line " + no + ": " + token;
        switch (key) {
            case "root", "resume" -> {
                String renamed = v.startsWith("/dev/") ? names.rename(v, true) : v;
                String why = names.unresolved(renamed);
                if (why != null) {
                    problems.add(new Problem(no, key.equals("root") ? Severity.FAIL : Severity.WARN, where + " will not resolve: " + why
                            + (key.equals("root") ? "; the kernel would not find its root filesystem" : "; the boot goes on without resuming")));
                }
                return key + "=" + renamed;
            }
            case "rd.luks.uuid" -> {
                if (!names.luksUuidRecreated(v)) {
                    problems.add(new Problem(no, Severity.FAIL, where + ": no LUKS container with that UUID is recreated; the initramfs would wait for it"));
                }
                return token;
            }
            case "rd.md.uuid" -> {
                if (!names.mdUuidRecreated(v)) {
                    problems.add(new Problem(no, Severity.FAIL, where + ": no md array with that UUID is recreated; the initramfs would wait for it"));
                }
                return token;
            }
            case "rd.lvm.lv" -> {
                if (!names.lvRecreated(v)) {
                    problems.add(new Problem(no, Severity.FAIL, where + ": no logical volume " + v + " is recreated; the initramfs would wait for it"));
                }
                return token;
            }
            case "rd.lvm.vg" -> {
                if (!names.vgRecreated(v)) {
                    problems.add(new Problem(no, Severity.FAIL, where + ": no volume group " + v + " is recreated; the initramfs would wait for it"));
                }
                return token;
            }
            default -> {
                return key + "=" + names.renameAll(v);
            }
        }
    }
}
