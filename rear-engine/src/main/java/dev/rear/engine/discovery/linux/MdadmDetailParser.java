package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.KeyValueLines.clip;
import static dev.rear.engine.discovery.linux.KeyValueLines.colonField;
import static dev.rear.engine.discovery.linux.KeyValueLines.leadingLong;
import static dev.rear.engine.discovery.linux.KeyValueLines.parseInt;
import static dev.rear.engine.discovery.linux.KeyValueLines.required;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads what mdadm says about an assembled array: {@code mdadm --detail --export /dev/mdX} (the
 * machine form) and {@code mdadm --detail /dev/mdX} (the human form), and puts both together in
 * {@link MdArrayFacts}.
 *
 * <p>The export form is stable and easy, but it lacks most of what recreating an array needs
 * (mdadm 4.2, see the fixtures under {@code fixtures/mdadm/vm-*}):
 *
 * <table>
 *   <caption>Which command gives which fact</caption>
 *   <tr><th>fact</th><th>{@code --detail --export}</th><th>{@code --detail}</th></tr>
 *   <tr><td>level, raid devices, UUID, name</td><td>MD_LEVEL, MD_DEVICES, MD_UUID, MD_NAME</td>
 *       <td>Raid Level, Raid Devices, UUID, Name</td></tr>
 *   <tr><td>metadata version</td><td>MD_METADATA</td><td>Version</td></tr>
 *   <tr><td>members and their slots</td><td>MD_DEVICE_&lt;key&gt;_ROLE / _DEV (slot or {@code spare})</td>
 *       <td>the table: Number, Major, Minor, RaidDevice, State, device</td></tr>
 *   <tr><td>member state words ({@code active sync}, {@code faulty})</td><td>—</td><td>the table</td></tr>
 *   <tr><td>empty slots of a degraded array</td><td>—</td><td>the table's {@code removed} rows</td></tr>
 *   <tr><td>array device</td><td>MD_DEVNAME only for {@code /dev/md/<name>} arrays</td><td>the first line</td></tr>
 *   <tr><td>chunk size, layout</td><td>—</td><td>Chunk Size ({@code 512K}), Layout</td></tr>
 *   <tr><td>bitmap</td><td>—</td><td>Intent Bitmap (absent when there is none)</td></tr>
 *   <tr><td>size, state (degraded)</td><td>—</td><td>Array Size (KiB), State</td></tr>
 * </table>
 *
 * <p>Export form, sample lines:
 * <pre>
 * MD_LEVEL=raid5
 * MD_DEVICES=3
 * MD_METADATA=1.2
 * MD_UUID=0badc0de:cafe4e11:8e5a1d00:5ca1ab1e
 * MD_NAME=capturevm:raid5data
 * MD_DEVICE_dev_vdg_ROLE=spare
 * MD_DEVICE_dev_vdg_DEV=/dev/vdg
 * </pre>
 * Human form, sample lines:
 * <pre>
 * /dev/md1:
 *            Version : 1.2
 *         Raid Level : raid5
 *         Array Size : 126976 (124.00 MiB 130.02 MB)
 *             Layout : left-symmetric
 *         Chunk Size : 512K
 *     Number   Major   Minor   RaidDevice State
 *        0     254       48        0      active sync   /dev/vdd
 *        3     254       96        -      spare   /dev/vdg
 *        -       0        0        1      removed
 * </pre>
 */
public final class MdadmDetailParser {

    /** The machine form, as the error messages name it. */
    public static final String EXPORT_COMMAND = "mdadm --detail --export";
    /** The human form, as the error messages name it. */
    public static final String DETAIL_COMMAND = "mdadm --detail";

    private static final Pattern DEVICE_KEY = Pattern.compile("MD_DEVICE_(.+)_(ROLE|DEV)");
    private static final Pattern CHUNK = Pattern.compile("(\\d+)([KMG])");

    private MdadmDetailParser() {}

    /**
     * What {@code mdadm --detail --export} says.
     *
     * @param devname the {@code /dev/md/<devname>} name (MD_DEVNAME), only for named arrays
     * @param members in the order mdadm printed them (which is not slot order)
     */
    public record Export(
            String level,
            int raidDevices,
            String metadata,
            String uuid,
            @Nullable String name,
            @Nullable String devname,
            List<ExportMember> members) {
        public Export {
            members = List.copyOf(members);
        }
    }

    /**
     * One MD_DEVICE_&lt;key&gt;_* pair.
     *
     * @param key    mdadm's key ({@code dev_vdb}: the device name with every other character
     *               than letters and digits turned into {@code _})
     * @param device the node (MD_DEVICE_&lt;key&gt;_DEV), null when mdadm found none
     * @param slot   the slot (MD_DEVICE_&lt;key&gt;_ROLE), null for {@code spare}
     */
    public record ExportMember(String key, @Nullable String device, @Nullable Integer slot) {}

    /**
     * What {@code mdadm --detail} says, the facts rear uses.
     *
     * @param arraySizeBytes  "Array Size" (printed in KiB), null for an inactive array
     * @param bitmap          "Intent Bitmap" as printed ({@code Internal} or a path), null if absent
     * @param chunkSizeBytes  "Chunk Size" ({@code 512K}), null if absent
     * @param removedSlots    the RaidDevice of every {@code removed} row
     */
    public record Human(
            String device,
            String metadata,
            String level,
            @Nullable Long arraySizeBytes,
            int raidDevices,
            int totalDevices,
            List<String> state,
            @Nullable String bitmap,
            @Nullable String layout,
            @Nullable Long chunkSizeBytes,
            @Nullable String consistencyPolicy,
            @Nullable String name,
            String uuid,
            List<HumanMember> members,
            List<Integer> removedSlots) {
        public Human {
            state = List.copyOf(state);
            members = List.copyOf(members);
            removedSlots = List.copyOf(removedSlots);
        }
    }

    /**
     * One row of the human form's member table that names a device.
     *
     * @param number the "Number" column, null when printed as {@code -}
     * @param slot   the "RaidDevice" column, null when printed as {@code -} (spare, faulty)
     */
    public record HumanMember(@Nullable Integer number, String device, @Nullable Integer slot, List<String> states) {
        public HumanMember {
            states = List.copyOf(states);
        }
    }

    /**
     * Parses the output of {@code mdadm --detail --export /dev/mdX}.
     *
     * @throws ToolOutputException naming {@value #EXPORT_COMMAND} when a line is not KEY=value,
     *     MD_LEVEL, MD_DEVICES, MD_METADATA or MD_UUID is missing, or a member has a ROLE that
     *     is neither a number nor {@code spare}
     */
    public static Export parse(String exportOutput) {
        String cmd = EXPORT_COMMAND;
        Map<String, String> kv = KeyValueLines.exportLines(cmd, exportOutput);
        String level = required(cmd, kv, "MD_LEVEL");
        int raidDevices = parseInt(cmd, "MD_DEVICES", required(cmd, kv, "MD_DEVICES"));
        String metadata = required(cmd, kv, "MD_METADATA");
        String uuid = required(cmd, kv, "MD_UUID");

        Map<String, String[]> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            Matcher m = DEVICE_KEY.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            String[] pair = byKey.computeIfAbsent(m.group(1), k -> new String[2]);
            pair["ROLE".equals(m.group(2)) ? 0 : 1] = e.getValue();
        }
        List<ExportMember> members = new ArrayList<>();
        for (Map.Entry<String, String[]> e : byKey.entrySet()) {
            String role = e.getValue()[0];
            if (role == null) {
                throw new ToolOutputException(cmd, "MD_DEVICE_" + e.getKey() + "_DEV has no _ROLE");
            }
            Integer slot;
            if ("spare".equals(role)) {
                slot = null;
            } else {
                slot = parseInt(cmd, "MD_DEVICE_" + e.getKey() + "_ROLE", role);
                if (slot < 0 || slot >= raidDevices) {
                    throw new ToolOutputException(cmd, "MD_DEVICE_" + e.getKey() + "_ROLE=" + slot
                            + " is outside the " + raidDevices + " slots");
                }
            }
            members.add(new ExportMember(e.getKey(), e.getValue()[1], slot));
        }
        return new Export(level, raidDevices, metadata, uuid, kv.get("MD_NAME"), kv.get("MD_DEVNAME"), members);
    }

    /**
     * Parses the output of {@code mdadm --detail /dev/mdX}, the human form.
     *
     * @throws ToolOutputException naming {@value #DETAIL_COMMAND} when the first line is not the
     *     device, Version, Raid Level, Raid Devices, Total Devices, State or UUID is missing, a
     *     number is not one, or a member row is malformed
     */
    public static Human parseHuman(String detailOutput) {
        String cmd = DETAIL_COMMAND;
        List<String> lines = Arrays.asList(detailOutput.split("\n", -1));
        int i = 0;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        if (i == lines.size()) {
            throw new ToolOutputException(cmd, "the output is empty");
        }
        String first = lines.get(i).strip();
        if (!first.startsWith("/") || !first.endsWith(":")) {
            throw new ToolOutputException(cmd, "the first line is not '/dev/mdX:': '" + clip(first) + "'");
        }
        String device = first.substring(0, first.length() - 1);

        Map<String, String> fields = new HashMap<>();
        List<HumanMember> members = new ArrayList<>();
        List<Integer> removed = new ArrayList<>();
        boolean inTable = false;
        for (i++; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> words = Arrays.asList(line.trim().split("\\s+"));
            if (!inTable && words.size() >= 5 && words.get(0).equals("Number") && words.get(3).equals("RaidDevice")) {
                inTable = true;
                continue;
            }
            if (inTable) {
                parseRow(cmd, line, words, members, removed);
                continue;
            }
            String[] kv = colonField(line);
            if (kv == null) {
                throw new ToolOutputException(cmd, "line " + (i + 1) + " is not 'Key : value': '" + clip(line) + "'");
            }
            fields.put(kv[0], kv[1]);
        }
        String metadata = requiredField(fields, "Version");
        String level = requiredField(fields, "Raid Level");
        int raidDevices = parseInt(cmd, "Raid Devices", requiredField(fields, "Raid Devices"));
        int totalDevices = parseInt(cmd, "Total Devices", requiredField(fields, "Total Devices"));
        List<String> state = new ArrayList<>();
        for (String s : requiredField(fields, "State").split(",")) {
            if (!s.isBlank()) {
                state.add(s.trim());
            }
        }
        String uuid = requiredField(fields, "UUID");
        Long arraySize = fields.containsKey("Array Size")
                ? Math.multiplyExact(leadingLong(cmd, "Array Size", fields.get("Array Size")), 1024L)
                : null;
        Long chunk = fields.containsKey("Chunk Size") ? chunkBytes(cmd, fields.get("Chunk Size")) : null;
        if (!inTable) {
            throw new ToolOutputException(cmd, "the member table (Number Major Minor RaidDevice State) is missing");
        }
        return new Human(device, metadata, level, arraySize, raidDevices, totalDevices, state,
                fields.get("Intent Bitmap"), fields.get("Layout"), chunk, fields.get("Consistency Policy"),
                arrayName(fields.get("Name")), uuid, members, removed);
    }

    /**
     * The array name of a human-form {@code Name} field. When the name's host part is this machine's
     * homehost, mdadm appends a note: {@code Name : rearvm:e2e0  (local to host rearvm)}; the
     * export form ({@code MD_NAME=rearvm:e2e0}) and the superblock have the name alone.
     */
    static @Nullable String arrayName(@Nullable String field) {
        return field == null ? null : field.replaceFirst("\\s+\\(local to host [^)]*\\)$", "");
    }

    /**
     * Both forms of one array together, checked against each other: UUID, level, metadata and
     * slot count must agree, and every member the export form names must be in the table with
     * the same slot.
     *
     * @throws ToolOutputException naming {@value #DETAIL_COMMAND} when they disagree
     */
    public static MdArrayFacts facts(Export export, Human human) {
        String cmd = DETAIL_COMMAND;
        agree("UUID", export.uuid(), human.uuid());
        agree("level", export.level(), human.level());
        agree("metadata version", export.metadata(), human.metadata());
        agree("raid devices", Integer.toString(export.raidDevices()), Integer.toString(human.raidDevices()));
        if (export.name() != null && human.name() != null) {
            agree("name", export.name(), human.name());
        }
        Map<String, HumanMember> byDevice = new HashMap<>();
        for (HumanMember m : human.members()) {
            byDevice.put(m.device(), m);
        }
        for (ExportMember m : export.members()) {
            if (m.device() == null) {
                continue;
            }
            HumanMember row = byDevice.get(m.device());
            if (row == null) {
                throw new ToolOutputException(cmd, "member " + m.device() + " of " + EXPORT_COMMAND
                        + " is not in the member table of " + human.device());
            }
            if (!Objects.equals(row.slot(), m.slot())) {
                throw new ToolOutputException(cmd, "member " + m.device() + " has slot " + row.slot()
                        + " but " + EXPORT_COMMAND + " says " + (m.slot() == null ? "spare" : m.slot()));
            }
        }
        List<MdArrayFacts.Member> members = human.members().stream()
                .map(m -> new MdArrayFacts.Member(m.device(), m.slot(), m.states()))
                .toList();
        String bitmap = human.bitmap() == null ? "none"
                : human.bitmap().equalsIgnoreCase("internal") ? "internal" : human.bitmap();
        List<Integer> missing = new ArrayList<>(human.removedSlots());
        missing.sort(null);
        return new MdArrayFacts(human.device(), human.level(), human.metadata(), human.uuid(),
                human.name() != null ? human.name() : export.name(), human.raidDevices(),
                human.chunkSizeBytes(), human.layout(), bitmap, human.arraySizeBytes(), human.state(),
                human.state().contains("degraded"), members, missing);
    }

    /** {@link #facts} of the two outputs. */
    public static MdArrayFacts parse(String exportOutput, String detailOutput) {
        return facts(parse(exportOutput), parseHuman(detailOutput));
    }

    private static void parseRow(String cmd, String line, List<String> words, List<HumanMember> members,
            List<Integer> removed) {
        if (words.size() < 5) {
            throw new ToolOutputException(cmd, "member row has too few columns: '" + clip(line) + "'");
        }
        Integer number = dashOrInt(cmd, "Number", words.get(0), line);
        dashOrInt(cmd, "Major", words.get(1), line);
        dashOrInt(cmd, "Minor", words.get(2), line);
        Integer slot = dashOrInt(cmd, "RaidDevice", words.get(3), line);
        List<String> rest = words.subList(4, words.size());
        String last = rest.get(rest.size() - 1);
        if (last.startsWith("/")) {
            List<String> states = rest.subList(0, rest.size() - 1);
            if (states.isEmpty()) {
                throw new ToolOutputException(cmd, "member row has no state: '" + clip(line) + "'");
            }
            members.add(new HumanMember(number, last, slot, states));
        } else if (rest.contains("removed")) {
            if (slot != null) {
                removed.add(slot);
            }
        } else {
            throw new ToolOutputException(cmd, "member row names no device and is not 'removed': '" + clip(line) + "'");
        }
    }

    private static @Nullable Integer dashOrInt(String cmd, String column, String word, String line) {
        if (word.equals("-")) {
            return null;
        }
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new ToolOutputException(cmd, "column " + column + " is not a number in '" + clip(line) + "'");
        }
    }

    /** mdadm prints the chunk as {@code 512K} (sometimes {@code 1M}...). */
    static long chunkBytes(String cmd, String value) {
        Matcher m = CHUNK.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ToolOutputException(cmd, "Chunk Size is not like '512K': '" + clip(value) + "'");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Math.multiplyExact(n, 1L << shift);
    }

    private static String requiredField(Map<String, String> fields, String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new ToolOutputException(DETAIL_COMMAND, "the field '" + key + "' is missing");
        }
        return v;
    }

    private static void agree(String what, String fromExport, String fromHuman) {
        if (!fromExport.equals(fromHuman)) {
            throw new ToolOutputException(DETAIL_COMMAND, "the " + what + " '" + fromHuman + "' disagrees with "
                    + EXPORT_COMMAND + ", which says '" + fromExport + "'");
        }
    }
}
