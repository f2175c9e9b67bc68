package dev.rear.provider.tsm;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parsers for what {@code dsmc} prints. Pure functions on the text, tested on the captured samples
 * of {@code vendor-clis.md} §1.5 (fixtures under {@code src/test/resources/fixtures/dsmc}).
 *
 * <p>Dates: rear asks {@code dsmc query} for {@code -dateformat=2 -timeformat=1}
 * ({@code DD-MM-YYYY HH:MM:SS}, as ReaR does); the parsers also read {@code YYYY-MM-DD},
 * {@code YYYY.MM.DD}, {@code DD.MM.YYYY} and {@code MM/DD/YYYY}, so output of a client with another
 * default still parses.
 */
final class DsmcOutput {
    private DsmcOutput() {}

    /** One {@code ANSnnnnX} message: its id, severity letter ({@code I W E S}) and text. */
    record Message(String id, char severity, String text) {
        /** The return code dsmc derives from this message's severity (vendor-clis §1.4): I 0, W 8, E and S 12. */
        int returnCode() {
            return severity == 'I' ? 0 : severity == 'W' ? 8 : 12;
        }

        @Override
        public String toString() {
            return id + " " + text;
        }
    }

    /** A row of {@code dsmc query filespace}: number, last incremental (null when never), type, name (may hold blanks). */
    record Filespace(int number, @Nullable LocalDateTime lastIncremental, String type, String name) {}

    /** A row of {@code dsmc query backup}: size in bytes, backup date, management class, active or inactive, path. */
    record Version(long sizeBytes, LocalDateTime backupDate, String managementClass, boolean active, String path) {}

    /** The summary block dsmc prints after a restore or backup; null where the line is missing. */
    record Summary(@Nullable Long objects, @Nullable Long failed, @Nullable Long bytes, Map<String, String> lines) {}

    private static final Pattern MESSAGE = Pattern.compile("^\\s*(ANS\\d{4})([IWES])\\s+(.*?)\\s*$");

    private static final String DATE = "\\d{2}-\\d{2}-\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{4}\\.\\d{2}\\.\\d{2}|\\d{2}\\.\\d{2}\\.\\d{4}|\\d{2}/\\d{2}/\\d{4}";
    private static final String TIME = "\\d{2}:\\d{2}:\\d{2}";

    private static final Pattern FILESPACE_ROW = Pattern.compile(
            "^\\s*(\\d+)\\s+(?:((?:" + DATE + ")\\s+" + TIME + ")\\s+)?(\\S+)\\s+(\\S.*?)\\s*$");

    private static final Pattern VERSION_ROW = Pattern.compile(
            "^\\s*([\\d,]+(?:\\.\\d+)?)(?:\\s+(B|KB|MB|GB|TB))?\\s+((?:" + DATE + ")\\s+" + TIME + ")\\s+(\\S+)\\s+([AI])\\s+(\\S.*?)\\s*$");

    private static final Pattern SUMMARY_LINE = Pattern.compile("^\\s*(Total number of [^:]+|Data transfer time|Network data transfer rate"
            + "|Aggregate data transfer rate|Elapsed processing time|Objects compressed by|Total data reduction ratio):\\s*(.*?)\\s*$");

    /**
     * The ANS messages in dsmc's output, in order. A message is a line starting (after blanks) with
     * {@code ANSnnnn} and a severity letter, e.g. {@code ANS1247I Waiting for files from the server...}.
     */
    static List<Message> messages(String output) {
        List<Message> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = MESSAGE.matcher(line);
            if (m.matches()) {
                out.add(new Message(m.group(1) + m.group(2), m.group(2).charAt(0), m.group(3)));
            }
        }
        return out;
    }

    /**
     * Parses {@code dsmc query filespace}: finds the header line holding {@code File Space Name},
     * skips dashed lines, and reads each row as number, optional last-incremental date and time,
     * type (one word) and the name — everything after the type, so names with blanks survive
     * (ReaR's {@code awk '{print $NF}'} does not).
     *
     * <pre>
     *   #     Last Incr Date          Type    File Space Name
     * --------------------------------------------------------------------------------
     *   1     2024-09-13 04:16:26     EXT4    /
     * </pre>
     */
    static List<Filespace> parseFilespaces(String output) {
        List<Filespace> out = new ArrayList<>();
        boolean inTable = false;
        for (String line : output.split("\n")) {
            if (!inTable) {
                inTable = line.contains("File Space Name");
                continue;
            }
            if (line.isBlank() || line.strip().matches("[-\\s]+")) {
                continue;
            }
            Matcher m = FILESPACE_ROW.matcher(line);
            if (!m.matches()) {
                if (MESSAGE.matcher(line).matches()) {
                    continue;
                }
                break;
            }
            out.add(new Filespace(Integer.parseInt(m.group(1)), m.group(2) == null ? null : dateTime(m.group(2)), m.group(3), m.group(4)));
        }
        return out;
    }

    /**
     * Parses {@code dsmc query backup}: rows of size (with thousands separators, optionally a
     * unit), backup date and time, management class, {@code A}/{@code I}, and the path (the rest of
     * the line, blanks included).
     *
     * <pre>
     *    Size      Backup Date        Mgmt Class A/I File
     *    ----      -----------        ---------- --- ----
     *     512  12-09-2011 19:57:09    STANDARD    A  /home/ians/projects/hfs0106
     * </pre>
     */
    static List<Version> parseVersions(String output) {
        List<Version> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = VERSION_ROW.matcher(line);
            if (m.matches()) {
                out.add(new Version(bytes(m.group(1), m.group(2) == null ? "B" : m.group(2)), dateTime(m.group(3)), m.group(4),
                        m.group(5).equals("A"), m.group(6)));
            }
        }
        return out;
    }

    /**
     * Parses the {@code Key.....: value} lines of {@code dsmc query session} ({@code Server Name},
     * {@code Node Name}, ...) and the banner's {@code Node Name: X} and
     * {@code Session established with server X: Linux/x86_64}.
     */
    static Map<String, String> parseSession(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        Pattern dotted = Pattern.compile("^\\s*([A-Za-z][A-Za-z /]*?)\\.{2,}:\\s*(.*?)\\s*$");
        Pattern established = Pattern.compile("^\\s*Session established with server (\\S+?):.*$");
        Pattern banner = Pattern.compile("^\\s*Node Name:\\s*(\\S+)\\s*$");
        for (String line : output.split("\n")) {
            Matcher m = dotted.matcher(line);
            if (m.matches()) {
                out.put(m.group(1).strip(), m.group(2).replaceAll("^\"|\"$", ""));
                continue;
            }
            m = established.matcher(line);
            if (m.matches()) {
                out.putIfAbsent("Server Name", m.group(1));
                continue;
            }
            m = banner.matcher(line);
            if (m.matches()) {
                out.putIfAbsent("Node Name", m.group(1));
            }
        }
        return out;
    }

    /**
     * Parses the summary dsmc prints at the end of a restore, incremental or selective:
     * {@code Total number of objects restored:       6,491}, {@code ... failed: 0},
     * {@code Total number of bytes transferred:       2.37 GB} (units of 1024).
     */
    static Summary parseSummary(String output) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Matcher m = SUMMARY_LINE.matcher(line);
            if (m.matches()) {
                lines.put(m.group(1), m.group(2));
            }
        }
        Long objects = null;
        for (String key : List.of("Total number of objects restored", "Total number of objects backed up", "Total number of objects archived")) {
            if (lines.containsKey(key)) {
                objects = count(lines.get(key));
            }
        }
        Long failed = lines.containsKey("Total number of objects failed") ? count(lines.get("Total number of objects failed")) : null;
        Long bytes = null;
        String transferred = lines.get("Total number of bytes transferred");
        if (transferred != null) {
            Matcher m = Pattern.compile("([\\d,]+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB)?").matcher(transferred);
            if (m.lookingAt()) {
                bytes = bytes(m.group(1), m.group(2) == null ? "B" : m.group(2));
            }
        }
        return new Summary(objects, failed, bytes, lines);
    }

    private static @Nullable Long count(String text) {
        String digits = text.replace(",", "").strip();
        return digits.matches("\\d{1,18}") ? Long.parseLong(digits) : null;
    }

    /** {@code 2.37 GB} → bytes, units of 1024 as dsmc counts them. */
    static long bytes(String number, String unit) {
        double value = Double.parseDouble(number.replace(",", ""));
        int power = switch (unit.toUpperCase(Locale.ROOT)) {
            case "KB" -> 1;
            case "MB" -> 2;
            case "GB" -> 3;
            case "TB" -> 4;
            default -> 0;
        };
        return Math.round(value * Math.pow(1024, power));
    }

    /** A date and time in one of dsmc's date formats, {@code HH:MM:SS}. */
    static LocalDateTime dateTime(String text) {
        String[] parts = text.strip().split("\\s+");
        return LocalDateTime.of(date(parts[0]), LocalTime.parse(parts[1]));
    }

    private static LocalDate date(String d) {
        if (d.matches("\\d{2}-\\d{2}-\\d{4}")) {          // dateformat 2: DD-MM-YYYY
            return LocalDate.of(i(d, 6, 10), i(d, 3, 5), i(d, 0, 2));
        }
        if (d.matches("\\d{4}[-.]\\d{2}[-.]\\d{2}")) {    // 3: YYYY-MM-DD, 5: YYYY.MM.DD
            return LocalDate.of(i(d, 0, 4), i(d, 5, 7), i(d, 8, 10));
        }
        if (d.matches("\\d{2}\\.\\d{2}\\.\\d{4}")) {      // 4: DD.MM.YYYY
            return LocalDate.of(i(d, 6, 10), i(d, 3, 5), i(d, 0, 2));
        }
        if (d.matches("\\d{2}/\\d{2}/\\d{4}")) {          // 1: MM/DD/YYYY
            return LocalDate.of(i(d, 6, 10), i(d, 0, 2), i(d, 3, 5));
        }
        throw new IllegalArgumentException("'" + d + "' is not a date in a dsmc date format");
    }

    private static int i(String s, int from, int to) {
        return Integer.parseInt(s.substring(from, to));
    }
}
