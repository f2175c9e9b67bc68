package dev.rear.engine.discovery.linux;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the block device tree printed by {@code lsblk -J -b -O} (JSON, sizes in bytes, all
 * columns). A device as util-linux 2.38 prints it (abridged):
 *
 * <pre>{@code
 * {"name": "loop0p2", "kname": "loop0p2", "path": "/dev/loop0p2", "maj:min": "259:1", "type": "part",
 *  "size": 838860800, "start": 526336, "log-sec": 512, "phy-sec": 512, "rota": true, "rm": false,
 *  "hotplug": false, "ro": false, "pkname": "loop0", "fstype": "ext4", "label": "rear-root", ...,
 *  "mountpoints": ["/var/tmp/rear-capture/mnt/gpt-root"]}
 * }</pre>
 *
 * <p>What to know about the output:
 * <ul>
 *   <li>The file system and partition-entry columns ({@code fstype}, {@code uuid}, {@code label},
 *       {@code partuuid}, {@code partlabel}, {@code parttype}, {@code pttype}, {@code ptuuid}) come
 *       from the udev database. Without a running udev (containers, some rescue systems) lsblk
 *       prints {@code null} for all of them even as root: take those facts from {@code blkid}.</li>
 *   <li>An unmounted device has {@code "mountpoints": [null]}; the nulls are left out here. Active
 *       swap is the mount point {@code "[SWAP]"}. A btrfs mounted several times (subvolumes) lists
 *       every mount point, and {@code fsroots} lists the subvolumes mounted.</li>
 *   <li>A device with several parents (an md array or LV on several disks) appears below each.</li>
 *   <li>{@code partn} exists from util-linux 2.39; before that {@link BlockDevice#partitionNumber()}
 *       is {@code null}. util-linux before 2.37 has only {@code mountpoint}, which is read then.</li>
 * </ul>
 */
public final class LsblkParser {

    /** The command whose output {@link #parse} reads. */
    public static final String COMMAND = "lsblk -J -b -O";

    private LsblkParser() {}

    /**
     * One block device as lsblk reports it.
     *
     * @param name the name lsblk shows ({@code sda1}, {@code vg0-root})
     * @param kernelName the kernel's name ({@code sda1}, {@code dm-0})
     * @param path the device node ({@code /dev/sda1}, {@code /dev/mapper/vg0-root})
     * @param majorMinor {@code "8:1"}
     * @param type {@code disk}, {@code part}, {@code lvm}, {@code crypt}, {@code raid1}, {@code loop},
     *     {@code rom}, ... as printed
     * @param sizeBytes the size in bytes
     * @param logicalSectorSize bytes per logical sector
     * @param physicalSectorSize bytes per physical sector
     * @param startSector for a partition, its first sector in 512-byte units; else {@code null}
     * @param parentKernelName the kernel name of the parent ({@code pkname}), {@code null} for a top
     * @param mountpoints where it is mounted, {@code "[SWAP]"} for active swap; empty when not mounted
     * @param fsroots the file system roots that are mounted ({@code /} and, for btrfs subvolumes or
     *     bind mounts, the directory shown); lsblk lists them apart from the mount points
     */
    public record BlockDevice(
            String name,
            String kernelName,
            String path,
            String majorMinor,
            String type,
            long sizeBytes,
            int logicalSectorSize,
            int physicalSectorSize,
            @Nullable String model,
            @Nullable String serial,
            @Nullable String wwn,
            @Nullable String transport,
            boolean rotational,
            boolean removable,
            boolean hotplug,
            boolean readOnly,
            @Nullable String fstype,
            @Nullable String fsVersion,
            @Nullable String uuid,
            @Nullable String label,
            @Nullable String partitionTableType,
            @Nullable String partitionTableUuid,
            @Nullable String partUuid,
            @Nullable String partLabel,
            @Nullable String partType,
            @Nullable String partFlags,
            @Nullable Integer partitionNumber,
            @Nullable Long startSector,
            @Nullable String parentKernelName,
            List<String> mountpoints,
            List<String> fsroots,
            List<BlockDevice> children) {

        public BlockDevice {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kernelName, "kernelName");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(majorMinor, "majorMinor");
            Objects.requireNonNull(type, "type");
            mountpoints = List.copyOf(mountpoints);
            fsroots = List.copyOf(fsroots);
            children = List.copyOf(children);
        }

        /** This device and everything below it, depth first, in the order lsblk printed them. */
        public List<BlockDevice> flatten() {
            List<BlockDevice> out = new ArrayList<>();
            collect(this, out);
            return out;
        }

        private static void collect(BlockDevice d, List<BlockDevice> out) {
            out.add(d);
            for (BlockDevice c : d.children()) {
                collect(c, out);
            }
        }
    }

    /**
     * @param output what {@code lsblk -J -b -O} printed
     * @return the top-level devices, each with its children
     * @throws ToolOutputException if the output is empty, not JSON, truncated, or a device lacks
     *     a column this parser needs ({@code name}, {@code kname}, {@code path}, {@code maj:min},
     *     {@code type}, {@code size}, {@code log-sec}, {@code phy-sec}, {@code rota}, {@code rm},
     *     {@code hotplug}, {@code ro}, {@code mountpoints} or {@code mountpoint})
     */
    public static List<BlockDevice> parse(String output) {
        ToolJson json = new ToolJson(COMMAND);
        JsonNode root = json.rootObject(output, "blockdevices");
        List<BlockDevice> out = new ArrayList<>();
        List<JsonNode> devices = json.array(root, "blockdevices", "the top level");
        for (int i = 0; i < devices.size(); i++) {
            out.add(device(json, devices.get(i), "blockdevices[" + i + "]"));
        }
        return out;
    }

    private static BlockDevice device(ToolJson json, JsonNode node, String where) {
        json.object(node, where);
        String name = json.text(node, "name", where);
        String at = where + " (" + name + ")";
        long size = sizeBytes(json, node, at);
        List<String> mountpoints;
        if (node.has("mountpoints")) {
            mountpoints = json.optTextList(node, "mountpoints", at);
        } else if (node.has("mountpoint")) {
            String mp = json.optText(node, "mountpoint", at);
            mountpoints = mp == null ? List.of() : List.of(mp);
        } else {
            throw json.fail(at + ": neither \"mountpoints\" nor \"mountpoint\" is there");
        }
        List<BlockDevice> children = new ArrayList<>();
        List<JsonNode> kids = json.optArray(node, "children", at);
        for (int i = 0; i < kids.size(); i++) {
            children.add(device(json, kids.get(i), where + ".children[" + i + "]"));
        }
        Long partn = json.optNumber(node, "partn", at);
        return new BlockDevice(
                name,
                json.text(node, "kname", at),
                json.text(node, "path", at),
                json.text(node, "maj:min", at),
                json.text(node, "type", at),
                size,
                sectorSize(json, node, "log-sec", at),
                sectorSize(json, node, "phy-sec", at),
                trimmed(json.optText(node, "model", at)),
                trimmed(json.optText(node, "serial", at)),
                json.optText(node, "wwn", at),
                json.optText(node, "tran", at),
                json.bool(node, "rota", at),
                json.bool(node, "rm", at),
                json.bool(node, "hotplug", at),
                json.bool(node, "ro", at),
                json.optText(node, "fstype", at),
                json.optText(node, "fsver", at),
                json.optText(node, "uuid", at),
                json.optText(node, "label", at),
                json.optText(node, "pttype", at),
                json.optText(node, "ptuuid", at),
                json.optText(node, "partuuid", at),
                json.optText(node, "partlabel", at),
                json.optText(node, "parttype", at),
                json.optText(node, "partflags", at),
                partn == null ? null : Math.toIntExact(partn),
                json.optNumber(node, "start", at),
                json.optText(node, "pkname", at),
                mountpoints,
                json.optTextList(node, "fsroots", at),
                children);
    }

    private static long sizeBytes(ToolJson json, JsonNode node, String at) {
        JsonNode size = node.get("size");
        if (size != null && size.isTextual() && !size.asText().chars().allMatch(Character::isDigit)) {
            throw json.fail(at + ": \"size\" is \"" + size.asText()
                    + "\", not a number of bytes (was lsblk run without -b?)");
        }
        long bytes = json.number(node, "size", at);
        if (bytes < 0) {
            throw json.fail(at + ": \"size\" is negative: " + bytes);
        }
        return bytes;
    }

    private static int sectorSize(ToolJson json, JsonNode node, String key, String at) {
        long v = json.number(node, key, at);
        if (v < 512 || v > 65536 || Long.bitCount(v) != 1) {
            throw json.fail(at + ": \"" + key + "\" is " + v + ", not a sector size (a power of two, 512 to 65536)");
        }
        return (int) v;
    }

    /** Some drivers pad model and serial with blanks. */
    private static @Nullable String trimmed(@Nullable String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
