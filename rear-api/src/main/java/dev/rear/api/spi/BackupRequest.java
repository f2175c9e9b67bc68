package dev.rear.api.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to back up. Where to (the target URL, the backup server), with what compression and under
 * which job or policy are the provider's own settings ({@link ProviderContext#settings()}).
 *
 * <p>Paths are absolute <em>as seen from {@link #sourceRoot()}</em>: with source root {@code /}
 * (a normal backup) {@code /home} is {@code /home}; with source root {@code /mnt/snap} (a mounted
 * snapshot, or a test tree) it is {@code /mnt/snap/home}, recorded in the backup as {@code /home}.
 * A later restore into a target root puts it at {@code targetRoot/home}.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param kind         full, incremental ({@link Capability#INCREMENTAL}) or differential
 *                     ({@link Capability#DIFFERENTIAL})
 * @param sourceRoot   the directory whose tree is backed up, normally {@code /}; absolute
 * @param includes     the trees to back up (ReaR: the layout's mount points plus
 *                     {@code BACKUP_PROG_INCLUDE}), in order; each is backed up without descending
 *                     into other filesystems mounted below it unless those are included too. A
 *                     provider whose selection is defined on the server (a Bacula FileSet)
 *                     reports in its result's warnings what it could not honour
 * @param excludes     patterns left out (ReaR's {@code BACKUP_PROG_EXCLUDE} and
 *                     {@code EXCLUDE_MOUNTPOINTS}): shell globs on the absolute path, {@code *}
 *                     matching {@code /} too, as GNU tar {@code --exclude} does
 * @param baseRestorePointId for incremental and differential backups, the restore point to build
 *                     on, or {@code null} to let the provider choose (the latest backup for an
 *                     incremental, the latest full one for a differential); always {@code null} for
 *                     a full backup
 * @since 0.1
 */
public record BackupRequest(BackupKind kind, Path sourceRoot, List<String> includes, List<String> excludes,
                            @Nullable String baseRestorePointId) {

    public BackupRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sourceRoot, "sourceRoot");
        if (!sourceRoot.isAbsolute()) {
            throw new IllegalArgumentException("the source root must be absolute, not " + sourceRoot);
        }
        includes = Paths.absolute("includes", includes);
        if (includes.isEmpty()) {
            throw new IllegalArgumentException("a backup needs at least one include (\"/\" for everything)");
        }
        excludes = List.copyOf(excludes);
        if (kind == BackupKind.FULL && baseRestorePointId != null) {
            throw new IllegalArgumentException("a full backup is based on nothing, not on " + baseRestorePointId);
        }
    }

    /** A full backup of everything under {@code sourceRoot}, nothing excluded. */
    public static BackupRequest full(Path sourceRoot) {
        return new BackupRequest(BackupKind.FULL, sourceRoot, List.of("/"), List.of(), null);
    }

    /** The same request with another kind (and no explicit base). */
    public BackupRequest withKind(BackupKind k) {
        return new BackupRequest(k, sourceRoot, includes, excludes, null);
    }

    /** The same request with these includes. */
    public BackupRequest withIncludes(List<String> paths) {
        return new BackupRequest(kind, sourceRoot, paths, excludes, baseRestorePointId);
    }

    /** The same request with these excludes. */
    public BackupRequest withExcludes(List<String> patterns) {
        return new BackupRequest(kind, sourceRoot, includes, patterns, baseRestorePointId);
    }
}
