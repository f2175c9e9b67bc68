package dev.rear.engine.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The semantic difference of two descriptors: which components were added, removed or changed,
 * components being matched by identity rather than by position or name.
 *
 * <p>Each descriptor is flattened into components ({@code host}, every disk without its partitions,
 * every partition with a {@code disk} reference, md arrays, volume groups without their PV and LV
 * lists, PVs and LVs each with a {@code vg} reference, LUKS containers, filesystems, swap areas,
 * the bootloader, network interfaces, routes, the DNS settings, the exclusions). {@code schema},
 * {@code capturedAt} and a filesystem's {@code usedBytes} are ignored: they say when and how full
 * the machine was at capture, not its layout. The used space changes with every write; reported,
 * it would make every {@code checklayout} of a live system a difference (exit 1) and bury the one
 * change that matters.
 *
 * <p>Components of one kind are matched in tiers. Identical components (same id, same fields,
 * same parts and owner) pair up first, one for one, duplicates included, so that a descriptor
 * never differs from itself. Then come the keys, strongest first (for a disk: {@code wwn},
 * {@code serial}, {@code kernelName}, {@code path}; for a partition: {@code partUuid}, then its
 * matched disk and number, {@code disk/number}; for an LV: {@code uuid}, then its matched VG and
 * name, {@code vg/name}; see {@code tiers}). In each keyed tier a pair is matched only when its
 * key value occurs exactly once among the still unmatched components on each side; absent keys
 * never match. Keys marked as <em>identity</em> keys (hardware ids and UUIDs: {@code wwn},
 * {@code serial}, {@code partUuid}, {@code uuid}, {@code mac}) also veto: two components whose
 * identity key is present on both and differs are different components, and no weaker tier
 * matches them (a disk replaced by one with another WWN is removed and added, not changed, even
 * when it has the same kernel name). The matching depends only on the sets of components, so the
 * difference does not depend on the order of any list of components, and {@code compare(b, a)} is
 * {@code compare(a, b)} with sides swapped.
 *
 * <p>A matched pair is compared field by field on its JSON tree (nulls omitted): objects are
 * descended into and every differing leaf is reported with its dotted path; arrays are compared
 * as whole values. An added or removed component lists all its fields as changes from or to
 * absent.
 */
public final class DescriptorDiff {

    private DescriptorDiff() {}

    /** What happened to a component. */
    public enum Change {
        ADDED, REMOVED, CHANGED;

        String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The kinds of component, in the order a difference lists them. */
    static final List<String> KINDS = List.of("disk", "partition", "md", "vg", "pv", "lv", "luks",
            "filesystem", "swap", "bootloader", "interface", "route", "dns", "host", "excluded");

    /**
     * One changed field of a component.
     *
     * @param field    the dotted path inside the component: {@code sizeBytes}, {@code partitionTable.id}
     * @param oldValue the old value; {@code null} when the field was absent
     * @param newValue the new value; {@code null} when the field is absent now
     */
    public record FieldChange(String field, @Nullable JsonNode oldValue, @Nullable JsonNode newValue) {
        public FieldChange {
            Objects.requireNonNull(field, "field");
        }
    }

    /**
     * One added, removed or changed component.
     *
     * @param change    what happened
     * @param kind      one of {@code disk, partition, md, vg, pv, lv, luks, filesystem, swap,
     *                  bootloader, interface, route, dns, host, excluded}
     * @param oldId     its id in the older descriptor; {@code null} when added
     * @param newId     its id in the newer descriptor; {@code null} when removed
     * @param matchedBy for a changed component, the key it was matched by ({@code wwn},
     *                  {@code uuid}, {@code kernelName}, {@code singleton}); else {@code null}
     * @param fields    the changed fields in path order; for an added or removed component, all of
     *                  its fields (from or to absent)
     */
    public record ComponentChange(Change change, String kind, @Nullable String oldId, @Nullable String newId,
                                  @Nullable String matchedBy, List<FieldChange> fields) {
        public ComponentChange {
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(kind, "kind");
            fields = List.copyOf(fields);
        }

        /** Whether the component is matched across the two descriptors but its id changed. */
        public boolean isRename() {
            return change == Change.CHANGED && !Objects.equals(oldId, newId);
        }

        /** {@code newId}, or {@code oldId} for a removed component. */
        public String id() {
            return Objects.requireNonNull(newId != null ? newId : oldId);
        }
    }

    /**
     * The order of {@link Result#changes()}: by kind (in {@link #KINDS} order), then by
     * {@code newId ?? oldId}; the remaining comparisons only make the order total.
     */
    static final Comparator<ComponentChange> ORDER = Comparator
            .comparingInt((ComponentChange c) -> KINDS.indexOf(c.kind()))
            .thenComparing(ComponentChange::id)
            .thenComparing(ComponentChange::change)
            .thenComparing(c -> String.valueOf(c.oldId()))
            .thenComparing(c -> String.valueOf(c.newId()))
            .thenComparing(c -> String.valueOf(c.matchedBy()))
            .thenComparing(c -> fieldsJson(c.fields()));

    /** A difference: the component changes in {@link #ORDER}. */
    public record Result(List<ComponentChange> changes) {
        public Result {
            changes = List.copyOf(changes);
        }

        /** Whether the descriptors describe the same machine (volatile fields aside). */
        public boolean isEmpty() {
            return changes.isEmpty();
        }

        /**
         * The changes that matter to {@code checklayout}: without what follows from a rename alone
         * (a disk matched by WWN or serial that came up as {@code sdb} instead of {@code sda} drags
         * every device path on it along: partitions, filesystem devices, PVs, install devices) and
         * without mount options that only changed their order. A field change survives when its
         * new value differs from the old one with every renamed device path replaced.
         */
        public Result significant() {
            Map<String, String> renamedPaths = new java.util.HashMap<>();
            for (ComponentChange c : changes) {
                if (c.isRename()) {
                    for (FieldChange f : c.fields()) {
                        if (f.field().equals("path") && f.oldValue() != null && f.newValue() != null) {
                            renamedPaths.put(f.oldValue().asText(), f.newValue().asText());
                        }
                    }
                }
            }
            List<ComponentChange> kept = new ArrayList<>();
            for (ComponentChange c : changes) {
                if (c.change() != Change.CHANGED) {
                    kept.add(c);
                    continue;
                }
                List<FieldChange> fields = new ArrayList<>();
                for (FieldChange f : c.fields()) {
                    if (!onlyRenamed(f, renamedPaths) && !onlyReordered(f)) {
                        fields.add(f);
                    }
                }
                if (!fields.isEmpty()) {
                    kept.add(new ComponentChange(c.change(), c.kind(), c.oldId(), c.newId(), c.matchedBy(), fields));
                }
            }
            return new Result(kept);
        }

        private static boolean onlyRenamed(FieldChange f, Map<String, String> renamedPaths) {
            if (f.oldValue() == null || f.newValue() == null || renamedPaths.isEmpty()) {
                return false;
            }
            if (f.field().equals("kernelName") || f.field().equals("disk")) {
                return true; // the rename itself, already shown by the paths
            }
            return renamed(f.oldValue(), renamedPaths).equals(f.newValue());
        }

        private static JsonNode renamed(JsonNode value, Map<String, String> renamedPaths) {
            if (value.isTextual()) {
                String v = value.asText();
                return JsonNodeFactory.instance.textNode(renamedPaths.getOrDefault(v, v));
            }
            if (value.isArray()) {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                value.forEach(x -> out.add(renamed(x, renamedPaths)));
                return out;
            }
            return value;
        }

        /** {@code mounts} whose entries differ only in the order of their options (the kernel reorders them). */
        private static boolean onlyReordered(FieldChange f) {
            if (!f.field().equals("mounts") || f.oldValue() == null || f.newValue() == null) {
                return false;
            }
            return sortedOptions(f.oldValue()).equals(sortedOptions(f.newValue()));
        }

        private static JsonNode sortedOptions(JsonNode mounts) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode m : mounts) {
                ObjectNode copy = m.deepCopy();
                List<String> options = new ArrayList<>();
                m.path("options").forEach(o -> options.add(o.asText()));
                java.util.Collections.sort(options);
                ArrayNode sorted = copy.putArray("options");
                options.forEach(sorted::add);
                out.add(copy);
            }
            return out;
        }

        /**
         * For people: one line per component ({@code +} added, {@code -} removed, {@code ~}
         * changed), the changed fields of a changed component indented below it, values as compact
         * JSON ({@code (absent)} for an absent one), and a summary line; {@code no differences} when
         * there are none. Every line ends with a newline.
         */
        public String toText() {
            if (changes.isEmpty()) {
                return "no differences\n";
            }
            StringBuilder out = new StringBuilder();
            for (ComponentChange c : changes) {
                switch (c.change()) {
                    case ADDED -> out.append("+ ").append(c.kind()).append(' ').append(c.newId()).append('\n');
                    case REMOVED -> out.append("- ").append(c.kind()).append(' ').append(c.oldId()).append('\n');
                    case CHANGED -> {
                        out.append("~ ").append(c.kind()).append(' ').append(c.oldId());
                        if (c.isRename()) {
                            out.append(" → ").append(c.newId())
                                    .append("  (renamed; matched by ").append(c.matchedBy()).append(')');
                        }
                        out.append('\n');
                        for (FieldChange f : c.fields()) {
                            out.append("    ").append(f.field()).append(": ").append(text(f.oldValue()))
                                    .append(" → ").append(text(f.newValue())).append('\n');
                        }
                    }
                }
            }
            out.append(count(Change.CHANGED)).append(" changed, ")
                    .append(count(Change.ADDED)).append(" added, ")
                    .append(count(Change.REMOVED)).append(" removed\n");
            return out.toString();
        }

        /**
         * For machines: {@code {"changes":[{"change":"changed","kind":"disk","oldId":…,"newId":…,
         * "matchedBy":…,"fields":[{"field":…,"old":…,"new":…}]}],"summary":{"added":…,"removed":…,
         * "changed":…}}}, absent ids, {@code matchedBy} and values omitted.
         */
        public JsonNode toJson() {
            JsonNodeFactory nf = JsonNodeFactory.instance;
            ObjectNode root = nf.objectNode();
            ArrayNode list = root.putArray("changes");
            for (ComponentChange c : changes) {
                ObjectNode o = list.addObject();
                o.put("change", c.change().jsonName());
                o.put("kind", c.kind());
                if (c.oldId() != null) {
                    o.put("oldId", c.oldId());
                }
                if (c.newId() != null) {
                    o.put("newId", c.newId());
                }
                if (c.matchedBy() != null) {
                    o.put("matchedBy", c.matchedBy());
                }
                o.set("fields", fieldsNode(c.fields()));
            }
            ObjectNode summary = root.putObject("summary");
            summary.put("added", count(Change.ADDED));
            summary.put("removed", count(Change.REMOVED));
            summary.put("changed", count(Change.CHANGED));
            return root;
        }

        private int count(Change change) {
            return (int) changes.stream().filter(c -> c.change() == change).count();
        }

        private static String text(@Nullable JsonNode value) {
            return value == null ? "(absent)" : value.toString();
        }
    }

    private static ArrayNode fieldsNode(List<FieldChange> fields) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (FieldChange f : fields) {
            ObjectNode o = out.addObject();
            o.put("field", f.field());
            if (f.oldValue() != null) {
                o.set("old", f.oldValue());
            }
            if (f.newValue() != null) {
                o.set("new", f.newValue());
            }
        }
        return out;
    }

    private static String fieldsJson(List<FieldChange> fields) {
        return fieldsNode(fields).toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Components and their matching

    /** A flattened component. Identity equality on purpose: duplicates are distinct components. */
    private static final class Component {
        final String kind;
        final String id;
        final ObjectNode tree;
        /** The component this one belongs to (a partition's disk, a PV's or LV's VG), if any. */
        final @Nullable Component owner;
        final Object subject;
        /** The components this one owns (a disk's partitions, a VG's PVs and LVs). */
        final List<Component> parts = new ArrayList<>();
        /** Its kind, id and fields. */
        final String own;
        private @Nullable String content;

        Component(String kind, String id, JsonNode tree, @Nullable Component owner, Object subject) {
            this.kind = kind;
            this.id = id;
            this.tree = (ObjectNode) normalize(tree);
            this.owner = owner;
            this.subject = subject;
            this.own = kind + "\u0000" + id + "\u0000"
                    + new String(DescriptorJson.canonicalBytes(this.tree), java.nio.charset.StandardCharsets.UTF_8);
            if (owner != null) {
                owner.parts.add(this);
            }
        }

        /**
         * Everything about the component, independent of list order: its own content, the
         * (sorted) own contents of its parts, and its owner's content. Components with the same
         * content are interchangeable, their parts and owners included.
         */
        String content() {
            if (content == null) {
                StringBuilder b = new StringBuilder(own);
                parts.stream().map(p -> p.own).sorted().forEach(p -> b.append("\u0001").append(p));
                if (owner != null) {
                    b.append("\u0002").append(owner.content());
                }
                content = b.toString();
            }
            return content;
        }
    }

    /**
     * One matching tier.
     *
     * @param name     the key's name, reported as {@code matchedBy}
     * @param identity whether differing present values mean different components (a veto on later tiers)
     * @param key      the key of a component; {@code null} when it has none
     */
    private record Tier(String name, boolean identity, Function<Component, @Nullable Object> key) {}

    /** A matched pair; the object itself is the token later tiers use to refer to the pair. */
    private record Pair(Component older, Component newer, String matchedBy) {}

    /** Compares two descriptors: what changed from {@code older} to {@code newer}. */
    public static Result compare(SystemDescriptor older, SystemDescriptor newer) {
        Map<String, List<Component>> a = flatten(older);
        Map<String, List<Component>> b = flatten(newer);
        Map<Component, Pair> pairOf = new IdentityHashMap<>();
        List<ComponentChange> changes = new ArrayList<>();
        for (String kind : KINDS) {
            List<Component> olds = new ArrayList<>(a.getOrDefault(kind, List.of()));
            List<Component> news = new ArrayList<>(b.getOrDefault(kind, List.of()));
            // First, identical components pair up one for one (duplicates included), so that a
            // descriptor never differs from itself; they produce no entry.
            Map<String, List<Component>> sameOld = groupByContent(olds);
            Map<String, List<Component>> sameNew = groupByContent(news);
            sameOld.forEach((content, os) -> {
                List<Component> ns = sameNew.getOrDefault(content, List.of());
                for (int i = 0; i < Math.min(os.size(), ns.size()); i++) {
                    Pair p = new Pair(os.get(i), ns.get(i), "identical");
                    pairOf.put(p.older(), p);
                    pairOf.put(p.newer(), p);
                }
            });
            olds.removeIf(pairOf::containsKey);
            news.removeIf(pairOf::containsKey);
            List<Tier> tiers = tiers(kind, pairOf);
            for (int t = 0; t < tiers.size(); t++) {
                Tier tier = tiers.get(t);
                Map<Object, List<Component>> byKeyOld = groupByKey(olds, tier);
                Map<Object, List<Component>> byKeyNew = groupByKey(news, tier);
                for (Map.Entry<Object, List<Component>> e : byKeyOld.entrySet()) {
                    List<Component> others = byKeyNew.get(e.getKey());
                    if (e.getValue().size() != 1 || others == null || others.size() != 1) {
                        continue;
                    }
                    Component o = e.getValue().get(0);
                    Component n = others.get(0);
                    if (vetoed(tiers.subList(0, t), o, n)) {
                        continue;
                    }
                    Pair p = new Pair(o, n, tier.name());
                    pairOf.put(o, p);
                    pairOf.put(n, p);
                }
                olds.removeIf(pairOf::containsKey);
                news.removeIf(pairOf::containsKey);
            }
            for (Component o : a.getOrDefault(kind, List.of())) {
                Pair p = pairOf.get(o);
                if (p == null) {
                    changes.add(new ComponentChange(Change.REMOVED, kind, o.id, null, null, fieldChanges(o.tree, null)));
                    continue;
                }
                List<FieldChange> fields = fieldChanges(p.older().tree, p.newer().tree);
                if (!fields.isEmpty() || !p.older().id.equals(p.newer().id)) {
                    changes.add(new ComponentChange(Change.CHANGED, kind, p.older().id, p.newer().id, p.matchedBy(), fields));
                }
            }
            for (Component n : b.getOrDefault(kind, List.of())) {
                if (!pairOf.containsKey(n)) {
                    changes.add(new ComponentChange(Change.ADDED, kind, null, n.id, null, fieldChanges(null, n.tree)));
                }
            }
        }
        changes.sort(ORDER);
        return new Result(changes);
    }

    private static Map<String, List<Component>> groupByContent(List<Component> components) {
        Map<String, List<Component>> out = new LinkedHashMap<>();
        for (Component c : components) {
            out.computeIfAbsent(c.content(), k -> new ArrayList<>()).add(c);
        }
        return out;
    }

    private static Map<Object, List<Component>> groupByKey(List<Component> components, Tier tier) {
        Map<Object, List<Component>> out = new LinkedHashMap<>();
        for (Component c : components) {
            Object key = tier.key().apply(c);
            if (key != null) {
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
        }
        return out;
    }

    private static boolean vetoed(List<Tier> stronger, Component o, Component n) {
        for (Tier tier : stronger) {
            if (tier.identity()) {
                Object ko = tier.key().apply(o);
                Object kn = tier.key().apply(n);
                if (ko != null && kn != null && !ko.equals(kn)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A key that is the pair the owner of a component was matched in, plus something of the component's own. */
    private record OwnedKey(Pair owner, Object own) {}

    private static @Nullable Object ownedKey(Map<Component, Pair> pairOf, Component c, @Nullable Object own) {
        Pair p = c.owner == null ? null : pairOf.get(c.owner);
        return p == null || own == null ? null : new OwnedKey(p, own);
    }

    private static List<Tier> tiers(String kind, Map<Component, Pair> pairOf) {
        return switch (kind) {
            case "disk" -> List.of(
                    new Tier("wwn", true, c -> ((Disk) c.subject).wwn()),
                    new Tier("serial", true, c -> ((Disk) c.subject).serial()),
                    new Tier("kernelName", false, c -> ((Disk) c.subject).kernelName()),
                    new Tier("path", false, c -> ((Disk) c.subject).path()));
            case "partition" -> List.of(
                    new Tier("partUuid", true, c -> ((Partition) c.subject).partUuid()),
                    new Tier("disk/number", false, c -> ownedKey(pairOf, c, ((Partition) c.subject).number())));
            case "md" -> List.of(
                    text("uuid", true, "uuid"),
                    text("device", false, "device"));
            case "vg" -> List.of(
                    text("uuid", true, "uuid"),
                    text("name", false, "name"));
            case "pv" -> List.of(
                    text("uuid", true, "uuid"),
                    text("device", false, "device"));
            case "lv" -> List.of(
                    text("uuid", true, "uuid"),
                    new Tier("vg/name", false, c -> ownedKey(pairOf, c, ((LogicalVolume) c.subject).name())));
            case "luks" -> List.of(
                    text("uuid", true, "uuid"),
                    text("name", false, "name"));
            case "filesystem" -> List.of(
                    text("uuid", true, "uuid"),
                    new Tier("mountpoint", false, c -> {
                        Filesystem fs = (Filesystem) c.subject;
                        return fs.mounts().isEmpty() ? null : fs.mounts().get(0).mountpoint();
                    }),
                    text("device", false, "device"));
            case "swap" -> List.of(
                    text("uuid", true, "uuid"),
                    text("device", false, "device"));
            case "interface" -> List.of(
                    text("mac", true, "mac"),
                    text("name", false, "name"));
            // The id tells the families apart: both IPv4 and IPv6 have a "default" destination.
            case "route" -> List.of(new Tier("destination", false, c -> c.id));
            case "excluded" -> List.of(text("component", false, "component"));
            case "host", "bootloader", "dns" -> List.of(new Tier("singleton", false, c -> "singleton"));
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    /** A tier keyed by a top-level text field of the component's tree. */
    private static Tier text(String name, boolean identity, String field) {
        return new Tier(name, identity, c -> {
            JsonNode v = c.tree.get(field);
            return v == null || v.isNull() ? null : v.asText();
        });
    }

    private static Map<String, List<Component>> flatten(SystemDescriptor d) {
        Map<String, List<Component>> out = new LinkedHashMap<>();
        Function<String, List<Component>> list = kind -> out.computeIfAbsent(kind, k -> new ArrayList<>());
        list.apply("host").add(new Component("host", "host", tree(d.host()), null, d.host()));
        for (Disk disk : d.disks()) {
            ObjectNode t = tree(disk);
            ((ObjectNode) t.get("partitionTable")).remove("partitions");
            Component dc = new Component("disk", disk.id(), t, null, disk);
            list.apply("disk").add(dc);
            for (Partition p : disk.partitionTable().partitions()) {
                ObjectNode pt = tree(p);
                pt.put("disk", disk.id());
                list.apply("partition").add(new Component("partition", p.id(), pt, dc, p));
            }
        }
        d.raidArrays().forEach(md -> list.apply("md").add(new Component("md", md.id(), tree(md), null, md)));
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            ObjectNode t = tree(vg);
            t.remove("physicalVolumes");
            t.remove("logicalVolumes");
            Component vc = new Component("vg", vg.id(), t, null, vg);
            list.apply("vg").add(vc);
            for (PhysicalVolume pv : vg.physicalVolumes()) {
                ObjectNode pt = tree(pv);
                pt.put("vg", vg.name());
                list.apply("pv").add(new Component("pv", pv.id(), pt, vc, pv));
            }
            for (LogicalVolume lv : vg.logicalVolumes()) {
                ObjectNode lt = tree(lv);
                lt.put("vg", vg.name());
                list.apply("lv").add(new Component("lv", vg.idOf(lv), lt, vc, lv));
            }
        }
        d.encryption().forEach(l -> list.apply("luks").add(new Component("luks", l.id(), tree(l), null, l)));
        for (Filesystem f : d.filesystems()) {
            ObjectNode t = tree(f);
            t.remove("usedBytes"); // a capture detail, like capturedAt
            list.apply("filesystem").add(new Component("filesystem", f.id(), t, null, f));
        }
        d.swap().forEach(s -> list.apply("swap").add(new Component("swap", s.id(), tree(s), null, s)));
        list.apply("bootloader").add(new Component("bootloader", d.bootloader().id(), tree(d.bootloader()), null, d.bootloader()));
        d.network().interfaces().forEach(i -> list.apply("interface").add(new Component("interface", i.id(), tree(i), null, i)));
        d.network().routes().forEach(r -> list.apply("route").add(new Component("route", r.id(), tree(r), null, r)));
        list.apply("dns").add(new Component("dns", "dns", tree(d.network().dns()), null, d.network().dns()));
        d.excluded().forEach(e -> list.apply("excluded").add(
                new Component("excluded", "excluded:" + e.component(), tree(e), null, e)));
        return out;
    }

    private static ObjectNode tree(Object record) {
        return DescriptorJson.mapper().valueToTree(record);
    }

    /** Nulls dropped, integers as longs (or big integers), so that equal values compare equal. */
    private static JsonNode normalize(JsonNode node) {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        if (node.isObject()) {
            ObjectNode out = nf.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull() && !e.getValue().isMissingNode()) {
                    out.set(e.getKey(), normalize(e.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = nf.arrayNode();
            node.forEach(child -> out.add(normalize(child)));
            return out;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? nf.numberNode(node.longValue()) : nf.numberNode(node.bigIntegerValue());
        }
        return node;
    }

    private static List<FieldChange> fieldChanges(@Nullable JsonNode older, @Nullable JsonNode newer) {
        List<FieldChange> out = new ArrayList<>();
        diff("", older, newer, out);
        return out;
    }

    /** Appends the differing leaves of two values at {@code path}; absent is {@code null}. */
    private static void diff(String path, @Nullable JsonNode a, @Nullable JsonNode b, List<FieldChange> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        boolean aObject = a == null || a.isObject();
        boolean bObject = b == null || b.isObject();
        if (aObject && bObject) {
            TreeSet<String> keys = new TreeSet<>();
            if (a != null) {
                a.fieldNames().forEachRemaining(keys::add);
            }
            if (b != null) {
                b.fieldNames().forEachRemaining(keys::add);
            }
            int before = out.size();
            for (String k : keys) {
                diff(path.isEmpty() ? k : path + "." + k, a == null ? null : a.get(k), b == null ? null : b.get(k), out);
            }
            if (out.size() > before || path.isEmpty()) {
                return;
            }
            // {} against absent: no leaf differs, so report the object itself
        }
        out.add(new FieldChange(path, a, b));
    }
}
