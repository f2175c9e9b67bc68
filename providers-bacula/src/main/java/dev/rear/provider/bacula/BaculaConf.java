package dev.rear.provider.bacula;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Just enough of Bacula's configuration syntax to read the directives rear needs from
 * {@code bacula-fd.conf} and {@code bconsole.conf}: resources {@code Type { Key = value ... }},
 * {@code #} comments, quoted values, {@code ;}-separated directives on one line, keys compared
 * without case and blanks ({@code "Pid Directory"} = {@code PidDirectory}), nested blocks skipped.
 * Include directives ({@code @file}) are not followed.
 */
record BaculaConf(List<Resource> resources) {

    /** One resource: its type ({@code director}, {@code filedaemon}, ... lower case) and its top-level directives. */
    record Resource(String type, Map<String, String> directives) {
        /** A directive's value, the key compared without case and blanks. */
        Optional<String> get(String key) {
            return Optional.ofNullable(directives.get(normalize(key)));
        }
    }

    static String normalize(String key) {
        return key.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    /** The resources of type {@code type}. */
    List<Resource> all(String type) {
        return resources.stream().filter(r -> r.type().equals(normalize(type))).toList();
    }

    /** The first resource of type {@code type}. */
    Optional<Resource> first(String type) {
        return all(type).stream().findFirst();
    }

    /** Parses a configuration file's text. */
    static BaculaConf parse(String text) {
        List<Resource> out = new ArrayList<>();
        StringBuilder clean = new StringBuilder();
        // strip comments outside quotes
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                clean.append('\n');
                continue;
            } else if (c == '\n') {
                quoted = false;
            }
            clean.append(c);
        }
        List<String> tokens = tokenize(clean.toString());
        int depth = 0;
        String type = null;
        Map<String, String> directives = null;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("{")) {
                depth++;
                if (depth == 1) {
                    type = i > 0 ? normalize(tokens.get(i - 1)) : "";
                    directives = new LinkedHashMap<>();
                }
            } else if (t.equals("}")) {
                if (depth == 1 && directives != null) {
                    out.add(new Resource(type, Map.copyOf(directives)));
                    directives = null;
                }
                depth = Math.max(0, depth - 1);
            } else if (t.equals("=") && depth == 1 && directives != null && i > 0 && i + 1 < tokens.size()) {
                String value = tokens.get(i + 1);
                if (!value.equals("{")) {
                    directives.putIfAbsent(normalize(tokens.get(i - 1)), unquote(value));
                }
            }
        }
        return new BaculaConf(List.copyOf(out));
    }

    /** Splits into keys (which may hold blanks), '=', '{', '}' and values; lines and ';' end a directive. */
    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (String line : text.split("\n")) {
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                    cur.append(c);
                } else if (!quoted && (c == '{' || c == '}' || c == '=' || c == ';')) {
                    flush(cur, tokens);
                    if (c != ';') {
                        tokens.add(String.valueOf(c));
                    }
                } else {
                    cur.append(c);
                }
            }
            flush(cur, tokens);
        }
        return tokens;
    }

    private static void flush(StringBuilder cur, List<String> tokens) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
            tokens.add(s);
        }
        cur.setLength(0);
    }

    private static String unquote(String v) {
        String s = v.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
