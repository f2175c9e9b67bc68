package dev.rear.provider.galaxy;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers of what Commvault's qcommands print (formats as ReaR reads them, vendor-clis.md §2.5).
 * Pure functions on text, tested on the captured samples.
 */
final class QOutput {
    private QOutput() {}

    /** How {@code qlist jobhistory -dispJobTime} prints times: {@code 2023/04/02 17:31:09}, local time. */
    static final DateTimeFormatter JOB_TIME = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss");

    /** One row of {@code qlist jobhistory}. */
    record HistoryJob(String jobId, String status, String storagePolicy, String subclient, String instance,
                      String startTime, String endTime) {
        LocalDateTime end() {
            return LocalDateTime.parse(endTime, JOB_TIME);
        }
    }

    /** What {@code qlist job -j ID -co sr} says of one job. */
    record JobStatus(String status, List<String> reasonCodes, List<String> messages) {
        boolean completed() {
            return status.regionMatches(true, 0, "Completed", 0, 9);
        }

        /** "Completed w/ one or more errors" / "... warnings": done, but not cleanly. */
        boolean completedWithProblems() {
            return completed() && !status.equalsIgnoreCase("Completed");
        }

        /** Failed or Killed (ReaR: {@code ?ail*|?ill*}). */
        boolean failed() {
            String s = status.toLowerCase(java.util.Locale.ROOT);
            return s.startsWith("fail") || s.startsWith("kill") && !s.startsWith("kill pending");
        }

        /** States of a job still in progress (Commvault's list for active jobs; ReaR's {@code ?uspend*|*end*|?unn*|?ait*}). */
        boolean active() {
            String s = status.toLowerCase(java.util.Locale.ROOT);
            return s.equals("pending") || s.equals("queued") || s.equals("running") || s.equals("waiting")
                    || s.equals("suspended") || s.equals("suspend pending") || s.equals("kill pending");
        }

        /** The reason codes with their messages, one line, for a verdict. */
        String detail() {
            if (!messages.isEmpty()) {
                return String.join("; ", messages);
            }
            return reasonCodes.isEmpty() ? "" : "failure reason codes " + String.join(", ", reasonCodes);
        }
    }

    /**
     * {@code qlist backupset -c CLIENT -a Q_LINUX_FS}: one backup set name per line, trailing blanks
     * stripped (ReaR's GALAXY11 does the same).
     */
    static List<String> backupSets(String stdout) {
        List<String> out = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    private static final Pattern RUN_OF_BLANKS = Pattern.compile(" {2,}|\t+");

    /**
     * {@code qlist jobhistory -c CLIENT -js Completed -jt Backup -dispJobTime -b SET -a Q_LINUX_FS}:
     * two header lines, then one job a line with columns separated by runs of two or more blanks
     * ({@code JOBID STATUS STORAGE POLICY SUBCLIENT INSTANCE StartTime EndTime}); "No job history
     * found" when there is none.
     *
     * @throws IllegalArgumentException on a line that is not of that form, naming it
     */
    static List<HistoryJob> jobHistory(String stdout) {
        List<HistoryJob> out = new ArrayList<>();
        for (String raw : stdout.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("JOBID") || line.startsWith("-----") || line.startsWith("No job history found")) {
                continue;
            }
            String[] f = RUN_OF_BLANKS.split(line);
            if (f.length != 7 || !f[0].matches("\\d+")) {
                throw new IllegalArgumentException("unexpected line in qlist jobhistory output: '" + line + "'");
            }
            try {
                LocalDateTime.parse(f[6], JOB_TIME);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("unexpected end time '" + f[6] + "' in qlist jobhistory line '" + line + "'", e);
            }
            out.add(new HistoryJob(f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
        }
        return out;
    }

    private static final Pattern STATUS_LINE = Pattern.compile("^(\\S.*?)(?:\\s{2,}(\\d+(?:\\s*,\\s*\\d+)*))?\\s*$");

    /**
     * {@code qlist job -j ID -co sr}: a header ({@code STATUS FAILURE REASON}), a dashes line, the
     * job's line (a status, perhaps of several words such as "Completed w/ one or more errors", and
     * the comma-separated failure reason codes), and optionally "Messages for Job failure/pending
     * reasons:" with one {@code code -> text} a line.
     *
     * @return empty when the output says "No jobs to display"
     * @throws IllegalArgumentException when there is no status line
     */
    static Optional<JobStatus> jobStatus(String stdout) {
        String[] lines = stdout.split("\n");
        if (stdout.contains("No jobs to display")) {
            return Optional.empty();
        }
        int dashes = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith("------")) {
                dashes = i;
                break;
            }
        }
        if (dashes < 0 || dashes + 1 >= lines.length || lines[dashes + 1].isBlank()) {
            throw new IllegalArgumentException("no job status in qlist job output: '" + stdout.strip() + "'");
        }
        Matcher m = STATUS_LINE.matcher(lines[dashes + 1].strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("unexpected job status line '" + lines[dashes + 1].strip() + "'");
        }
        List<String> codes = m.group(2) == null ? List.of() : List.of(m.group(2).split("\\s*,\\s*"));
        List<String> messages = new ArrayList<>();
        boolean inMessages = false;
        for (int i = dashes + 2; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("Messages for Job")) {
                inMessages = true;
                continue;
            }
            if (inMessages && line.contains("->")) {
                // "31900347<TAB>318767965 -> text" on the first line, "<TAB>402653226 -> text" after
                String[] parts = line.strip().split("\t");
                messages.add(parts[parts.length - 1].strip());
            }
        }
        return Optional.of(new JobStatus(m.group(1).strip(), codes, messages));
    }

    /**
     * {@code qoperation restore -af FILE}: the job id, perhaps with blanks around it.
     *
     * @throws IllegalArgumentException when stdout is not a number
     */
    static String jobId(String stdout) {
        String id = stdout.strip();
        if (!id.matches("\\d+")) {
            throw new IllegalArgumentException("qoperation restore printed no job id but '" + id + "'");
        }
        return id;
    }

    /**
     * {@code commvault status}: the {@code Label = value} lines, label as written (first one wins),
     * e.g. {@code Home Directory → /opt/commvault/Base}. A {@code  - Label = value} line of a client
     * group counts too.
     */
    static Map<String, String> status(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : stdout.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("- ")) {
                line = line.substring(2).strip();
            }
            int eq = line.indexOf(" = ");
            if (eq > 0 && !line.startsWith("[")) {
                out.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
            }
        }
        return out;
    }

    /**
     * The CommServe's host name from {@code <registry>/Galaxy/<instance>/CommServe/.properties}: the
     * second field of the {@code CSHOSTNAME} line (as ReaR reads it).
     */
    static Optional<String> commServeHost(String properties) {
        for (String raw : properties.split("\n")) {
            String[] f = raw.strip().split("\\s+");
            if (f.length >= 2 && f[0].equals("CSHOSTNAME")) {
                return Optional.of(f[1]);
            }
        }
        return Optional.empty();
    }
}
