package dev.rear.engine.recover.finalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorDiff;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.ResizePolicy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a rediscovered layout with the descriptor under the mapping and the resize: the
 * descriptor is first turned into what the plan promised (every device name mapped, the resized
 * partitions' starts and sizes, the resized LVs' sizes, each disk's size and last usable sector
 * as the target's), the rediscovered descriptor is cut down to the mapped targets and what is on them
 * (its mountpoints taken back from below the target root), and {@link DescriptorDiff} compares the two.
 * Every change made to the descriptor is listed as expected; every difference left fails, but for the
 * fields that are not the layout and are listed as not compared:
 * <ul>
 *   <li>a disk's hardware identity ({@code byIdLinks}, {@code model}, {@code serial}, {@code wwn},
 *       {@code transport}, {@code rotational}, {@code physicalSectorSize}): the target's own;</li>
 *   <li>mount options other than {@code subvol=}: the kernel shows its effective options, not fstab's;</li>
 *   <li>ext {@code maxMountCount} and {@code checkIntervalSeconds}: tune2fs settings mkfs does not take;
 *       ext {@code blockCount}/{@code inodeCount}/{@code reservedBlocks} and xfs {@code agSizeBlocks}
 *       of a filesystem whose device was resized (they follow from the size);</li>
 *   <li>the host, bootloader (checked apart), network and exclusions: not the recreated layout;</li>
 *   <li>swap: only active swap is discovered, so swap is checked apart with {@code blkid}.</li>
 * </ul>
 */
public final class LayoutVerifier {
    private LayoutVerifier() {}

    /** The outcome: what was expected (and why), what was not compared, and the differences that fail. */
    public record Report(List<String> expected, List<String> notCompared, List<String> unexpected) {
        public Report {
            expected = List.copyOf(expected);
            notCompared = List.copyOf(notCompared);
            unexpected = List.copyOf(unexpected);
        }

        public boolean ok() {
            return unexpected.isEmpty();
        }
    }

    private static final Set<String> DISK_HARDWARE = Set.of("byIdLinks", "model", "serial", "wwn", "transport", "rotational",
            "physicalSectorSize", "kernelName");
    private static final Set<String> NOT_LAYOUT = Set.of("host", "bootloader", "interface", "route", "dns", "excluded", "swap");

    /**
     * {@code vgcreate} and {@code lvcreate} cannot be given a UUID (only PVs keep theirs): a recreated VG
     * or LV of the descriptor's name has a new one. Nothing refers to them (fstab, crypttab and the
     * kernel use filesystem and LUKS UUIDs or {@code /dev/VG/LV}), so they are expected, and listed.
     */
    static void newLvmUuids(ObjectNode want, ObjectNode got, List<String> expected) {
        Map<String, JsonNode> gotVgs = new LinkedHashMap<>();
        for (JsonNode vg : got.path("lvm").withArray("volumeGroups")) {
            gotVgs.put(vg.get("name").asText(), vg);
        }
        for (JsonNode vg : want.path("lvm").withArray("volumeGroups")) {
            JsonNode g = gotVgs.get(vg.get("name").asText());
            if (g == null) {
                continue;
            }
            String name = vg.get("name").asText();
            if (!vg.get("uuid").asText().equals(g.get("uuid").asText())) {
                expected.add("volume group " + name + " has the new UUID " + g.get("uuid").asText() + " (was " + vg.get("uuid").asText()
                        + "; vgcreate cannot set it)");
                ((ObjectNode) vg).put("uuid", g.get("uuid").asText());
            }
            Map<String, JsonNode> gotLvs = new LinkedHashMap<>();
            for (JsonNode lv : g.withArray("logicalVolumes")) {
                gotLvs.put(lv.get("name").asText(), lv);
            }
            for (JsonNode lv : vg.withArray("logicalVolumes")) {
                JsonNode gl = gotLvs.get(lv.get("name").asText());
                if (gl != null && !lv.get("uuid").asText().equals(gl.get("uuid").asText())) {
                    expected.add("logical volume " + name + "/" + lv.get("name").asText() + " has the new UUID " + gl.get("uuid").asText()
                            + " (was " + lv.get("uuid").asText() + "; lvcreate cannot set it)");
                    ((ObjectNode) lv).put("uuid", gl.get("uuid").asText());
                }
            }
        }
    }

    public static Report compare(SystemDescriptor original, Plan plan, String targetRoot, SystemDescriptor rediscovered) {
        List<String> expected = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        DiskMapping mapping = plan.mapping();
        ObjectNode want = (ObjectNode) DescriptorJson.toTree(original).deepCopy();
        Map<String, String> names = new LinkedHashMap<>();
        for (DiskMapping.Entry e : mapping.entries()) {
            names.put(e.originalPath(), e.target().path());
            for (Partition p : e.original().partitionTable().partitions()) {
                names.put(p.path(), DiskMapping.partitionPath(e.target().path(), p.number()));
            }
            if (!e.originalPath().equals(e.target().path())) {
                expected.add(e.originalPath() + " and its partitions are " + e.target().path() + " and its partitions (mapped by " + e.how() + ")");
            }
        }
        renameTexts(want, names);
        Set<String> resized = new LinkedHashSet<>();
        for (JsonNode disk : want.withArray("disks")) {
            ObjectNode dn = (ObjectNode) disk;
            DiskMapping.Entry e = mapping.entries().stream().filter(x -> x.target().path().equals(dn.get("path").asText())).findFirst().orElseThrow();
            dn.put("kernelName", e.target().path().substring(e.target().path().lastIndexOf('/') + 1));
            if (e.target().sizeBytes() != e.original().sizeBytes()) {
                dn.put("sizeBytes", e.target().sizeBytes());
                expected.add(e.target().path() + " has " + e.target().sizeBytes() + " bytes (the original " + e.original().sizeBytes() + ")");
            }
            ResizePolicy.DiskResult r = plan.resize().disks().stream().filter(x -> x.original().equals(e.originalPath())).findFirst().orElse(null);
            JsonNode table = dn.get("partitionTable");
            if (r == null || table == null) {
                continue;
            }
            if (table.has("lastUsableLba") && table.get("lastUsableLba").asLong() != r.targetLastUsable()) {
                ((ObjectNode) table).put("lastUsableLba", r.targetLastUsable());
                expected.add(e.target().path() + ": the last usable sector is " + r.targetLastUsable());
            }
            for (JsonNode p : table.withArray("partitions")) {
                ResizePolicy.Placement pl = r.placements().get(p.get("number").asInt());
                if (pl == null) {
                    continue;
                }
                if (pl.startSector() != p.get("startSector").asLong() || pl.sizeSectors() != p.get("sizeSectors").asLong()) {
                    expected.add(p.get("path").asText() + " starts at sector " + pl.startSector() + " with " + pl.sizeSectors()
                            + " sectors (resized from " + p.get("startSector").asLong() + "+" + p.get("sizeSectors").asLong() + ")");
                    ((ObjectNode) p).put("startSector", pl.startSector());
                    ((ObjectNode) p).put("sizeSectors", pl.sizeSectors());
                    resized.add(p.get("path").asText());
                }
            }
        }
        for (JsonNode vg : want.path("lvm").withArray("volumeGroups")) {
            for (JsonNode lv : vg.withArray("logicalVolumes")) {
                String path = "/dev/" + vg.get("name").asText() + "/" + lv.get("name").asText();
                Long size = plan.resize().lvSizes().get(path);
                if (size != null && size != lv.get("sizeBytes").asLong()) {
                    expected.add(path + " has " + size + " bytes (resized from " + lv.get("sizeBytes").asLong() + ")");
                    ((ObjectNode) lv).put("sizeBytes", size);
                    resized.add(path);
                }
            }
        }
        Set<String> follow = builtOnResized(original, mapping, resized);
        normaliseMounts(want, null);

        ObjectNode got = (ObjectNode) DescriptorJson.toTree(onTargets(rediscovered, mapping)).deepCopy();
        normaliseMounts(got, targetRoot);
        for (String kind : List.of("host", "bootloader", "network")) {
            got.set(kind, want.get(kind).deepCopy());
        }
        got.set("excluded", want.get("excluded").deepCopy());
        got.set("swap", want.get("swap").deepCopy());

        newLvmUuids(want, got, expected);
        SystemDescriptor a = DescriptorJson.bind(want, "the descriptor under the mapping");
        SystemDescriptor b = DescriptorJson.bind(got, "the rediscovered layout");
        DescriptorDiff.Result diff = DescriptorDiff.compare(a, b);
        // A component whose identity (UUID, PARTUUID) differs comes out removed and added under one id: show its fields that differ
        Map<String, DescriptorDiff.ComponentChange> removed = new LinkedHashMap<>();
        Map<String, DescriptorDiff.ComponentChange> added = new LinkedHashMap<>();
        for (DescriptorDiff.ComponentChange c : diff.changes()) {
            if (c.change() == DescriptorDiff.Change.REMOVED) {
                removed.put(c.kind() + " " + c.id(), c);
            } else if (c.change() == DescriptorDiff.Change.ADDED) {
                added.put(c.kind() + " " + c.id(), c);
            }
        }
        List<DescriptorDiff.ComponentChange> changes = new ArrayList<>();
        for (DescriptorDiff.ComponentChange c : diff.changes()) {
            String key = c.kind() + " " + c.id();
            if (c.change() == DescriptorDiff.Change.REMOVED && added.containsKey(key)) {
                Map<String, JsonNode> was = new LinkedHashMap<>();
                c.fields().forEach(f -> was.put(f.field(), f.oldValue()));
                Map<String, JsonNode> now = new LinkedHashMap<>();
                added.get(key).fields().forEach(f -> now.put(f.field(), f.newValue()));
                Set<String> all = new LinkedHashSet<>(was.keySet());
                all.addAll(now.keySet());
                List<DescriptorDiff.FieldChange> fields = new ArrayList<>();
                for (String f : all) {
                    if (!java.util.Objects.equals(was.get(f), now.get(f))) {
                        fields.add(new DescriptorDiff.FieldChange(f, was.get(f), now.get(f)));
                    }
                }
                changes.add(new DescriptorDiff.ComponentChange(DescriptorDiff.Change.CHANGED, c.kind(), c.id(), c.id(), "id", fields));
            } else if (!(c.change() == DescriptorDiff.Change.ADDED && removed.containsKey(key))) {
                changes.add(c);
            }
        }
        for (DescriptorDiff.ComponentChange c : changes) {
            if (NOT_LAYOUT.contains(c.kind())) {
                continue;
            }
            if (c.change() != DescriptorDiff.Change.CHANGED) {
                unexpected.add(c.kind() + " " + c.id() + (c.change() == DescriptorDiff.Change.ADDED ? " is there but not in the descriptor"
                        : " is missing on the targets"));
                continue;
            }
            for (DescriptorDiff.FieldChange f : c.fields()) {
                String top = f.field().contains(".") ? f.field().substring(0, f.field().indexOf('.')) : f.field();
                String leaf = f.field().substring(f.field().lastIndexOf('.') + 1);
                String text = c.kind() + " " + c.id() + " " + f.field() + ": " + value(f.oldValue()) + " in the descriptor, " + value(f.newValue())
                        + " on the targets";
                if (c.kind().equals("disk") && DISK_HARDWARE.contains(top)) {
                    notCompared.add(text + " (the target disk's own hardware)");
                } else if (c.kind().equals("filesystem") && top.equals("parameters") && (leaf.equals("maxMountCount")
                        || leaf.equals("checkIntervalSeconds"))) {
                    notCompared.add(text + " (a tune2fs setting, not recreated by mkfs)");
                } else if (follow.contains(c.id()) && FOLLOWS_SIZE.contains(leaf)) {
                    expected.add(text + " (built on what was resized: its size follows)");
                } else if (c.kind().equals("filesystem") && top.equals("parameters") && resizedFs(c, original, mapping, resized)
                        && Set.of("blockCount", "inodeCount", "reservedBlocks", "agSizeBlocks", "agCount", "logBlocks").contains(leaf)) {
                    expected.add(text + " (follows from the resize)");
                } else {
                    unexpected.add(text);
                }
            }
        }
        return new Report(expected, notCompared, unexpected);
    }

    /** The size fields of md arrays, PVs and VGs that follow the size of what they are built on. */
    static final Set<String> FOLLOWS_SIZE = Set.of("sizeBytes");

    /**
     * The ids of what grows or shrinks with a resized partition without being resized itself: an md
     * array with a resized member (its size is the smallest member's less the metadata), a LUKS
     * device on a resized device, a PV on either and its VG (whose size is its PVs' whole extents).
     * Their device paths (targets' names) are added to {@code resized}, so that a filesystem directly
     * on them counts as resized too.
     */
    static Set<String> builtOnResized(SystemDescriptor original, DiskMapping mapping, Set<String> resized) {
        Set<String> ids = new LinkedHashSet<>();
        boolean more = true;
        while (more) {
            more = false;
            for (var a : original.raidArrays()) {
                String dev = mapping.translate(a.device());
                if (!resized.contains(dev) && a.members().stream().anyMatch(m -> resized.contains(mapping.translate(m.device())))) {
                    resized.add(dev);
                    ids.add(a.id());
                    more = true;
                }
            }
            for (var l : original.encryption()) {
                String dev = l.mapperPath();
                if (!resized.contains(dev) && resized.contains(mapping.translate(l.device()))) {
                    resized.add(dev);
                    ids.add(l.id());
                    more = true;
                }
            }
        }
        for (var vg : original.lvm().volumeGroups()) {
            for (var pv : vg.physicalVolumes()) {
                if (resized.contains(mapping.translate(pv.device()))) {
                    ids.add(pv.id());
                    ids.add(vg.id());
                }
            }
        }
        return ids;
    }

    private static boolean resizedFs(DescriptorDiff.ComponentChange c, SystemDescriptor original, DiskMapping mapping, Set<String> resized) {
        return original.filesystems().stream().anyMatch(f -> f.id().equals(c.oldId()) && resized.contains(mapping.translate(f.device())));
    }

    private static String value(JsonNode v) {
        return v == null ? "(absent)" : v.toString();
    }

    /** Every text value equal to an original device path becomes its target path. */
    private static void renameTexts(JsonNode node, Map<String, String> names) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            List<Map.Entry<String, JsonNode>> copy = new ArrayList<>();
            it.forEachRemaining(copy::add);
            for (Map.Entry<String, JsonNode> e : copy) {
                if (e.getValue().isTextual() && names.containsKey(e.getValue().asText())) {
                    ((ObjectNode) node).put(e.getKey(), names.get(e.getValue().asText()));
                } else {
                    renameTexts(e.getValue(), names);
                }
            }
        } else if (node.isArray()) {
            ArrayNode arr = (ArrayNode) node;
            for (int i = 0; i < arr.size(); i++) {
                if (arr.get(i).isTextual() && names.containsKey(arr.get(i).asText())) {
                    arr.set(i, TextNode.valueOf(names.get(arr.get(i).asText())));
                } else {
                    renameTexts(arr.get(i), names);
                }
            }
        }
    }

    /**
     * Mount options cut to {@code subvol=} (the rest is the kernel's view); with a target root, mountpoints below
     * it taken back to the restored system's ({@code /mnt/local/boot} → {@code /boot}) and others dropped.
     */
    private static void normaliseMounts(ObjectNode d, String root) {
        for (JsonNode fs : d.withArray("filesystems")) {
            ArrayNode mounts = JsonNodeFactory.instance.arrayNode();
            for (JsonNode m : fs.withArray("mounts")) {
                String mp = m.get("mountpoint").asText();
                if (root != null) {
                    if (mp.equals(root)) {
                        mp = "/";
                    } else if (mp.startsWith(root + "/")) {
                        mp = mp.substring(root.length());
                    } else {
                        continue;
                    }
                }
                ObjectNode n = mounts.addObject();
                n.put("mountpoint", mp);
                ArrayNode opts = n.putArray("options");
                m.withArray("options").forEach(o -> {
                    if (o.asText().startsWith("subvol=")) {
                        opts.add(o.asText().replaceFirst("^subvol=/?", "subvol=/"));
                    }
                });
            }
            ((ObjectNode) fs).set("mounts", mounts);
            for (JsonNode sv : fs.path("parameters").path("subvolumes")) {
                if (sv.has("mountpoint") && root != null) {
                    String mp = sv.get("mountpoint").asText();
                    if (mp.equals(root)) {
                        ((ObjectNode) sv).put("mountpoint", "/");
                    } else if (mp.startsWith(root + "/")) {
                        ((ObjectNode) sv).put("mountpoint", mp.substring(root.length()));
                    } else {
                        ((ObjectNode) sv).remove("mountpoint");
                    }
                }
            }
        }
    }

    /** The rediscovered descriptor cut down to the mapped target disks and what is on them. */
    static SystemDescriptor onTargets(SystemDescriptor r, DiskMapping mapping) {
        Set<String> targets = new LinkedHashSet<>(mapping.targetPaths());
        Set<String> on = new LinkedHashSet<>();
        List<Disk> disks = new ArrayList<>();
        for (Disk d : r.disks()) {
            if (targets.contains(d.path())) {
                disks.add(d);
                on.add(d.path());
                d.partitionTable().partitions().forEach(p -> on.add(p.path()));
            }
        }
        List<dev.rear.api.descriptor.RaidArray> md = new ArrayList<>();
        List<dev.rear.api.descriptor.LuksDevice> luks = new ArrayList<>();
        List<dev.rear.api.descriptor.VolumeGroup> vgs = new ArrayList<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (var a : r.raidArrays()) {
                if (!md.contains(a) && a.members().stream().anyMatch(m -> on.contains(m.device()))) {
                    md.add(a);
                    grew |= on.add(a.device());
                }
            }
            for (var l : r.encryption()) {
                if (!luks.contains(l) && on.contains(l.device())) {
                    luks.add(l);
                    grew |= on.add(l.mapperPath());
                }
            }
            for (var vg : r.lvm().volumeGroups()) {
                if (!vgs.contains(vg) && vg.physicalVolumes().stream().anyMatch(pv -> on.contains(pv.device()))) {
                    vgs.add(vg);
                    for (var lv : vg.logicalVolumes()) {
                        grew |= on.add(vg.pathOf(lv));
                        on.add(vg.mapperPathOf(lv));
                    }
                }
            }
        }
        var fss = r.filesystems().stream().filter(f -> on.contains(f.device())).toList();
        var swaps = r.swap().stream().filter(s -> on.contains(s.device())).toList();
        return new SystemDescriptor(r.schema(), r.capturedAt(), r.host(), disks, md, new dev.rear.api.descriptor.Lvm(vgs), luks, fss, swaps,
                r.bootloader(), r.network(), List.of());
    }
}
