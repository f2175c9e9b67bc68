package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.KeyValueLines.clip;
import static dev.rear.engine.discovery.linux.KeyValueLines.colonField;
import static dev.rear.engine.discovery.linux.KeyValueLines.leadingLong;
import static dev.rear.engine.discovery.linux.KeyValueLines.parseInt;
import static dev.rear.engine.discovery.linux.KeyValueLines.parseLong;
import static dev.rear.engine.discovery.linux.KeyValueLines.required;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the md superblock of one member device as {@code mdadm --examine} prints it.
 *
 * <p>{@code mdadm --examine --export <member>} (mdadm 4.2) gives only array-level facts and the
 * member's own UUID; the member's <em>role</em> (slot or spare), its data offset, the metadata
 * version, chunk and layout are only in the human form {@code mdadm --examine <member>}, read by
 * {@link #parseHuman}:
 *
 * <table>
 *   <caption>Which command gives which fact</caption>
 *   <tr><th>fact</th><th>{@code --examine --export}</th><th>{@code --examine}</th></tr>
 *   <tr><td>array UUID, name, level, raid devices</td><td>MD_UUID, MD_NAME, MD_LEVEL, MD_DEVICES</td>
 *       <td>Array UUID, Name, Raid Level, Raid Devices</td></tr>
 *   <tr><td>member UUID, events</td><td>MD_DEV_UUID, MD_EVENTS</td><td>Device UUID, Events</td></tr>
 *   <tr><td>last update</td><td>MD_UPDATE_TIME (epoch seconds)</td><td>Update Time (local time text)</td></tr>
 *   <tr><td>array size</td><td>MD_ARRAY_SIZE, rounded decimal ({@code 66.06MB}): not used</td><td>Array Size (KiB)</td></tr>
 *   <tr><td>role / slot, data and super offset, metadata version, feature map, bitmap, chunk, layout</td>
 *       <td>—</td><td>Device Role, Data Offset, Super Offset, Version, Feature Map, Internal Bitmap,
 *       Chunk Size, Layout</td></tr>
 * </table>
 *
 * <p>Export form, sample lines:
 * <pre>
 * MD_LEVEL=raid1
 * MD_DEVICES=2
 * MD_NAME=capturevm:raid1boot
 * MD_ARRAY_SIZE=66.06MB
 * MD_UUID=3f6a2c1e:8b7d4e90:a1c2d3e4:f5061728
 * MD_UPDATE_TIME=1795699704
 * MD_DEV_UUID=62ee9b54:539610d8:d7c674f6:2a211dc9
 * MD_EVENTS=17
 * </pre>
 * Human form, sample lines:
 * <pre>
 * /dev/vdb:
 *           Magic : a92b4efc
 *         Version : 1.2
 *      Array UUID : 3f6a2c1e:8b7d4e90:a1c2d3e4:f5061728
 *     Data Offset : 2048 sectors
 *    Device Role : Active device 0
 *    Array State : AA ('A' == active, '.' == missing, 'R' == replacing)
 * </pre>
 * The 0.90 superblock's human form is different (no Device Role; a "this" row) and is refused.
 */
public final class MdadmExamineParser {

    /** The machine form, as the error messages name it. */
    public static final String EXPORT_COMMAND = "mdadm --examine --export";
    /** The human form, as the error messages name it. */
    public static final String EXAMINE_COMMAND = "mdadm --examine";

    private static final Pattern ACTIVE = Pattern.compile("Active device (\\d+)");
    private static final Pattern REPLACEMENT = Pattern.compile("Replacement device (\\d+)");

    private MdadmExamineParser() {}

    /**
     * What {@code mdadm --examine --export <member>} says.
     *
     * @param arraySizeText MD_ARRAY_SIZE exactly as printed (decimal units, rounded), for display only
     * @param updateTime    MD_UPDATE_TIME
     * @param events        MD_EVENTS
     */
    public record Export(
            String level,
            int raidDevices,
            @Nullable String name,
            String arrayUuid,
            @Nullable String deviceUuid,
            @Nullable String arraySizeText,
            @Nullable Instant updateTime,
            @Nullable Long events) {}

    /**
     * Parses the output of {@code mdadm --examine --export <member>}.
     *
     * @throws ToolOutputException naming {@value #EXPORT_COMMAND} when a line is not KEY=value,
     *     MD_LEVEL, MD_DEVICES or MD_UUID is missing, or a number is not one
     */
    public static Export parse(String exportOutput) {
        String cmd = EXPORT_COMMAND;
        Map<String, String> kv = KeyValueLines.exportLines(cmd, exportOutput);
        String level = required(cmd, kv, "MD_LEVEL");
        int raidDevices = parseInt(cmd, "MD_DEVICES", required(cmd, kv, "MD_DEVICES"));
        String uuid = required(cmd, kv, "MD_UUID");
        Instant updated = kv.containsKey("MD_UPDATE_TIME")
                ? Instant.ofEpochSecond(parseLong(cmd, "MD_UPDATE_TIME", kv.get("MD_UPDATE_TIME")))
                : null;
        Long events = kv.containsKey("MD_EVENTS") ? parseLong(cmd, "MD_EVENTS", kv.get("MD_EVENTS")) : null;
        return new Export(level, raidDevices, kv.get("MD_NAME"), uuid, kv.get("MD_DEV_UUID"),
                kv.get("MD_ARRAY_SIZE"), updated, events);
    }

    /**
     * Parses the output of {@code mdadm --examine <member>} for a 1.x superblock.
     *
     * @throws ToolOutputException naming {@value #EXAMINE_COMMAND} when the first line is not the
     *     device, a required field is missing, the superblock is not 1.x, or the role is unknown
     */
    public static MdSuperblockFacts parseHuman(String examineOutput) {
        String cmd = EXAMINE_COMMAND;
        String[] lines = examineOutput.split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        if (i == lines.length) {
            throw new ToolOutputException(cmd, "the output is empty");
        }
        String first = lines[i].strip();
        if (!first.startsWith("/") || !first.endsWith(":")) {
            throw new ToolOutputException(cmd, "the first line is not '/dev/<member>:': '" + clip(first) + "'");
        }
        String device = first.substring(0, first.length() - 1);
        Map<String, String> f = new HashMap<>();
        for (i++; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] kv = colonField(lines[i]);
            if (kv == null) {
                throw new ToolOutputException(cmd, "line " + (i + 1) + " is not 'Key : value': '" + clip(lines[i]) + "'");
            }
            if (f.put(kv[0], kv[1]) != null) {
                throw new ToolOutputException(cmd, "the field '" + kv[0] + "' appears twice; is this more than one device?");
            }
        }
        String metadata = req(f, "Version");
        if (!metadata.startsWith("1.")) {
            throw new ToolOutputException(cmd, "superblock version " + metadata + " is not 1.x; only 1.0, 1.1 and 1.2 are read");
        }
        String roleText = req(f, "Device Role");
        MdSuperblockFacts.Role role;
        Integer slot = null;
        Matcher active = ACTIVE.matcher(roleText);
        Matcher replacement = REPLACEMENT.matcher(roleText);
        if (active.matches()) {
            role = MdSuperblockFacts.Role.ACTIVE;
            slot = Integer.valueOf(active.group(1));
        } else if (replacement.matches()) {
            role = MdSuperblockFacts.Role.REPLACEMENT;
            slot = Integer.valueOf(replacement.group(1));
        } else if (roleText.equalsIgnoreCase("spare")) {
            role = MdSuperblockFacts.Role.SPARE;
        } else if (roleText.equalsIgnoreCase("journal")) {
            role = MdSuperblockFacts.Role.JOURNAL;
        } else {
            throw new ToolOutputException(cmd, "unknown Device Role '" + clip(roleText) + "'");
        }
        String arrayState = req(f, "Array State");
        int legend = arrayState.indexOf(' ');
        if (legend > 0) {
            arrayState = arrayState.substring(0, legend);
        }
        Long arraySize = f.containsKey("Array Size")
                ? Math.multiplyExact(leadingLong(cmd, "Array Size", f.get("Array Size")), 1024L)
                : null;
        Long chunk = f.containsKey("Chunk Size") ? MdadmDetailParser.chunkBytes(cmd, f.get("Chunk Size")) : null;
        return new MdSuperblockFacts(device, metadata, req(f, "Feature Map"), req(f, "Array UUID"),
                req(f, "Device UUID"), MdadmDetailParser.arrayName(f.get("Name")), req(f, "Raid Level"),
                parseInt(cmd, "Raid Devices", req(f, "Raid Devices")),
                leadingLong(cmd, "Avail Dev Size", req(f, "Avail Dev Size")), arraySize,
                leadingLong(cmd, "Data Offset", req(f, "Data Offset")),
                leadingLong(cmd, "Super Offset", req(f, "Super Offset")),
                f.get("Internal Bitmap"), f.get("Layout"), chunk, role, slot, arrayState,
                parseLong(cmd, "Events", req(f, "Events")));
    }

    private static String req(Map<String, String> fields, String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new ToolOutputException(EXAMINE_COMMAND, "the field '" + key + "' is missing");
        }
        return v;
    }
}
