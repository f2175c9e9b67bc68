package dev.rear.api.spi;

/**
 * What a restore does when its target root already holds files.
 *
 * <p>A root holding nothing but directories — the mount points and {@code lost+found} of freshly
 * made filesystems, as during a recovery — counts as empty ({@link TargetRoots}).
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public enum OverwritePolicy {
    /** Refuse ({@link ProviderException.Kind#REFUSED}, nothing written) when the target root holds any file. The default. */
    REFUSE,
    /** Restore anyway: files from the backup replace files of the same name; other files stay. Only on explicit request. */
    OVERWRITE
}
