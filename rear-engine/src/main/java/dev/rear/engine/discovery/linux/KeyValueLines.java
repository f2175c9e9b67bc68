package dev.rear.engine.discovery.linux;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The two line formats mdadm prints: {@code KEY=value} ({@code --export}) and the human form's
 * right-aligned {@code Key : value}. Package-private: the parsers that use it own the meaning.
 */
final class KeyValueLines {

    private static final Pattern EXPORT_KEY = Pattern.compile("[A-Za-z0-9_]+");

    private KeyValueLines() {}

    /**
     * Reads {@code KEY=value} lines in order. Blank lines are skipped; a line without {@code =},
     * a key of other characters than letters, digits and {@code _}, or a key given twice is an
     * error. Values are kept exactly (mdadm escapes special characters itself).
     */
    static Map<String, String> exportLines(String command, String output) {
        Map<String, String> values = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : output.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ToolOutputException(command, "line " + lineNo + " is not KEY=value: '" + clip(line) + "'");
            }
            String key = line.substring(0, eq);
            if (!EXPORT_KEY.matcher(key).matches()) {
                throw new ToolOutputException(command, "line " + lineNo + " has a malformed key: '" + clip(line) + "'");
            }
            if (values.put(key, line.substring(eq + 1)) != null) {
                throw new ToolOutputException(command, "the key " + key + " appears twice");
            }
        }
        if (values.isEmpty()) {
            throw new ToolOutputException(command, "the output is empty");
        }
        return values;
    }

    /** The value of a required key. */
    static String required(String command, Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null) {
            throw new ToolOutputException(command, "the key " + key + " is missing");
        }
        return v;
    }

    /**
     * Splits a human-form line {@code "     Raid Level : raid1"} at its first {@code " : "}, or
     * returns null for a line that has none.
     */
    static String @Nullable [] colonField(String line) {
        int sep = line.indexOf(" : ");
        if (sep < 0) {
            return null;
        }
        return new String[] {line.substring(0, sep).trim(), line.substring(sep + 3).trim()};
    }

    static int parseInt(String command, String what, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ToolOutputException(command, what + " is not a number: '" + clip(value) + "'");
        }
    }

    static long parseLong(String command, String what, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ToolOutputException(command, what + " is not a number: '" + clip(value) + "'");
        }
    }

    /** The first whitespace-separated word of a value: {@code "2048 sectors"} gives {@code 2048}. */
    static long leadingLong(String command, String what, String value) {
        String v = value.trim();
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new ToolOutputException(command, what + " does not start with a number: '" + clip(value) + "'");
        }
        return parseLong(command, what, v.substring(0, end));
    }

    /** A line cut for a message, so that one garbage line cannot flood the console. */
    static String clip(String s) {
        String one = s.replace("\t", " ").strip();
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }
}
