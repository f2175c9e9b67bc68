package dev.rear.api.spi;

/**
 * What a backup contains relative to earlier ones (ReaR's {@code BACKUP_TYPE}: empty,
 * {@code incremental}, {@code differential}).
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public enum BackupKind {
    /** Everything included; restorable on its own. */
    FULL,
    /** What changed (including deletions) since the previous backup of any kind; restoring it needs the whole chain. */
    INCREMENTAL,
    /** What changed (including deletions) since the last full backup; restoring it needs that full backup. */
    DIFFERENTIAL
}
