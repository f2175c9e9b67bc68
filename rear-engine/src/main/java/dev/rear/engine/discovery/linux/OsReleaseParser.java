package dev.rear.engine.discovery.linux;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code /etc/os-release} (or {@code /usr/lib/os-release}) by the rules of os-release(5):
 *
 * <pre>
 * PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
 * VERSION_CODENAME=bookworm
 * ID=debian
 * </pre>
 *
 * <p>{@code KEY=value} per line; blank lines and lines starting with {@code #} are ignored. A
 * value is plain, in double quotes (where a backslash makes {@code \ " $ `} literal and is
 * otherwise kept, as in the shell) or in single quotes (no escapes at all). Outside quotes a
 * backslash makes the next character literal. Concatenated quoted parts ({@code "a"'b'}) are not
 * allowed by the specification and are an error here; a later assignment of the same key wins,
 * as it would in a shell.
 */
public final class OsReleaseParser {

    /** What {@link #parse} reads, named in errors. */
    public static final String COMMAND = "cat /etc/os-release";

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private OsReleaseParser() {}

    /** The assignments in the order first seen, values unquoted and unescaped. */
    public record OsRelease(Map<String, String> fields) {

        public OsRelease {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public @Nullable String get(String key) {
            return fields.get(key);
        }

        /** {@code ID}; {@code linux} when absent, as os-release(5) says. */
        public String id() {
            return fields.getOrDefault("ID", "linux");
        }

        /** {@code ID_LIKE} split at spaces; empty when absent. */
        public List<String> idLike() {
            String v = fields.get("ID_LIKE");
            return v == null || v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
        }

        /** {@code NAME}; {@code Linux} when absent. */
        public String name() {
            return fields.getOrDefault("NAME", "Linux");
        }

        /** {@code PRETTY_NAME}; {@code Linux} when absent. */
        public String prettyName() {
            return fields.getOrDefault("PRETTY_NAME", "Linux");
        }

        public @Nullable String versionId() {
            return fields.get("VERSION_ID");
        }

        public @Nullable String versionCodename() {
            return fields.get("VERSION_CODENAME");
        }
    }

    /**
     * @param output the file's contents
     * @throws ToolOutputException if there is no assignment at all, a line is not an assignment,
     *     a quote is not closed, something follows a closing quote, or a value ends in a lone backslash
     */
    public static OsRelease parse(String output) {
        Map<String, String> fields = new LinkedHashMap<>();
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || !KEY.matcher(line.substring(0, eq)).matches()) {
                throw fail(lineNo, "is not KEY=value: " + BlkidParser.quote(lines[i]));
            }
            String key = line.substring(0, eq);
            fields.remove(key);
            fields.put(key, value(line.substring(eq + 1), lineNo));
        }
        if (fields.isEmpty()) {
            throw new ToolOutputException(COMMAND, "it holds no KEY=value line");
        }
        return new OsRelease(fields);
    }

    private static String value(String raw, int lineNo) {
        StringBuilder sb = new StringBuilder(raw.length());
        if (raw.startsWith("\"")) {
            int i = 1;
            for (; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (i + 1 == raw.length()) {
                        throw fail(lineNo, "has a double quote that is not closed");
                    }
                    char n = raw.charAt(i + 1);
                    if (n == '\\' || n == '"' || n == '$' || n == '`') {
                        sb.append(n);
                        i++;
                        continue;
                    }
                }
                sb.append(c);
            }
            if (i >= raw.length()) {
                throw fail(lineNo, "has a double quote that is not closed");
            }
            trailing(raw.substring(i + 1), lineNo);
            return sb.toString();
        }
        if (raw.startsWith("'")) {
            int close = raw.indexOf('\'', 1);
            if (close < 0) {
                throw fail(lineNo, "has a single quote that is not closed");
            }
            trailing(raw.substring(close + 1), lineNo);
            return raw.substring(1, close);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"' || c == '\'') {
                throw fail(lineNo, "has a quote inside an unquoted value (concatenation is not allowed)");
            }
            if (c == '\\') {
                if (i + 1 == raw.length()) {
                    throw fail(lineNo, "ends in a lone backslash");
                }
                c = raw.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static void trailing(String rest, int lineNo) {
        if (!rest.isBlank()) {
            throw fail(lineNo, "has " + BlkidParser.quote(rest) + " after the closing quote (concatenation is not allowed)");
        }
    }

    private static ToolOutputException fail(int lineNo, String problem) {
        return new ToolOutputException(COMMAND, "line " + lineNo + " " + problem);
    }
}
