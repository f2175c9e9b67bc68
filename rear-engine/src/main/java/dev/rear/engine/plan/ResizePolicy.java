package dev.rear.engine.plan;

import org.jspecify.annotations.Nullable;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.DosPartitionKind;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.FilesystemType;
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
 * <p>Shrinking something that holds data needs its used space: given with {@code --used} (options
 * {@code usedBytes}, by device or mountpoint), which wins, or else recorded in the descriptor at
 * capture time ({@link Filesystem#usedBytes()}). A filesystem needs {@link #needed} bytes: its used
 * space plus 10% plus 64 MiB (journal, metadata, and what was written after the capture), never
 * less than the mkfs minimum of its type. A filesystem directly on a shrunk device is refused when
 * its used space is unknown or it does not fit; a VG whose LVs no longer fit is refused without
 * used-space figures; with them, linear LVs are shrunk, largest first, down to what their
 * filesystem needs rounded up to whole extents. LVs never grow.
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
        Map<String, Long> given = o.usedBytes();
        for (Filesystem fs : d.filesystems()) {
            long lost = delta.getOrDefault(fs.device(), 0L);
            if (lost >= 0) {
                continue;
            }
            Used u = usedOf(given, fs.device(), fs);
            String what = fs.device() + " (" + fs.type().name().toLowerCase(Locale.ROOT)
                    + (fs.mounts().isEmpty() ? "" : " on " + fs.mounts().get(0).mountpoint()) + ")";
            if (u == null) {
                throw new PlanException("shrinking " + what + " by " + (-lost) + " bytes needs its used space, and none was given"
                        + " nor recorded in the descriptor; give it with --used "
                        + (fs.mounts().isEmpty() ? fs.device() : fs.mounts().get(0).mountpoint()) + "=BYTES");
            }
            long need = needed(fs.type(), u.bytes());
            long newSize = deviceSize(d, fs.device()) + lost;
            if (newSize >= 0 && need > newSize) {
                throw new PlanException("target too small: " + what + " holds " + u.bytes() + " bytes (" + human(u.bytes()) + ", "
                        + u.source() + ") and needs " + need + " bytes (" + marginText(fs.type(), u.bytes()) + ") but would get only "
                        + newSize + " bytes (" + human(newSize) + ")");
            }
            decisions.add(what + " shrinks by " + (-lost) + " bytes" + (newSize >= 0 ? " to " + newSize + " bytes" : "") + "; used "
                    + human(u.bytes()) + " " + u.source() + ", needs " + human(need) + " (" + marginText(fs.type(), u.bytes()) + "): fits");
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
            boolean anyUsed = !given.isEmpty() || vg.logicalVolumes().stream().anyMatch(lv -> d.filesystems().stream()
                    .anyMatch(f -> f.device().equals(vg.pathOf(lv)) && f.usedBytes() != null));
            if (!anyUsed) {
                throw new PlanException("target too small for VG " + vg.name() + ": its LVs need " + alloc + " bytes, the targets give it "
                        + newVg + " bytes (" + (alloc - newVg) + " short); LVs are shrunk only with their used space, and none was given nor recorded in the descriptor"
                        + " (--used /dev/" + vg.name() + "/LV=BYTES or --used MOUNTPOINT=BYTES)");
            }
            List<LogicalVolume> lvs = vg.logicalVolumes().stream().filter(lv -> lv.segmentType() == LvSegmentType.LINEAR)
                    .sorted(Comparator.comparingLong(LogicalVolume::sizeBytes).reversed().thenComparing(LogicalVolume::name)).toList();
            for (LogicalVolume lv : lvs) {
                if (deficit <= 0) {
                    break;
                }
                Filesystem fs = d.filesystems().stream().filter(f -> f.device().equals(vg.pathOf(lv))).findFirst().orElse(null);
                Used u = usedOf(given, vg.pathOf(lv), fs);
                if (u == null) {
                    continue;
                }
                long need = fs == null ? u.bytes() : needed(fs.type(), u.bytes());
                long floor = Math.max(roundUp(need, ext), ext);
                long give = Math.min(deficit, Math.max(0, lv.sizeBytes() - floor));
                if (give > 0) {
                    lvSizes.put(vg.pathOf(lv), lv.sizeBytes() - give);
                    decisions.add("LV " + vg.pathOf(lv) + " shrinks " + lv.sizeBytes() + " -> " + (lv.sizeBytes() - give)
                            + " bytes (used " + human(u.bytes()) + " " + u.source()
                            + (fs == null ? "" : ", needs " + human(need) + ": " + marginText(fs.type(), u.bytes())) + ")");
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

    /** A filesystem's used space and where the figure came from. */
    record Used(long bytes, String source) {}

    static final String GIVEN = "given with --used";
    static final String CAPTURED = "at capture time";

    /**
     * The used space of the filesystem (or LV) on {@code device}: {@code --used} by device or by
     * any of its mount points wins; else the figure the descriptor recorded at capture time.
     */
    static @Nullable Used usedOf(Map<String, Long> given, String device, @Nullable Filesystem fs) {
        if (given.containsKey(device)) {
            return new Used(given.get(device), GIVEN);
        }
        if (fs == null) {
            return null;
        }
        for (Mount m : fs.mounts()) {
            if (given.containsKey(m.mountpoint())) {
                return new Used(given.get(m.mountpoint()), GIVEN);
            }
        }
        return fs.usedBytes() == null ? null : new Used(fs.usedBytes(), CAPTURED);
    }

    /** The safety margin on used space: room for journal, metadata and what was written since. */
    static final long MARGIN_FIXED = 64L << 20;

    /**
     * The smallest size {@code mkfs} makes of each type, measured with this machine's tools:
     * {@code mkfs.xfs} refuses below 300 MiB ("Filesystem must be larger than 300MB"),
     * {@code mkfs.btrfs} below 114294784 bytes (109 MiB); ext and vfat make filesystems far below
     * the 64 MiB of the margin.
     */
    static long mkfsMinimum(FilesystemType type) {
        return switch (type) {
            case XFS -> 300L << 20;
            case BTRFS -> 109L << 20;
            default -> 0;
        };
    }

    /**
     * How big a filesystem holding {@code used} bytes must be: {@code used + 10% + 64 MiB}, and
     * never below the mkfs minimum of its type.
     */
    public static long needed(FilesystemType type, long used) {
        long withMargin = used + (used + 9) / 10 + MARGIN_FIXED;
        return Math.max(withMargin < 0 ? Long.MAX_VALUE : withMargin, mkfsMinimum(type));
    }

    static String marginText(FilesystemType type, long used) {
        long withMargin = used + (used + 9) / 10 + MARGIN_FIXED;
        return withMargin >= mkfsMinimum(type) ? "used + 10% + 64 MiB"
                : "the " + type.name().toLowerCase(Locale.ROOT) + " minimum of " + human(mkfsMinimum(type));
    }

    /** {@code 512 B}, {@code 1.1 GiB}. */
    static String human(long n) {
        return dev.rear.engine.provider.ConsoleProgress.bytes(n);
    }

    private static long deviceSize(SystemDescriptor d, String device) {
        Long size = dev.rear.engine.descriptor.DeviceSizes.of(d, device);
        return size == null ? -1 : size;
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
