package dev.rear.engine.config;

import dev.rear.engine.config.ConfigParser.Assignment;
import dev.rear.engine.config.ConfigParser.Lit;
import dev.rear.engine.config.ConfigParser.Mode;
import dev.rear.engine.config.ConfigParser.Part;
import dev.rear.engine.config.ConfigParser.Pos;
import dev.rear.engine.config.ConfigParser.Ref;
import dev.rear.engine.config.ConfigParser.Word;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The variables as bash would hold them after sourcing the files so far: assignments are applied
 * in order, {@code $VAR} and {@code ${VAR[@]}} expanded against what is already set, with bash's
 * word splitting for unquoted expansions inside arrays. Each variable remembers where it was set.
 */
final class ConfigEnvironment {

    /** Where a value came from: a file and line, or rear's defaults ({@code file} null). */
    record Origin(@Nullable String file, int line) {
        static final Origin DEFAULT = new Origin(null, 0);

        boolean isDefault() {
            return file == null;
        }

        @Override
        public String toString() {
            return file == null ? "default" : file + ":" + line;
        }
    }

    /** One variable. {@code fixed}: set by rear, not assignable ({@code VAR_DIR}, {@code HOSTNAME}). */
    record Var(ConfigValue value, List<Origin> origins, boolean secret, boolean fixed) {
        Var {
            origins = List.copyOf(origins);
        }

        Origin last() {
            return origins.get(origins.size() - 1);
        }

        boolean setByFile() {
            return origins.stream().anyMatch(o -> !o.isDefault());
        }
    }

    private final Map<String, Var> vars = new LinkedHashMap<>();

    /** Sets a variable rear owns: readable in expansions, refused as the target of an assignment. */
    void fix(String name, String value) {
        vars.put(name, new Var(ConfigValue.ofString(value), List.of(Origin.DEFAULT), false, true));
    }

    /** Sets a default value (replacing what there was) without a file. */
    void setDefault(String name, ConfigValue value) {
        Var old = vars.get(name);
        vars.put(name, new Var(value, List.of(Origin.DEFAULT), old != null && old.secret(), false));
    }

    Optional<Var> get(String name) {
        return Optional.ofNullable(vars.get(name));
    }

    /** Every variable in the order it was first set. */
    Map<String, Var> all() {
        return Collections.unmodifiableMap(vars);
    }

    /**
     * Applies the assignments of one file.
     *
     * @param file the file's name for messages and origins, or null for rear's defaults
     */
    void apply(@Nullable String file, List<Assignment> assignments) {
        for (Assignment a : assignments) {
            apply(file, a);
        }
    }

    private void apply(@Nullable String file, Assignment a) {
        String shown = file == null ? "rear defaults" : file;
        String name = a.name();
        Var old = vars.get(name);
        if (old != null && old.fixed()) {
            throw error(shown, a.pos(), name + " is set by rear (" + old.value().text() + ") and cannot be assigned in a configuration file");
        }
        if (name.equals("TMPDIR")) {
            throw error(shown, a.pos(), "setting TMPDIR in a configuration file is not supported (nor in ReaR): export TMPDIR before running rear");
        }
        ConfigValue value;
        if (a.array()) {
            List<String> elements = new ArrayList<>();
            if (a.append() && old != null) {
                elements.addAll(old.value().elements());
            }
            for (Word w : a.words()) {
                elements.addAll(fields(shown, w));
            }
            value = ConfigValue.ofArray(elements);
        } else {
            String text = text(shown, a.words().get(0));
            if (old != null && old.value().array()) {
                int n = old.value().elements().size();
                if (n > 1) {
                    throw error(shown, a.pos(), name + " is an array of " + n + " elements, and in bash " + name + (a.append() ? "+=value appends to its first element only" : "=value replaces its first element only")
                            + ": write " + name + "=( ... ) to replace it, or " + name + "+=( ... ) to add to it");
                }
                value = ConfigValue.ofArray(List.of((a.append() ? old.value().text() : "") + text));
            } else {
                value = ConfigValue.ofString((a.append() && old != null ? old.value().text() : "") + text);
            }
        }
        Origin origin = file == null ? Origin.DEFAULT : new Origin(file, a.pos().line());
        List<Origin> origins = new ArrayList<>();
        if (a.append() && old != null) {
            origins.addAll(old.origins());
        }
        origins.add(origin);
        vars.put(name, new Var(value, origins, a.secret() || (old != null && old.secret()), false));
    }

    /** A word where bash does no word splitting (the right side of KEY=...). */
    private String text(String file, Word w) {
        StringBuilder sb = new StringBuilder();
        for (Part p : w.parts()) {
            if (p instanceof Lit l) {
                sb.append(l.text());
            } else if (p instanceof Ref r) {
                ConfigValue v = lookup(file, r);
                sb.append(r.mode() == Mode.TEXT ? v.text() : v.joined());
            }
        }
        return sb.toString();
    }

    /**
     * A word inside {@code ( ... )}: zero or more elements, as bash makes them. Quoted text and
     * quoted {@code $VAR} stay one element (even empty), {@code "${A[@]}"} gives one element per
     * element of A, and unquoted expansions are split at blanks and new lines (and vanish when empty).
     */
    private List<String> fields(String file, Word w) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (Part p : w.parts()) {
            if (p instanceof Lit l) {
                if (l.quoted() || !l.text().isEmpty()) {
                    cur = cur == null ? new StringBuilder() : cur;
                    cur.append(l.text());
                }
                continue;
            }
            Ref r = (Ref) p;
            ConfigValue v = lookup(file, r);
            if (r.quoted()) {
                if (r.mode() == Mode.ALL) {
                    List<String> e = v.elements();
                    for (int k = 0; k < e.size(); k++) {
                        if (k > 0) {
                            out.add(cur.toString());
                            cur = null;
                        }
                        cur = cur == null ? new StringBuilder() : cur;
                        cur.append(e.get(k));
                    }
                } else {
                    cur = cur == null ? new StringBuilder() : cur;
                    cur.append(r.mode() == Mode.TEXT ? v.text() : v.joined());
                }
                continue;
            }
            List<String> strings = r.mode() == Mode.TEXT ? List.of(v.text()) : v.elements();
            for (int k = 0; k < strings.size(); k++) {
                String s = strings.get(k);
                if (k > 0 || startsBlank(s)) {
                    cur = flush(out, cur);
                }
                String trimmed = s.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] pieces = trimmed.split("[ \t\n]+");
                for (int j = 0; j < pieces.length; j++) {
                    if (j > 0) {
                        cur = flush(out, cur);
                    }
                    cur = cur == null ? new StringBuilder() : cur;
                    cur.append(pieces[j]);
                }
                if (endsBlank(s)) {
                    cur = flush(out, cur);
                }
            }
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }

    private static @Nullable StringBuilder flush(List<String> out, @Nullable StringBuilder cur) {
        if (cur != null) {
            out.add(cur.toString());
        }
        return null;
    }

    private static boolean startsBlank(String s) {
        return !s.isEmpty() && " \t\n".indexOf(s.charAt(0)) >= 0;
    }

    private static boolean endsBlank(String s) {
        return !s.isEmpty() && " \t\n".indexOf(s.charAt(s.length() - 1)) >= 0;
    }

    private ConfigValue lookup(String file, Ref r) {
        Var v = vars.get(r.name());
        if (v == null) {
            throw error(file, r.pos(), "$" + r.name() + " is not set at this point: rear expands only variables set before, in its defaults"
                    + " or in the configuration files (not the environment); write the value itself");
        }
        return v.value();
    }

    private static ConfigException error(String file, Pos pos, String reason) {
        return new ConfigException(file, pos.line(), pos.column(), reason);
    }
}
