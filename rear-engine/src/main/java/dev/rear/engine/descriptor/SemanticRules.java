package dev.rear.engine.descriptor;

import dev.rear.api.descriptor.BtrfsParameters;
import dev.rear.api.descriptor.BtrfsSubvolume;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.DosPartitionKind;
import dev.rear.api.descriptor.Excluded;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.FilesystemType;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.LvSegmentType;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PartitionTable;
import dev.rear.api.descriptor.PartitionTableType;
import dev.rear.api.descriptor.Patterns;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.RaidMember;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rules that need the whole descriptor. Each has a stable kebab-case name, reported as the
 * violation's {@code rule}; {@code descriptors/samples/invalid/} holds one broken sample per rule.
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>rule</th><th>what it refuses</th></tr>
 *   <tr><td>partitions-without-table</td><td>partitions on a disk whose table type is {@code none}</td></tr>
 *   <tr><td>partition-table-id-invalid</td><td>a GPT disk id that is no GUID, a DOS id that is not {@code 0x} + 8 hex digits</td></tr>
 *   <tr><td>gpt-usable-range</td><td>a GPT usable range that is empty or reaches past the disk</td></tr>
 *   <tr><td>partition-table-id-invalid</td><td>… and a table id on a disk without a table</td></tr>
 *   <tr><td>partition-type-invalid</td><td>a GPT partition type that is no GUID, a DOS type that is no type code</td></tr>
 *   <tr><td>partuuid-invalid</td><td>a GPT PARTUUID that is no GUID, a DOS one not of the form {@code <disk id>-<nn>}</td></tr>
 *   <tr><td>partition-number-duplicate</td><td>two partitions with one number on a disk</td></tr>
 *   <tr><td>partition-path-mismatch</td><td>a partition whose device is not its disk's device plus its number</td></tr>
 *   <tr><td>partition-beyond-disk</td><td>a partition ending past the last sector of its disk</td></tr>
 *   <tr><td>partition-outside-usable-lba</td><td>a GPT partition outside the first/last usable LBA</td></tr>
 *   <tr><td>partition-overlap</td><td>two partitions sharing a sector (DOS logical partitions inside their extended one excepted)</td></tr>
 *   <tr><td>dos-partition-layout</td><td>more than four primary slots, two extended partitions, a logical partition outside the extended one or numbered below 5, a DOS partition without its kind, a GPT partition with one</td></tr>
 *   <tr><td>component-id-duplicate</td><td>two components with one id: disks, partitions, md arrays, VGs, LVs in a VG, LUKS names, interfaces</td></tr>
 *   <tr><td>md-member-missing, luks-device-missing, pv-device-missing, fs-device-missing, swap-device-missing, install-device-missing</td><td>a reference to a device the descriptor does not describe</td></tr>
 *   <tr><td>device-used-twice</td><td>one device used by two consumers (md, LUKS, LVM, filesystem, swap)</td></tr>
 *   <tr><td>raid-slot-invalid</td><td>an md member slot at or past {@code raidDevices}, or two members in one slot</td></tr>
 *   <tr><td>vg-exceeds-pvs</td><td>a VG larger than its PVs together</td></tr>
 *   <tr><td>lv-exceeds-vg</td><td>an LV, or all LVs together, needing more space than the VG has (thin volumes count in their pool)</td></tr>
 *   <tr><td>thin-lv-without-pool</td><td>a thin LV whose pool is absent or not a thin pool of its VG</td></tr>
 *   <tr><td>uuid-duplicate</td><td>a UUID that must be unique appearing twice (filesystem/swap/LUKS, PARTUUID, disk GUID, md, LVM)</td></tr>
 *   <tr><td>mountpoint-duplicate</td><td>two filesystems (or two mounts) on one mount point</td></tr>
 *   <tr><td>mountpoint-parent-missing</td><td>a mount point with nothing mounted at {@code /}</td></tr>
 *   <tr><td>fs-used-exceeds-size</td><td>a filesystem's used space above the size of its (single) device</td></tr>
 *   <tr><td>fs-parameters-mismatch</td><td>creation parameters of another family than the filesystem type</td></tr>
 *   <tr><td>btrfs-default-subvolume-missing</td><td>a default subvolume id that is neither 5 nor a listed subvolume</td></tr>
 *   <tr><td>efi-without-esp</td><td>an EFI bootloader without an ESP</td></tr>
 *   <tr><td>esp-not-vfat</td><td>an ESP that does not hold a vfat filesystem in the descriptor</td></tr>
 *   <tr><td>excluded-and-present</td><td>a component both described and listed as excluded</td></tr>
 * </table>
 */
final class SemanticRules {

    private final SystemDescriptor d;
    private final List<Violation> out = new ArrayList<>();
    /** Device path (and alias) → the component providing it. */
    private final Map<String, String> provided = new HashMap<>();
    /** Device path → JSON path of its first user. */
    private final Map<String, String> usedBy = new HashMap<>();

    private SemanticRules(SystemDescriptor d) {
        this.d = d;
    }

    static List<Violation> check(SystemDescriptor descriptor) {
        SemanticRules rules = new SemanticRules(descriptor);
        rules.run();
        return rules.out;
    }

    private void run() {
        indexDevices();
        checkDisks();
        checkRaid();
        checkLuks();
        checkLvm();
        checkFilesystems();
        checkSwap();
        checkUuids();
        checkMountpoints();
        checkBootloader();
        checkComponentIds();
        checkExcluded();
    }

    private void add(String path, String rule, String message) {
        out.add(new Violation(path, rule, message));
    }

    // ---------------------------------------------------------------- devices

    private void indexDevices() {
        for (Disk disk : d.disks()) {
            provided.putIfAbsent(disk.path(), disk.id());
            disk.byIdLinks().forEach(link -> provided.putIfAbsent(link, disk.id()));
            for (Partition p : disk.partitionTable().partitions()) {
                provided.putIfAbsent(p.path(), p.id());
            }
        }
        for (RaidArray md : d.raidArrays()) {
            provided.putIfAbsent(md.device(), md.id());
        }
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            for (LogicalVolume lv : vg.logicalVolumes()) {
                provided.putIfAbsent(vg.pathOf(lv), vg.idOf(lv));
                provided.putIfAbsent(vg.mapperPathOf(lv), vg.idOf(lv));
            }
        }
        for (LuksDevice luks : d.encryption()) {
            provided.putIfAbsent(luks.mapperPath(), luks.id());
        }
    }

    /** Checks that {@code device} exists and is used once; {@code path} is the user's JSON path. */
    private void use(String device, String path, String missingRule, String what) {
        if (!provided.containsKey(device)) {
            add(path, missingRule, what + " " + device + " is not described in this descriptor (no disk, partition, md array, LV or LUKS device has that path)");
            return;
        }
        String first = usedBy.putIfAbsent(device, path);
        if (first != null) {
            add(path, "device-used-twice", device + " is already used at " + first + "; a device holds one thing");
        }
    }

    // ---------------------------------------------------------------- disks and partitions

    private void checkDisks() {
        for (int i = 0; i < d.disks().size(); i++) {
            Disk disk = d.disks().get(i);
            String tablePath = "$.disks[" + i + "].partitionTable";
            PartitionTable table = disk.partitionTable();
            List<Partition> parts = table.partitions();
            if (table.type() == PartitionTableType.NONE) {
                if (table.id() != null) {
                    add(tablePath + ".id", "partition-table-id-invalid", disk.path()
                            + " has no partition table (type none), so it has no table id either; found \"" + table.id() + "\"");
                }
                if (!parts.isEmpty()) {
                    add(tablePath + ".partitions", "partitions-without-table",
                            disk.path() + " has no partition table (type none) but lists " + parts.size() + " partition(s)");
                }
                continue;
            }
            checkTableId(disk, table, tablePath);
            long diskSectors = disk.sizeSectors();
            if (table.type() == PartitionTableType.GPT && table.firstUsableLba() != null && table.lastUsableLba() != null
                    && (table.firstUsableLba() > table.lastUsableLba() || table.lastUsableLba() >= diskSectors)) {
                add(tablePath + ".lastUsableLba", "gpt-usable-range", "the usable range " + table.firstUsableLba() + "–"
                        + table.lastUsableLba() + " does not fit " + disk.path() + " (" + diskSectors + " sectors)");
            }
            Map<Integer, Integer> numbers = new HashMap<>();
            for (int j = 0; j < parts.size(); j++) {
                Partition p = parts.get(j);
                String pp = tablePath + ".partitions[" + j + "]";
                Integer earlier = numbers.putIfAbsent(p.number(), j);
                if (earlier != null) {
                    add(pp + ".number", "partition-number-duplicate", "partition number " + p.number() + " is already used by "
                            + tablePath + ".partitions[" + earlier + "] on " + disk.path());
                }
                String expected = partitionPath(disk.path(), p.number());
                if (!p.path().equals(expected)) {
                    add(pp + ".path", "partition-path-mismatch", "partition " + p.number() + " of " + disk.path() + " is "
                            + p.path() + "; expected " + expected);
                }
                checkPartitionType(table.type(), p, pp);
                if (p.endSector() >= diskSectors) {
                    add(pp, "partition-beyond-disk", "partition " + p.path() + " ends at sector " + p.endSector() + ", but "
                            + disk.path() + " has only " + diskSectors + " sectors (last is " + (diskSectors - 1) + ")");
                } else if (table.type() == PartitionTableType.GPT
                        && ((table.firstUsableLba() != null && p.startSector() < table.firstUsableLba())
                            || (table.lastUsableLba() != null && p.endSector() > table.lastUsableLba()))) {
                    add(pp, "partition-outside-usable-lba", "partition " + p.path() + " spans sectors " + p.startSector() + "–"
                            + p.endSector() + ", outside the usable range " + table.firstUsableLba() + "–" + table.lastUsableLba());
                }
            }
            if (table.type() == PartitionTableType.DOS) {
                checkDosLayout(disk, parts, tablePath);
            } else {
                for (int j = 0; j < parts.size(); j++) {
                    if (parts.get(j).kind() != null) {
                        add(tablePath + ".partitions[" + j + "].kind", "dos-partition-layout",
                                "a GPT partition has no primary/extended/logical kind; only DOS partitions do");
                    }
                }
            }
            checkOverlaps(disk, parts, tablePath);
        }
    }

    /** {@code /dev/sda} + 2 → {@code /dev/sda2}; {@code /dev/nvme0n1} + 2 → {@code /dev/nvme0n1p2}. */
    static String partitionPath(String diskPath, int number) {
        char last = diskPath.charAt(diskPath.length() - 1);
        return diskPath + (Character.isDigit(last) ? "p" : "") + number;
    }

    private void checkTableId(Disk disk, PartitionTable table, String tablePath) {
        String id = table.id();
        if (id == null) {
            return;
        }
        boolean ok = table.type() == PartitionTableType.GPT ? id.matches(Patterns.GUID) : id.matches(Patterns.DOS_DISK_ID);
        if (!ok) {
            add(tablePath + ".id", "partition-table-id-invalid", "\"" + id + "\" is not a valid "
                    + (table.type() == PartitionTableType.GPT ? "GPT disk GUID" : "DOS disk identifier (0x followed by 8 hex digits)")
                    + " for " + disk.path());
        }
    }

    private void checkPartitionType(PartitionTableType tableType, Partition p, String pp) {
        boolean gpt = tableType == PartitionTableType.GPT;
        if (!(gpt ? p.type().matches(Patterns.GUID) : p.type().matches(Patterns.DOS_TYPE))) {
            add(pp + ".type", "partition-type-invalid", "\"" + p.type() + "\" is not a "
                    + (gpt ? "GPT type GUID" : "DOS type code (such as 83 or 8e)"));
        }
        if (p.partUuid() != null && !(gpt ? p.partUuid().matches(Patterns.GUID) : p.partUuid().matches("^[0-9a-f]{8}-[0-9a-f]{2}$"))) {
            add(pp + ".partUuid", "partuuid-invalid", "\"" + p.partUuid() + "\" is not a PARTUUID of a "
                    + (gpt ? "GPT partition (a GUID)" : "DOS partition (<disk id>-<nn>, such as 8e1c5f2a-01)"));
        }
    }

    private void checkDosLayout(Disk disk, List<Partition> parts, String tablePath) {
        int slots = 0;
        Integer extendedIndex = null;
        for (int j = 0; j < parts.size(); j++) {
            Partition p = parts.get(j);
            String pp = tablePath + ".partitions[" + j + "]";
            DosPartitionKind kind = p.kind();
            if (kind == null) {
                add(pp + ".kind", "dos-partition-layout", "a DOS partition needs its kind: primary, extended or logical");
                continue;
            }
            if (kind == DosPartitionKind.LOGICAL) {
                if (p.number() < 5) {
                    add(pp + ".number", "dos-partition-layout", "logical partition " + p.path() + " is numbered " + p.number()
                            + "; logical partitions are numbered from 5");
                }
                continue;
            }
            slots++;
            if (p.number() > 4) {
                add(pp + ".number", "dos-partition-layout", kind.name().toLowerCase(Locale.ROOT) + " partition " + p.path()
                        + " is numbered " + p.number() + "; a DOS table has slots 1–4");
            }
            if (kind == DosPartitionKind.EXTENDED) {
                if (extendedIndex != null) {
                    add(pp, "dos-partition-layout", disk.path() + " has a second extended partition; a DOS table holds one");
                } else {
                    extendedIndex = j;
                }
            }
        }
        if (slots > 4) {
            add(tablePath + ".partitions", "dos-partition-layout", disk.path() + " has " + slots
                    + " primary and extended partitions; a DOS table has four slots");
        }
        for (int j = 0; j < parts.size(); j++) {
            Partition p = parts.get(j);
            if (p.kind() != DosPartitionKind.LOGICAL) {
                continue;
            }
            Partition ext = extendedIndex == null ? null : parts.get(extendedIndex);
            if (ext == null) {
                add(tablePath + ".partitions[" + j + "]", "dos-partition-layout", "logical partition " + p.path()
                        + " needs an extended partition to live in, and " + disk.path() + " has none");
            } else if (p.startSector() <= ext.startSector() || p.endSector() > ext.endSector()) {
                add(tablePath + ".partitions[" + j + "]", "dos-partition-layout", "logical partition " + p.path() + " (sectors "
                        + p.startSector() + "–" + p.endSector() + ") lies outside extended partition " + ext.path() + " (sectors "
                        + ext.startSector() + "–" + ext.endSector() + ")");
            }
        }
    }

    private void checkOverlaps(Disk disk, List<Partition> parts, String tablePath) {
        for (int j = 0; j < parts.size(); j++) {
            Partition b = parts.get(j);
            for (int k = 0; k < j; k++) {
                Partition a = parts.get(k);
                if (containsLogical(a, b) || containsLogical(b, a)) {
                    continue;
                }
                if (a.startSector() <= b.endSector() && b.startSector() <= a.endSector()) {
                    add(tablePath + ".partitions[" + j + "]", "partition-overlap", "partition " + b.path() + " (sectors "
                            + b.startSector() + "–" + b.endSector() + ") overlaps " + a.path() + " (sectors "
                            + a.startSector() + "–" + a.endSector() + ") on " + disk.path());
                    break;
                }
            }
        }
    }

    /** A logical partition inside its extended container is no overlap; its placement is checked apart. */
    private static boolean containsLogical(Partition outer, Partition inner) {
        return outer.kind() == DosPartitionKind.EXTENDED && inner.kind() == DosPartitionKind.LOGICAL;
    }

    // ---------------------------------------------------------------- md, LUKS, LVM

    private void checkRaid() {
        for (int i = 0; i < d.raidArrays().size(); i++) {
            RaidArray md = d.raidArrays().get(i);
            Map<Integer, Integer> slots = new HashMap<>();
            for (int k = 0; k < md.members().size(); k++) {
                RaidMember m = md.members().get(k);
                String mp = "$.raidArrays[" + i + "].members[" + k + "]";
                use(m.device(), mp + ".device", "md-member-missing", "md member");
                if (m.slot() != null) {
                    if (m.slot() >= md.raidDevices()) {
                        add(mp + ".slot", "raid-slot-invalid", md.device() + " has " + md.raidDevices()
                                + " raid devices (slots 0–" + (md.raidDevices() - 1) + "), but member " + m.device()
                                + " claims slot " + m.slot());
                    } else if (slots.putIfAbsent(m.slot(), k) != null) {
                        add(mp + ".slot", "raid-slot-invalid", "slot " + m.slot() + " of " + md.device()
                                + " is already held by $.raidArrays[" + i + "].members[" + slots.get(m.slot()) + "]");
                    }
                }
            }
        }
    }

    private void checkLuks() {
        for (int i = 0; i < d.encryption().size(); i++) {
            use(d.encryption().get(i).device(), "$.encryption[" + i + "].device", "luks-device-missing", "LUKS device");
        }
    }

    private void checkLvm() {
        List<VolumeGroup> vgs = d.lvm().volumeGroups();
        for (int i = 0; i < vgs.size(); i++) {
            VolumeGroup vg = vgs.get(i);
            String vp = "$.lvm.volumeGroups[" + i + "]";
            long pvTotal = 0;
            for (int k = 0; k < vg.physicalVolumes().size(); k++) {
                PhysicalVolume pv = vg.physicalVolumes().get(k);
                use(pv.device(), vp + ".physicalVolumes[" + k + "].device", "pv-device-missing", "physical volume");
                pvTotal = saturatingAdd(pvTotal, pv.sizeBytes());
            }
            if (vg.sizeBytes() > pvTotal) {
                add(vp + ".sizeBytes", "vg-exceeds-pvs", "volume group " + vg.name() + " is " + vg.sizeBytes()
                        + " bytes, more than its physical volumes hold together (" + pvTotal + " bytes)");
            }
            Map<String, LogicalVolume> byName = new HashMap<>();
            vg.logicalVolumes().forEach(lv -> byName.putIfAbsent(lv.name(), lv));
            long allocated = 0;
            boolean oneTooBig = false;
            for (int k = 0; k < vg.logicalVolumes().size(); k++) {
                LogicalVolume lv = vg.logicalVolumes().get(k);
                String lp = vp + ".logicalVolumes[" + k + "]";
                long need = allocated(lv);
                allocated = saturatingAdd(allocated, need);
                if (!lv.segmentType().isThin() && need > vg.sizeBytes()) {
                    oneTooBig = true;
                    add(lp + ".sizeBytes", "lv-exceeds-vg", "logical volume " + vg.name() + "/" + lv.name() + " needs " + need
                            + " bytes, more than volume group " + vg.name() + " has (" + vg.sizeBytes() + " bytes)");
                }
                if (lv.segmentType() == LvSegmentType.THIN) {
                    LogicalVolume pool = lv.pool() == null ? null : byName.get(lv.pool());
                    if (pool == null || pool.segmentType() != LvSegmentType.THIN_POOL) {
                        add(lp + ".pool", "thin-lv-without-pool", "thin volume " + vg.name() + "/" + lv.name()
                                + (lv.pool() == null ? " names no pool" : " names pool " + lv.pool()
                                        + (pool == null ? ", which is not in volume group " + vg.name() : ", which is not a thin pool")));
                    }
                }
            }
            if (!oneTooBig && allocated > vg.sizeBytes()) {
                add(vp + ".logicalVolumes", "lv-exceeds-vg", "the logical volumes of " + vg.name() + " need " + allocated
                        + " bytes together, more than the volume group has (" + vg.sizeBytes() + " bytes)");
            }
        }
    }

    private static long allocated(LogicalVolume lv) {
        try {
            return lv.allocatedBytes();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    // ---------------------------------------------------------------- filesystems, swap

    private void checkFilesystems() {
        for (int i = 0; i < d.filesystems().size(); i++) {
            Filesystem fs = d.filesystems().get(i);
            String fp = "$.filesystems[" + i + "]";
            use(fs.device(), fp + ".device", "fs-device-missing", "filesystem device");
            if (fs.parameters() instanceof BtrfsParameters btrfs) {
                for (int k = 0; k < btrfs.devices().size(); k++) {
                    use(btrfs.devices().get(k), fp + ".parameters.devices[" + k + "]", "fs-device-missing", "btrfs member device");
                }
                Long def = btrfs.defaultSubvolumeId();
                if (def != null && def != BtrfsParameters.TOP_LEVEL_ID
                        && btrfs.subvolumes().stream().noneMatch(s -> s.id() == def)) {
                    add(fp + ".parameters.defaultSubvolumeId", "btrfs-default-subvolume-missing", "default subvolume "
                            + def + " is neither the top level (5) nor one of the " + btrfs.subvolumes().size() + " listed subvolumes");
                }
            }
            Long size = fs.parameters() instanceof BtrfsParameters b && !b.devices().isEmpty() ? null : deviceSize(d, fs.device());
            if (fs.usedBytes() != null && size != null && fs.usedBytes() > size) {
                add(fp + ".usedBytes", "fs-used-exceeds-size", "filesystem on " + fs.device() + " has " + fs.usedBytes()
                        + " bytes used, more than its device holds (" + size + " bytes)");
            }
            if (fs.parameters() != null && !fs.parameters().kind().equals(fs.type().parametersKind())) {
                add(fp + ".parameters", "fs-parameters-mismatch", "a " + typeName(fs.type()) + " filesystem has parameters of kind "
                        + fs.parameters().kind() + "; expected kind " + fs.type().parametersKind());
            }
        }
    }

    private static @Nullable Long deviceSize(SystemDescriptor d, String device) {
        return DeviceSizes.of(d, device);
    }

    private static String typeName(FilesystemType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private void checkSwap() {
        for (int i = 0; i < d.swap().size(); i++) {
            use(d.swap().get(i).device(), "$.swap[" + i + "].device", "swap-device-missing", "swap device");
        }
    }

    // ---------------------------------------------------------------- uniqueness

    private void checkUuids() {
        // blkid's UUID= namespace: filesystems, swap and LUKS headers.
        Map<String, String> blkid = new HashMap<>();
        for (int i = 0; i < d.encryption().size(); i++) {
            unique(blkid, d.encryption().get(i).uuid(), "$.encryption[" + i + "].uuid");
        }
        for (int i = 0; i < d.filesystems().size(); i++) {
            unique(blkid, d.filesystems().get(i).uuid(), "$.filesystems[" + i + "].uuid");
        }
        for (int i = 0; i < d.swap().size(); i++) {
            unique(blkid, d.swap().get(i).uuid(), "$.swap[" + i + "].uuid");
        }
        Map<String, String> partUuids = new HashMap<>();
        Map<String, String> tableIds = new HashMap<>();
        for (int i = 0; i < d.disks().size(); i++) {
            PartitionTable t = d.disks().get(i).partitionTable();
            unique(tableIds, t.id(), "$.disks[" + i + "].partitionTable.id");
            for (int j = 0; j < t.partitions().size(); j++) {
                unique(partUuids, t.partitions().get(j).partUuid(), "$.disks[" + i + "].partitionTable.partitions[" + j + "].partUuid");
            }
        }
        Map<String, String> md = new HashMap<>();
        for (int i = 0; i < d.raidArrays().size(); i++) {
            unique(md, d.raidArrays().get(i).uuid(), "$.raidArrays[" + i + "].uuid");
        }
        Map<String, String> lvm = new HashMap<>();
        for (int i = 0; i < d.lvm().volumeGroups().size(); i++) {
            VolumeGroup vg = d.lvm().volumeGroups().get(i);
            String vp = "$.lvm.volumeGroups[" + i + "]";
            unique(lvm, vg.uuid(), vp + ".uuid");
            for (int k = 0; k < vg.physicalVolumes().size(); k++) {
                unique(lvm, vg.physicalVolumes().get(k).uuid(), vp + ".physicalVolumes[" + k + "].uuid");
            }
            for (int k = 0; k < vg.logicalVolumes().size(); k++) {
                unique(lvm, vg.logicalVolumes().get(k).uuid(), vp + ".logicalVolumes[" + k + "].uuid");
            }
        }
    }

    private void unique(Map<String, String> seen, @Nullable String uuid, String path) {
        if (uuid == null) {
            return;
        }
        String first = seen.putIfAbsent(uuid.toLowerCase(Locale.ROOT), path);
        if (first != null) {
            add(path, "uuid-duplicate", "UUID " + uuid + " is already used at " + first);
        }
    }

    private void checkMountpoints() {
        Map<String, String> seen = new LinkedHashMap<>();
        List<String[]> mounts = new ArrayList<>();
        for (int i = 0; i < d.filesystems().size(); i++) {
            List<Mount> ms = d.filesystems().get(i).mounts();
            for (int k = 0; k < ms.size(); k++) {
                String path = "$.filesystems[" + i + "].mounts[" + k + "].mountpoint";
                String mp = ms.get(k).mountpoint();
                String first = seen.putIfAbsent(mp, path);
                if (first != null) {
                    add(path, "mountpoint-duplicate", mp + " is already the mount point at " + first);
                }
                mounts.add(new String[] {mp, path});
            }
        }
        if (!seen.containsKey("/")) {
            for (String[] m : mounts) {
                add(m[1], "mountpoint-parent-missing", m[0] + " needs a filesystem mounted at / to live in, and there is none");
            }
        }
        for (int i = 0; i < d.filesystems().size(); i++) {
            if (d.filesystems().get(i).parameters() instanceof BtrfsParameters btrfs) {
                Set<String> own = new HashSet<>();
                d.filesystems().get(i).mounts().forEach(m -> own.add(m.mountpoint()));
                for (int k = 0; k < btrfs.subvolumes().size(); k++) {
                    BtrfsSubvolume s = btrfs.subvolumes().get(k);
                    if (s.mountpoint() != null && !own.contains(s.mountpoint())) {
                        add("$.filesystems[" + i + "].parameters.subvolumes[" + k + "].mountpoint", "mountpoint-parent-missing",
                                "subvolume " + s.path() + " is said to be mounted at " + s.mountpoint()
                                        + ", but the filesystem has no mount there");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- bootloader

    private void checkBootloader() {
        var bl = d.bootloader();
        for (int k = 0; k < bl.installDevices().size(); k++) {
            String dev = bl.installDevices().get(k);
            boolean known = d.disks().stream().anyMatch(x -> x.path().equals(dev) || x.byIdLinks().contains(dev))
                    || d.raidArrays().stream().anyMatch(x -> x.device().equals(dev));
            if (!known) {
                add("$.bootloader.installDevices[" + k + "]", "install-device-missing", "the bootloader is said to be installed on "
                        + dev + ", which is no disk of this descriptor");
            }
        }
        if (bl.type().isEfi()) {
            if (bl.esp() == null) {
                add("$.bootloader.esp", "efi-without-esp", "a " + bl.type().name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + " bootloader needs an EFI system partition, and none is named");
                return;
            }
        }
        if (bl.esp() != null) {
            Filesystem fs = d.filesystems().stream().filter(f -> f.device().equals(bl.esp())).findFirst().orElse(null);
            if (fs == null || fs.type() != FilesystemType.VFAT) {
                add("$.bootloader.esp", "esp-not-vfat", "the EFI system partition " + bl.esp() + " must hold a vfat filesystem, but "
                        + (fs == null ? "no filesystem on it is described" : "it holds " + typeName(fs.type())));
            }
        }
    }

    // ---------------------------------------------------------------- ids and exclusions

    private void checkComponentIds() {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < d.disks().size(); i++) {
            Disk disk = d.disks().get(i);
            uniqueId(seen, disk.id(), "$.disks[" + i + "].kernelName");
            for (int j = 0; j < disk.partitionTable().partitions().size(); j++) {
                uniqueId(seen, disk.partitionTable().partitions().get(j).id(), "$.disks[" + i + "].partitionTable.partitions[" + j + "].path");
            }
        }
        for (int i = 0; i < d.raidArrays().size(); i++) {
            uniqueId(seen, d.raidArrays().get(i).id(), "$.raidArrays[" + i + "].device");
        }
        for (int i = 0; i < d.lvm().volumeGroups().size(); i++) {
            VolumeGroup vg = d.lvm().volumeGroups().get(i);
            uniqueId(seen, vg.id(), "$.lvm.volumeGroups[" + i + "].name");
            for (int k = 0; k < vg.logicalVolumes().size(); k++) {
                uniqueId(seen, vg.idOf(vg.logicalVolumes().get(k)), "$.lvm.volumeGroups[" + i + "].logicalVolumes[" + k + "].name");
            }
        }
        for (int i = 0; i < d.encryption().size(); i++) {
            uniqueId(seen, d.encryption().get(i).id(), "$.encryption[" + i + "].name");
        }
        for (int i = 0; i < d.network().interfaces().size(); i++) {
            uniqueId(seen, d.network().interfaces().get(i).id(), "$.network.interfaces[" + i + "].name");
        }
    }

    private void uniqueId(Map<String, String> seen, String id, String path) {
        String first = seen.putIfAbsent(id, path);
        if (first != null) {
            add(path, "component-id-duplicate", "component " + id + " is already described at " + first);
        }
    }

    private void checkExcluded() {
        Set<String> described = new HashSet<>(ComponentIds.of(d));
        for (int k = 0; k < d.excluded().size(); k++) {
            Excluded e = d.excluded().get(k);
            if (described.contains(e.component())) {
                add("$.excluded[" + k + "].component", "excluded-and-present", e.component() + " is listed as excluded by "
                        + e.rule() + " but is also described; a component is either in or out");
            }
        }
    }

}
