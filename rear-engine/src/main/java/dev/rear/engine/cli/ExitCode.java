package dev.rear.engine.cli;

/**
 * rear's exit codes. Stable: scripts and cron jobs depend on them ({@code rear checklayout || rear mkrescue}).
 * Listed in {@code rear --help} and in the README.
 */
public enum ExitCode {
    /** Done, nothing wrong. */
    OK(0, "success"),
    /** {@code diff}: the descriptors differ; {@code checklayout}: the layout changed. */
    DIFFERENCES(1, "differences found (diff, checklayout)"),
    /** The command line is wrong. */
    USAGE(2, "usage error: unknown command or option, missing argument"),
    /** A descriptor is not JSON, not a descriptor of a version this rear reads, or breaks a rule. */
    DESCRIPTOR_INVALID(3, "invalid descriptor"),
    /** Something rear needs before it may act is missing: a tool, root, a confirmation, a reachable backup. */
    PRECONDITION_FAILED(4, "precondition failed"),
    /** The backup provider reported a failure. */
    PROVIDER_FAILURE(5, "backup provider failure"),
    /** A recovery stopped part-way; {@code rear recover --resume} continues it from the journal. */
    RECOVERY_INCOMPLETE(6, "recovery incomplete; resumable from its journal"),
    /** A file could not be read or written. */
    IO_ERROR(7, "input/output error: a file is missing, unreadable or unwritable"),
    /** The configuration has a line rear does not accept, or a value it cannot use (file and line are named). */
    CONFIG_INVALID(8, "invalid configuration (file and line are named)"),
    /** A journal is damaged or was changed after it was written (the line is named); it cannot be resumed from. */
    JOURNAL_INVALID(9, "invalid journal (the line is named)"),
    /** A bug in rear: the message and, with -d, the stack trace belong in a bug report. */
    INTERNAL_ERROR(70, "internal error (a bug in rear)"),
    /** Stopped by Ctrl-C or SIGTERM. */
    INTERRUPTED(130, "interrupted");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The code → meaning pairs picocli prints under "Exit codes:", in code order. */
    static java.util.Map<String, String> helpList() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (ExitCode c : values()) {
            out.put(String.format("%3d", c.code), c.meaning);
        }
        return out;
    }
}
