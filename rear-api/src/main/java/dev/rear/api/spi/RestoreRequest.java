package dev.rear.api.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to restore, from which restore point, and where.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param targetRoot   the directory that becomes the restored system's {@code /}, normally
 *                     {@code /mnt/local} with the recreated filesystems mounted below it; absolute
 * @param restorePoint which restore point (point in time needs {@link Capability#POINT_IN_TIME})
 * @param paths        what to restore, as absolute paths in the backup, restored one after the
 *                     other in this order (TSM: the filespaces, {@code /} before {@code /var/log});
 *                     empty for everything. Non-empty needs {@link Capability#SELECTIVE_RESTORE}
 * @param excludes     patterns not restored (ReaR's {@code EXCLUDE_RESTORE}, the contents of
 *                     filesystems not recreated), same syntax as {@link BackupRequest#excludes()};
 *                     non-empty needs {@link Capability#SELECTIVE_RESTORE}, and a provider that can
 *                     select paths but not exclude them refuses with
 *                     {@link ProviderException.Kind#UNSUPPORTED}
 * @param overwrite    what to do when the target root already holds files
 * @since 0.1
 */
public record RestoreRequest(Path targetRoot, RestorePointSelector restorePoint, List<String> paths,
                             List<String> excludes, OverwritePolicy overwrite) {

    public RestoreRequest {
        Objects.requireNonNull(targetRoot, "targetRoot");
        if (!targetRoot.isAbsolute()) {
            throw new IllegalArgumentException("the target root must be absolute, not " + targetRoot);
        }
        Objects.requireNonNull(restorePoint, "restorePoint");
        paths = Paths.absolute("restore paths", paths);
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(overwrite, "overwrite");
    }

    /** Everything from the latest restore point into {@code targetRoot}, refusing a target that holds files. */
    public static RestoreRequest everything(Path targetRoot) {
        return new RestoreRequest(targetRoot, RestorePointSelector.latest(), List.of(), List.of(), OverwritePolicy.REFUSE);
    }

    /** The same request from another restore point. */
    public RestoreRequest from(RestorePointSelector selector) {
        return new RestoreRequest(targetRoot, selector, paths, excludes, overwrite);
    }

    /** The same request for only these paths. */
    public RestoreRequest onlyPaths(List<String> selected) {
        return new RestoreRequest(targetRoot, restorePoint, selected, excludes, overwrite);
    }

    /** The same request leaving out these patterns. */
    public RestoreRequest excluding(List<String> patterns) {
        return new RestoreRequest(targetRoot, restorePoint, paths, patterns, overwrite);
    }

    /** The same request with another overwrite policy. */
    public RestoreRequest withOverwrite(OverwritePolicy policy) {
        return new RestoreRequest(targetRoot, restorePoint, paths, excludes, policy);
    }

    /** Whether only part of the backup is asked for ({@link Capability#SELECTIVE_RESTORE}). */
    public boolean isSelective() {
        return !paths.isEmpty() || !excludes.isEmpty();
    }
}
