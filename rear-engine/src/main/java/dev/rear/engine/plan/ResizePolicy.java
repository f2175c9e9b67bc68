package dev.rear.engine.plan;

import org.jspecify.annotations.Nullable;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.DosPartitionKind;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LvSegmentType;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PartitionTableType;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each partition goes on a target of another size, and which LVs must shrink.
 *
 * <p>{@link Mode#LAST} (ReaR's default): the last partition (by start sector) that may be resized
 * takes the whole difference; partitions after it move by the same amount, keeping their sizes.
 * The difference is a multiple of 1 MiB, so aligned partitions stay aligned. A smaller target on
 * which the original partitions still fit (free space at the end) changes nothing.
 * {@link Mode#PROPORTIONAL}: every resizable partition grows or shrinks in proportion to its size,
 * rounded down to whole MiB; gaps between partitions are kept. In both modes an ESP (flag or type),
 * {@code bios_grub}, swap and the filesystems on {@code /boot} and {@code /boot/efi} keep their size unless
 * {@code resizeProtected} is set. The last usable sector of a GPT target is
 * {@code sectors - 2 - 16384/sectorSize} (sectors - 34 for 512-byte sectors), of a DOS target
 * {@code sectors - 1}.
 *
 * <p>Shrinking something that holds data needs its used space: a filesystem directly on a shrunk
 * device is refused unless {@code usedBytes} names it (by device or mountpoint) and it fits; a VG
 * whose LVs no longer fit is refused without used-space figures; with them, linear LVs are shrunk,
 * largest first, down to their used space rounded up to whole extents. LVs never grow.
 */
public final class ResizePolicy {
    private ResizePolicy() {}

    public enum Mode { LAST, PROPORTIONAL;
        public static Mode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "last", "default" -> LAST;
                case "proportional" -> PROPORTIONAL;
                default -> throw new IllegalArgumentException("resize mode must be 'last' or 'proportional', not '" + s + "'");
            };
        }
    }

    /** Where one partition goes on its target. */
    public record Placement(int number, long startSector, long sizeSectors) {
        public long endSector() {
            return startSector + sizeSectors - 1;
        }
    }

    /** One disk's outcome; {@code placements} by partition number. */
    public record DiskResult(String original, String target, long targetLastUsable, Map<Integer, Placement> placements) {}

    /** The whole outcome: per disk, LV sizes that differ from the descriptor's, and the decisions in words. */
    public record Result(List<DiskResult> disks, Map<String, Long> lvSizes, List<String> decisions) {
        public DiskResult disk(String originalPath) {
            return disks.stream().filter(d -> d.original().equals(originalPath)).findFirst().orElseThrow();
        }
    }

    static final String ESP = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
    static final String BIOS_GRUB = "21686148-6449-6e6f-744e-656564454649";
    static final String SWAP = "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f";

    public static long lastUsable(PartitionTableType type, long sectors, int sectorSize) {
        return type == PartitionTableType.GPT ? sectors - 2 - 16384L / sectorSize : sectors - 1;
    }

    public static Result apply(SystemDescriptor d, DiskMapping mapping, PlanOptions o) {
        List<String> decisions = new ArrayList<>();
        List<DiskResult> disks = new ArrayList<>();
        Map<String, Long> delta = new LinkedHashMap<>(); // device → bytes gained (negative: lost)
        for (DiskMapping.Entry e : mapping.entries()) {
            disks.add(disk(d, e, o, decisions, delta));
        }
        for (RaidArray r : d.raidArrays()) {
            List<Long> ds = r.members().stream().filter(m -> !m.isSpare()).map(m -> delta.getOrDefault(m.device(), 0L)).toList();
            if (ds.isEmpty()) {
                continue;
            }
            long min = ds.stream().mapToLong(Long::longValue).min().orElse(0);
            int n = ds.size();
            long md = switch (r.level()) {
                case "raid0", "linear" -> ds.stream().mapToLong(Long::longValue).sum();
                case "raid4", "raid5" -> (n - 1) * min;
                case "raid6" -> (n - 2) * min;
                case "raid10" -> (n / 2) * min;
                default -> min;
            };
            if (md != 0) {
                delta.put(r.device(), md);
            }
        }
        d.encryption().forEach(l -> {
            if (delta.containsKey(l.device())) {
                delta.put(l.mapperPath(), delta.get(l.device()));
            }
        });
        Map<String, Long> used = o.usedBytes();
        for (Filesystem fs : d.filesystems()) {
            long lost = delta.getOrDefault(fs.device(), 0L);
            if (lost >= 0) {
                continue;
            }
            Long u = usedOf(used, fs.device(), fs.mounts());
            String what = fs.device() + " (" + fs.type().name().toLowerCase(Locale.ROOT)
                    + (fs.mounts().isEmpty() ? "" : " on " + fs.mounts().get(0).mountpoint()) + ")";
            if (u == null) {
                throw new PlanException("shrinking " + what + " by " + (-lost) + " bytes needs its used space, and none was given;"
                        + " give it with --used " + (fs.mounts().isEmpty() ? fs.device() : fs.mounts().get(0).mountpoint()) + "=BYTES");
            }
            long newSize = deviceSize(d, fs.device()) + lost;
            if (newSize >= 0 && u > newSize) {
                throw new PlanException("target too small: " + what + " holds " + u + " bytes but would get only " + newSize + " bytes");
            }
            decisions.add(what + " shrinks by " + (-lost) + " bytes; " + u + " bytes used fit");
        }
        Map<String, Long> lvSizes = new TreeMap<>();
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            long change = 0;
            for (PhysicalVolume pv : vg.physicalVolumes()) {
                change += delta.getOrDefault(pv.device(), 0L);
            }
            long newVg = vg.sizeBytes() + change;
            long alloc = vg.logicalVolumes().stream().mapToLong(LogicalVolume::allocatedBytes).sum();
            if (change != 0) {
                decisions.add("VG " + vg.name() + ": " + vg.sizeBytes() + " -> " + newVg + " bytes; its LVs take " + alloc + " bytes"
                        + (change > 0 ? " (LVs keep their sizes; the rest stays free in the VG)" : ""));
            }
            if (alloc <= newVg) {
                continue;
            }
            long ext = vg.extentSizeBytes();
            long deficit = roundUp(alloc - newVg, ext);
            if (used.isEmpty()) {
                throw new PlanException("target too small for VG " + vg.name() + ": its LVs need " + alloc + " bytes, the targets give it "
                        + newVg + " bytes (" + (alloc - newVg) + " short); LVs are shrunk only with their used space, and none was given"
                        + " (--used /dev/" + vg.name() + "/LV=BYTES or --used MOUNTPOINT=BYTES)");
            }
            List<LogicalVolume> lvs = vg.logicalVolumes().stream().filter(lv -> lv.segmentType() == LvSegmentType.LINEAR)
                    .sorted(Comparator.comparingLong(LogicalVolume::sizeBytes).reversed().thenComparing(LogicalVolume::name)).toList();
            for (LogicalVolume lv : lvs) {
                if (deficit <= 0) {
                    break;
                }
                Filesystem fs = d.filesystems().stream().filter(f -> f.device().equals(vg.pathOf(lv))).findFirst().orElse(null);
                Long u = usedOf(used, vg.pathOf(lv), fs == null ? List.of() : fs.mounts());
                if (u == null) {
                    continue;
                }
                long floor = Math.max(roundUp(u, ext), ext);
                long give = Math.min(deficit, Math.max(0, lv.sizeBytes() - floor));
                if (give > 0) {
                    lvSizes.put(vg.pathOf(lv), lv.sizeBytes() - give);
                    decisions.add("LV " + vg.pathOf(lv) + " shrinks " + lv.sizeBytes() + " -> " + (lv.sizeBytes() - give)
                            + " bytes (" + u + " bytes used)");
                    deficit -= give;
                }
            }
            if (deficit > 0) {
                throw new PlanException("target too small for VG " + vg.name() + ": its LVs need " + alloc + " bytes, the targets give it "
                        + newVg + " bytes, and the used space given allows shrinking them by only " + (roundUp(alloc - newVg, ext) - deficit)
                        + " bytes");
            }
        }
        return new Result(List.copyOf(disks), lvSizes, List.copyOf(decisions));
    }

    private static @Nullable Long usedOf(Map<String, Long> used, String device, List<Mount> mounts) {
        if (used.containsKey(device)) {
            return used.get(device);
        }
        for (Mount m : mounts) {
            if (used.containsKey(m.mountpoint())) {
                return used.get(m.mountpoint());
            }
        }
        return null;
    }

    private static long deviceSize(SystemDescriptor d, String device) {
        for (Disk disk : d.disks()) {
            if (disk.path().equals(device)) {
                return disk.sizeBytes();
            }
            for (Partition p : disk.partitionTable().partitions()) {
                if (p.path().equals(device)) {
                    return p.sizeSectors() * disk.logicalSectorSize();
                }
            }
        }
        for (RaidArray r : d.raidArrays()) {
            if (r.device().equals(device) && r.sizeBytes() != null) {
                return r.sizeBytes();
            }
        }
        return -1;
    }

    static boolean isProtected(SystemDescriptor d, Disk disk, Partition p) {
        String type = p.type().toLowerCase(Locale.ROOT);
        if (p.hasFlag("esp") || p.hasFlag("bios_grub") || p.hasFlag("swap")
                || type.equals(ESP) || type.equals(BIOS_GRUB) || type.equals(SWAP) || type.equals("ef") || type.equals("82")) {
            return true;
        }
        if (d.swap().stream().anyMatch(s -> s.device().equals(p.path()))) {
            return true;
        }
        return d.filesystems().stream().filter(f -> f.device().equals(p.path()))
                .anyMatch(f -> f.mounts().stream().anyMatch(m -> m.mountpoint().equals("/boot") || m.mountpoint().equals("/boot/efi"))
                        && f.mounts().stream().noneMatch(m -> m.mountpoint().equals("/")));
    }

    private static DiskResult disk(SystemDescriptor d, DiskMapping.Entry e, PlanOptions o, List<String> decisions, Map<String, Long> delta) {
        Disk disk = e.original();
        TargetDisk t = e.target();
        int ss = disk.logicalSectorSize();
        PartitionTableType type = disk.partitionTable().type();
        long tgtLast = lastUsable(type, t.sizeSectors(), ss);
        Map<Integer, Placement> out = new TreeMap<>();
        disk.partitionTable().partitions().forEach(p -> out.put(p.number(), new Placement(p.number(), p.startSector(), p.sizeSectors())));
        if (t.sizeBytes() == disk.sizeBytes() && t.logicalSectorSize() == ss) {
            return new DiskResult(disk.path(), t.path(), tgtLast, out);
        }
        String sizes = disk.path() + " (" + disk.sizeBytes() + " bytes) -> " + t.path() + " (" + t.sizeBytes() + " bytes)";
        if (type == PartitionTableType.NONE) {
            if (t.sizeBytes() == disk.sizeBytes()) {
                return new DiskResult(disk.path(), t.path(), tgtLast, out);
            }
            delta.put(disk.path(), t.sizeBytes() - disk.sizeBytes());
            if (t.sizeBytes() < disk.sizeBytes()) {
                decisions.add(sizes + ": whole-disk content shrinks by " + (disk.sizeBytes() - t.sizeBytes()) + " bytes");
            } else {
                decisions.add(sizes + ": whole-disk content grows by " + (t.sizeBytes() - disk.sizeBytes()) + " bytes");
            }
            return new DiskResult(disk.path(), t.path(), tgtLast, out);
        }
        if (t.logicalSectorSize() != ss) {
            throw new PlanException(disk.path() + " has " + ss + "-byte sectors, target " + t.path() + " has "
                    + t.logicalSectorSize() + "-byte sectors; rear does not convert a layout between sector sizes");
        }
        long align = Math.max(1, (1L << 20) / ss);
        long origLast = disk.partitionTable().lastUsableLba() != null ? disk.partitionTable().lastUsableLba()
                : lastUsable(type, disk.sizeSectors(), ss);
        List<Partition> parts = disk.partitionTable().partitions().stream().filter(p -> p.kind() != DosPartitionKind.EXTENDED)
                .sorted(Comparator.comparingLong(Partition::startSector)).toList();
        if (parts.isEmpty()) {
            decisions.add(sizes + ": no partitions, nothing to resize");
            return new DiskResult(disk.path(), t.path(), tgtLast, out);
        }
        long origEnd = parts.stream().mapToLong(Partition::endSector).max().orElseThrow();
        long diff = tgtLast - origLast;
        if (diff < 0 && origEnd <= tgtLast) {
            decisions.add(sizes + ": the partitions end at sector " + origEnd + " and still fit before " + tgtLast + "; nothing resized");
            return new DiskResult(disk.path(), t.path(), tgtLast, out);
        }
        long d0 = diff >= 0 ? Math.floorDiv(diff, align) * align : -roundUp(origEnd - tgtLast, align);
        List<Partition> resizable = parts.stream().filter(p -> o.resizeProtected() || !isProtected(d, disk, p)).toList();
        long fixed = parts.stream().filter(p -> !resizable.contains(p)).mapToLong(Partition::sizeSectors).sum();
        if (resizable.isEmpty()) {
            if (d0 < 0) {
                throw new PlanException("target too small: " + t.path() + " has " + (tgtLast + 1) * ss + " usable bytes, the partitions of "
                        + disk.path() + " need " + (origEnd + 1) * ss + " bytes and none of them may be resized");
            }
            decisions.add(sizes + ": no partition may grow (all are ESP, bios_grub, swap or /boot); " + d0 * (long) ss + " bytes stay unused");
            return new DiskResult(disk.path(), t.path(), tgtLast, out);
        }
        Map<Integer, Long> newSize = new LinkedHashMap<>();
        parts.forEach(p -> newSize.put(p.number(), p.sizeSectors()));
        if (o.mode() == Mode.LAST) {
            Partition cand = resizable.get(resizable.size() - 1);
            long ns = cand.sizeSectors() + d0;
            if (ns < align) {
                long needed = (origEnd + 1 - cand.sizeSectors() + align) * ss;
                throw new PlanException("target too small: " + t.path() + " has " + (tgtLast + 1) * ss + " usable bytes; " + disk.path()
                        + " needs " + needed + " bytes for its partitions that keep their size (" + fixed * ss
                        + " bytes of ESP/boot/swap/bios_grub among them) plus 1 MiB for " + cand.path());
            }
            newSize.put(cand.number(), ns);
            decisions.add(sizes + ": " + cand.path() + " (partition " + cand.number() + ") " + (d0 >= 0 ? "grows" : "shrinks") + " "
                    + cand.sizeSectors() * ss + " -> " + ns * ss + " bytes; other partitions keep their size");
        } else {
            long sum = resizable.stream().mapToLong(Partition::sizeSectors).sum();
            long space = sum + d0;
            if (space < align * resizable.size()) {
                throw new PlanException("target too small: " + t.path() + " has " + (tgtLast + 1) * ss + " usable bytes; " + disk.path()
                        + " needs " + (origEnd + 1 - sum + align * resizable.size()) * ss + " bytes for its fixed partitions plus 1 MiB per resizable one");
            }
            for (Partition p : resizable) {
                long ns = Math.max(align, Math.floorDiv(java.math.BigInteger.valueOf(p.sizeSectors()).multiply(java.math.BigInteger.valueOf(space))
                        .divide(java.math.BigInteger.valueOf(sum)).longValueExact(), align) * align);
                newSize.put(p.number(), ns);
                decisions.add(sizes + ": " + p.path() + " (partition " + p.number() + ") scaled " + p.sizeSectors() * ss + " -> " + ns * ss + " bytes");
            }
        }
        long prevOrigEnd = -1;
        long prevNewEnd = -1;
        for (Partition p : parts) {
            long start = prevOrigEnd < 0 ? p.startSector() : prevNewEnd + 1 + (p.startSector() - prevOrigEnd - 1);
            long size = newSize.get(p.number());
            out.put(p.number(), new Placement(p.number(), start, size));
            prevOrigEnd = p.endSector();
            prevNewEnd = start + size - 1;
            if (size != p.sizeSectors()) {
                delta.put(p.path(), (size - p.sizeSectors()) * ss);
            }
        }
        if (prevNewEnd > tgtLast) {
            throw new PlanException("target too small: " + t.path() + " has " + (tgtLast + 1) * ss + " usable bytes; the partitions of "
                    + disk.path() + " would need " + (prevNewEnd + 1) * ss + " bytes");
        }
        for (Partition ext : disk.partitionTable().partitions()) {
            if (ext.kind() != DosPartitionKind.EXTENDED) {
                continue;
            }
            List<Partition> logicals = parts.stream().filter(p -> p.kind() == DosPartitionKind.LOGICAL).toList();
            if (logicals.isEmpty()) {
                continue;
            }
            Partition first = logicals.get(0);
            Partition last = logicals.get(logicals.size() - 1);
            long start = out.get(first.number()).startSector() - (first.startSector() - ext.startSector());
            long end = out.get(last.number()).endSector() + (ext.endSector() - last.endSector());
            out.put(ext.number(), new Placement(ext.number(), start, end - start + 1));
        }
        return new DiskResult(disk.path(), t.path(), tgtLast, out);
    }

    static long roundUp(long v, long unit) {
        return Math.floorDiv(v + unit - 1, unit) * unit;
    }
}
