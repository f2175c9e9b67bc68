package dev.rear.engine.config;

/** {@code BACKUP_TYPE}: empty (the default) or {@code full}, {@code incremental}, {@code differential}. */
public enum BackupType {
    /** Every backup is complete ({@code BACKUP_TYPE=} or {@code BACKUP_TYPE=full}). */
    FULL,
    /** Each backup holds what changed since the one before. */
    INCREMENTAL,
    /** Each backup holds what changed since the last full one. */
    DIFFERENTIAL
}
