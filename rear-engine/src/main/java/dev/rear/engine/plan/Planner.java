package dev.rear.engine.plan;

import org.jspecify.annotations.Nullable;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.BtrfsParameters;
import dev.rear.api.descriptor.BtrfsSubvolume;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.DosPartitionKind;
import dev.rear.api.descriptor.ExtParameters;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.LvSegmentType;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PartitionTableType;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.RaidMember;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VfatParameters;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.api.descriptor.XfsParameters;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a descriptor, a disk mapping and options into a {@link Plan}: the steps that recreate the
 * layout on the targets, in an order where every step comes after the steps that create what it
 * uses. Executes nothing.
 *
 * <p>Order: the component graph (partitions → md → LUKS → LVM PV/VG/LV → mkfs/mkswap → btrfs
 * subvolumes → mounts → the {@code restore} step → the {@link FinalizeSteps finalize steps}) sorted topologically; ties are
 * broken by that phase order, then by descriptor order, so the same input gives the same plan.
 */
public final class Planner {
    private Planner() {}

    static final Duration LONG = Duration.ofHours(2);
    /** The argv placeholder for the LUKS key file; always a secret argument. */
    public static final String KEY_FROM_STDIN = "-";

    /** The kinds of the steps that recreate the layout, in phase order; the restore and the finalize steps come after. */
    public static final List<String> LAYOUT_KINDS = List.of("wipe", "partition-table", "md", "luks-format", "luks-open", "pv", "vg",
            "lv", "mkfs", "mkswap", "btrfs-subvolumes", "mount");

    private static final List<String> PHASES = java.util.stream.Stream.concat(java.util.stream.Stream.concat(LAYOUT_KINDS.stream(),
            java.util.stream.Stream.of("restore", "hook")), FinalizeSteps.KINDS.stream()).toList();

    /** The id (and kind) of the step that restores the backup through the provider. */
    public static final String RESTORE_STEP = "restore";
    /** What the restore step creates; steps that need the restored files (finalize) list it in their {@code uses}. */
    public static final String RESTORED = "restored";
    /**
     * The marker a complete restore leaves in the target root (relative to it): its check. A half
     * restore has none, so it runs again.
     */
    public static final String RESTORE_MARKER = "/var/lib/rear/recovery/restore-complete";

    public static Plan plan(SystemDescriptor d, DiskMapping mapping, PlanOptions options) {
        ResizePolicy.Result resize = ResizePolicy.apply(d, mapping, options);
        List<Step> steps = new ArrayList<>();
        Map<String, Set<String>> lower = new TreeMap<>();
        String root = options.targetRoot();

        for (DiskMapping.Entry e : mapping.entries()) {
            String t = e.target().path();
            long s512 = e.target().sizeBytes() / 512;
            List<CommandSpec> cmds = new ArrayList<>();
            cmds.add(CommandSpec.of("wipefs", "--all", "--force", t));
            cmds.add(CommandSpec.of("dd", "if=/dev/zero", "of=" + t, "bs=512", "count=2048", "conv=fsync,notrunc"));
            if (s512 > 2048) {
                cmds.add(CommandSpec.of("dd", "if=/dev/zero", "of=" + t, "bs=512", "count=2048", "seek=" + (s512 - 2048), "conv=fsync,notrunc"));
            }
            steps.add(new Step("wipe:" + t, "wipe", "wipe old signatures on " + t + " (for " + e.originalPath()
                    + "): wipefs, then zero its first and last MiB", List.of(t), List.of(), List.of("blank:" + t), cmds, Check.none()));
        }

        for (DiskMapping.Entry e : mapping.entries()) {
            Disk disk = e.original();
            String t = e.target().path();
            if (disk.partitionTable().type() == PartitionTableType.NONE) {
                lower.put(t, Set.of());
                steps.add(new Step("table:" + t, "partition-table", t + " keeps no partition table (whole-disk use, like "
                        + disk.path() + "); nothing to write", List.of(), List.of("blank:" + t), List.of(t), List.of(), Check.none()));
                continue;
            }
            lower.put(t, Set.of());
            ResizePolicy.DiskResult r = resize.disk(disk.path());
            String script = sfdiskScript(disk, t, r);
            List<CommandSpec> cmds = new ArrayList<>();
            cmds.add(CommandSpec.of("sfdisk", "--wipe", "always", "--wipe-partitions", "always", t)
                    .withStdin(script.getBytes(StandardCharsets.UTF_8)));
            // The kernel may not read the table itself (loop devices, some kernels): partx -u syncs the primary
            // partitions, partx -a adds the logical ones -u leaves out (exit 1 for those there already).
            cmds.add(CommandSpec.of("partx", "-u", t));
            cmds.add(CommandSpec.of("partx", "-a", t).alsoOk(1));
            cmds.add(CommandSpec.of("udevadm", "settle"));
            List<String> created = new ArrayList<>();
            created.add(t);
            for (Partition p : sortedParts(disk)) {
                String pp = DiskMapping.partitionPath(t, p.number());
                created.add(pp);
                lower.put(pp, Set.of(t));
                if (p.kind() != DosPartitionKind.EXTENDED) {
                    cmds.add(CommandSpec.of("wipefs", "--all", "--force", pp));
                }
            }
            boolean gpt = disk.partitionTable().type() == PartitionTableType.GPT;
            String id = disk.partitionTable().id();
            Check check = Check.blkid(t, "PTTYPE", gpt ? "gpt" : "dos", "PTUUID",
                    id == null ? null : gpt ? id.toLowerCase(Locale.ROOT) : id.replaceFirst("^0x", ""));
            steps.add(new Step("table:" + t, "partition-table", "write a " + (gpt ? "GPT" : "DOS") + " partition table"
                    + (id == null ? "" : " with id " + id) + " and " + disk.partitionTable().partitions().size() + " partition(s) to "
                    + t, List.of(t), List.of("blank:" + t), created, cmds, check));
        }

        for (RaidArray md : d.raidArrays()) {
            steps.add(mdStep(md, mapping, lower));
        }

        String key = options.keyFile() == null ? KEY_FROM_STDIN : options.keyFile();
        for (LuksDevice l : d.encryption()) {
            String dev = mapping.translate(l.device());
            List<String> argv = new ArrayList<>(List.of("cryptsetup", "luksFormat", "--batch-mode", "--type", l.version() == 1 ? "luks1" : "luks2",
                    "--uuid", l.uuid(), "--cipher", l.cipher(), "--key-size", Integer.toString(l.keySizeBits())));
            if (l.hash() != null) {
                argv.addAll(List.of("--hash", l.hash()));
            }
            if (l.pbkdf() != null && l.version() == 2) {
                argv.addAll(List.of("--pbkdf", l.pbkdf()));
            }
            if (l.label() != null && l.version() == 2) {
                argv.addAll(List.of("--label", l.label()));
            }
            argv.add("--key-file");
            int secret = argv.size();
            argv.add(key);
            argv.add(dev);
            CommandSpec fmt = new CommandSpec(argv, LONG, Map.of(), Set.of(0), Set.of(secret), null);
            steps.add(new Step("luks:" + l.name(), "luks-format", "LUKS" + l.version() + " on " + dev + " with UUID " + l.uuid()
                    + " (" + l.cipher() + ", " + l.keySizeBits() + " bits); key from " + (options.keyFile() == null ? "a prompt" : "the key file"),
                    List.of(dev), List.of(dev), List.of("luks:" + dev), List.of(fmt), Check.blkid(dev, "TYPE", "crypto_LUKS", "UUID", l.uuid())));
            List<String> open = List.of("cryptsetup", "open", "--type", "luks", "--key-file", key, dev, l.name());
            steps.add(new Step("open:" + l.name(), "luks-open", "open " + dev + " as " + l.mapperPath(), List.of(), List.of("luks:" + dev),
                    List.of(l.mapperPath()), List.of(new CommandSpec(open, CommandSpec.DEFAULT_TIMEOUT, Map.of(), Set.of(0), Set.of(5), null)),
                    new Check("exists", l.mapperPath(), Map.of())));
            lower.put(l.mapperPath(), Set.of(dev));
        }

        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            List<String> pvTokens = new ArrayList<>();
            List<String> pvDevs = new ArrayList<>();
            for (PhysicalVolume pv : vg.physicalVolumes()) {
                String dev = mapping.translate(pv.device());
                pvDevs.add(dev);
                pvTokens.add("pv:" + dev);
                steps.add(new Step("pv:" + dev, "pv", "LVM physical volume on " + dev + " with UUID " + pv.uuid(), List.of(dev), List.of(dev),
                        List.of("pv:" + dev), List.of(CommandSpec.of("pvcreate", "--force", "--force", "--yes", "--uuid", pv.uuid(),
                        "--norestorefile", dev)), Check.blkid(dev, "TYPE", "LVM2_member", "UUID", pv.uuid())));
            }
            String vgPath = "/dev/" + vg.name();
            lower.put(vgPath, new LinkedHashSet<>(pvDevs));
            List<String> argv = new ArrayList<>(List.of("vgcreate", "--yes", "--physicalextentsize", vg.extentSizeBytes() / 1024 + "k", vg.name()));
            argv.addAll(pvDevs);
            steps.add(new Step("vg:" + vg.name(), "vg", "volume group " + vg.name() + " (extent size " + vg.extentSizeBytes()
                    + " bytes) on " + String.join(", ", pvDevs) + "; vgcreate cannot set the original VG UUID " + vg.uuid(),
                    pvDevs, pvTokens, List.of(vgPath), List.of(new CommandSpec(argv, CommandSpec.DEFAULT_TIMEOUT, Map.of(), Set.of(0), Set.of(), null)),
                    new Check("lvm-vg", vg.name(), Map.of())));
            List<LogicalVolume> lvs = new ArrayList<>(vg.logicalVolumes());
            lvs.sort(Comparator.comparingInt((LogicalVolume lv) -> lv.segmentType() == LvSegmentType.THIN_POOL ? 0
                    : lv.segmentType() == LvSegmentType.THIN ? 2 : 1));
            for (LogicalVolume lv : lvs) {
                long size = resize.lvSizes().getOrDefault(vg.pathOf(lv), lv.sizeBytes());
                steps.add(lvStep(vg, lv, size));
                lower.put(vg.pathOf(lv), lv.pool() == null ? Set.of(vgPath) : Set.of(vgPath, "/dev/" + vg.name() + "/" + lv.pool()));
            }
        }

        for (Filesystem fs : d.filesystems()) {
            steps.add(mkfsStep(fs, mapping));
            if (fs.parameters() instanceof BtrfsParameters b && !b.subvolumes().isEmpty()) {
                steps.add(btrfsStep(fs, b, mapping));
            }
        }
        for (Swap sw : d.swap()) {
            String dev = mapping.translate(sw.device());
            List<String> argv = new ArrayList<>(List.of("mkswap", "-f"));
            if (sw.uuid() != null) {
                argv.addAll(List.of("-U", sw.uuid()));
            }
            if (sw.label() != null) {
                argv.addAll(List.of("-L", sw.label()));
            }
            argv.add(dev);
            steps.add(new Step("mkswap:" + dev, "mkswap", "swap on " + dev + (sw.uuid() == null ? "" : " with UUID " + sw.uuid()),
                    List.of(dev), List.of(dev), List.of("fs:" + dev), List.of(cmd(argv)), Check.blkid(dev, "TYPE", "swap", "UUID", sw.uuid(), "LABEL", sw.label())));
        }

        record M(Filesystem fs, Mount m) {}
        List<M> mounts = new ArrayList<>();
        d.filesystems().forEach(fs -> fs.mounts().forEach(m -> mounts.add(new M(fs, m))));
        mounts.sort(Comparator.comparingInt((M x) -> depth(x.m().mountpoint())).thenComparing(x -> x.m().mountpoint()));
        List<String> mountTokens = new ArrayList<>();
        List<String> mountPaths = new ArrayList<>();
        Set<String> mountpoints = new LinkedHashSet<>();
        for (M x : mounts) {
            String mp = x.m().mountpoint();
            if (!mountpoints.add(mp)) {
                continue;
            }
            String dev = mapping.translate(x.fs().device());
            String path = mp.equals("/") ? root : root + mp;
            List<String> uses = new ArrayList<>(List.of("fs:" + dev));
            if (x.fs().parameters() instanceof BtrfsParameters b && !b.subvolumes().isEmpty()) {
                uses.add("subvolumes:" + dev);
            }
            String parent = parentMount(mp, mountpoints);
            if (parent != null) {
                uses.add("mnt:" + parent);
            }
            List<String> opts = x.m().options().stream().filter(o -> !o.equals("defaults")).toList();
            List<String> argv = new ArrayList<>(List.of("mount", "-t", x.fs().type().name().toLowerCase(Locale.ROOT)));
            if (!opts.isEmpty()) {
                argv.addAll(List.of("-o", String.join(",", opts)));
            }
            argv.addAll(List.of(dev, path));
            steps.add(new Step("mount:" + mp, "mount", "mount " + dev + " on " + path, List.of(), uses, List.of("mnt:" + mp),
                    List.of(CommandSpec.of("mkdir", "-p", path), cmd(argv)), new Check("mounted", path, Map.of("SOURCE", dev))));
            mountTokens.add("mnt:" + mp);
            mountPaths.add(path);
        }
        steps.add(new Step(RESTORE_STEP, "restore", "restore the backup into " + root + " through the backup provider",
                List.of(), mountTokens, List.of(RESTORED), List.of(), new Check("marker", root + RESTORE_MARKER, Map.of())));
        steps.addAll(FinalizeSteps.steps(d, mapping, lower, root, RESTORED, mountPaths));

        return new Plan(mapping, resize, topoSort(steps), lower);
    }

    private static List<Partition> sortedParts(Disk disk) {
        return disk.partitionTable().partitions().stream().sorted(Comparator.comparingInt(Partition::number)).toList();
    }

    static String sfdiskScript(Disk disk, String target, ResizePolicy.DiskResult r) {
        boolean gpt = disk.partitionTable().type() == PartitionTableType.GPT;
        StringBuilder b = new StringBuilder();
        b.append("label: ").append(gpt ? "gpt" : "dos").append('\n');
        if (disk.partitionTable().id() != null) {
            b.append("label-id: ").append(disk.partitionTable().id()).append('\n');
        }
        b.append("unit: sectors\n");
        if (disk.logicalSectorSize() != 512) {
            b.append("sector-size: ").append(disk.logicalSectorSize()).append('\n');
        }
        if (gpt) {
            Long first = disk.partitionTable().firstUsableLba();
            b.append("first-lba: ").append(first == null ? 34 : first).append('\n');
            b.append("last-lba: ").append(r.targetLastUsable()).append('\n');
        }
        b.append('\n');
        for (Partition p : sortedParts(disk)) {
            ResizePolicy.Placement pl = r.placements().get(p.number());
            b.append(DiskMapping.partitionPath(target, p.number())).append(" : start=").append(pl.startSector())
                    .append(", size=").append(pl.sizeSectors()).append(", type=").append(p.type());
            if (gpt && p.partUuid() != null) {
                b.append(", uuid=").append(p.partUuid());
            }
            if (gpt && p.name() != null) {
                b.append(", name=\"").append(p.name().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            if (gpt && p.attributes() != null && !p.attributes().isBlank()) {
                b.append(", attrs=\"").append(p.attributes()).append('"');
            }
            if (!gpt && p.hasFlag("boot")) {
                b.append(", bootable");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static Step mdStep(RaidArray md, DiskMapping mapping, Map<String, Set<String>> lower) {
        String name = md.device().substring(md.device().lastIndexOf('/') + 1);
        Map<Integer, String> bySlot = new TreeMap<>();
        List<String> spares = new ArrayList<>();
        for (RaidMember m : md.members()) {
            if (m.isSpare()) {
                spares.add(mapping.translate(m.device()));
            } else {
                bySlot.put(m.slot(), mapping.translate(m.device()));
            }
        }
        List<String> members = new ArrayList<>();
        for (int i = 0; i < md.raidDevices(); i++) {
            members.add(bySlot.getOrDefault(i, "missing"));
        }
        bySlot.forEach((slot, dev) -> {
            if (slot >= md.raidDevices()) {
                members.add(dev);
            }
        });
        List<String> argv = new ArrayList<>(List.of("mdadm", "--create", md.device(), "--run", "--level=" + md.level(),
                "--metadata=" + md.metadata(), "--uuid=" + md.uuid()));
        if (md.name() != null) {
            argv.add("--name=" + md.name());
        }
        if (md.chunkSizeBytes() != null) {
            argv.add("--chunk=" + md.chunkSizeBytes() / 1024 + "K");
        }
        if (md.layout() != null) {
            argv.add("--layout=" + md.layout());
        }
        if (md.bitmap() != null) {
            argv.add("--bitmap=" + md.bitmap());
        }
        argv.add("--raid-devices=" + md.raidDevices());
        if (!spares.isEmpty()) {
            argv.add("--spare-devices=" + spares.size());
        }
        argv.addAll(members);
        argv.addAll(spares);
        List<String> real = new ArrayList<>(members.stream().filter(x -> !x.equals("missing")).toList());
        real.addAll(spares);
        lower.put(md.device(), new LinkedHashSet<>(real));
        boolean degraded = members.contains("missing");
        String hex = md.uuid().replace(":", "");
        String guid = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20);
        List<String> writes = new ArrayList<>(real);
        writes.add(0, md.device());
        return new Step("md:" + name, "md", md.level() + " array " + md.device() + " (metadata " + md.metadata() + ", UUID " + md.uuid()
                + ") on " + String.join(", ", real) + (degraded ? ", degraded (missing members as in the original)" : ""),
                writes, real, List.of(md.device()), List.of(new CommandSpec(argv, LONG, Map.of(), Set.of(0), Set.of(), null)),
                Check.blkid(real.get(0), "TYPE", "linux_raid_member", "UUID", guid));
    }

    private static Step lvStep(VolumeGroup vg, LogicalVolume lv, long size) {
        List<String> argv = new ArrayList<>(List.of("lvcreate", "--yes"));
        // lvcreate refuses --wipesignatures for a thin pool ("unsupported with thin pools"); its data is
        // no filesystem's, and the thin volumes made in it get theirs wiped.
        if (lv.segmentType() != LvSegmentType.THIN_POOL) {
            argv.addAll(List.of("--wipesignatures", "y"));
        }
        List<String> uses = new ArrayList<>(List.of("/dev/" + vg.name()));
        String sz = size + "b";
        switch (lv.segmentType()) {
            case THIN -> {
                argv.addAll(List.of("--type", "thin", "-V", sz, "--thinpool", lv.pool()));
                uses.add("/dev/" + vg.name() + "/" + lv.pool());
            }
            case THIN_POOL -> {
                argv.addAll(List.of("--type", "thin-pool", "-L", sz));
                if (lv.metadataSizeBytes() != null) {
                    argv.addAll(List.of("--poolmetadatasize", lv.metadataSizeBytes() / 1024 + "k"));
                }
                if (lv.chunkSizeBytes() != null) {
                    argv.addAll(List.of("--chunksize", lv.chunkSizeBytes() / 1024 + "k"));
                }
            }
            case STRIPED -> {
                argv.addAll(List.of("--type", "striped", "-L", sz, "-i", Integer.toString(lv.stripes() == null ? 1 : lv.stripes())));
                if (lv.stripeSizeBytes() != null) {
                    argv.addAll(List.of("-I", lv.stripeSizeBytes() / 1024 + "k"));
                }
            }
            case MIRROR, RAID1 -> argv.addAll(List.of("--type", "raid1", "-m",
                    Integer.toString(Math.max(1, (lv.mirrors() == null ? 2 : lv.mirrors()) - 1)), "-L", sz));
            case RAID0, RAID4, RAID5, RAID6, RAID10 -> {
                argv.addAll(List.of("--type", lv.segmentType().name().toLowerCase(Locale.ROOT), "-L", sz));
                if (lv.stripes() != null) {
                    argv.addAll(List.of("-i", Integer.toString(lv.stripes())));
                }
                if (lv.stripeSizeBytes() != null) {
                    argv.addAll(List.of("-I", lv.stripeSizeBytes() / 1024 + "k"));
                }
            }
            default -> argv.addAll(List.of("-L", sz));
        }
        argv.addAll(List.of("-n", lv.name(), vg.name()));
        String path = vg.pathOf(lv);
        return new Step("lv:" + vg.name() + "/" + lv.name(), "lv", lv.segmentType().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " LV " + path + " of " + size + " bytes" + (size != lv.sizeBytes() ? " (shrunk from " + lv.sizeBytes() + ")" : ""),
                List.of(path), uses, List.of(path), List.of(new CommandSpec(argv, Duration.ofMinutes(10), Map.of(), Set.of(0), Set.of(), null)),
                new Check("lvm-lv", vg.name() + "/" + lv.name(), Map.of()));
    }

    private static Step mkfsStep(Filesystem fs, DiskMapping mapping) {
        String dev = mapping.translate(fs.device());
        List<String> argv = new ArrayList<>();
        String type = fs.type().name().toLowerCase(Locale.ROOT);
        List<String> devs = new ArrayList<>(List.of(dev));
        switch (fs.type()) {
            case EXT2, EXT3, EXT4 -> {
                argv.addAll(List.of("mkfs." + type, "-F"));
                add(argv, "-U", fs.uuid());
                add(argv, "-L", fs.label());
                if (fs.parameters() instanceof ExtParameters p) {
                    add(argv, "-b", Integer.toString(p.blockSizeBytes()));
                    add(argv, "-I", Integer.toString(p.inodeSizeBytes()));
                    if (p.inodeRatioBytes() != null) {
                        add(argv, "-i", Long.toString(p.inodeRatioBytes()));
                    }
                    if (p.reservedBlocks() != null && p.blockCount() != null) {
                        add(argv, "-m", new BigDecimal(p.reservedBlocks()).multiply(BigDecimal.valueOf(100))
                                .divide(new BigDecimal(p.blockCount()), 2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
                    }
                    List<String> feats = p.features().stream().filter(f -> !f.equals("needs_recovery")).toList();
                    if (!feats.isEmpty()) {
                        add(argv, "-O", String.join(",", feats));
                    }
                }
            }
            case XFS -> {
                argv.addAll(List.of("mkfs.xfs", "-f"));
                XfsParameters p = fs.parameters() instanceof XfsParameters x ? x : null;
                List<String> meta = new ArrayList<>();
                if (fs.uuid() != null) {
                    meta.add("uuid=" + fs.uuid());
                }
                if (p != null) {
                    flag(meta, "crc", p.crc());
                    flag(meta, "finobt", p.finobt());
                    flag(meta, "reflink", p.reflink());
                    flag(meta, "rmapbt", p.rmapbt());
                    flag(meta, "bigtime", p.bigtime());
                }
                if (!meta.isEmpty()) {
                    add(argv, "-m", String.join(",", meta));
                }
                add(argv, "-L", fs.label());
                if (p != null) {
                    add(argv, "-b", "size=" + p.blockSizeBytes());
                    add(argv, "-s", "size=" + p.sectorSizeBytes());
                    add(argv, "-i", "size=" + p.inodeSizeBytes() + (p.sparseInodes() == null ? "" : ",sparse=" + (p.sparseInodes() ? 1 : 0)));
                    String data = "agcount=" + p.agCount();
                    if (p.stripeUnitBlocks() != null && p.stripeUnitBlocks() > 0 && p.stripeWidthBlocks() != null && p.stripeWidthBlocks() > 0) {
                        data += ",su=" + (long) p.stripeUnitBlocks() * p.blockSizeBytes() + ",sw=" + p.stripeWidthBlocks() / p.stripeUnitBlocks();
                    }
                    add(argv, "-d", data);
                    if (p.logBlocks() != null) {
                        add(argv, "-l", "size=" + p.logBlocks() * p.blockSizeBytes());
                    }
                }
            }
            case BTRFS -> {
                argv.addAll(List.of("mkfs.btrfs", "-f"));
                add(argv, "-U", fs.uuid());
                add(argv, "-L", fs.label());
                if (fs.parameters() instanceof BtrfsParameters p) {
                    add(argv, "-n", Integer.toString(p.nodeSizeBytes()));
                    add(argv, "-s", Integer.toString(p.sectorSizeBytes()));
                    add(argv, "-d", p.dataProfile());
                    add(argv, "-m", p.metadataProfile());
                    // quota and free-space-tree are runtime features (-R) for btrfs-progs before 6.3, which take no -O for them
                    List<String> runtime = p.features().stream().filter(f -> f.equals("quota") || f.equals("free-space-tree")).toList();
                    List<String> fsFeatures = p.features().stream().filter(f -> !runtime.contains(f)).toList();
                    if (!fsFeatures.isEmpty()) {
                        add(argv, "-O", String.join(",", fsFeatures));
                    }
                    if (!runtime.isEmpty()) {
                        add(argv, "-R", String.join(",", runtime));
                    }
                    if (!p.devices().isEmpty()) {
                        devs = p.devices().stream().map(mapping::translate).toList();
                    }
                }
            }
            case VFAT -> {
                argv.add("mkfs.vfat");
                if (fs.parameters() instanceof VfatParameters p) {
                    add(argv, "-F", Integer.toString(p.fatSize()));
                    add(argv, "-i", p.volumeId().replace("-", ""));
                    if (p.sectorsPerCluster() != null) {
                        add(argv, "-s", Integer.toString(p.sectorsPerCluster()));
                    }
                } else if (fs.uuid() != null) {
                    add(argv, "-i", fs.uuid().replace("-", ""));
                }
                add(argv, "-n", fs.label());
            }
            default -> throw new IllegalStateException("no mkfs for " + fs.type());
        }
        argv.addAll(devs);
        return new Step("mkfs:" + dev, "mkfs", type + " on " + String.join(", ", devs) + (fs.uuid() == null ? "" : " with UUID " + fs.uuid())
                + (fs.label() == null ? "" : " and label " + fs.label()), devs, devs, List.of("fs:" + dev),
                List.of(new CommandSpec(argv, LONG, Map.of(), Set.of(0), Set.of(), null)),
                Check.blkid(dev, "TYPE", type, "UUID", fs.uuid(), "LABEL", fs.label()));
    }

    private static Step btrfsStep(Filesystem fs, BtrfsParameters b, DiskMapping mapping) {
        String dev = mapping.translate(fs.device());
        String dir = "/run/rear/btrfs/" + dev.substring(dev.lastIndexOf('/') + 1);
        List<CommandSpec> cmds = new ArrayList<>();
        cmds.add(CommandSpec.of("mkdir", "-p", dir));
        cmds.add(CommandSpec.of("mount", "-t", "btrfs", "-o", "subvolid=" + BtrfsParameters.TOP_LEVEL_ID, dev, dir));
        List<BtrfsSubvolume> subs = b.subvolumes().stream().sorted(Comparator.comparing(BtrfsSubvolume::path)).toList();
        Map<String, String> expect = new TreeMap<>();
        for (BtrfsSubvolume s : subs) {
            String p = s.path().replaceFirst("^/+", "");
            int slash = p.lastIndexOf('/');
            if (slash > 0) {
                cmds.add(CommandSpec.of("mkdir", "-p", dir + "/" + p.substring(0, slash)));
            }
            cmds.add(CommandSpec.of("btrfs", "subvolume", "create", dir + "/" + p));
            expect.put(p, "subvolume");
        }
        String def = null;
        if (b.defaultSubvolumeId() != null && b.defaultSubvolumeId() != BtrfsParameters.TOP_LEVEL_ID) {
            def = subs.stream().filter(s -> s.id() == b.defaultSubvolumeId()).map(s -> s.path().replaceFirst("^/+", "")).findFirst().orElse(null);
            if (def != null) {
                cmds.add(CommandSpec.of("btrfs", "subvolume", "set-default", dir + "/" + def));
                expect.put(def, "default");
            }
        }
        cmds.add(CommandSpec.of("umount", dir));
        return new Step("subvolumes:" + dev, "btrfs-subvolumes", subs.size() + " btrfs subvolume(s) on " + dev
                + (def == null ? "" : ", default " + def), List.of(dev), List.of("fs:" + dev), List.of("subvolumes:" + dev), cmds,
                new Check("btrfs-subvolumes", dev, expect));
    }

    private static void add(List<String> argv, String opt, @Nullable String value) {
        if (value != null) {
            argv.add(opt);
            argv.add(value);
        }
    }

    private static void flag(List<String> opts, String name, @Nullable Boolean v) {
        if (v != null) {
            opts.add(name + "=" + (v ? 1 : 0));
        }
    }

    private static CommandSpec cmd(List<String> argv) {
        return new CommandSpec(argv, CommandSpec.DEFAULT_TIMEOUT, Map.of(), Set.of(0), Set.of(), null);
    }

    private static int depth(String mp) {
        return mp.equals("/") ? 0 : mp.split("/").length - 1;
    }

    private static @Nullable String parentMount(String mp, Set<String> known) {
        if (mp.equals("/")) {
            return null;
        }
        String p = mp;
        while (true) {
            int i = p.lastIndexOf('/');
            p = i <= 0 ? "/" : p.substring(0, i);
            if (known.contains(p)) {
                return p;
            }
            if (p.equals("/")) {
                return null;
            }
        }
    }

    /** Kahn's algorithm; among the ready steps the earliest phase, then the earliest built, goes first. */
    static List<Step> topoSort(List<Step> steps) {
        return topoSort(steps, PHASES);
    }

    /**
     * Orders {@code steps} so that every step comes after the steps creating what it uses (Kahn's
     * algorithm); among the ready steps the one whose kind comes first in {@code phases}, then the
     * earliest built, goes first.
     *
     * @throws PlanException when the steps depend on each other in a cycle
     */
    public static List<Step> topoSort(List<Step> steps, List<String> phases) {
        Map<String, Integer> creator = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            for (String c : steps.get(i).creates()) {
                creator.putIfAbsent(c, i);
            }
        }
        int n = steps.size();
        int[] indegree = new int[n];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Set<Integer> deps = new LinkedHashSet<>();
            for (String u : steps.get(i).uses()) {
                Integer c = creator.get(u);
                if (c != null && c != i) {
                    deps.add(c);
                }
            }
            for (int dep : deps) {
                out.get(dep).add(i);
                indegree[i]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>(Comparator.comparingInt((Integer i) -> phases.indexOf(steps.get(i).kind()))
                .thenComparingInt(i -> i));
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        List<Step> sorted = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            sorted.add(steps.get(i));
            for (int j : out.get(i)) {
                if (--indegree[j] == 0) {
                    ready.add(j);
                }
            }
        }
        if (sorted.size() != n) {
            throw new PlanException("the layout's components depend on each other in a cycle; cannot order "
                    + steps.stream().filter(s -> !sorted.contains(s)).map(Step::id).toList());
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Step s : sorted) {
            if (!ids.add(s.id())) {
                throw new IllegalStateException("two steps with id " + s.id());
            }
        }
        return List.copyOf(sorted);
    }
}
