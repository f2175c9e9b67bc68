package dev.rear.provider.bacula;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers of Bacula 9.6 {@code bconsole} output, as it prints it when fed commands on standard
 * input (each command echoed on its own line before its output). Each parser names the command whose
 * output it reads; the tests run them on outputs captured from Bacula 9.6.7.
 */
final class BconsoleOutput {
    private BconsoleOutput() {}

    /** The catalog's time format ({@code StartTime: 2026-11-26 18:53:09}), the director's local time. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static final Pattern DIRECTOR = Pattern.compile("^1000 OK: \\S+ (\\S+) Version: (.*)$", Pattern.MULTILINE);
    private static final Pattern QUEUED = Pattern.compile("^Job queued\\. JobId=(\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern SELECTED = Pattern.compile("^You have selected the following JobIds?: ([0-9,]+)\\s*$", Pattern.MULTILINE);
    private static final Pattern KEY_VALUE = Pattern.compile("^\\s*([A-Za-z]+): ?(.*)$");
    private static final Pattern FILES_RESTORED = Pattern.compile("^(\\d+) files? restored\\.\\s*$", Pattern.MULTILINE);
    private static final Pattern SUBSTITUTED = Pattern.compile("^(Automatically selected (?:Client|FileSet): .*)$", Pattern.MULTILINE);

    /** Lines bconsole prints between any two commands; not part of a command's answer. */
    private static boolean noise(String line) {
        return line.equals("You have messages.") || line.startsWith("Using Catalog ") || line.startsWith("Automatically selected Catalog: ");
    }

    /**
     * The director's name and version from the session header
     * ({@code 1000 OK: 103 test-dir Version: 9.6.7 (10 December 2020)}).
     */
    static Optional<String[]> director(String output) {
        Matcher m = DIRECTOR.matcher(output);
        return m.find() ? Optional.of(new String[] {m.group(1), m.group(2).strip()}) : Optional.empty();
    }

    /**
     * Splits a session's output into the answers to its commands: the lines after each echoed
     * command up to the next one. A command bconsole did not echo (the session ended before it) gets
     * an empty answer.
     */
    static List<String> answers(String output, List<String> commands) {
        String[] lines = output.split("\n", -1);
        List<String> out = new ArrayList<>();
        int at = 0;
        int[] starts = new int[commands.size()];
        for (int c = 0; c < commands.size(); c++) {
            starts[c] = -1;
            for (int i = at; i < lines.length; i++) {
                if (lines[i].strip().equals(commands.get(c).strip())) {
                    starts[c] = i;
                    at = i + 1;
                    break;
                }
            }
        }
        for (int c = 0; c < commands.size(); c++) {
            if (starts[c] < 0) {
                out.add("");
                continue;
            }
            int end = lines.length;
            for (int n = c + 1; n < commands.size(); n++) {
                if (starts[n] >= 0) {
                    end = starts[n];
                    break;
                }
            }
            StringBuilder b = new StringBuilder();
            for (int i = starts[c] + 1; i < end; i++) {
                if (!noise(lines[i].strip())) {
                    b.append(lines[i]).append('\n');
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    /** The names a dot command lists one a line ({@code .clients}, {@code .filesets}, {@code .jobs type=R}). */
    static List<String> names(String answer) {
        return answer.lines().map(String::strip).filter(l -> !l.isEmpty() && !noise(l)).toList();
    }

    /**
     * The records of {@code llist jobs ...} / {@code llist jobid=N}: right-aligned {@code Key: value}
     * lines, a record starting at each {@code JobId:}. {@code No results to list.} gives none.
     */
    static List<Map<String, String>> records(String answer) {
        return records(answer, "JobId");
    }

    /**
     * The records of an {@code llist} whose records start at {@code firstKey}
     * ({@code MediaId} for {@code llist volume=V}).
     */
    static List<Map<String, String>> records(String answer, String firstKey) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> cur = null;
        for (String line : answer.split("\n")) {
            Matcher m = KEY_VALUE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1);
            if (key.equals(firstKey)) {
                cur = new LinkedHashMap<>();
                out.add(cur);
            }
            if (cur != null) {
                cur.put(key, m.group(2).strip());
            }
        }
        return out;
    }

    /**
     * The rows of the first {@code +---+} table in an answer ({@code list jobmedia jobid=N},
     * {@code list jobs}), each a map from the header's column names to the cells.
     */
    static List<Map<String, String>> table(String answer) {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> header = null;
        int borders = 0;
        for (String line : answer.split("\n")) {
            String l = line.strip();
            if (l.startsWith("+-")) {
                if (++borders == 3) {
                    break;
                }
                continue;
            }
            if (!l.startsWith("|") || borders == 0) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String c : l.substring(1, l.length() - (l.endsWith("|") ? 1 : 0)).split("\\|", -1)) {
                cells.add(c.strip());
            }
            if (header == null) {
                header = cells;
            } else {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < cells.size(); i++) {
                    row.put(header.get(i), cells.get(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The JobId of {@code Job queued. JobId=N} ({@code run ... yes}, {@code restore ... yes}). */
    static OptionalLong queuedJobId(String answer) {
        Matcher m = QUEUED.matcher(answer);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The JobIds a restore selected: {@code You have selected the following JobId: 1} or {@code JobIds: 2,7}. */
    static List<Long> selectedJobIds(String answer) {
        Matcher m = SELECTED.matcher(answer);
        if (!m.find()) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        for (String s : m.group(1).split(",")) {
            if (!s.isBlank()) {
                ids.add(Long.parseLong(s.strip()));
            }
        }
        return ids;
    }

    /** The JobIds of {@code .bvfs_get_jobids jobid=N}: the chain a restore of N needs ({@code 2,7}). */
    static List<Long> jobIdList(String answer) {
        for (String line : names(answer)) {
            if (line.matches("[0-9]+(,[0-9]+)*")) {
                List<Long> ids = new ArrayList<>();
                for (String s : line.split(",")) {
                    ids.add(Long.parseLong(s));
                }
                return ids;
            }
        }
        return List.of();
    }

    /**
     * Lines where Bacula says it used something other than what was asked
     * ({@code Automatically selected Client: test-fd} after {@code Could not find Client ...}).
     */
    static List<String> substitutions(String answer) {
        List<String> out = new ArrayList<>();
        Matcher m = SUBSTITUTED.matcher(answer);
        while (m.find()) {
            out.add(m.group(1).strip());
        }
        return out;
    }

    /**
     * The log lines of {@code list joblog jobid=N}: the table's {@code LogText} cells, each entry
     * with its continuation lines, without the borders and the {@code \} Bacula puts after each entry.
     */
    static List<String> joblog(String answer) {
        List<String> out = new ArrayList<>();
        StringBuilder entry = null;
        int state = 0; // 0 before the LogText header, 1 header seen, 2 in the entries, 3 done
        for (String raw : answer.split("\n")) {
            String line = raw.stripTrailing();
            if (state == 0) {
                if (line.matches("\\|\\s*LogText\\s*\\|")) {
                    state = 1;
                }
                continue;
            }
            if (line.startsWith("+--")) {
                if (state == 1) {
                    state = 2;
                    continue;
                }
                if (state == 2) {
                    if (entry != null) {
                        out.add(entry.toString().strip());
                        entry = null;
                    }
                    state = 3;
                }
                continue;
            }
            if (state != 2) {
                continue;
            }
            if (line.matches("\\\\\\s*\\|")) {
                if (entry != null) {
                    out.add(entry.toString().strip());
                    entry = null;
                }
                continue;
            }
            if (line.startsWith("| ") && entry == null) {
                entry = new StringBuilder(line.substring(2));
            } else if (entry != null) {
                entry.append('\n').append(line);
            }
        }
        if (entry != null) {
            out.add(entry.toString().strip());
        }
        return out;
    }

    /**
     * The lines of a job log that report errors: {@code Error:}, {@code ERR=} (e.g. {@code Could not stat
     * "/x": ERR=No such file or directory}, a non-fatal error of a backup that ends "OK -- with warnings"),
     * {@code Fatal error}, and the {@code Termination:} line.
     */
    static List<String> errorLines(List<String> joblog) {
        List<String> out = new ArrayList<>();
        for (String entry : joblog) {
            for (String line : entry.split("\n")) {
                String l = line.strip();
                if (l.contains("Error:") && !l.contains("Bacula ") || l.contains("ERR=") || l.contains("Fatal error")
                        || l.startsWith("Termination:")) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    /** What {@code status client=C} says about a running job: files and bytes so far, files expected (restores). */
    record ClientProgress(long files, long bytes, @org.jspecify.annotations.Nullable Long expected, String file) {}

    private static final Pattern RUNNING = Pattern.compile("^JobId (\\d+) Job \\S+ is running\\.\\s*$");
    private static final Pattern FILES_BYTES = Pattern.compile("^\\s*Files=([0-9,]+) Bytes=([0-9,]+)\\b.*$");
    private static final Pattern EXPECTED = Pattern.compile("^\\s*Files: Restored=([0-9,]+) Expected=([0-9,]+)\\b.*$");
    private static final Pattern PROCESSING = Pattern.compile("^\\s*Processing file: (.*)$");

    /**
     * The progress of job {@code jobId} in {@code status client=C} (its block under {@code Running Jobs:}:
     * {@code Files=2 Bytes=65,536 ...}, for a restore {@code Files: Restored=2 Expected=6 Completed=33%}),
     * or empty when the file daemon does not run it (yet).
     */
    static Optional<ClientProgress> clientProgress(String answer, long jobId) {
        boolean in = false;
        long files = -1;
        long bytes = 0;
        Long expected = null;
        String file = "";
        for (String line : answer.split("\n")) {
            Matcher run = RUNNING.matcher(line);
            if (run.matches()) {
                if (in) {
                    break;
                }
                in = Long.parseLong(run.group(1)) == jobId;
                continue;
            }
            if (!in) {
                continue;
            }
            if (line.startsWith("====") || line.startsWith("Director connected")) {
                break;
            }
            Matcher m = FILES_BYTES.matcher(line);
            if (m.matches()) {
                files = Long.parseLong(m.group(1).replace(",", ""));
                bytes = Long.parseLong(m.group(2).replace(",", ""));
            }
            m = EXPECTED.matcher(line);
            if (m.matches()) {
                files = Long.parseLong(m.group(1).replace(",", ""));
                expected = Long.parseLong(m.group(2).replace(",", ""));
            }
            m = PROCESSING.matcher(line);
            if (m.matches()) {
                file = m.group(1).strip();
            }
        }
        return files < 0 ? Optional.empty() : Optional.of(new ClientProgress(files, bytes, expected, file));
    }

    /** The count of {@code N files restored.} that {@code bextract} prints at its end. */
    static OptionalLong filesRestored(String bextractOutput) {
        Matcher m = FILES_RESTORED.matcher(bextractOutput);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last < 0 ? OptionalLong.empty() : OptionalLong.of(last);
    }

    /** A catalog time in the director's zone, or empty for {@code 0}, {@code NULL} or another form. */
    static Optional<Instant> time(String value, ZoneId zone) {
        try {
            return Optional.of(LocalDateTime.parse(value.strip(), TIME).atZone(zone).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A number from a record, 0 when absent or not a number. */
    static long number(Map<String, String> record, String key) {
        String v = record.getOrDefault(key, "").replace(",", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
