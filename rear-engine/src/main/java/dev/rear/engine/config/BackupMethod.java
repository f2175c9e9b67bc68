package dev.rear.engine.config;

/** The {@code BACKUP} methods rear supports, with ReaR's names. */
public enum BackupMethod {
    /** rear's own tar archives on a mounted or local target ({@code BACKUP_URL}); rear's default. */
    NETFS,
    /** IBM Storage Protect (TSM) through {@code dsmc}. */
    TSM,
    /** Commvault through {@code qlogin}, {@code qlist} and {@code qoperation}. */
    GALAXY11,
    /** Bacula through {@code bconsole} and {@code bacula-fd} (or {@code bextract}). */
    BACULA
}
