package dev.rear.api.spi;

import java.util.Locale;

/**
 * What a {@link BackupProvider} can do. A provider declares exactly what works
 * ({@link BackupProvider#capabilities()}) and refuses the rest with
 * {@link ProviderException.Kind#UNSUPPORTED}.
 *
 * <p><b>Experimental</b> (since 0.1): constants may be added.
 *
 * @since 0.1
 */
public enum Capability {
    /** {@link BackupProvider#backup} with {@link BackupKind#FULL} (ReaR: has a {@code backup/<METHOD>} stage). */
    BACKUP,
    /** {@link BackupProvider#restore} of the latest restore point or one given by id. Every provider has it. */
    RESTORE,
    /** {@link BackupKind#INCREMENTAL}: only what changed since the previous backup of any kind. Needs {@link #BACKUP}. */
    INCREMENTAL,
    /** {@link BackupKind#DIFFERENTIAL}: what changed since the last full backup. Needs {@link #BACKUP}. */
    DIFFERENTIAL,
    /** Restore the state as of a time ({@link RestorePointSelector#asOf}), e.g. TSM's {@code -pitdate}. Needs {@link #RESTORE}. */
    POINT_IN_TIME,
    /** Restore only some paths or filespaces ({@link RestoreRequest#paths()}, {@link RestoreRequest#excludes()}). Needs {@link #RESTORE}. */
    SELECTIVE_RESTORE,
    /** {@link BackupProvider#listRestorePoints}. */
    LIST_RESTORE_POINTS,
    /** {@link BackupProvider#verify}: check a restore point without restoring it. */
    VERIFY,
    /**
     * {@link BackupProvider#storeRescueImage}: keep the rescue image (and the files written with
     * it) in the backup product too, as ReaR's {@code TSM_RESULT_FILE_PATH} does.
     *
     * @since 1.1
     */
    STORE_RESCUE_IMAGE;

    /** The name shown to people and in JSON: lower case with dashes, e.g. {@code list-restore-points}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
