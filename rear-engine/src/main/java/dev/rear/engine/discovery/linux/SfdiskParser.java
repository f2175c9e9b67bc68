package dev.rear.engine.discovery.linux;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a partition table as {@code sfdisk -J DEVICE} prints it (util-linux 2.38):
 *
 * <pre>{@code
 * {"partitiontable": {"label": "gpt", "id": "52454152-0000-4000-8000-000000000000",
 *   "device": "/dev/loop0", "unit": "sectors", "firstlba": 2048, "lastlba": 4194270, "sectorsize": 512,
 *   "partitions": [{"node": "/dev/loop0p1", "start": 2048, "size": 524288,
 *     "type": "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "uuid": "52454152-0000-4000-8000-000000000001",
 *     "name": "EFI System Partition", "attrs": "RequiredPartition"}, ...]}}
 * }</pre>
 *
 * <p>Starts and sizes are in sectors of {@code sectorsize} bytes (the device's logical sector).
 * A DOS table has {@code "bootable": true} on the active partition, a type like {@code "83"} or
 * {@code "5"} (hexadecimal, without {@code 0x}) and no uuid or name; its id is {@code "0x52454152"}.
 * GPT GUIDs are printed in upper case. A table without partitions has no {@code partitions} key at
 * all; a device without a table makes sfdisk fail (exit 1) and print nothing on standard output.
 */
public final class SfdiskParser {

    /** The command whose output {@link #parse} reads; the device follows it. */
    public static final String COMMAND = "sfdisk -J";

    private SfdiskParser() {}

    /**
     * @param label {@code gpt}, {@code dos}, ... as printed
     * @param id the disk GUID of a GPT, {@code 0x…} of a DOS table; {@code null} if not printed
     * @param unit always {@code sectors}
     * @param firstLba first usable sector (GPT only)
     * @param lastLba last usable sector (GPT only)
     * @param sectorSize bytes per sector; {@code null} from sfdisk versions that do not print it
     */
    public record PartitionTable(
            String label,
            @Nullable String id,
            String device,
            String unit,
            @Nullable Long firstLba,
            @Nullable Long lastLba,
            @Nullable Integer sectorSize,
            List<Partition> partitions) {

        public PartitionTable {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(unit, "unit");
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * @param node the partition's device node
     * @param start first sector
     * @param size size in sectors
     * @param type GPT type GUID or DOS type code, as printed
     * @param uuid the GPT partition GUID; {@code null} on DOS
     * @param name the GPT partition name; {@code null} on DOS and when unnamed
     * @param attrs GPT attributes, e.g. {@code "LegacyBIOSBootable GUID:63"}; {@code null} when none
     * @param bootable the DOS active flag
     */
    public record Partition(
            String node,
            long start,
            long size,
            String type,
            @Nullable String uuid,
            @Nullable String name,
            @Nullable String attrs,
            boolean bootable) {

        public Partition {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * @param output what {@code sfdisk -J DEVICE} printed
     * @throws ToolOutputException if it is empty, not JSON, truncated, lacks {@code label},
     *     {@code device}, {@code unit} or a partition's {@code node}, {@code start}, {@code size},
     *     {@code type}, or counts in a unit other than sectors
     */
    public static PartitionTable parse(String output) {
        ToolJson json = new ToolJson(COMMAND);
        JsonNode root = json.rootObject(output, "partitiontable");
        String where = "partitiontable";
        JsonNode table = json.object(root.get("partitiontable"), where);
        String unit = json.text(table, "unit", where);
        if (!unit.equals("sectors")) {
            throw json.fail(where + ": \"unit\" is \"" + unit + "\", expected \"sectors\"");
        }
        Long sectorSize = json.optNumber(table, "sectorsize", where);
        List<Partition> partitions = new ArrayList<>();
        List<JsonNode> nodes = json.optArray(table, "partitions", where);
        for (int i = 0; i < nodes.size(); i++) {
            String at = where + ".partitions[" + i + "]";
            JsonNode p = json.object(nodes.get(i), at);
            long start = json.number(p, "start", at);
            long size = json.number(p, "size", at);
            if (start < 0 || size < 0) {
                throw json.fail(at + ": start " + start + " and size " + size + " must not be negative");
            }
            partitions.add(new Partition(
                    json.text(p, "node", at),
                    start,
                    size,
                    json.text(p, "type", at),
                    json.optText(p, "uuid", at),
                    json.optText(p, "name", at),
                    json.optText(p, "attrs", at),
                    json.optBool(p, "bootable", at, false)));
        }
        return new PartitionTable(
                json.text(table, "label", where),
                json.optText(table, "id", where),
                json.text(table, "device", where),
                unit,
                json.optNumber(table, "firstlba", where),
                json.optNumber(table, "lastlba", where),
                sectorSize == null ? null : Math.toIntExact(sectorSize),
                partitions);
    }
}
