package dev.rear.engine.rescue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kernel modules and what they depend on, from {@code /lib/modules/RELEASE/modules.dep} (depmod's
 * {@code kernel/fs/xfs/xfs.ko: kernel/lib/libcrc32c.ko} lines), and which are built into the kernel
 * ({@code modules.builtin}). Module names are matched the way the kernel does: {@code dm-mod} and
 * {@code dm_mod} are one module.
 */
public final class KernelModules {
    private final Map<String, String> pathByName = new LinkedHashMap<>();
    private final Map<String, List<String>> depsByName = new LinkedHashMap<>();
    private final Set<String> builtin = new HashSet<>();

    private KernelModules() {}

    /** Reads {@code modules.dep} and, when present, {@code modules.builtin} of {@code modulesDir}. */
    public static KernelModules read(Path modulesDir) {
        try {
            KernelModules m = parse(Files.readString(modulesDir.resolve("modules.dep")));
            Path b = modulesDir.resolve("modules.builtin");
            if (Files.isRegularFile(b)) {
                m.addBuiltin(Files.readString(b));
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the module list of " + modulesDir + ": " + e.getMessage(), e);
        }
    }

    /** From the text of a {@code modules.dep}. */
    public static KernelModules parse(String modulesDep) {
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

    /** Adds the modules a {@code modules.builtin} lists (one {@code kernel/...ko} path a line). */
    public void addBuiltin(String modulesBuiltin) {
        for (String line : modulesBuiltin.split("\n")) {
            if (!line.isBlank()) {
                builtin.add(name(line.strip()));
            }
        }
    }

    /** {@code kernel/drivers/md/dm-mod.ko.xz} → {@code dm_mod}. */
    public static String name(String path) {
        String f = path.substring(path.lastIndexOf('/') + 1);
        int ko = f.indexOf(".ko");
        return (ko > 0 ? f.substring(0, ko) : f).replace('-', '_');
    }

    /** Whether {@code module} is a loadable module of this kernel. */
    public boolean contains(String module) {
        return pathByName.containsKey(module.replace('-', '_'));
    }

    /** Whether {@code module} is built into this kernel (nothing to load). */
    public boolean isBuiltin(String module) {
        return builtin.contains(module.replace('-', '_'));
    }

    /** The path of {@code module} relative to the modules directory. */
    public String path(String module) {
        String p = pathByName.get(module.replace('-', '_'));
        if (p == null) {
            throw new IllegalArgumentException("kernel module " + module + " is not in modules.dep");
        }
        return p;
    }

    /**
     * The paths (relative to the modules directory) of {@code wanted} and everything they depend
     * on, each after its dependencies: the order {@code insmod} needs. Built-in modules are skipped.
     *
     * @throws IllegalArgumentException naming a module that is neither in modules.dep nor built in
     */
    public List<String> closure(List<String> wanted) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> order = new ArrayList<>();
        for (String w : wanted) {
            String n = w.replace('-', '_');
            if (!pathByName.containsKey(n) && builtin.contains(n)) {
                continue;
            }
            visit(n, seen, order, w);
        }
        return List.copyOf(order);
    }

    private void visit(String name, Set<String> seen, List<String> order, String wantedBy) {
        if (!pathByName.containsKey(name)) {
            throw new IllegalArgumentException("kernel module " + name + " (wanted for " + wantedBy
                    + ") is not in modules.dep: not built for this kernel");
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
