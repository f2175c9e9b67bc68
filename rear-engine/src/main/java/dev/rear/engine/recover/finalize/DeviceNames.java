package dev.rear.engine.recover.finalize;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Excluded;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.engine.plan.DiskMapping;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The device names of a recovery: what each original name becomes on the targets, and whether a
 * reference a configuration file makes ({@code /dev/...}, {@code UUID=}, {@code LABEL=},
 * {@code PARTUUID=}, {@code PARTLABEL=}, {@code /dev/disk/by-*}) names something that exists on the
 * recreated layout. UUIDs, labels and PARTUUIDs are recreated as they were, so references by them stay;
 * kernel names follow the mapping; {@code /dev/disk/by-id} names of a disk that was replaced (mapped by
 * name or size, not by WWN or serial) cannot exist any more and become {@code UUID=} of what is on
 * them where the file takes a {@code UUID=} (else the new kernel name).
 */
public final class DeviceNames {

    /** A {@code /dev/...} path inside a line: stops at blanks, quotes, commas, {@code =} and {@code #}. */
    static final Pattern DEV_PATH = Pattern.compile("/dev/[A-Za-z0-9_.:+@/-]+");

    private final Map<String, String> renames = new LinkedHashMap<>();
    private final Map<String, String> byIdReplaced = new LinkedHashMap<>();
    private final Map<String, String> uuidOn = new LinkedHashMap<>();
    private final Set<String> devices = new TreeSet<>();
    private final Set<String> uuids = new TreeSet<>();
    private final Set<String> labels = new TreeSet<>();
    private final Set<String> partUuids = new TreeSet<>();
    private final Set<String> partLabels = new TreeSet<>();
    private final Set<String> mdUuids = new TreeSet<>();
    private final Set<String> lvNames = new TreeSet<>();
    private final Set<String> vgNames = new TreeSet<>();
    private final Set<String> excluded = new TreeSet<>();

    private DeviceNames() {}

    public static DeviceNames of(SystemDescriptor d, DiskMapping mapping) {
        DeviceNames n = new DeviceNames();
        for (Filesystem f : d.filesystems()) {
            if (f.uuid() != null) {
                n.uuids.add(f.uuid().toLowerCase(Locale.ROOT));
                n.uuidOn.put(f.device(), f.uuid());
            }
            if (f.label() != null) {
                n.labels.add(f.label());
            }
        }
        for (Swap s : d.swap()) {
            if (s.uuid() != null) {
                n.uuids.add(s.uuid().toLowerCase(Locale.ROOT));
                n.uuidOn.put(s.device(), s.uuid());
            }
            if (s.label() != null) {
                n.labels.add(s.label());
            }
        }
        for (LuksDevice l : d.encryption()) {
            n.uuids.add(l.uuid().toLowerCase(Locale.ROOT));
            n.uuidOn.putIfAbsent(l.device(), l.uuid());
            n.devices.add(l.mapperPath());
        }
        for (RaidArray md : d.raidArrays()) {
            n.devices.add(md.device());
            n.mdUuids.add(hex(md.uuid()));
            if (md.name() != null) {
                n.devices.add("/dev/md/" + md.name().substring(md.name().indexOf(':') + 1));
            }
        }
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            n.vgNames.add(vg.name());
            for (LogicalVolume lv : vg.logicalVolumes()) {
                n.devices.add(vg.pathOf(lv));
                n.devices.add(vg.mapperPathOf(lv));
                n.lvNames.add(vg.name() + "/" + lv.name());
            }
        }
        for (DiskMapping.Entry e : mapping.entries()) {
            Disk disk = e.original();
            String target = e.target().path();
            boolean sameDisk = e.how().equals("wwn") || e.how().equals("serial");
            n.devices.add(target);
            if (!disk.path().equals(target)) {
                n.renames.put(disk.path(), target);
            }
            for (String link : disk.byIdLinks()) {
                if (sameDisk) {
                    n.devices.add(link);
                } else {
                    n.byIdReplaced.put(link, target);
                }
            }
            for (Partition p : disk.partitionTable().partitions()) {
                String tp = DiskMapping.partitionPath(target, p.number());
                n.devices.add(tp);
                if (!p.path().equals(tp)) {
                    n.renames.put(p.path(), tp);
                }
                if (p.partUuid() != null) {
                    n.partUuids.add(p.partUuid().toLowerCase(Locale.ROOT));
                }
                if (p.name() != null) {
                    n.partLabels.add(p.name());
                }
                for (String link : disk.byIdLinks()) {
                    if (sameDisk) {
                        n.devices.add(link + "-part" + p.number());
                    } else {
                        n.byIdReplaced.put(link + "-part" + p.number(), tp);
                        String u = n.uuidOn.get(p.path());
                        if (u != null) {
                            n.uuidOn.put(link + "-part" + p.number(), u);
                        }
                    }
                }
                String u = n.uuidOn.get(p.path());
                if (u != null) {
                    n.uuidOn.put(tp, u);
                }
            }
        }
        for (Excluded x : d.excluded()) {
            n.excluded.add(x.component());
        }
        return n;
    }

    private static String hex(String mdUuid) {
        return mdUuid.replaceAll("[^0-9A-Fa-f]", "").toLowerCase(Locale.ROOT);
    }

    /** Whether any name changes at all. */
    public boolean anyRename() {
        return !renames.isEmpty() || !byIdReplaced.isEmpty();
    }

    /**
     * A device path as it is after recovery: a renamed disk or partition gets its target name; a
     * {@code /dev/disk/by-id} name of a replaced disk becomes {@code UUID=} of what is on it when
     * {@code spec} (the place takes a {@code UUID=}) and that is known, else the target name; anything
     * else stays.
     */
    public String rename(String path, boolean spec) {
        String r = renames.get(path);
        if (r != null) {
            return r;
        }
        String t = byIdReplaced.get(path);
        if (t != null) {
            String u = uuidOn.get(path);
            return spec && u != null ? "UUID=" + u : t;
        }
        return path;
    }

    /** Every {@code /dev/...} path in {@code text} renamed (never a spec context), all at once, so that sda↔sdb swaps stay swaps. */
    public String renameAll(String text) {
        Matcher m = DEV_PATH.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(rename(m.group(), false)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * Why a device reference will not resolve on the recreated layout, or {@code null} when it will (or
     * is no block device reference at all: {@code tmpfs}, {@code proc}, {@code server:/export}, a directory).
     */
    public @Nullable String unresolved(String ref) {
        int eq = ref.indexOf('=');
        if (eq > 0 && !ref.startsWith("/")) {
            String key = ref.substring(0, eq).toUpperCase(Locale.ROOT);
            String v = unescapeOctal(unquote(ref.substring(eq + 1)));
            return switch (key) {
                case "UUID" -> uuids.contains(v.toLowerCase(Locale.ROOT)) ? null : "no filesystem, swap or LUKS container with UUID " + v
                        + " is recreated";
                case "LABEL" -> labels.contains(v) ? null : "no filesystem or swap with label " + v + " is recreated";
                case "PARTUUID" -> partUuids.contains(v.toLowerCase(Locale.ROOT)) ? null : "no partition with PARTUUID " + v + " is recreated";
                case "PARTLABEL" -> partLabels.contains(v) ? null : "no partition named " + v + " is recreated";
                default -> null;
            };
        }
        if (!ref.startsWith("/dev/")) {
            return null;
        }
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        if (ref.startsWith("/dev/disk/by-uuid/")) {
            return unresolved("UUID=" + name);
        }
        if (ref.startsWith("/dev/disk/by-label/")) {
            return unresolved("LABEL=" + unescapeUdev(name));
        }
        if (ref.startsWith("/dev/disk/by-partuuid/")) {
            return unresolved("PARTUUID=" + name);
        }
        if (ref.startsWith("/dev/disk/by-partlabel/")) {
            return unresolved("PARTLABEL=" + unescapeUdev(name));
        }
        if (devices.contains(ref)) {
            return null;
        }
        if (byIdReplaced.containsKey(ref)) {
            return ref + " names a disk that was replaced (mapped to " + byIdReplaced.get(ref) + " by name or size, not by WWN or serial)";
        }
        return ref + " is not recreated (no mapped disk or partition, md array, LUKS mapping or LV has that name)";
    }

    /** The excluded component a line's mountpoint or device belongs to, when it is one the descriptor left out on purpose. */
    public @Nullable String excludedComponent(@Nullable String mountpoint, String ref) {
        if (mountpoint != null && excluded.contains("fs:" + mountpoint)) {
            return "fs:" + mountpoint;
        }
        if (ref.startsWith("/dev/")) {
            String rest = ref.substring(5);
            for (String x : excluded) {
                int colon = x.indexOf(':');
                String kind = x.substring(0, colon);
                String name = x.substring(colon + 1);
                boolean on = switch (kind) {
                    case "disk" -> rest.equals(name) || rest.matches(Pattern.quote(name) + "p?[0-9]+");
                    case "vg" -> rest.startsWith(name + "/") || rest.startsWith("mapper/" + name.replace("-", "--") + "-");
                    case "md", "swap", "part", "luks" -> rest.equals(name) || rest.equals("mapper/" + name);
                    default -> false;
                };
                if (on) {
                    return x;
                }
            }
        }
        return null;
    }

    /** Whether an md array with this UUID (any separators) is recreated. */
    public boolean mdUuidRecreated(String uuid) {
        return mdUuids.contains(hex(uuid));
    }

    /** Whether a LUKS container with this UUID ({@code luks-} prefix allowed) is recreated. */
    public boolean luksUuidRecreated(String uuid) {
        String u = uuid.toLowerCase(Locale.ROOT).replaceFirst("^luks-", "");
        return uuids.contains(u);
    }

    /** Whether {@code vg/lv} is recreated. */
    public boolean lvRecreated(String vgSlashLv) {
        return lvNames.contains(vgSlashLv);
    }

    /** Whether volume group {@code vg} is recreated. */
    public boolean vgRecreated(String vg) {
        return vgNames.contains(vg);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** fstab and crypttab write a blank in a label as {@code \040} (octal). */
    private static String unescapeOctal(String s) {
        Matcher m = Pattern.compile("\\\\([0-7]{3})").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** udev escapes blanks and slashes in by-label names as {@code \x20}, {@code \x2f}. */
    private static String unescapeUdev(String s) {
        Matcher m = Pattern.compile("\\\\x([0-9a-fA-F]{2})").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(b);
        return b.toString();
    }
}
