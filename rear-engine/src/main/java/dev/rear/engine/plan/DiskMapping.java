package dev.rear.engine.plan;

import org.jspecify.annotations.Nullable;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.SystemDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which target disk each original disk goes onto, and how that was decided.
 *
 * <p>Rule, in order (each original is matched by the first rule that finds an unused target):
 * <ol>
 *   <li>{@code file}: an entry of the mapping file (or {@code --target ORIG=TARGET}); it overrides
 *       every automatic rule and its target must be one of the given targets;</li>
 *   <li>{@code wwn}, then {@code serial}: the same disk, whatever its name now;</li>
 *   <li>{@code name+size}: the same kernel path and the same size;</li>
 *   <li>{@code size}: first a target of exactly the original's size, else the smallest target at
 *       least as large (ties broken by path); originals are taken largest first so a big original
 *       is not starved by a small one.</li>
 * </ol>
 * A target is used at most once; a target that is not mapped is never referenced by the plan.
 * Originals left over are an error listing them and the unused targets with their sizes.
 */
public record DiskMapping(List<Entry> entries) {

    /** One mapped disk. {@code how} is {@code wwn}, {@code serial}, {@code name+size}, {@code size} or {@code file}. */
    public record Entry(Disk original, TargetDisk target, String how) {
        public String originalPath() {
            return original.path();
        }
    }

    public DiskMapping {
        entries = List.copyOf(entries);
    }

    /**
     * Maps every disk of {@code descriptor} onto {@code targets}.
     *
     * @param fileEntries source → target lines (mapping file, {@code --target}); may be empty
     * @throws PlanException when an original cannot be mapped or two originals would share a target
     */
    public static DiskMapping map(SystemDescriptor descriptor, List<TargetDisk> targets, Map<String, String> fileEntries) {
        Map<String, TargetDisk> byPath = new LinkedHashMap<>();
        for (TargetDisk t : targets) {
            if (byPath.put(t.path(), t) != null) {
                throw new PlanException("target " + t.path() + " is given twice");
            }
        }
        Map<String, Disk> originals = new LinkedHashMap<>();
        descriptor.disks().forEach(d -> originals.put(d.path(), d));
        Map<String, Entry> chosen = new TreeMap<>();
        Map<String, String> usedTargets = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : fileEntries.entrySet()) {
            Disk d = originals.get(e.getKey());
            if (d == null) {
                throw new PlanException("mapping " + e.getKey() + " -> " + e.getValue() + ": the descriptor has no disk "
                        + e.getKey() + " (it has " + String.join(", ", originals.keySet()) + ")");
            }
            TargetDisk t = byPath.get(e.getValue());
            if (t == null) {
                t = new TargetDisk(e.getValue(), d.sizeBytes(), d.logicalSectorSize(), null, null, null);
                byPath.put(t.path(), t);
            }
            claim(usedTargets, t, d);
            chosen.put(d.path(), new Entry(d, t, "file"));
        }
        List<Disk> rest = new ArrayList<>(originals.values().stream().filter(d -> !chosen.containsKey(d.path())).toList());
        // identity: WWN, then serial
        for (String rule : List.of("wwn", "serial")) {
            for (Disk d : List.copyOf(rest)) {
                String id = norm(rule.equals("wwn") ? d.wwn() : d.serial());
                if (id == null) {
                    continue;
                }
                Optional<TargetDisk> t = byPath.values().stream()
                        .filter(x -> !usedTargets.containsKey(x.path()))
                        .filter(x -> id.equals(norm(rule.equals("wwn") ? x.wwn() : x.serial()))).findFirst();
                if (t.isPresent()) {
                    claim(usedTargets, t.get(), d);
                    chosen.put(d.path(), new Entry(d, t.get(), rule));
                    rest.remove(d);
                }
            }
        }
        for (Disk d : List.copyOf(rest)) {
            TargetDisk t = byPath.get(d.path());
            if (t != null && !usedTargets.containsKey(t.path()) && t.sizeBytes() == d.sizeBytes()) {
                claim(usedTargets, t, d);
                chosen.put(d.path(), new Entry(d, t, "name+size"));
                rest.remove(d);
            }
        }
        rest.sort(Comparator.comparingLong(Disk::sizeBytes).reversed().thenComparing(Disk::path));
        for (Disk d : List.copyOf(rest)) {
            List<TargetDisk> free = byPath.values().stream().filter(x -> !usedTargets.containsKey(x.path()))
                    .sorted(Comparator.comparingLong(TargetDisk::sizeBytes).thenComparing(TargetDisk::path)).toList();
            Optional<TargetDisk> t = free.stream().filter(x -> x.sizeBytes() == d.sizeBytes()).findFirst();
            if (t.isEmpty()) {
                t = free.stream().filter(x -> x.sizeBytes() >= d.sizeBytes()).findFirst();
            }
            if (t.isPresent()) {
                claim(usedTargets, t.get(), d);
                chosen.put(d.path(), new Entry(d, t.get(), "size"));
                rest.remove(d);
            }
        }
        if (!rest.isEmpty()) {
            StringBuilder b = new StringBuilder("no target disk for ");
            b.append(String.join(", ", rest.stream().sorted(Comparator.comparing(Disk::path))
                    .map(d -> d.path() + " (" + d.sizeBytes() + " bytes" + (d.serial() == null ? "" : ", serial " + d.serial()) + ")").toList()));
            List<TargetDisk> free = byPath.values().stream().filter(x -> !usedTargets.containsKey(x.path()))
                    .sorted(Comparator.comparing(TargetDisk::path)).toList();
            b.append("; candidate targets: ");
            b.append(free.isEmpty() ? "none left" : String.join(", ", free.stream()
                    .map(x -> x.path() + " (" + x.sizeBytes() + " bytes)").toList()));
            b.append("; map them in a disk_mappings file (--mapping-file) or with --target ORIG=TARGET");
            throw new PlanException(b.toString());
        }
        List<Entry> ordered = new ArrayList<>();
        descriptor.disks().forEach(d -> ordered.add(chosen.get(d.path())));
        return new DiskMapping(ordered);
    }

    private static void claim(Map<String, String> used, TargetDisk t, Disk d) {
        String prev = used.putIfAbsent(t.path(), d.path());
        if (prev != null) {
            throw new PlanException("two originals onto one target: " + prev + " and " + d.path() + " both map to " + t.path());
        }
    }

    private static @Nullable String norm(@Nullable String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String x = s.strip().toLowerCase(Locale.ROOT);
        return x.startsWith("0x") ? x.substring(2) : x;
    }

    public Optional<Entry> forOriginal(String originalDiskPath) {
        return entries.stream().filter(e -> e.originalPath().equals(originalDiskPath)).findFirst();
    }

    /** The mapped target paths, in descriptor order. */
    public List<String> targetPaths() {
        return entries.stream().map(e -> e.target().path()).toList();
    }

    /**
     * An original device path as it is on the targets: a mapped disk becomes its target, one of its
     * partitions the target's partition of the same number; anything else (md, mapper, LV) keeps its name.
     */
    public String translate(String device) {
        for (Entry e : entries) {
            if (e.originalPath().equals(device)) {
                return e.target().path();
            }
            for (Partition p : e.original().partitionTable().partitions()) {
                if (p.path().equals(device)) {
                    return partitionPath(e.target().path(), p.number());
                }
            }
        }
        return device;
    }

    /** {@code /dev/sda} + 2 → {@code /dev/sda2}; {@code /dev/nvme0n1} + 2 → {@code /dev/nvme0n1p2}. */
    public static String partitionPath(String diskPath, int number) {
        char last = diskPath.charAt(diskPath.length() - 1);
        return diskPath + (Character.isDigit(last) ? "p" : "") + number;
    }
}
