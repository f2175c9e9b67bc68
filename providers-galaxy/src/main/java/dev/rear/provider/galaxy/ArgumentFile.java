package dev.rear.provider.galaxy;

import org.jspecify.annotations.Nullable;

/**
 * The argument file of {@code qoperation restore -af FILE}, in the legacy {@code [section]} form
 * ReaR's GALAXY11 restore writes (vendor-clis.md §2.4): the administrator's own
 * {@code GALAXY11_Q_ARGUMENTFILE} first, then source client, level, options, data agent, backup set,
 * source path {@code /}, the destination (the recovery's target root) and, for a point in time,
 * {@code QR_RECOVER_POINT_IN_TIME} with {@code [browseto]} the end time of the backup job chosen.
 *
 * @param preamble        the contents of {@code GALAXY11_Q_ARGUMENTFILE}, or {@code null}
 * @param client          the source client
 * @param backupSet       the backup set
 * @param destination     the destination path (the target root)
 * @param browseTo        the end time to browse to as qlist jobhistory prints it, or {@code null} for the latest data
 * @param doNotOverwrite  whether to keep files already on disk ({@code QR_DO_NOT_OVERWRITE_FILE_ON_DISK}, ReaR's choice)
 */
record ArgumentFile(@Nullable String preamble, String client, String backupSet, String destination, @Nullable String browseTo,
                    boolean doNotOverwrite) {

    ArgumentFile {
        for (String v : new String[] {client, backupSet, destination, browseTo}) {
            if (v != null && (v.isBlank() || v.contains("\n") || v.contains("\r") || v.startsWith("["))) {
                throw new IllegalArgumentException("'" + v + "' cannot be a value in a qoperation argument file");
            }
        }
    }

    /** The file's text. */
    String text() {
        StringBuilder b = new StringBuilder();
        if (preamble != null && !preamble.isEmpty()) {
            b.append(preamble);
            if (!preamble.endsWith("\n")) {
                b.append('\n');
            }
        }
        b.append("[sourceclient]\n").append(client).append('\n');
        b.append("[level]\n1\n");
        b.append("[options]\nQR_PRESERVE_LEVEL\n");
        if (doNotOverwrite) {
            b.append("QR_DO_NOT_OVERWRITE_FILE_ON_DISK\n");
        }
        if (browseTo != null) {
            b.append("QR_RECOVER_POINT_IN_TIME\n");
        }
        b.append("[dataagent]\n").append(QSession.AGENT).append('\n');
        b.append("[backupset]\n").append(backupSet).append('\n');
        b.append("[sourcepaths]\n/\n");
        b.append("[destinationpath]\n").append(destination).append('\n');
        if (browseTo != null) {
            b.append("[browseto]\n").append(browseTo).append('\n');
        }
        return b.toString();
    }
}
