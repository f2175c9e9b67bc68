package dev.rear.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kernel modules and what they depend on, from {@code /lib/modules/RELEASE/modules.dep} (depmod's
 * {@code kernel/fs/xfs/xfs.ko: kernel/lib/libcrc32c.ko} lines). Module names are matched the way
 * the kernel does: {@code dm-mod} and {@code dm_mod} are one module.
 */
final class KernelModules {
    private final Map<String, String> pathByName = new LinkedHashMap<>();
    private final Map<String, List<String>> depsByName = new LinkedHashMap<>();

    private KernelModules() {}

    static KernelModules read(Path modulesDep) {
        try {
            return parse(Files.readString(modulesDep));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modulesDep + ": " + e.getMessage(), e);
        }
    }

    static KernelModules parse(String modulesDep) {
        KernelModules m = new KernelModules();
        int n = 0;
        for (String line : modulesDep.split("\n")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("modules.dep line " + n + " has no 'module:' prefix: " + line);
            }
            String path = line.substring(0, colon).strip();
            String name = name(path);
            m.pathByName.put(name, path);
            List<String> deps = new ArrayList<>();
            for (String d : line.substring(colon + 1).strip().split("\\s+")) {
                if (!d.isEmpty()) {
                    deps.add(name(d));
                }
            }
            m.depsByName.put(name, deps);
        }
        return m;
    }

    /** {@code kernel/drivers/md/dm-mod.ko.xz} → {@code dm_mod}. */
    static String name(String path) {
        String f = path.substring(path.lastIndexOf('/') + 1);
        int ko = f.indexOf(".ko");
        return (ko > 0 ? f.substring(0, ko) : f).replace('-', '_');
    }

    /**
     * The paths (relative to the modules directory) of {@code wanted} and everything they depend
     * on, each after its dependencies: the order {@code insmod} needs.
     *
     * @throws IllegalArgumentException naming a module modules.dep does not list (built into the
     *                                  kernel, or not built at all)
     */
    List<String> closure(List<String> wanted) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> order = new ArrayList<>();
        for (String w : wanted) {
            visit(w.replace('-', '_'), seen, order, w);
        }
        return List.copyOf(order);
    }

    boolean contains(String module) {
        return pathByName.containsKey(module.replace('-', '_'));
    }

    private void visit(String name, Set<String> seen, List<String> order, String wantedBy) {
        if (!pathByName.containsKey(name)) {
            throw new IllegalArgumentException("kernel module " + name + " (wanted for " + wantedBy
                    + ") is not in modules.dep: built in, or not built for this kernel");
        }
        if (!seen.add(name)) {
            return;
        }
        for (String d : depsByName.get(name)) {
            visit(d, seen, order, name);
        }
        order.add(pathByName.get(name));
    }
}
