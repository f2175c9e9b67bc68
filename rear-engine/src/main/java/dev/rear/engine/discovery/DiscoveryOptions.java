package dev.rear.engine.discovery;

import java.nio.file.Path;
import java.util.List;

/**
 * What discovery includes, with ReaR's names.
 *
 * @param autoExcludeDisks   {@code AUTOEXCLUDE_DISKS}: leave out disks that carry nothing in use
 *                           (no mounted filesystem, active swap, or member of something that does)
 * @param excludeComponents  {@code EXCLUDE_COMPONENTS}: component ids ({@code disk:sdc}, {@code fs:/scratch})
 *                           or device paths to leave out
 * @param onlyIncludeVg      {@code ONLY_INCLUDE_VG}: when not empty, the only volume groups kept
 * @param excludeVg          {@code EXCLUDE_VG}: volume groups to leave out
 * @param excludeMd          {@code EXCLUDE_MD}: md arrays to leave out ({@code md127} or {@code /dev/md127})
 * @param includeLoop        loop devices are left out unless this is set (tests need them in)
 * @param autoExcludeUsb     leave out removable and USB disks ({@code AUTOEXCLUDE_USB_PATH} in spirit)
 * @param backupTargets      mount points of backup locations, whose disks are left out ({@code BACKUP_URL})
 * @param root               the host's root, {@code /}; tests point it at a prepared tree
 */
public record DiscoveryOptions(boolean autoExcludeDisks, List<String> excludeComponents, List<String> onlyIncludeVg,
                               List<String> excludeVg, List<String> excludeMd, boolean includeLoop, boolean autoExcludeUsb,
                               List<Path> backupTargets, Path root) {

    public DiscoveryOptions {
        excludeComponents = List.copyOf(excludeComponents);
        onlyIncludeVg = List.copyOf(onlyIncludeVg);
        excludeVg = List.copyOf(excludeVg);
        excludeMd = List.copyOf(excludeMd);
        backupTargets = List.copyOf(backupTargets);
    }

    /** ReaR's defaults: disks that carry nothing are left out, loop devices and USB disks too. */
    public static DiscoveryOptions defaults() {
        return new DiscoveryOptions(true, List.of(), List.of(), List.of(), List.of(), false, true, List.of(), Path.of("/"));
    }

    public DiscoveryOptions withIncludeLoop(boolean include) {
        return new DiscoveryOptions(autoExcludeDisks, excludeComponents, onlyIncludeVg, excludeVg, excludeMd, include,
                autoExcludeUsb, backupTargets, root);
    }
}
