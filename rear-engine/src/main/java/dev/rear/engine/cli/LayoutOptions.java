package dev.rear.engine.cli;

import dev.rear.engine.config.RearConfig;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.layout.LayoutStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of the commands that discover the layout, with ReaR's variable names in their help. */
final class LayoutOptions {

    @Option(names = "--layout-dir", paramLabel = "DIR", description = "Where the layout is kept (default: ${DEFAULT-VALUE}).")
    Path layoutDir = LayoutStore.DEFAULT_DIR;

    @Option(names = "--include-loop", description = "Describe loop devices too (left out by default).")
    boolean includeLoop;

    @Option(names = "--exclude", paramLabel = "COMPONENT", description = "Leave a component out: disk:sdc, fs:/scratch, vg:scratch, md:md127 (EXCLUDE_COMPONENTS).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--only-include-vg", paramLabel = "VG", description = "Keep only these volume groups (ONLY_INCLUDE_VG).")
    List<String> onlyIncludeVg = new ArrayList<>();

    @Option(names = "--exclude-vg", paramLabel = "VG", description = "Leave these volume groups out (EXCLUDE_VG).")
    List<String> excludeVg = new ArrayList<>();

    @Option(names = "--exclude-md", paramLabel = "MD", description = "Leave these md arrays out (EXCLUDE_MD).")
    List<String> excludeMd = new ArrayList<>();

    @Option(names = "--keep-unused-disks", description = "Describe disks that carry nothing in use too (AUTOEXCLUDE_DISKS=no).")
    boolean keepUnusedDisks;

    @Option(names = "--root", paramLabel = "DIR", hidden = true, description = "The host root to read /sys, /proc, /dev and /etc under (tests).")
    Path root = Path.of("/");

    /**
     * The discovery options: the configuration's (EXCLUDE_COMPONENTS, ONLY_INCLUDE_VG, EXCLUDE_VG,
     * EXCLUDE_MD, AUTOEXCLUDE_DISKS, and the backup target from BACKUP_URL) with this command
     * line's added.
     */
    DiscoveryOptions discoveryOptions(RearConfig config) {
        List<String> components = new ArrayList<>(config.excludeComponents());
        components.addAll(exclude);
        List<String> only = new ArrayList<>(config.onlyIncludeVg());
        only.addAll(onlyIncludeVg);
        List<String> vgs = new ArrayList<>(config.excludeVg());
        vgs.addAll(excludeVg);
        List<String> mds = new ArrayList<>(config.excludeMd());
        mds.addAll(excludeMd);
        return new DiscoveryOptions(config.autoexcludeDisks() && !keepUnusedDisks, components, only, vgs, mds, includeLoop, true,
                backupTargets(config.backupUrl()), root);
    }

    /** A local backup location ({@code file:///path}) whose disk holds nothing of the system. */
    static List<Path> backupTargets(String backupUrl) {
        if (backupUrl != null && backupUrl.startsWith("file://")) {
            String path = backupUrl.substring("file://".length());
            if (path.startsWith("/")) {
                return List.of(Path.of(path));
            }
        }
        return List.of();
    }

    LayoutStore store() {
        return new LayoutStore(layoutDir);
    }
}
