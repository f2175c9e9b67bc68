package dev.rear.engine.discovery;

import dev.rear.api.RearException;
import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import dev.rear.api.descriptor.Bootloader;
import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.BtrfsParameters;
import dev.rear.api.descriptor.BtrfsSubvolume;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Dns;
import dev.rear.api.descriptor.EfiBootEntry;
import dev.rear.api.descriptor.DosPartitionKind;
import dev.rear.api.descriptor.Excluded;
import dev.rear.api.descriptor.ExtParameters;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.FilesystemParameters;
import dev.rear.api.descriptor.FilesystemType;
import dev.rear.api.descriptor.Firmware;
import dev.rear.api.descriptor.Host;
import dev.rear.api.descriptor.Kernel;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.LvSegmentType;
import dev.rear.api.descriptor.Lvm;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.Network;
import dev.rear.api.descriptor.NetworkInterface;
import dev.rear.api.descriptor.OsRelease;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PartitionTable;
import dev.rear.api.descriptor.PartitionTableType;
import dev.rear.api.descriptor.Patterns;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.RaidMember;
import dev.rear.api.descriptor.Route;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VfatParameters;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.api.descriptor.XfsParameters;
import dev.rear.engine.discovery.linux.BlkidParser;
import dev.rear.engine.discovery.linux.BtrfsParser;
import dev.rear.engine.discovery.linux.CryptsetupLuksDumpParser;
import dev.rear.engine.discovery.linux.EfibootmgrParser;
import dev.rear.engine.discovery.linux.FindmntParser;
import dev.rear.engine.discovery.linux.IpParser;
import dev.rear.engine.discovery.linux.LsblkParser;
import dev.rear.engine.discovery.linux.LsblkParser.BlockDevice;
import dev.rear.engine.discovery.linux.LuksHeaderFacts;
import dev.rear.engine.discovery.linux.LvmReport;
import dev.rear.engine.discovery.linux.LvmReportParser;
import dev.rear.engine.discovery.linux.MdArrayFacts;
import dev.rear.engine.discovery.linux.MdadmDetailParser;
import dev.rear.engine.discovery.linux.OsReleaseParser;
import dev.rear.engine.discovery.linux.ProcSwapsParser;
import dev.rear.engine.discovery.linux.ResolvConfParser;
import dev.rear.engine.discovery.linux.SfdiskParser;
import dev.rear.engine.discovery.linux.ToolOutputException;
import dev.rear.engine.discovery.linux.Tune2fsParser;
import dev.rear.engine.discovery.linux.XfsInfoParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery of a running Linux system: {@code lsblk} for the device tree, {@code findmnt} and
 * {@code /proc/swaps} for what is in use, {@code sfdisk} for partition tables, {@code mdadm},
 * {@code lvm fullreport} and {@code cryptsetup luksDump} for the stacked layers, {@code tune2fs},
 * {@code xfs_info} and {@code btrfs} for filesystem parameters, the disks' first sectors for GRUB,
 * {@code ip} and {@code /etc/resolv.conf} for the network, and files under {@code /proc},
 * {@code /sys} and {@code /etc} for the host.
 *
 * <p>Independent queries run concurrently and no command runs twice. A query that fails becomes
 * a {@link Finding} naming the command (and, for a missing tool, the package): a warning when an
 * optional fact is lost, an error when the descriptor would be wrong without it.
 */
public final class LinuxDiscovery implements Discovery {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxDiscovery.class);

    static final String ESP_GUID = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    static final String BIOS_BOOT_GUID = "21686148-6449-6E6F-744E-656564454649";
    static final String LINUX_RAID_GUID = "A19D880F-05FC-4D3B-A006-743F0F84911E";
    static final String LINUX_LVM_GUID = "E6D6D379-F507-44C2-A23C-238F2A3DF928";
    static final String LINUX_SWAP_GUID = "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F";
    private static final Set<String> FS_TYPES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "vfat");
    private static final Set<String> DOS_EXTENDED = Set.of("5", "f", "85");

    static final List<String> LVM_FULLREPORT = List.of("lvm", "fullreport", "--all", "--reportformat", "json", "--units", "b", "--nosuffix",
            "--configreport", "vg", "-o", "vg_name,vg_uuid,vg_attr,vg_extent_size,vg_extent_count,vg_size,vg_free,pv_count,lv_count",
            "--configreport", "pv", "-o", "pv_name,pv_uuid,vg_name,dev_size,pv_size,pe_start,pv_pe_count,pv_pe_alloc_count",
            "--configreport", "lv", "-o", "lv_name,lv_full_name,lv_uuid,lv_size,lv_attr,lv_layout,lv_role,lv_parent,pool_lv,data_lv,"
                    + "metadata_lv,lv_metadata_size,lv_path,lv_dm_path",
            "--configreport", "seg", "-o", "lv_name,segtype,seg_start,seg_size,stripes,data_stripes,stripe_size,chunk_size,region_size,"
                    + "data_copies,devices",
            "--configreport", "pvseg", "-o", "pv_name,pvseg_start,pvseg_size,lv_name");

    private final CommandRunner runner;
    private final DiscoveryOptions options;
    private final HostPaths host;
    private final Clock clock;
    private final UsedSpace usedSpace;

    private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
    private final List<Excluded> excluded = new ArrayList<>();

    public LinuxDiscovery(CommandRunner runner, DiscoveryOptions options) {
        this(runner, options, Clock.systemUTC());
    }

    LinuxDiscovery(CommandRunner runner, DiscoveryOptions options, Clock clock) {
        this(runner, options, clock, UsedSpace.STATVFS);
    }

    LinuxDiscovery(CommandRunner runner, DiscoveryOptions options, Clock clock, UsedSpace usedSpace) {
        this.runner = runner;
        this.options = options;
        this.host = new HostPaths(options.root());
        this.clock = clock;
        this.usedSpace = usedSpace;
    }

    /**
     * The bytes in use on the filesystem mounted at a directory. {@link #STATVFS} asks the kernel:
     * {@code (f_blocks - f_bfree) * f_frsize}, which is what {@code df} and {@code findmnt -o USED}
     * print (blocks reserved for root count as free; on btrfs and xfs the same call is used).
     */
    @FunctionalInterface
    interface UsedSpace {
        /** @return the used bytes, or empty when the directory is not there */
        OptionalLong of(Path mountpoint) throws IOException;

        UsedSpace STATVFS = mountpoint -> {
            if (!Files.isDirectory(mountpoint)) {
                return OptionalLong.empty();
            }
            java.nio.file.FileStore store = Files.getFileStore(mountpoint);
            // getTotalSpace is f_blocks * f_frsize, getUnallocatedSpace f_bfree * f_frsize (statvfs).
            return OptionalLong.of(Math.max(0, store.getTotalSpace() - store.getUnallocatedSpace()));
        };
    }

    @Override
    public DiscoveryResult discover() {
        findings.clear();
        excluded.clear();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "rear-discovery");
            t.setDaemon(true);
            return t;
        });
        try {
            return discover(pool);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------ queries

    /** Runs a query; failure becomes a finding and an empty result. */
    private Optional<String> query(String component, boolean required, String what, String... argv) {
        CommandSpec spec = CommandSpec.of(argv);
        try {
            return Optional.of(runner.run(spec).stdout());
        } catch (ToolNotFoundException e) {
            finding(required, component, e.getMessage() + "; without it, rear does not know " + what);
        } catch (CommandFailedException | CommandTimeoutException e) {
            finding(required, component, e.getMessage() + "; so rear does not know " + what);
        }
        return Optional.empty();
    }

    /** Parses a query's output; unreadable output becomes a finding naming the command. */
    private <T> Optional<T> parsed(Optional<String> output, String component, boolean required, String what,
                                   Function<String, T> parser) {
        if (output.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(output.get()));
        } catch (ToolOutputException e) {
            finding(required, component, e.getMessage() + "; so rear does not know " + what);
            return Optional.empty();
        }
    }

    private void finding(boolean error, String component, String message) {
        Finding f = error ? Finding.error(component, message) : Finding.warning(component, message);
        LOG.debug("{}", f);
        findings.add(f);
    }

    private Optional<String> readFile(String absolute, String component, boolean required) {
        Path p = host.resolve(absolute);
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            finding(required, component, "cannot read " + absolute + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RearException("discovery was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RearException("discovery failed: " + e.getCause(), e.getCause());
        }
    }

    // ------------------------------------------------------------------------------------ the run

    private DiscoveryResult discover(ExecutorService pool) {
        Future<Optional<String>> lsblkOut = pool.submit(() -> query("discovery", true, "the block device tree", "lsblk", "-J", "-b", "-O"));
        Future<Optional<String>> findmntOut = pool.submit(() -> query("discovery", true, "what is mounted where",
                "findmnt", "-J", "-b", "--real", "-l", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS,FSROOT"));
        Future<Optional<String>> blkidOut = pool.submit(() -> {
            try {
                // -c /dev/null: probe the devices now, never trust blkid's cache (a relabel would go unseen).
                // Exit code 2: blkid found nothing at all.
                return Optional.of(runner.run(CommandSpec.of("blkid", "-c", "/dev/null", "-o", "export").alsoOk(2)).stdout());
            } catch (ToolNotFoundException | CommandFailedException | CommandTimeoutException e) {
                finding(false, "discovery", e.getMessage() + "; filesystem types, UUIDs and labels come from lsblk alone");
                return Optional.empty();
            }
        });
        Future<Network> network = pool.submit(this::network);
        Future<Host> hostFacts = pool.submit(this::host);

        List<BlockDevice> tree = parsed(join(lsblkOut), "discovery", true, "the block device tree", LsblkParser::parse)
                .orElse(List.of());
        List<FindmntParser.Mount> mounts = parsed(join(findmntOut), "discovery", true, "what is mounted where", FindmntParser::parse)
                .orElse(List.of());
        List<ProcSwapsParser.SwapArea> swaps = parsed(readFile("/proc/swaps", "discovery", false), "discovery", false,
                "active swap", ProcSwapsParser::parse).orElse(List.of());

        List<BlkidParser.Entry> blkid = join(blkidOut).filter(o -> !o.isBlank())
                .flatMap(o -> parsed(Optional.of(o), "discovery", false, "filesystem types, UUIDs and labels", BlkidParser::parse))
                .orElse(List.of());
        Index index = new Index(tree, mounts, swaps, blkid);
        Scope scope = scope(index);

        boolean lvmInUse = index.all.stream().anyMatch(d -> "lvm".equals(d.type()) || "LVM2_member".equals(index.fstype(d)));
        Future<Optional<LvmReport>> lvm = pool.submit(() -> lvmInUse
                ? parsed(query("lvm", true, "the LVM layout", LVM_FULLREPORT.toArray(String[]::new)), "lvm", true, "the LVM layout",
                        LvmReportParser::parse)
                : Optional.empty());

        Map<String, Future<Optional<SfdiskParser.PartitionTable>>> tables = new LinkedHashMap<>();
        for (BlockDevice disk : scope.disks) {
            if (index.partitionTableType(disk) != null || disk.children().stream().anyMatch(c -> c.type().equals("part"))) {
                tables.put(disk.kernelName(), pool.submit(() -> parsed(
                        query(id("disk:", disk), false, "the partition table of " + disk.path(), "sfdisk", "-J", disk.path()),
                        id("disk:", disk), false, "the partition table of " + disk.path(), SfdiskParser::parse)));
            }
        }
        Map<String, Future<Optional<MdArrayFacts>>> md = new LinkedHashMap<>();
        for (BlockDevice array : scope.mdArrays) {
            md.put(array.kernelName(), pool.submit(() -> mdFacts(array)));
        }
        Map<String, Future<Optional<LuksHeaderFacts>>> luks = new LinkedHashMap<>();
        for (BlockDevice dev : scope.luksDevices) {
            luks.put(dev.kernelName(), pool.submit(() -> parsed(
                    query("luks:" + dev.kernelName(), true, "the LUKS header of " + dev.path(), "cryptsetup", "luksDump", dev.path()),
                    "luks:" + dev.kernelName(), true, "the LUKS header of " + dev.path(), CryptsetupLuksDumpParser::parse)));
        }
        Map<String, Future<Optional<FilesystemParameters>>> params = new LinkedHashMap<>();
        for (BlockDevice dev : scope.filesystems) {
            params.put(dev.kernelName(), pool.submit(() -> parameters(dev, index)));
        }

        List<Disk> disks = new ArrayList<>();
        for (BlockDevice disk : scope.disks) {
            Future<Optional<SfdiskParser.PartitionTable>> t = tables.get(disk.kernelName());
            disks.add(disk(disk, t == null ? Optional.empty() : join(t), index));
        }
        List<RaidArray> raids = new ArrayList<>();
        for (BlockDevice array : scope.mdArrays) {
            join(md.get(array.kernelName())).ifPresent(f -> raids.add(raid(f, array, index)));
        }
        Lvm lvmLayout = join(lvm).map(r -> lvm(r, index, scope)).orElse(Lvm.EMPTY);
        List<LuksDevice> encryption = new ArrayList<>();
        for (BlockDevice dev : scope.luksDevices) {
            join(luks.get(dev.kernelName())).ifPresent(h -> encryption.add(luks(h, dev, index)));
        }
        List<Filesystem> filesystems = new ArrayList<>();
        for (BlockDevice dev : scope.filesystems) {
            Filesystem fs = filesystem(dev, index, join(params.get(dev.kernelName())).orElse(null));
            if (excludedByConfiguration(fs.id(), fs.device())) {
                excluded.add(new Excluded(fs.id(), "EXCLUDE_COMPONENTS", "excluded by configuration"));
            } else {
                filesystems.add(fs);
            }
        }
        List<Swap> swapAreas = new ArrayList<>();
        for (BlockDevice dev : scope.swap) {
            Swap swap = new Swap(index.descriptorPath(dev), uuidOrNull(index.uuid(dev), Patterns.GUID, "swap:" + dev.kernelName()),
                    index.label(dev), index.swapPriority(dev));
            if (excludedByConfiguration(swap.id(), swap.device())) {
                excluded.add(new Excluded(swap.id(), "EXCLUDE_COMPONENTS", "excluded by configuration"));
            } else {
                swapAreas.add(swap);
            }
        }
        SystemDescriptor d = new SystemDescriptor(SystemDescriptor.SCHEMA, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                join(hostFacts), disks, raids, lvmLayout, encryption, filesystems, swapAreas, bootloader(scope, disks, filesystems),
                join(network),
                List.copyOf(excluded));
        return new DiscoveryResult(d, List.copyOf(findings));
    }

    /** EXCLUDE_COMPONENTS names a component by its id ({@code fs:/scratch}) or by its device path. */
    private boolean excludedByConfiguration(String componentId, String devicePath) {
        return options.excludeComponents().contains(componentId) || options.excludeComponents().contains(devicePath);
    }

    private static String id(String prefix, BlockDevice d) {
        return prefix + d.kernelName();
    }

    // ------------------------------------------------------------------------------------ index

    /** The lsblk tree, flattened, with what is mounted or swapped on each device. */
    private final class Index {
        final List<BlockDevice> top;
        final List<BlockDevice> all = new ArrayList<>();
        final Map<String, BlockDevice> byKname = new LinkedHashMap<>();
        final Map<String, List<FindmntParser.Mount>> mountsByKname = new HashMap<>();
        final Map<String, ProcSwapsParser.SwapArea> swapByKname = new HashMap<>();
        /** kname → the descriptor's path for it ({@code /dev/vg0/root} for an LV). */
        final Map<String, String> paths = new HashMap<>();

        /** kname → what blkid says about it; used where lsblk knows nothing (no udev database). */
        final Map<String, BlkidParser.Entry> blkid = new HashMap<>();

        Index(List<BlockDevice> top, List<FindmntParser.Mount> mounts, List<ProcSwapsParser.SwapArea> swaps,
              List<BlkidParser.Entry> blkidEntries) {
            this.top = top;
            for (BlockDevice t : top) {
                for (BlockDevice d : t.flatten()) {
                    if (byKname.putIfAbsent(d.kernelName(), d) == null) {
                        all.add(d);
                    }
                }
            }
            for (FindmntParser.Mount m : mounts) {
                BlockDevice d = resolve(m.device());
                if (d != null) {
                    mountsByKname.computeIfAbsent(d.kernelName(), k -> new ArrayList<>()).add(m);
                }
            }
            for (BlkidParser.Entry e : blkidEntries) {
                BlockDevice d = resolve(e.devname());
                if (d != null) {
                    blkid.put(d.kernelName(), e);
                }
            }
            for (ProcSwapsParser.SwapArea s : swaps) {
                BlockDevice d = "partition".equals(s.type()) ? resolve(s.filename()) : null;
                if (d != null) {
                    swapByKname.put(d.kernelName(), s);
                }
            }
        }

        /** The lsblk device a path names: its own path, or whatever the symlink resolves to. */
        @Nullable BlockDevice resolve(String devicePath) {
            for (BlockDevice d : all) {
                if (d.path().equals(devicePath)) {
                    return d;
                }
            }
            try {
                Path real = host.resolve(devicePath).toRealPath();
                return byKname.get(real.getFileName().toString());
            } catch (IOException | IllegalArgumentException e) {
                return null;
            }
        }

        /** The filesystem type: lsblk's, else blkid's, else (for a mounted device) the mount table's. */
        @Nullable String fstype(BlockDevice d) {
            if (d.fstype() != null) {
                return d.fstype();
            }
            BlkidParser.Entry e = blkid.get(d.kernelName());
            if (e != null && e.type() != null) {
                return e.type();
            }
            List<FindmntParser.Mount> m = mounts(d);
            if (!m.isEmpty()) {
                return m.get(0).fstype();
            }
            return swapByKname.containsKey(d.kernelName()) ? "swap" : null;
        }

        @Nullable String uuid(BlockDevice d) {
            BlkidParser.Entry e = blkid.get(d.kernelName());
            return d.uuid() != null ? d.uuid() : e == null ? null : e.uuid();
        }

        @Nullable String label(BlockDevice d) {
            BlkidParser.Entry e = blkid.get(d.kernelName());
            return d.label() != null ? d.label() : e == null ? null : e.label();
        }

        @Nullable String partUuid(BlockDevice d) {
            BlkidParser.Entry e = blkid.get(d.kernelName());
            return d.partUuid() != null ? d.partUuid() : e == null ? null : e.partUuid();
        }

        @Nullable String partitionTableType(BlockDevice d) {
            BlkidParser.Entry e = blkid.get(d.kernelName());
            return d.partitionTableType() != null ? d.partitionTableType() : e == null ? null : e.partitionTableType();
        }

        @Nullable String partLabel(BlockDevice d) {
            BlkidParser.Entry e = blkid.get(d.kernelName());
            return d.partLabel() != null ? d.partLabel() : e == null ? null : e.partLabel();
        }

        @Nullable String partitionTableUuid(BlockDevice d) {
            BlkidParser.Entry e = blkid.get(d.kernelName());
            return d.partitionTableUuid() != null ? d.partitionTableUuid() : e == null ? null : e.partitionTableUuid();
        }

        String descriptorPath(BlockDevice d) {
            return paths.getOrDefault(d.kernelName(), d.path());
        }

        List<FindmntParser.Mount> mounts(BlockDevice d) {
            return mountsByKname.getOrDefault(d.kernelName(), List.of());
        }

        boolean inUse(BlockDevice d) {
            return inUse(d, Set.of());
        }

        /** Whether anything on {@code d} or below it is mounted or swapped on, leaving out the devices {@code ignored}. */
        boolean inUse(BlockDevice d, Set<String> ignored) {
            return d.flatten().stream().filter(x -> !ignored.contains(x.kernelName()))
                    .anyMatch(x -> !mounts(x).isEmpty() || swapByKname.containsKey(x.kernelName())
                            || x.mountpoints().stream().anyMatch(mp -> !mp.isEmpty()));
        }

        /** The device whose mount holds {@code path} (the longest mount point above it), and that mount point. */
        java.util.Map.@Nullable Entry<BlockDevice, String> holding(Path path) {
            BlockDevice best = null;
            String bestTarget = null;
            for (var e : mountsByKname.entrySet()) {
                for (FindmntParser.Mount m : e.getValue()) {
                    Path target = Path.of(m.target());
                    if (path.startsWith(target) && (bestTarget == null || m.target().length() > bestTarget.length())) {
                        best = byKname.get(e.getKey());
                        bestTarget = m.target();
                    }
                }
            }
            return best == null ? null : java.util.Map.entry(best, bestTarget);
        }

        @Nullable Integer swapPriority(BlockDevice d) {
            ProcSwapsParser.SwapArea s = swapByKname.get(d.kernelName());
            return s == null ? null : s.priority();
        }
    }

    // ------------------------------------------------------------------------------------ scope

    /** What discovery describes, and what it leaves out (recorded in {@link #excluded}). */
    private static final class Scope {
        final List<BlockDevice> disks = new ArrayList<>();
        final Set<String> inScope = new LinkedHashSet<>();
        final List<BlockDevice> mdArrays = new ArrayList<>();
        final List<BlockDevice> luksDevices = new ArrayList<>();
        final List<BlockDevice> filesystems = new ArrayList<>();
        final List<BlockDevice> swap = new ArrayList<>();
        /** knames of filesystems that hold a backup location. */
        final Set<String> backupFilesystems = new LinkedHashSet<>();
    }

    private Scope scope(Index index) {
        Scope s = new Scope();
        // The backup location: a filesystem of its own is left out (BACKUP_TARGET), and so is its
        // disk when it carries nothing else; a location on / is only a warning.
        Map<String, String> backup = new LinkedHashMap<>(); // kname → the backup path on it
        for (Path target : options.backupTargets()) {
            var holder = index.holding(target);
            if (holder == null) {
                continue;
            }
            if (holder.getValue().equals("/")) {
                finding(false, "discovery", "the backup location " + target + " is on the filesystem mounted at /: a backup on the"
                        + " system's own disk is lost with it; use another disk or a network target for disaster recovery");
            } else {
                holder.getKey().flatten().forEach(x -> backup.put(x.kernelName(), target.toString()));
                s.backupFilesystems.add(holder.getKey().kernelName());
            }
        }
        Set<String> excludedMd = new LinkedHashSet<>();
        options.excludeMd().forEach(m -> excludedMd.add(m.startsWith("/dev/") ? m.substring(5) : m));
        for (BlockDevice d : index.top) {
            String id = "disk:" + d.kernelName();
            String why = null;
            String rule = null;
            if (d.type().equals("loop")) {
                if (!options.includeLoop()) {
                    continue; // loop devices are scaffolding, not disks; not worth an entry each
                }
                if (d.sizeBytes() == 0) {
                    continue;
                }
            } else if (!d.type().equals("disk")) {
                continue; // rom, and anything else that is no disk
            }
            if (d.kernelName().startsWith("zram") || d.kernelName().startsWith("ram")) {
                continue;
            }
            if (options.excludeComponents().contains(id) || options.excludeComponents().contains(d.path())) {
                rule = "EXCLUDE_COMPONENTS";
                why = "excluded by configuration";
            } else if (options.autoExcludeUsb() && ("usb".equals(d.transport()) || d.removable())) {
                rule = "AUTOEXCLUDE_USB";
                why = d.path() + " is " + ("usb".equals(d.transport()) ? "a USB disk" : "removable") + "; removable media are no part of the system";
            } else if (d.flatten().stream().anyMatch(x -> backup.containsKey(x.kernelName())) && !index.inUse(d, backup.keySet())) {
                rule = "BACKUP_TARGET";
                why = d.path() + " holds the backup location " + d.flatten().stream().map(x -> backup.get(x.kernelName()))
                        .filter(java.util.Objects::nonNull).findFirst().orElse("") + " and nothing of the system";
            } else if (options.autoExcludeDisks() && !index.inUse(d)) {
                rule = "AUTOEXCLUDE_DISKS";
                why = "nothing on " + d.path() + " is mounted or used as swap";
            }
            if (rule != null) {
                excluded.add(new Excluded(id, rule, why));
                continue;
            }
            s.disks.add(d);
            d.flatten().forEach(x -> s.inScope.add(x.kernelName()));
        }
        // Stacked devices (md, dm) appear below every member; keep one of each, and only when every
        // member is in scope.
        Set<String> seen = new LinkedHashSet<>();
        for (BlockDevice d : index.all) {
            if (!s.inScope.contains(d.kernelName()) || !seen.add(d.kernelName())) {
                continue;
            }
            if (d.type().startsWith("raid") || d.type().equals("linear") || d.type().equals("md")) {
                if (excludedMd.contains(d.kernelName()) || excludedMd.contains(d.name())) {
                    excluded.add(new Excluded("md:" + d.kernelName(), "EXCLUDE_MD", "excluded by configuration"));
                    d.flatten().forEach(x -> s.inScope.remove(x.kernelName()));
                    continue;
                }
                s.mdArrays.add(d);
            }
            if (isLvmInternalLayer(d)) {
                // A raid1 LV's images, a thin pool's data, a snapshot origin's -real: blkid sees the
                // signature of what the LV above them holds; that is described once, on the LV.
                continue;
            }
            if ("crypto_LUKS".equals(index.fstype(d))) {
                s.luksDevices.add(d);
            }
            if (index.fstype(d) != null && FS_TYPES.contains(index.fstype(d))) {
                boolean btrfsSeen = "btrfs".equals(index.fstype(d)) && index.uuid(d) != null
                        && s.filesystems.stream().anyMatch(f -> index.uuid(d).equals(index.uuid(f)));
                if (s.backupFilesystems.contains(d.kernelName())) {
                    excluded.add(new Excluded("fs:" + index.mounts(d).get(0).target(), "BACKUP_TARGET",
                            "it holds the backup location; a backup is never part of what it backs up"));
                } else if (!btrfsSeen) {
                    s.filesystems.add(d); // EXCLUDE_COMPONENTS is applied once the descriptor's ids are known
                }
            } else if (index.fstype(d) != null && !Set.of("crypto_LUKS", "LVM2_member", "linux_raid_member", "swap").contains(index.fstype(d))
                    && !index.mounts(d).isEmpty()) {
                excluded.add(new Excluded("fs:" + index.mounts(d).get(0).target(), "UNSUPPORTED_TYPE",
                        index.fstype(d) + " on " + d.path() + " is a filesystem type rear cannot recreate; its data comes back with the backup only if it lives elsewhere"));
            }
            if ("swap".equals(index.fstype(d)) && index.swapByKname.containsKey(d.kernelName())) {
                s.swap.add(d);
            }
        }
        return s;
    }

    /**
     * Whether {@code d} is a device-mapper layer LVM builds an LV from rather than an LV itself: an
     * LVM device holding another LVM device ({@code vg1-mirror_rimage_0} under {@code vg1-mirror},
     * {@code vg0-pool_tdata} under {@code vg0-pool-tpool}). Its content is the upper LV's.
     */
    static boolean isLvmInternalLayer(BlockDevice d) {
        return d.type().equals("lvm") && d.children().stream().anyMatch(c -> c.type().equals("lvm"));
    }

    // ------------------------------------------------------------------------------------ disks

    private Disk disk(BlockDevice d, Optional<SfdiskParser.PartitionTable> sfdisk, Index index) {
        String id = "disk:" + d.kernelName();
        PartitionTable table;
        boolean hasParts = d.children().stream().anyMatch(c -> c.type().equals("part"));
        if (index.partitionTableType(d) == null && !hasParts) {
            table = PartitionTable.NONE;
        } else if (sfdisk.isPresent()) {
            table = table(d, sfdisk.get(), index);
        } else {
            table = tableFromLsblk(d, index);
            finding(false, id, "the partition table of " + d.path() + " is described from lsblk alone"
                    + " (first/last usable sector and GPT attributes unknown)");
        }
        return new Disk(d.kernelName(), d.path(), byIdLinks(d), d.sizeBytes(), d.logicalSectorSize(), d.physicalSectorSize(),
                trimmed(d.model()), trimmed(d.serial()), trimmed(d.wwn()), d.type().equals("loop") ? "loop" : d.transport(),
                d.rotational(), table);
    }

    private PartitionTable table(BlockDevice disk, SfdiskParser.PartitionTable t, Index index) {
        boolean gpt = t.label().equals("gpt");
        List<Partition> parts = new ArrayList<>();
        for (SfdiskParser.Partition p : t.partitions()) {
            int number = partitionNumber(p.node());
            BlockDevice dev = disk.children().stream().filter(c -> c.path().equals(p.node())).findFirst().orElse(null);
            String type = gpt ? p.type().toUpperCase(Locale.ROOT) : p.type().toLowerCase(Locale.ROOT);
            String partUuid = gpt ? (p.uuid() == null ? null : p.uuid().toUpperCase(Locale.ROOT))
                    : (dev != null && index.partUuid(dev) != null ? index.partUuid(dev) : dosPartUuid(t.id(), number));
            List<String> flags = flags(gpt, type, p.bootable(), p.attrs());
            DosPartitionKind kind = gpt ? null : number > 4 ? DosPartitionKind.LOGICAL
                    : DOS_EXTENDED.contains(type) ? DosPartitionKind.EXTENDED : DosPartitionKind.PRIMARY;
            parts.add(new Partition(number, p.node(), p.start(), p.size(), type, partUuid, gpt ? p.name() : null, flags,
                    gpt ? p.attrs() : null, kind));
        }
        String id = t.id() == null ? null : gpt ? t.id().toUpperCase(Locale.ROOT) : t.id().toLowerCase(Locale.ROOT);
        return new PartitionTable(gpt ? PartitionTableType.GPT : PartitionTableType.DOS, id, gpt ? t.firstLba() : null,
                gpt ? t.lastLba() : null, parts);
    }

    private PartitionTable tableFromLsblk(BlockDevice disk, Index index) {
        boolean gpt = "gpt".equals(index.partitionTableType(disk));
        List<Partition> parts = new ArrayList<>();
        List<String> guessed = new ArrayList<>();
        boolean logicals = disk.children().stream().anyMatch(c -> c.type().equals("part")
                && (c.partitionNumber() != null ? c.partitionNumber() : partitionNumber(c.path())) > 4);
        for (BlockDevice c : disk.children()) {
            if (!c.type().equals("part") || c.startSector() == null) {
                continue;
            }
            int number = c.partitionNumber() != null ? c.partitionNumber() : partitionNumber(c.path());
            String type;
            if (c.partType() != null) {
                type = gpt ? c.partType().toUpperCase(Locale.ROOT) : c.partType().replaceFirst("^0x", "").toLowerCase(Locale.ROOT);
            } else if (!gpt && logicals && number <= 4 && index.partitionTableType(c) != null) {
                type = "5"; // no udev: blkid sees the logical partitions' boot records in an extended partition
            } else {
                type = gpt ? "0FC63DAF-8483-4772-8E79-3D69D8477DE4" : "83";
                guessed.add(c.path());
            }
            long sectorsPer512 = disk.logicalSectorSize() / 512;
            parts.add(new Partition(number, c.path(), c.startSector() / Math.max(1, sectorsPer512), c.sizeBytes() / disk.logicalSectorSize(),
                    type, index.partUuid(c) == null ? null : gpt ? index.partUuid(c).toUpperCase(Locale.ROOT) : index.partUuid(c),
                    gpt ? index.partLabel(c) : null, flags(gpt, type, false, null), null,
                    gpt ? null : number > 4 ? DosPartitionKind.LOGICAL : DOS_EXTENDED.contains(type) ? DosPartitionKind.EXTENDED
                            : DosPartitionKind.PRIMARY));
        }
        // The kernel shows an extended partition as its first 1 KiB only; it holds at least its logical partitions.
        long logicalEnd = parts.stream().filter(p -> p.kind() == DosPartitionKind.LOGICAL).mapToLong(Partition::endSector).max().orElse(-1);
        for (int i = 0; i < parts.size(); i++) {
            Partition p = parts.get(i);
            if (p.kind() == DosPartitionKind.EXTENDED && p.endSector() < logicalEnd) {
                parts.set(i, new Partition(p.number(), p.path(), p.startSector(), logicalEnd - p.startSector() + 1, p.type(), p.partUuid(),
                        p.name(), p.flags(), p.attributes(), p.kind()));
            }
        }
        if (!guessed.isEmpty()) {
            finding(false, "disk:" + disk.kernelName(), "lsblk knows no partition type for " + String.join(", ", guessed)
                    + " (no udev database); each is described as a Linux data partition (" + (gpt ? "0FC63DAF-8483-4772-8E79-3D69D8477DE4" : "83")
                    + "), which may be wrong");
        }
        String id = index.partitionTableUuid(disk);
        if (id != null) {
            id = gpt ? id.toUpperCase(Locale.ROOT) : "0x" + id.toLowerCase(Locale.ROOT);
        }
        return new PartitionTable(gpt ? PartitionTableType.GPT : PartitionTableType.DOS, id, null, null, parts);
    }

    static int partitionNumber(String node) {
        int i = node.length();
        while (i > 0 && Character.isDigit(node.charAt(i - 1))) {
            i--;
        }
        if (i == node.length()) {
            throw new ToolOutputException("sfdisk -J", "partition node " + node + " ends in no number");
        }
        return Integer.parseInt(node.substring(i));
    }

    private static @Nullable String dosPartUuid(@Nullable String tableId, int number) {
        if (tableId == null || !tableId.matches("(?i)^0x[0-9a-f]{8}$")) {
            return null;
        }
        return tableId.substring(2).toLowerCase(Locale.ROOT) + "-" + String.format("%02d", number);
    }

    /** parted-style flags from the partition type, the DOS active flag and the GPT attributes. */
    static List<String> flags(boolean gpt, String type, boolean bootable, @Nullable String attrs) {
        List<String> flags = new ArrayList<>();
        if (bootable) {
            flags.add("boot");
        }
        String t = type.toUpperCase(Locale.ROOT);
        if (gpt ? t.equals(ESP_GUID) : t.equals("EF")) {
            if (!flags.contains("boot")) {
                flags.add("boot");
            }
            flags.add("esp");
        }
        if (gpt && t.equals(BIOS_BOOT_GUID)) {
            flags.add("bios_grub");
        }
        if (gpt ? t.equals(LINUX_RAID_GUID) : t.equals("FD")) {
            flags.add("raid");
        }
        if (gpt ? t.equals(LINUX_LVM_GUID) : t.equals("8E")) {
            flags.add("lvm");
        }
        if (gpt ? t.equals(LINUX_SWAP_GUID) : t.equals("82")) {
            flags.add("swap");
        }
        if (attrs != null && attrs.contains("LegacyBIOSBootable")) {
            flags.add("legacy_boot");
        }
        return flags;
    }

    private List<String> byIdLinks(BlockDevice d) {
        Path dir = host.resolve("/dev/disk/by-id");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> links = Files.list(dir)) {
            for (Path link : (Iterable<Path>) links.sorted()::iterator) {
                try {
                    if (Files.isSymbolicLink(link) && link.toRealPath().getFileName().toString().equals(d.kernelName())) {
                        out.add("/dev/disk/by-id/" + link.getFileName());
                    }
                } catch (IOException e) {
                    // a dangling link names no device
                }
            }
        } catch (IOException e) {
            finding(false, "disk:" + d.kernelName(), "cannot list /dev/disk/by-id: " + e.getMessage());
        }
        return out;
    }

    private static @Nullable String trimmed(@Nullable String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    // ------------------------------------------------------------------------------------ md

    private Optional<MdArrayFacts> mdFacts(BlockDevice array) {
        String id = "md:" + array.kernelName();
        Optional<String> export = query(id, true, "the md array " + array.path(), "mdadm", "--detail", "--export", array.path());
        Optional<String> human = query(id, true, "the md array " + array.path(), "mdadm", "--detail", array.path());
        if (export.isEmpty() || human.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MdadmDetailParser.parse(export.get(), human.get()));
        } catch (ToolOutputException e) {
            finding(true, id, e.getMessage());
            return Optional.empty();
        }
    }

    private RaidArray raid(MdArrayFacts f, BlockDevice array, Index index) {
        List<RaidMember> members = new ArrayList<>();
        for (MdArrayFacts.Member m : f.members()) {
            BlockDevice dev = index.resolve(m.device());
            members.add(new RaidMember(dev == null ? m.device() : index.descriptorPath(dev), m.slot(),
                    m.states().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()));
        }
        if (f.degraded()) {
            finding(false, "md:" + array.kernelName(), array.path() + " is degraded (missing slots " + f.missingSlots()
                    + "); it is described as it should be, with the members it has");
        }
        return new RaidArray(array.path(), f.name(), f.level(), f.metadata(), f.uuid(), f.chunkSizeBytes(), f.layout(),
                f.bitmap(), f.sizeBytes(), f.raidDevices(), members);
    }

    // ------------------------------------------------------------------------------------ LVM

    private Lvm lvm(LvmReport report, Index index, Scope scope) {
        List<VolumeGroup> vgs = new ArrayList<>();
        for (LvmReport.Vg vg : report.volumeGroups()) {
            String id = "vg:" + vg.name();
            if (!options.onlyIncludeVg().isEmpty() && !options.onlyIncludeVg().contains(vg.name())) {
                excluded.add(new Excluded(id, "ONLY_INCLUDE_VG", vg.name() + " is not among ONLY_INCLUDE_VG"));
                continue;
            }
            if (options.excludeVg().contains(vg.name()) || options.excludeComponents().contains(id)) {
                excluded.add(new Excluded(id, options.excludeVg().contains(vg.name()) ? "EXCLUDE_VG" : "EXCLUDE_COMPONENTS",
                        "excluded by configuration"));
                continue;
            }
            List<PhysicalVolume> pvs = new ArrayList<>();
            boolean allInScope = true;
            for (LvmReport.Pv pv : report.physicalVolumes()) {
                if (!vg.name().equals(pv.vgName())) {
                    continue;
                }
                BlockDevice dev = index.resolve(pv.device());
                if (dev == null || !scope.inScope.contains(dev.kernelName())) {
                    allInScope = false;
                }
                pvs.add(new PhysicalVolume(dev == null ? pv.device() : index.descriptorPath(dev), pv.uuid(), pv.sizeBytes()));
            }
            if (!allInScope || pvs.isEmpty()) {
                excluded.add(new Excluded(id, "AUTOEXCLUDE_DISKS", "a physical volume of " + vg.name() + " is on an excluded disk"));
                continue;
            }
            List<LogicalVolume> lvs = new ArrayList<>();
            for (LvmReport.Lv lv : report.logicalVolumes()) {
                if (!lv.vgName().equals(vg.name()) || lv.hidden()) {
                    continue;
                }
                LvSegmentType type = segmentType(lv.segtype());
                if (type == null || lv.mixedSegmentTypes()) {
                    excluded.add(new Excluded("lv:" + vg.name() + "/" + lv.name(), "UNSUPPORTED_TYPE", "segment type "
                            + lv.segtype() + (lv.mixedSegmentTypes() ? " mixed with others" : "") + " is not one rear can recreate"));
                    continue;
                }
                LvmReport.Segment seg = lv.segments().get(0);
                // lvm's "stripes" of a raid1 or mirror counts its legs; those are the descriptor's mirrors.
                boolean striped = seg.stripes() > 1 && type != LvSegmentType.RAID1 && type != LvSegmentType.MIRROR;
                lvs.add(new LogicalVolume(lv.name(), lv.uuid(), lv.sizeBytes(), type,
                        striped ? seg.stripes() : null, striped && seg.stripeSizeBytes() > 0 ? seg.stripeSizeBytes() : null,
                        seg.dataCopies() != null && seg.dataCopies() > 1 ? seg.dataCopies() : null,
                        type == LvSegmentType.THIN ? lv.pool() : null,
                        type == LvSegmentType.THIN_POOL ? lv.metadataSizeBytes() : null,
                        type == LvSegmentType.THIN_POOL && seg.chunkSizeBytes() != null && seg.chunkSizeBytes() > 0 ? seg.chunkSizeBytes() : null));
                String mapper = "/dev/mapper/" + vg.name().replace("-", "--") + "-" + lv.name().replace("-", "--");
                BlockDevice dev = index.resolve(mapper);
                if (dev != null) {
                    index.paths.put(dev.kernelName(), "/dev/" + vg.name() + "/" + lv.name());
                }
            }
            vgs.add(new VolumeGroup(vg.name(), vg.uuid(), vg.extentSizeBytes(), vg.sizeBytes(), pvs, lvs));
        }
        return new Lvm(vgs);
    }

    static @Nullable LvSegmentType segmentType(String segtype) {
        return switch (segtype) {
            case "linear" -> LvSegmentType.LINEAR;
            case "striped" -> LvSegmentType.STRIPED;
            case "mirror" -> LvSegmentType.MIRROR;
            case "raid0", "raid0_meta" -> LvSegmentType.RAID0;
            case "raid1" -> LvSegmentType.RAID1;
            case "raid4" -> LvSegmentType.RAID4;
            case "raid5", "raid5_ls", "raid5_la", "raid5_rs", "raid5_ra", "raid5_n" -> LvSegmentType.RAID5;
            case "raid6", "raid6_zr", "raid6_nr", "raid6_nc" -> LvSegmentType.RAID6;
            case "raid10" -> LvSegmentType.RAID10;
            case "thin-pool" -> LvSegmentType.THIN_POOL;
            case "thin" -> LvSegmentType.THIN;
            default -> null;
        };
    }

    // ------------------------------------------------------------------------------------ LUKS

    private LuksDevice luks(LuksHeaderFacts h, BlockDevice dev, Index index) {
        String name = dev.children().stream().filter(c -> c.type().equals("crypt")).map(BlockDevice::name).findFirst()
                .orElse("luks-" + h.uuid());
        BlockDevice opened = dev.children().stream().filter(c -> c.type().equals("crypt")).findFirst().orElse(null);
        if (opened != null) {
            index.paths.put(opened.kernelName(), "/dev/mapper/" + name);
        } else {
            finding(false, "luks:" + name, dev.path() + " holds LUKS but is not open; described under the name " + name);
        }
        return new LuksDevice(name, index.descriptorPath(dev), h.version(), h.cipher(), h.keySizeBits(), h.hash(),
                h.pbkdf(), h.uuid(), h.label());
    }

    // ------------------------------------------------------------------------------------ filesystems

    private Filesystem filesystem(BlockDevice dev, Index index, @Nullable FilesystemParameters params) {
        FilesystemType type = FilesystemType.valueOf(index.fstype(dev).toUpperCase(Locale.ROOT));
        List<Mount> mounts = new ArrayList<>();
        for (FindmntParser.Mount m : index.mounts(dev)) {
            boolean subvolume = type == FilesystemType.BTRFS;
            if (!subvolume && m.fsroot() != null && !m.fsroot().equals("/")) {
                continue; // a bind mount of a directory: comes back with the backup, not the layout
            }
            mounts.add(new Mount(m.target(), m.options()));
        }
        String uuidPattern = type == FilesystemType.VFAT ? Patterns.VFAT_VOLUME_ID : Patterns.GUID;
        if (index.uuid(dev) == null) {
            finding(false, "fs:" + (mounts.isEmpty() ? dev.kernelName() : mounts.get(0).mountpoint()), "the UUID and label of "
                    + dev.path() + " are unknown (neither lsblk nor blkid could read it); recovery will make new ones");
        }
        return new Filesystem(index.descriptorPath(dev), type, uuidOrNull(index.uuid(dev), uuidPattern, "fs:" + dev.kernelName()),
                index.label(dev), mounts, params, mounts.isEmpty() ? null : used(dev, mounts.get(0).mountpoint()));
    }

    /** The used space at capture time, from the filesystem's first mount; unknown becomes a warning. */
    private @Nullable Long used(BlockDevice dev, String mountpoint) {
        try {
            OptionalLong used = usedSpace.of(host.resolve(mountpoint));
            return used.isPresent() ? used.getAsLong() : null;
        } catch (IOException | RuntimeException e) {
            finding(false, "fs:" + mountpoint, "cannot read the used space of " + dev.path() + " on " + mountpoint + " (statvfs: "
                    + e.getMessage() + "); it is not recorded, and recovery onto a smaller disk will need it given with --used "
                    + mountpoint + "=BYTES");
            return null;
        }
    }

    private @Nullable String uuidOrNull(@Nullable String uuid, String pattern, String component) {
        if (uuid == null) {
            return null;
        }
        if (!uuid.matches(pattern)) {
            finding(false, component, "UUID " + uuid + " is not of the usual form; it is left out and a new one will be made on recovery");
            return null;
        }
        return uuid;
    }

    private Optional<FilesystemParameters> parameters(BlockDevice dev, Index index) {
        List<FindmntParser.Mount> mounts = index.mounts(dev);
        String id = "fs:" + (mounts.isEmpty() ? dev.kernelName() : mounts.get(0).target());
        String mountpoint = mounts.isEmpty() ? null : mounts.get(0).target();
        return switch (index.fstype(dev)) {
            case "ext2", "ext3", "ext4" -> parsed(query(id, false, "the ext parameters of " + dev.path(), "tune2fs", "-l", dev.path()),
                    id, false, "the ext parameters of " + dev.path(), Tune2fsParser::parse).map(LinuxDiscovery::ext);
            case "xfs" -> parsed(query(id, false, "the xfs geometry of " + dev.path(), "xfs_info", mountpoint != null ? mountpoint : dev.path()),
                    id, false, "the xfs geometry of " + dev.path(), XfsInfoParser::parse).map(LinuxDiscovery::xfs);
            case "btrfs" -> btrfs(dev, mounts, id);
            case "vfat" -> Optional.of(vfat(dev, id, index));
            default -> Optional.empty();
        };
    }

    static ExtParameters ext(Tune2fsParser.ExtSuperblock sb) {
        Long ratio = null;
        if (sb.inodeCount() > 0) {
            double exact = (double) sb.blockCount() * sb.blockSize() / sb.inodeCount();
            long pow2 = Long.highestOneBit(Math.round(exact));
            long nearest = Math.abs(exact - pow2) <= Math.abs(exact - 2 * pow2) ? pow2 : 2 * pow2;
            // mke2fs rounds the inode count to fill whole groups; the -i it was given is the power of two nearby.
            ratio = Math.abs(exact - nearest) / nearest < 0.05 ? nearest : Math.round(exact);
        }
        return new ExtParameters(sb.blockSize(), sb.inodeSize(), ratio, sb.blockCount(), sb.inodeCount(), sb.reservedBlockCount(),
                sb.features(), sb.maxMountCount(), sb.checkIntervalSeconds(), sb.defaultMountOptions());
    }

    static XfsParameters xfs(XfsInfoParser.XfsGeometry g) {
        return new XfsParameters(g.blockSize(), g.sectorSize(), g.inodeSize(), Math.toIntExact(g.agCount()), g.agSizeBlocks(),
                g.logBlocks(), Math.toIntExact(g.stripeUnitBlocks()), Math.toIntExact(g.stripeWidthBlocks()), g.crc(), g.finobt(),
                g.sparseInodes(), g.reflink(), g.rmapbt(), g.bigtime());
    }

    private Optional<FilesystemParameters> btrfs(BlockDevice dev, List<FindmntParser.Mount> mounts, String id) {
        Optional<BtrfsParser.Superblock> sb = parsed(query(id, false, "the btrfs superblock of " + dev.path(),
                "btrfs", "inspect-internal", "dump-super", dev.path()), id, false, "the btrfs superblock of " + dev.path(),
                BtrfsParser::parseDumpSuper);
        if (sb.isEmpty()) {
            return Optional.empty();
        }
        List<BtrfsSubvolume> subvolumes = new ArrayList<>();
        Long defaultId = null;
        String dataProfile = null;
        String metadataProfile = null;
        if (mounts.isEmpty()) {
            finding(false, id, dev.path() + " (btrfs) is not mounted: its subvolumes cannot be listed");
        } else {
            String mp = mounts.get(0).target();
            Map<String, String> mountOfSubvol = new HashMap<>();
            for (FindmntParser.Mount m : mounts) {
                String root = m.fsroot() != null ? m.fsroot() : m.sourceRoot();
                if (root != null) {
                    mountOfSubvol.putIfAbsent(root.replaceFirst("^/", ""), m.target());
                }
            }
            for (BtrfsParser.Subvolume s : parsed(query(id, false, "the btrfs subvolumes of " + dev.path(),
                    "btrfs", "subvolume", "list", "-a", "-p", mp), id, false, "the btrfs subvolumes of " + dev.path(),
                    BtrfsParser::parseSubvolumeList).orElse(List.of())) {
                subvolumes.add(new BtrfsSubvolume(s.id(), s.path(), mountOfSubvol.get(s.path())));
            }
            defaultId = parsed(query(id, false, "the default btrfs subvolume of " + dev.path(), "btrfs", "subvolume", "get-default", mp),
                    id, false, "the default btrfs subvolume of " + dev.path(), BtrfsParser::parseGetDefault)
                    .map(BtrfsParser.DefaultSubvolume::id).orElse(null);
            Optional<BtrfsParser.FilesystemDf> df = parsed(query(id, false, "the btrfs profiles of " + dev.path(),
                    "btrfs", "filesystem", "df", "-b", mp), id, false, "the btrfs profiles of " + dev.path(), BtrfsParser::parseFilesystemDf);
            if (df.isPresent()) {
                for (BtrfsParser.DfEntry e : df.get().entries()) {
                    if (e.type().equalsIgnoreCase("data")) {
                        dataProfile = e.profile().toLowerCase(Locale.ROOT);
                    } else if (e.type().equalsIgnoreCase("metadata")) {
                        metadataProfile = e.profile().toLowerCase(Locale.ROOT);
                    }
                }
            }
        }
        BtrfsParser.Superblock s = sb.get();
        return Optional.of(new BtrfsParameters(s.nodeSize(), s.sectorSize(), dataProfile, metadataProfile, List.of(), subvolumes,
                defaultId, s.mkfsFeatures()));
    }

    private VfatParameters vfat(BlockDevice dev, String id, Index index) {
        String version = dev.fsVersion();
        if (version == null) {
            version = parsed(query(id, false, "the FAT size of " + dev.path(), "blkid", "-c", "/dev/null", "-p", "-o", "export", dev.path()), id, false,
                    "the FAT size of " + dev.path(), BlkidParser::parseProbe)
                    .flatMap(l -> l.stream().findFirst()).map(BlkidParser.Entry::version).orElse(null);
        }
        int fat = 32;
        if (version != null && version.toUpperCase(Locale.ROOT).matches("FAT(12|16|32)")) {
            fat = Integer.parseInt(version.substring(3));
        } else {
            finding(false, id, "the FAT size of " + dev.path() + " is unknown; FAT32 assumed");
        }
        String uuid = index.uuid(dev);
        String volumeId = uuid != null && uuid.matches(Patterns.VFAT_VOLUME_ID) ? uuid : "0000-0000";
        return new VfatParameters(volumeId, fat, null);
    }

    // ------------------------------------------------------------------------------------ boot

    private Bootloader bootloader(Scope scope, List<Disk> disks, List<Filesystem> filesystems) {
        boolean uefi = Files.isDirectory(host.resolve("/sys/firmware/efi"));
        if (uefi) {
            Filesystem esp = null;
            for (Disk disk : disks) {
                for (Partition p : disk.partitionTable().partitions()) {
                    if (p.hasFlag("esp")) {
                        esp = filesystems.stream().filter(f -> f.device().equals(p.path()) && f.type() == FilesystemType.VFAT)
                                .findFirst().orElse(esp);
                    }
                }
            }
            if (esp == null) {
                finding(false, "bootloader", "the machine booted with UEFI but no EFI system partition with a vfat filesystem was found");
                return Bootloader.NONE;
            }
            BootloaderType type = BootloaderType.GRUB2_EFI;
            if (!esp.mounts().isEmpty()) {
                Path efi = host.resolve(esp.mounts().get(0).mountpoint()).resolve("EFI");
                if (Files.isRegularFile(efi.resolve("systemd/systemd-bootx64.efi"))) {
                    type = BootloaderType.SYSTEMD_BOOT;
                }
            }
            Optional<EfibootmgrParser.BootManager> manager = parsed(query("bootloader", false, "the firmware's boot entries",
                    "efibootmgr", "-v"), "bootloader", false, "the firmware's boot entries", EfibootmgrParser::parse);
            List<EfiBootEntry> entries = new ArrayList<>();
            List<String> order = new ArrayList<>();
            if (manager.isPresent()) {
                for (EfibootmgrParser.Entry e : manager.get().entries()) {
                    String partUuid = e.partUuid() != null && e.partUuid().matches(Patterns.GUID) ? e.partUuid() : null;
                    entries.add(new EfiBootEntry(e.number(), e.label(), partUuid, e.loaderPath(), e.active()));
                }
                manager.get().bootOrder().stream().filter(n -> n.matches(Patterns.EFI_BOOT_NUMBER)).distinct().forEach(order::add);
                // The loader the firmware started this time decides, where it says: systemd-boot or GRUB (shim included).
                String loader = manager.get().current().map(EfibootmgrParser.Entry::loaderPath).orElse(null);
                if (loader != null && loader.toLowerCase(Locale.ROOT).contains("systemd-boot")) {
                    type = BootloaderType.SYSTEMD_BOOT;
                }
            }
            return new Bootloader(type, List.of(), esp.device(), entries, order);
        }
        List<String> installDevices = new ArrayList<>();
        for (BlockDevice disk : scope.disks) {
            try {
                if (BootSector.read(host.resolve(disk.path())) == BootSector.Code.GRUB) {
                    installDevices.add(disk.path());
                }
            } catch (IOException e) {
                finding(false, "disk:" + disk.kernelName(), "cannot read the boot sector of " + disk.path() + " (" + e.getMessage()
                        + "); whether GRUB is installed there is unknown");
            }
        }
        return installDevices.isEmpty() ? Bootloader.NONE
                : new Bootloader(BootloaderType.GRUB2_BIOS, installDevices, null, List.of(), List.of());
    }

    // ------------------------------------------------------------------------------------ host

    @Override
    public Host host() {
        String hostname = readFile("/proc/sys/kernel/hostname", "host", true).map(String::strip).orElse("localhost");
        String machineId = readFile("/etc/machine-id", "host", false).map(String::strip).orElse(null);
        if (machineId != null && !machineId.matches(Patterns.MACHINE_ID)) {
            finding(false, "host", "/etc/machine-id holds no machine id (" + machineId.length() + " characters); left out");
            machineId = null;
        }
        OsRelease os = null;
        Optional<String> osText = Files.isRegularFile(host.resolve("/etc/os-release")) ? readFile("/etc/os-release", "host", false)
                : readFile("/usr/lib/os-release", "host", false);
        Optional<OsReleaseParser.OsRelease> parsedOs = parsed(osText, "host", false, "the operating system", OsReleaseParser::parse);
        if (parsedOs.isPresent()) {
            OsReleaseParser.OsRelease r = parsedOs.get();
            os = new OsRelease(r.id(), r.idLike(), r.versionId(), r.prettyName());
        }
        String release = readFile("/proc/sys/kernel/osrelease", "host", true).map(String::strip).orElse("unknown");
        String cmdline = readFile("/proc/cmdline", "host", false).map(String::strip).orElse("");
        boolean uefi = Files.isDirectory(host.resolve("/sys/firmware/efi"));
        Boolean secureBoot = uefi ? secureBoot() : null;
        return new Host(hostname, machineId, arch(), os, new Kernel(release, cmdline), uefi ? Firmware.UEFI : Firmware.BIOS, secureBoot);
    }

    private @Nullable Boolean secureBoot() {
        Path var = host.resolve("/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c");
        try {
            byte[] b = Files.readAllBytes(var);
            return b.length >= 5 ? b[4] == 1 : null; // 4 bytes of attributes, then the value
        } catch (IOException e) {
            return null;
        }
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386" -> "i686";
            default -> a;
        };
    }

    // ------------------------------------------------------------------------------------ network

    private Network network() {
        List<IpParser.Interface> ifaces = parsed(query("network", false, "the network interfaces", "ip", "-j", "addr"),
                "network", false, "the network interfaces", IpParser::parseAddresses).orElse(List.of());
        List<IpParser.Route> routes = new ArrayList<>();
        routes.addAll(parsed(query("network", false, "the IPv4 routes", "ip", "-j", "route"), "network", false, "the IPv4 routes",
                IpParser::parseRoutes).orElse(List.of()));
        routes.addAll(parsed(query("network", false, "the IPv6 routes", "ip", "-6", "-j", "route"), "network", false, "the IPv6 routes",
                IpParser::parseRoutes6).orElse(List.of()));
        List<NetworkInterface> interfaces = new ArrayList<>();
        for (IpParser.Interface i : ifaces) {
            if ("loopback".equals(i.linkType()) || i.name().equals("lo")) {
                continue;
            }
            boolean dhcp = i.addresses().stream().anyMatch(IpParser.Address::dynamic);
            List<String> addresses = i.addresses().stream()
                    .filter(a -> !a.dynamic() && !"link".equals(a.scope()) && !"host".equals(a.scope()))
                    .map(a -> a.local() + "/" + a.prefixLength()).toList();
            String mac = i.mac() != null && i.mac().toLowerCase(Locale.ROOT).matches(Patterns.MAC) ? i.mac().toLowerCase(Locale.ROOT) : null;
            interfaces.add(new NetworkInterface(i.name(), mac, i.mtu() > 0 ? i.mtu() : null, dhcp, addresses, driver(i.name())));
        }
        List<Route> out = new ArrayList<>();
        for (IpParser.Route r : routes) {
            if ("kernel".equals(r.protocol()) || !"unicast".equals(r.type()) || r.destination().startsWith("fe80:")) {
                continue; // connected networks follow from the addresses
            }
            String dst = r.destination();
            if (!dst.equals("default") && !dst.contains("/")) {
                dst = dst + (dst.contains(":") ? "/128" : "/32");
            }
            out.add(new Route(dst, r.gateway(), r.dev(), r.metric() == null ? null : Math.toIntExact(r.metric())));
        }
        Dns dns = parsed(readFile("/etc/resolv.conf", "network", false), "network", false, "name resolution", ResolvConfParser::parse)
                .map(r -> new Dns(r.nameservers().stream().filter(n -> n.matches(Patterns.IP)).toList(), r.search()))
                .orElse(Dns.EMPTY);
        return new Network(interfaces, out, dns);
    }

    private @Nullable String driver(String iface) {
        try {
            Path link = host.resolve("/sys/class/net/" + iface + "/device/driver");
            return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
