package dev.rear.provider.bacula;

import java.util.Map;

/**
 * Bacula's one-letter job status ({@code JobStatus} in {@code list}/{@code llist} output), with the
 * meanings of Bacula 9.6's catalog table {@code Status}.
 */
enum JobStatus {
    ;

    private static final Map<Character, String> MEANING = Map.ofEntries(
            Map.entry('C', "Created, not yet running"), Map.entry('R', "Running"), Map.entry('B', "Blocked"),
            Map.entry('T', "Completed successfully"), Map.entry('W', "Terminated with warnings"),
            Map.entry('E', "Terminated with errors"), Map.entry('e', "Non-fatal error"), Map.entry('f', "Fatal error"),
            Map.entry('D', "Verify found differences"), Map.entry('A', "Canceled by user"),
            Map.entry('F', "Waiting for Client"), Map.entry('S', "Waiting for Storage daemon"),
            Map.entry('m', "Waiting for new media"), Map.entry('M', "Waiting for media mount"),
            Map.entry('s', "Waiting for storage resource"), Map.entry('j', "Waiting for job resource"),
            Map.entry('c', "Waiting for client resource"), Map.entry('d', "Waiting on maximum jobs"),
            Map.entry('t', "Waiting on start time"), Map.entry('p', "Waiting on higher priority jobs"),
            Map.entry('a', "SD despooling attributes"), Map.entry('i', "Doing batch insert file records"),
            Map.entry('I', "Incomplete Job"));

    /** How a finished job went. */
    enum Verdict {
        /** Completed without errors. */
        OK,
        /** Completed, but with errors counted or a warning status: the data may be incomplete. */
        WARNING,
        /** Failed, cancelled or incomplete. */
        ERROR
    }

    /** The meaning of a status letter, e.g. {@code "Terminated with errors"}; {@code "unknown status"} for others. */
    static String meaning(char letter) {
        return MEANING.getOrDefault(letter, "unknown status");
    }

    /** {@code E (Terminated with errors)}. */
    static String describe(char letter) {
        return letter + " (" + meaning(letter) + ")";
    }

    /** Whether a job with this status has ended (successfully or not). */
    static boolean finished(char letter) {
        return "TWEefDAI".indexOf(letter) >= 0 || !MEANING.containsKey(letter);
    }

    /**
     * The verdict on a finished job: {@code T} without errors is OK; {@code T} with errors, {@code W}
     * (Bacula Enterprise and Bareos) and {@code e} are warnings; everything else ({@code E f A D I},
     * unknown letters) is an error.
     */
    static Verdict verdict(char letter, long errors) {
        return switch (letter) {
            case 'T' -> errors > 0 ? Verdict.WARNING : Verdict.OK;
            case 'W', 'e' -> Verdict.WARNING;
            default -> Verdict.ERROR;
        };
    }
}
