package dev.rear.provider.tsm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The client options files: {@code dsm.sys} (server stanzas, each starting with
 * {@code SErvername NAME}) and {@code dsm.opt} (which names the stanza to use). Lines starting with
 * {@code *} are comments; option names are case-insensitive and may be abbreviated down to their
 * upper-case letters as IBM writes them ({@code SErvername} → {@code se}); values may be quoted.
 */
final class DsmSys {

    /** The options rear reads, with the shortest abbreviation dsmc accepts. */
    private static final Map<String, Integer> OPTIONS = Map.ofEntries(
            Map.entry("servername", 2), Map.entry("tcpserveraddress", 4), Map.entry("tcpport", 4), Map.entry("nodename", 4),
            Map.entry("passworddir", 11), Map.entry("passwordaccess", 9), Map.entry("errorlogname", 9),
            Map.entry("schedlogname", 9), Map.entry("inclexcl", 8), Map.entry("commmethod", 5));

    /** One server stanza: its name and options (canonical lower-case names, values unquoted). */
    record Stanza(String name, Map<String, String> options) {
        @Nullable String option(String name) {
            return options.get(name);
        }

        /** Every INCLEXCL file (a stanza may name several). */
        List<String> inclexclFiles() {
            return options.entrySet().stream().filter(e -> e.getKey().startsWith("inclexcl")).map(Map.Entry::getValue).toList();
        }
    }

    private DsmSys() {}

    /** The canonical name of an option as written, or the lower-cased key when it is not one rear reads. */
    static String canonical(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Integer> e : OPTIONS.entrySet()) {
            if (k.length() >= e.getValue() && e.getKey().startsWith(k)) {
                return e.getKey();
            }
        }
        return k;
    }

    /** The stanzas of a {@code dsm.sys}, in order. Options before the first {@code SErvername} are ignored. */
    static List<Stanza> parseStanzas(String text) {
        List<Stanza> out = new ArrayList<>();
        String name = null;
        Map<String, String> options = null;
        int inclexcl = 0;
        for (String[] kv : pairs(text)) {
            String key = canonical(kv[0]);
            if (key.equals("servername")) {
                if (name != null) {
                    out.add(new Stanza(name, options));
                }
                name = kv[1];
                options = new LinkedHashMap<>();
                inclexcl = 0;
            } else if (options != null) {
                options.put(key.equals("inclexcl") ? "inclexcl" + (inclexcl++ == 0 ? "" : "." + inclexcl) : key, kv[1]);
            }
        }
        if (name != null) {
            out.add(new Stanza(name, options));
        }
        return out;
    }

    /** The options of a {@code dsm.opt} (no stanzas), canonical names. */
    static Map<String, String> parseOptions(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] kv : pairs(text)) {
            out.put(canonical(kv[0]), kv[1]);
        }
        return out;
    }

    private static List<String[]> pairs(String text) {
        List<String[]> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("*")) {
                continue;
            }
            String[] kv = line.split("\\s+", 2);
            String value = kv.length < 2 ? "" : kv[1].strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            out.add(new String[] {kv[0], value});
        }
        return out;
    }

    /**
     * The stanza dsmc uses: the one {@code dsm.opt} names with {@code SErvername}, else the first in
     * {@code dsm.sys} (as dsmc does).
     *
     * @return the stanza, or null when {@code dsm.opt} names one {@code dsm.sys} lacks or there is none
     */
    static @Nullable Stanza selected(List<Stanza> stanzas, Map<String, String> opt) {
        String wanted = opt.get("servername");
        if (wanted == null) {
            return stanzas.isEmpty() ? null : stanzas.get(0);
        }
        return stanzas.stream().filter(s -> s.name().equalsIgnoreCase(wanted)).findFirst().orElse(null);
    }
}
