package dev.rear.engine.discovery.linux;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code KEY=value} lists of {@code blkid -o export DEVICE...} and of the low-level
 * probe {@code blkid -p -o export DEVICE...} (util-linux 2.38):
 *
 * <pre>
 * DEVNAME=/dev/loop0p2
 * LABEL=rear-root
 * UUID=52454152-e4e4-4e4e-8e4e-000000000002
 * BLOCK_SIZE=4096
 * TYPE=ext4
 * PARTLABEL=rear\ root
 * PARTUUID=52454152-0000-4000-8000-000000000002
 * </pre>
 *
 * <p>Several devices in one output are separated by a blank line, each starting with
 * {@code DEVNAME=}. Values are escaped for the shell: a backslash goes before each of
 * {@code space \ " ' $ ` < >}; that is undone here. blkid also rewrites bytes of 128 and above as
 * {@code M-} and control characters as {@code ^X}; that notation is not reversible (a label may
 * itself contain {@code M-}) and is kept as printed. {@code DEVNAME} is printed as it is, without
 * escapes. (All of this is without {@code -d}, which prints raw bytes and is not read here.)
 *
 * <p>The cached form and the probe differ: the probe prints {@code VERSION}, {@code USAGE} and
 * {@code PART_ENTRY_*} (scheme, name, uuid, type, flags, number, offset, size, disk) instead of
 * {@code PARTUUID} and {@code PARTLABEL}; {@link Entry#partUuid()} and {@link Entry#partLabel()}
 * read either. blkid prints nothing when it finds nothing (exit 2) and, where it may not open a
 * device, sometimes nothing with exit 0: empty output is therefore an error here, never "no tags".
 */
public final class BlkidParser {

    /** The command whose output {@link #parse} reads; the devices follow it. */
    public static final String COMMAND = "blkid -o export";
    /** The command whose output {@link #parseProbe} reads; the devices follow it. */
    public static final String PROBE_COMMAND = "blkid -p -o export";

    private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]*");

    private BlkidParser() {}

    /**
     * What blkid found on one device.
     *
     * @param devname the device (or file) name as given to blkid
     * @param tags every other {@code KEY=value} in the order printed, values unescaped
     */
    public record Entry(String devname, Map<String, String> tags) {

        public Entry {
            Objects.requireNonNull(devname, "devname");
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }

        public @Nullable String get(String key) {
            return tags.get(key);
        }

        /** {@code TYPE}: {@code ext4}, {@code xfs}, {@code btrfs}, {@code vfat}, {@code swap}, ... */
        public @Nullable String type() {
            return tags.get("TYPE");
        }

        /** {@code SEC_TYPE}: the secondary type ({@code ext2} for an ext3, {@code msdos} for FAT12/16). */
        public @Nullable String secondaryType() {
            return tags.get("SEC_TYPE");
        }

        /** {@code UUID}: for vfat the volume id ({@code 5245-4152}). */
        public @Nullable String uuid() {
            return tags.get("UUID");
        }

        /** {@code UUID_SUB}: btrfs device UUID, swap-less multi-device members. */
        public @Nullable String uuidSub() {
            return tags.get("UUID_SUB");
        }

        public @Nullable String label() {
            return tags.get("LABEL");
        }

        /** {@code PARTUUID}, or from the probe {@code PART_ENTRY_UUID}. */
        public @Nullable String partUuid() {
            String v = tags.get("PARTUUID");
            return v != null ? v : tags.get("PART_ENTRY_UUID");
        }

        /** {@code PARTLABEL}, or from the probe {@code PART_ENTRY_NAME}. */
        public @Nullable String partLabel() {
            String v = tags.get("PARTLABEL");
            return v != null ? v : tags.get("PART_ENTRY_NAME");
        }

        /** {@code PTTYPE}: the partition table on this device ({@code gpt}, {@code dos}). */
        public @Nullable String partitionTableType() {
            return tags.get("PTTYPE");
        }

        public @Nullable String partitionTableUuid() {
            return tags.get("PTUUID");
        }

        /** {@code VERSION} (probe only): {@code 1.0} for ext, {@code FAT32}, {@code 1} for swap. */
        public @Nullable String version() {
            return tags.get("VERSION");
        }

        /** {@code BLOCK_SIZE} in bytes, if printed. */
        public @Nullable Integer blockSize() {
            String v = tags.get("BLOCK_SIZE");
            return v == null ? null : Integer.valueOf(v);
        }
    }

    /**
     * @param output what {@code blkid -o export DEVICE...} printed
     * @return one entry per device, in the order printed
     * @throws ToolOutputException if the output is empty, a line is not {@code KEY=value}, an
     *     entry does not start with {@code DEVNAME=}, a key repeats within an entry, a value ends
     *     in a lone backslash, or {@code BLOCK_SIZE} is not a number
     */
    public static List<Entry> parse(String output) {
        return parse(output, COMMAND);
    }

    /** As {@link #parse}, for the output of {@code blkid -p -o export DEVICE...}. */
    public static List<Entry> parseProbe(String output) {
        return parse(output, PROBE_COMMAND);
    }

    private static List<Entry> parse(String output, String command) {
        if (output.isBlank()) {
            throw new ToolOutputException(command,
                    "it printed nothing: blkid found nothing on the device, or could not read it");
        }
        List<Entry> entries = new ArrayList<>();
        String devname = null;
        Map<String, String> tags = new LinkedHashMap<>();
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.isEmpty()) {
                if (devname != null) {
                    entries.add(new Entry(devname, tags));
                    devname = null;
                    tags = new LinkedHashMap<>();
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || !KEY.matcher(line.substring(0, eq)).matches()) {
                throw new ToolOutputException(command, "line " + lineNo + " is not KEY=value: " + quote(line));
            }
            String key = line.substring(0, eq);
            String raw = line.substring(eq + 1);
            if (devname == null) {
                if (!key.equals("DEVNAME")) {
                    throw new ToolOutputException(command, "line " + lineNo + " starts an entry with " + key
                            + "=, expected DEVNAME=");
                }
                if (raw.isEmpty()) {
                    throw new ToolOutputException(command, "line " + lineNo + ": DEVNAME is empty");
                }
                devname = raw;
                continue;
            }
            if (key.equals("DEVNAME") || tags.containsKey(key)) {
                throw new ToolOutputException(command, "line " + lineNo + ": " + key + " appears twice for " + devname
                        + " (is a blank line missing between two devices?)");
            }
            tags.put(key, unescape(raw, command, lineNo));
        }
        if (devname != null) {
            entries.add(new Entry(devname, tags));
        }
        for (Entry e : entries) {
            String bs = e.tags().get("BLOCK_SIZE");
            if (bs != null && !bs.matches("[0-9]{1,9}")) {
                throw new ToolOutputException(command, e.devname() + ": BLOCK_SIZE is " + quote(bs) + ", not a number");
            }
        }
        return entries;
    }

    private static String unescape(String raw, String command, int lineNo) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                if (i + 1 == raw.length()) {
                    throw new ToolOutputException(command, "line " + lineNo + " ends in a lone backslash");
                }
                c = raw.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return "\"" + shown + "\"";
    }
}
