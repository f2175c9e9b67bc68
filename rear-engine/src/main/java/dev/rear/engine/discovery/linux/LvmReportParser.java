package dev.rear.engine.discovery.linux;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rear.engine.discovery.linux.LvmReport.InternalRole;
import dev.rear.engine.discovery.linux.LvmReport.Lv;
import dev.rear.engine.discovery.linux.LvmReport.Pv;
import dev.rear.engine.discovery.linux.LvmReport.Segment;
import dev.rear.engine.discovery.linux.LvmReport.SegmentDevice;
import dev.rear.engine.discovery.linux.LvmReport.Vg;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads LVM's JSON reports into an {@link LvmReport}. The command discovery runs (the fixture
 * {@code fixtures/lvm/vm-vg-mixed-fullreport.json}):
 *
 * <pre>
 * lvm fullreport --all --reportformat json --units b --nosuffix \
 *   --configreport vg -o vg_name,vg_uuid,vg_attr,vg_extent_size,vg_extent_count,vg_size,vg_free,pv_count,lv_count \
 *   --configreport pv -o pv_name,pv_uuid,vg_name,dev_size,pv_size,pe_start,pv_pe_count,pv_pe_alloc_count \
 *   --configreport lv -o lv_name,lv_full_name,lv_uuid,lv_size,lv_attr,lv_layout,lv_role,lv_parent,pool_lv,data_lv,metadata_lv,lv_metadata_size,lv_path,lv_dm_path \
 *   --configreport seg -o lv_name,segtype,seg_start,seg_size,stripes,data_stripes,stripe_size,chunk_size,region_size,data_copies,devices \
 *   --configreport pvseg -o pv_name,pvseg_start,pvseg_size,lv_name
 * </pre>
 *
 * Sample (one entry of {@code "report"} per VG; values are strings):
 * <pre>
 * {"vg_name":"vg0", "vg_uuid":"UGdsfd-jPyw-K66e-uyrG-ALYo-Yq1k-19EAQe", "vg_extent_size":"4194304", ...}
 * {"lv_name":"[pool_tmeta]", "lv_full_name":"vg0/pool_tmeta", ..., "lv_role":"private,thin,pool,metadata", ...}
 * {"lv_name":"pool", "segtype":"thin-pool", ..., "chunk_size":"131072", "devices":"pool_tdata(0)"}
 * </pre>
 *
 * <p>It reads {@code lvm fullreport} with its default (all) columns as well, where the
 * {@code seg} rows name their LV by {@code lv_uuid} instead of {@code lv_name}. It also reads
 * the single reports {@code vgs}, {@code pvs} and {@code lvs -a} with
 * {@code --reportformat json --units b --nosuffix}: there each {@code lvs} row is one segment of
 * an LV (an LV with two segments has two rows). Either way these columns must be there (their
 * absence is an error, not an empty fact): VG {@code vg_name vg_uuid vg_extent_size vg_size};
 * PV {@code pv_name pv_uuid pv_size pe_start}; LV {@code lv_name lv_uuid lv_size lv_attr
 * lv_layout lv_role pool_lv lv_metadata_size} and the VG by {@code vg_name} or
 * {@code lv_full_name} (or the fullreport section); segment {@code segtype stripes stripe_size}.
 * Optional: {@code vg_free dev_size lv_parent seg_start seg_size chunk_size region_size
 * data_copies devices}, null when absent.
 *
 * <p>Hidden LVs ({@code [pool_tmeta]}, {@code [lvol0_pmspare]}, {@code [x_rimage_0]}) are kept,
 * flagged {@link Lv#hidden()} with their {@link InternalRole}, so that a planner can see where
 * the extents went; they are recreated by creating their parent, never on their own. Note that a
 * thin pool itself has {@code lv_role} "private" but is not hidden.
 */
public final class LvmReportParser {

    /** How the error messages name the command: discovery runs {@code lvm fullreport}. */
    public static final String COMMAND = "lvm fullreport --reportformat json --units b --nosuffix";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern DEVICE = Pattern.compile("(.+)\\((\\d+)\\)");

    private LvmReportParser() {}

    /**
     * Parses the JSON printed by {@code lvm fullreport}, {@code vgs}, {@code pvs} or {@code lvs}
     * with {@code --reportformat json --units b --nosuffix}.
     *
     * @throws ToolOutputException naming {@value #COMMAND} for malformed or truncated JSON, a
     *     missing {@code report} array or required column, a size that is not a plain number of
     *     bytes (forgotten {@code --units b --nosuffix}), or segments of an LV that no LV row names
     */
    public static LvmReport parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ToolOutputException(COMMAND, "the JSON is malformed or ends early" + where + ": "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new ToolOutputException(COMMAND, "the output is not a JSON object");
        }
        JsonNode report = root.get("report");
        if (report == null || !report.isArray()) {
            throw new ToolOutputException(COMMAND, "the JSON has no \"report\" array");
        }
        List<Vg> vgs = new ArrayList<>();
        List<Pv> pvs = new ArrayList<>();
        List<Lv> lvs = new ArrayList<>();
        int index = 0;
        for (JsonNode section : report) {
            String where = "report[" + index++ + "]";
            if (!section.isObject()) {
                throw new ToolOutputException(COMMAND, where + " is not an object");
            }
            List<Vg> sectionVgs = new ArrayList<>();
            for (JsonNode row : rows(section, "vg", where)) {
                sectionVgs.add(vg(row, where));
            }
            vgs.addAll(sectionVgs);
            // A fullreport section is about one VG; its lv, pv and seg rows need not name it.
            String sectionVg = sectionVgs.size() == 1 ? sectionVgs.get(0).name() : null;
            for (JsonNode row : rows(section, "pv", where)) {
                pvs.add(pv(row, sectionVg, where));
            }
            lvs.addAll(lvs(section, sectionVg, where));
        }
        return new LvmReport(vgs, pvs, lvs);
    }

    private static List<JsonNode> rows(JsonNode section, String name, String where) {
        JsonNode array = section.get(name);
        if (array == null) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new ToolOutputException(COMMAND, where + "." + name + " is not an array");
        }
        List<JsonNode> out = new ArrayList<>();
        int i = 0;
        for (JsonNode row : array) {
            if (!row.isObject()) {
                throw new ToolOutputException(COMMAND, where + "." + name + "[" + i + "] is not an object");
            }
            out.add(row);
            i++;
        }
        return out;
    }

    private static Vg vg(JsonNode row, String where) {
        String name = text(row, "vg_name", where);
        return new Vg(name, text(row, "vg_uuid", where), bytes(row, "vg_extent_size", where),
                bytes(row, "vg_size", where), optionalBytes(row, "vg_free", where));
    }

    private static Pv pv(JsonNode row, @Nullable String sectionVg, String where) {
        String vgName = row.has("vg_name") ? emptyToNull(text(row, "vg_name", where)) : sectionVg;
        return new Pv(text(row, "pv_name", where), text(row, "pv_uuid", where), vgName,
                bytes(row, "pv_size", where), bytes(row, "pe_start", where), optionalBytes(row, "dev_size", where));
    }

    /**
     * The LVs of one report section. In a fullreport the LV facts are in {@code lv} and the
     * segments in {@code seg}, joined on the LV name; in {@code lvs} output both are in each
     * {@code lv} row, one row per segment.
     */
    private static List<Lv> lvs(JsonNode section, @Nullable String sectionVg, String where) {
        List<JsonNode> lvRows = rows(section, "lv", where);
        List<JsonNode> segRows = rows(section, "seg", where);
        boolean separateSegments = section.has("seg");

        record Key(String vg, String name) {}
        Map<Key, JsonNode> lvRowByKey = new LinkedHashMap<>();
        Map<String, Key> keyByUuid = new LinkedHashMap<>();
        Map<Key, List<Segment>> segmentsByKey = new LinkedHashMap<>();
        for (JsonNode row : lvRows) {
            Key key = new Key(vgOf(row, sectionVg, where), unbracket(text(row, "lv_name", where)));
            String uuid = text(row, "lv_uuid", where);
            JsonNode first = lvRowByKey.putIfAbsent(key, row);
            if (first != null && !text(first, "lv_uuid", where).equals(uuid)) {
                throw new ToolOutputException(COMMAND, "two LVs are named " + key.vg() + "/" + key.name());
            }
            keyByUuid.put(uuid, key);
            if (!separateSegments) {
                segmentsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(segment(row, where));
            }
        }
        // fullreport's seg rows name their LV by lv_uuid (default columns) or by lv_name (when
        // the seg report is configured with it).
        for (JsonNode row : segRows) {
            Key key;
            if (row.has("lv_uuid")) {
                String uuid = text(row, "lv_uuid", where);
                key = keyByUuid.get(uuid);
                if (key == null) {
                    throw new ToolOutputException(COMMAND, where + ".seg names the LV with UUID " + uuid
                            + ", which has no row in " + where + ".lv");
                }
            } else if (row.has("lv_name")) {
                key = new Key(vgOf(row, sectionVg, where), unbracket(text(row, "lv_name", where)));
                if (!lvRowByKey.containsKey(key)) {
                    throw new ToolOutputException(COMMAND, where + ".seg names the LV " + key.vg() + "/" + key.name()
                            + ", which has no row in " + where + ".lv");
                }
            } else {
                throw new ToolOutputException(COMMAND, where + ".seg: a row has neither lv_uuid nor lv_name");
            }
            segmentsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(segment(row, where));
        }
        List<Lv> out = new ArrayList<>();
        for (Map.Entry<Key, JsonNode> e : lvRowByKey.entrySet()) {
            JsonNode row = e.getValue();
            String rawName = text(row, "lv_name", where);
            boolean hidden = rawName.startsWith("[") && rawName.endsWith("]");
            List<String> role = words(text(row, "lv_role", where));
            List<Segment> segments = segmentsByKey.getOrDefault(e.getKey(), List.of());
            if (segments.isEmpty()) {
                throw new ToolOutputException(COMMAND, "the LV " + e.getKey().vg() + "/" + e.getKey().name()
                        + " has no segment row" + (separateSegments ? " in " + where + ".seg" : ""));
            }
            out.add(new Lv(e.getKey().vg(), e.getKey().name(), text(row, "lv_uuid", where), hidden,
                    hidden ? internalRole(role) : null, bytes(row, "lv_size", where), text(row, "lv_attr", where),
                    words(text(row, "lv_layout", where)), role,
                    row.has("lv_parent") ? emptyToNull(unbracket(text(row, "lv_parent", where))) : null,
                    emptyToNull(unbracket(text(row, "pool_lv", where))),
                    blankBytes(row, "lv_metadata_size", where), segments));
        }
        return out;
    }

    private static Segment segment(JsonNode row, String where) {
        Long chunk = row.has("chunk_size") ? bytes(row, "chunk_size", where) : null;
        Long region = row.has("region_size") ? bytes(row, "region_size", where) : null;
        Integer copies = row.has("data_copies") ? Math.toIntExact(number(row, "data_copies", where)) : null;
        List<SegmentDevice> devices = row.has("devices") ? devices(text(row, "devices", where), where) : null;
        return new Segment(text(row, "segtype", where), optionalBytes(row, "seg_start", where),
                optionalBytes(row, "seg_size", where), Math.toIntExact(number(row, "stripes", where)),
                bytes(row, "stripe_size", where), chunk, region, copies, devices);
    }

    private static List<SegmentDevice> devices(String column, String where) {
        List<SegmentDevice> out = new ArrayList<>();
        if (column.isEmpty()) {
            return out;
        }
        for (String part : column.split(",")) {
            Matcher m = DEVICE.matcher(part.trim());
            if (!m.matches()) {
                throw new ToolOutputException(COMMAND, where + ": devices entry '" + KeyValueLines.clip(part)
                        + "' is not name(extent)");
            }
            out.add(new SegmentDevice(unbracket(m.group(1)), Long.parseLong(m.group(2))));
        }
        return out;
    }

    private static InternalRole internalRole(List<String> role) {
        if (role.contains("thin") && role.contains("pool") && role.contains("metadata")) {
            return InternalRole.THIN_POOL_METADATA;
        }
        if (role.contains("thin") && role.contains("pool") && role.contains("data")) {
            return InternalRole.THIN_POOL_DATA;
        }
        if (role.contains("pool") && role.contains("spare")) {
            return InternalRole.POOL_METADATA_SPARE;
        }
        if (role.contains("raid") && role.contains("image")) {
            return InternalRole.RAID_IMAGE;
        }
        if (role.contains("raid") && role.contains("metadata")) {
            return InternalRole.RAID_METADATA;
        }
        if (role.contains("mirror") && role.contains("image")) {
            return InternalRole.MIRROR_IMAGE;
        }
        if (role.contains("mirror") && role.contains("log")) {
            return InternalRole.MIRROR_LOG;
        }
        if (role.contains("cache")) {
            return InternalRole.CACHE;
        }
        return InternalRole.OTHER;
    }

    private static String vgOf(JsonNode row, @Nullable String sectionVg, String where) {
        if (row.has("vg_name")) {
            return text(row, "vg_name", where);
        }
        if (row.has("lv_full_name")) {
            String full = text(row, "lv_full_name", where);
            int slash = full.indexOf('/');
            if (slash > 0) {
                return full.substring(0, slash);
            }
        }
        if (sectionVg != null) {
            return sectionVg;
        }
        throw new ToolOutputException(COMMAND, where + ": an LV row has neither vg_name nor lv_full_name");
    }

    private static String text(JsonNode row, String column, String where) {
        JsonNode v = row.get(column);
        if (v == null) {
            throw new ToolOutputException(COMMAND, where + ": the column " + column + " is missing");
        }
        if (!v.isValueNode() || v.isNull()) {
            throw new ToolOutputException(COMMAND, where + ": the column " + column + " is not a value: " + v);
        }
        return v.asText();
    }

    /** A required number of bytes. */
    private static long bytes(JsonNode row, String column, String where) {
        return number(row, column, where);
    }

    /** A column that may be absent from the report; when present it must be a number. */
    private static @Nullable Long optionalBytes(JsonNode row, String column, String where) {
        return row.has(column) ? number(row, column, where) : null;
    }

    /** A column that must be present but is blank where it does not apply ({@code lv_metadata_size}). */
    private static @Nullable Long blankBytes(JsonNode row, String column, String where) {
        String t = text(row, column, where);
        return t.isEmpty() ? null : number(row, column, where);
    }

    private static long number(JsonNode row, String column, String where) {
        JsonNode v = row.get(column);
        if (v == null) {
            throw new ToolOutputException(COMMAND, where + ": the column " + column + " is missing");
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        String t = v.asText();
        try {
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ToolOutputException(COMMAND, where + ": " + column + " '" + KeyValueLines.clip(t)
                    + "' is not a number of bytes (run with --units b --nosuffix)");
        }
    }

    private static List<String> words(String commaSeparated) {
        if (commaSeparated.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String unbracket(String name) {
        return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    }

    private static @Nullable String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
