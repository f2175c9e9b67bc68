package dev.rear.engine.discovery.linux;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads what {@code btrfs} (btrfs-progs 6.2) prints about a file system: its subvolumes, the
 * default subvolume, the superblock, the allocation profiles and the devices. One method per
 * command; each names its command in errors.
 *
 * <p>Sizes: {@code filesystem df -b} and {@code filesystem show --raw} print bytes; without those
 * options sizes are rounded to two decimals of a binary unit ({@code 126.38MiB}) and the bytes
 * computed from them are approximate, which the records say ({@code exactBytes}).
 */
public final class BtrfsParser {

    public static final String SUBVOLUME_LIST = "btrfs subvolume list";
    public static final String GET_DEFAULT = "btrfs subvolume get-default";
    public static final String DUMP_SUPER = "btrfs inspect-internal dump-super";
    public static final String FILESYSTEM_DF = "btrfs filesystem df";
    public static final String FILESYSTEM_SHOW = "btrfs filesystem show";

    /** The id of the top-level subvolume (the file system tree). */
    public static final long TOP_LEVEL_ID = 5;

    private static final String FS_TREE_PREFIX = "<FS_TREE>/";

    private BtrfsParser() {}

    // ------------------------------------------------------------------------------------------
    // subvolume list

    /**
     * One line of {@code btrfs subvolume list}.
     *
     * @param id the subvolume id
     * @param generation {@code gen}
     * @param creationGeneration {@code cgen} ({@code -c}), else {@code null}
     * @param parentId {@code parent} ({@code -p}): the subvolume containing it, else {@code null}
     * @param topLevel {@code top level}: the id of the subvolume its path is relative to
     * @param otime {@code otime} ({@code -s}), as printed ({@code 2024-01-31 12:00:00})
     * @param parentUuid {@code parent_uuid} ({@code -q}): the subvolume it is a snapshot of;
     *     {@code null} for {@code -} and when not asked for
     * @param receivedUuid {@code received_uuid} ({@code -R}); {@code null} for {@code -}
     * @param uuid {@code uuid} ({@code -u})
     * @param path the path from the top level, {@code @/.snapshots/1/snapshot}; with {@code -a}
     *     the {@code <FS_TREE>/} prefix is taken off and {@code fsTreePrefixed} is true
     */
    public record Subvolume(
            long id,
            long generation,
            @Nullable Long creationGeneration,
            @Nullable Long parentId,
            long topLevel,
            @Nullable String otime,
            @Nullable String parentUuid,
            @Nullable String receivedUuid,
            @Nullable String uuid,
            String path,
            boolean fsTreePrefixed) {

        public Subvolume {
            Objects.requireNonNull(path, "path");
        }

        public boolean isSnapshot() {
            return parentUuid != null;
        }
    }

    /**
     * Reads {@code btrfs subvolume list [-p] [-a] [-c] [-u] [-q] [-R] [-o] [-s] MOUNTPOINT}:
     *
     * <pre>
     * ID 256 gen 7 parent 5 top level 5 path @
     * ID 260 gen 7 parent 259 top level 259 path @/.snapshots/1/snapshot
     * ID 260 gen 7 cgen 7 parent 259 top level 259 parent_uuid a194caa7-… received_uuid -  uuid d7973db3-… path @/.snapshots/1/snapshot
     * </pre>
     *
     * The table form ({@code -t}) is not read. {@code -a} prefixes paths with {@code <FS_TREE>/};
     * {@code -o} lists only the subvolumes directly below the given path. A file system without
     * subvolumes prints nothing, so empty output is an empty list.
     *
     * @throws ToolOutputException if a line does not start with {@code ID}, a field is unknown,
     *     a number is not one, or {@code gen}, {@code top level} or {@code path} is missing
     */
    public static List<Subvolume> parseSubvolumeList(String output) {
        List<Subvolume> out = new ArrayList<>();
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                out.add(subvolumeLine(lines[i], i + 1, SUBVOLUME_LIST));
            }
        }
        return out;
    }

    private static Subvolume subvolumeLine(String line, int lineNo, String command) {
        Scanner s = new Scanner(line, lineNo, command);
        s.expect("ID");
        long id = s.number("ID");
        Long gen = null;
        Long cgen = null;
        Long parent = null;
        Long topLevel = null;
        String otime = null;
        String parentUuid = null;
        String receivedUuid = null;
        String uuid = null;
        String path = null;
        while (path == null) {
            String word = s.word();
            if (word == null) {
                break;
            }
            switch (word) {
                case "gen" -> gen = s.number(word);
                case "cgen" -> cgen = s.number(word);
                case "parent" -> parent = s.number(word);
                case "top" -> {
                    s.expect("level");
                    topLevel = s.number("top level");
                }
                case "otime" -> otime = s.required(word) + " " + s.required(word);
                case "parent_uuid" -> parentUuid = dashIsNull(s.required(word));
                case "received_uuid" -> receivedUuid = dashIsNull(s.required(word));
                case "uuid" -> uuid = dashIsNull(s.required(word));
                case "path" -> path = s.rest();
                default -> throw s.fail("unexpected " + BlkidParser.quote(word));
            }
        }
        if (gen == null || topLevel == null || path == null || path.isEmpty()) {
            throw s.fail("gen, top level and path are required");
        }
        boolean prefixed = path.startsWith(FS_TREE_PREFIX);
        return new Subvolume(id, gen, cgen, parent, topLevel, otime, parentUuid, receivedUuid, uuid,
                prefixed ? path.substring(FS_TREE_PREFIX.length()) : path, prefixed);
    }

    private static @Nullable String dashIsNull(String s) {
        return s.equals("-") ? null : s;
    }

    // ------------------------------------------------------------------------------------------
    // subvolume get-default

    /**
     * @param id the default subvolume's id; {@value #TOP_LEVEL_ID} for the top level
     * @param path its path from the top level; {@code null} for the top level itself
     * @param topLevel the id its path is relative to; {@code null} for the top level itself
     */
    public record DefaultSubvolume(long id, @Nullable String path, @Nullable Long topLevel) {

        public boolean isTopLevel() {
            return id == TOP_LEVEL_ID;
        }
    }

    /**
     * Reads {@code btrfs subvolume get-default MOUNTPOINT}: {@code ID 5 (FS_TREE)} when the top level
     * is the default, else a line like {@code ID 260 gen 7 top level 259 path @/.snapshots/1/snapshot}.
     *
     * @throws ToolOutputException if the output is empty, has more than one line, or is neither form
     */
    public static DefaultSubvolume parseGetDefault(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() != 1) {
            throw new ToolOutputException(GET_DEFAULT, lines.isEmpty() ? "it printed nothing"
                    : "expected one line, found " + lines.size());
        }
        String line = lines.get(0).strip();
        if (line.equals("ID 5 (FS_TREE)")) {
            return new DefaultSubvolume(TOP_LEVEL_ID, null, null);
        }
        Subvolume sv = subvolumeLine(line, 1, GET_DEFAULT);
        return new DefaultSubvolume(sv.id(), sv.path(), sv.topLevel());
    }

    // ------------------------------------------------------------------------------------------
    // inspect-internal dump-super

    /**
     * The superblock facts from {@code btrfs inspect-internal dump-super DEVICE} (without
     * {@code -f}).
     *
     * @param device the device named in the first line
     * @param label {@code null} when empty
     * @param checksumMatches whether dump-super printed {@code [match]} after the checksum
     * @param incompatFlagNames as printed in {@code incompat_flags}, e.g. {@code SKINNY_METADATA}
     * @param compatRoFlagNames as printed in {@code compat_ro_flags}, e.g. {@code FREE_SPACE_TREE}
     * @param mkfsFeatures the flags that correspond to mkfs.btrfs features, by their mkfs names
     *     ({@code extref}, {@code skinny-metadata}, {@code no-holes}, {@code free-space-tree},
     *     ...). Flags without a mkfs feature (MIXED_BACKREF, BIG_METADATA, DEFAULT_SUBVOL,
     *     COMPRESS_*, METADATA_UUID, FREE_SPACE_TREE_VALID, VERITY) are left out. btrfs-progs up to
     *     6.2 takes {@code free-space-tree} with {@code -R}, later versions with {@code -O}.
     * @param fields every {@code name value} line, trimmed, flags lists left out
     */
    public record Superblock(
            String device,
            String fsid,
            @Nullable String metadataUuid,
            @Nullable String label,
            long generation,
            long totalBytes,
            long bytesUsed,
            int sectorSize,
            int nodeSize,
            int stripeSize,
            long numDevices,
            String csumType,
            boolean checksumMatches,
            long incompatFlags,
            List<String> incompatFlagNames,
            long compatRoFlags,
            List<String> compatRoFlagNames,
            List<String> mkfsFeatures,
            @Nullable String devItemUuid,
            @Nullable Long devItemDevid,
            Map<String, String> fields) {

        public Superblock {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(fsid, "fsid");
            Objects.requireNonNull(csumType, "csumType");
            incompatFlagNames = List.copyOf(incompatFlagNames);
            compatRoFlagNames = List.copyOf(compatRoFlagNames);
            mkfsFeatures = List.copyOf(mkfsFeatures);
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    private static final Map<String, String> INCOMPAT_TO_MKFS = Map.of(
            "MIXED_GROUPS", "mixed-bg",
            "EXTENDED_IREF", "extref",
            "RAID56", "raid56",
            "SKINNY_METADATA", "skinny-metadata",
            "NO_HOLES", "no-holes",
            "ZONED", "zoned",
            "RAID1C34", "raid1c34",
            "EXTENT_TREE_V2", "extent-tree-v2",
            "SIMPLE_QUOTA", "squota");

    private static final Map<String, String> COMPAT_RO_TO_MKFS = Map.of(
            "FREE_SPACE_TREE", "free-space-tree",
            "BLOCK_GROUP_TREE", "block-group-tree");

    private static final Pattern DUMP_HEADER = Pattern.compile("superblock: bytenr=\\d+, device=(.+)");
    private static final Pattern HEX = Pattern.compile("0x([0-9a-fA-F]+)");

    /**
     * Reads the header part of {@code btrfs inspect-internal dump-super DEVICE}:
     *
     * <pre>
     * superblock: bytenr=65536, device=/dev/loop2
     * ---------------------------------------------------------
     * csum_type		0 (crc32c)
     * fsid			52454152-b7f5-4b7f-8b7f-0000000000b0
     * label			rear-btrfs
     * nodesize		16384
     * incompat_flags		0x363
     * 			( MIXED_BACKREF |
     * 			  DEFAULT_SUBVOL |
     * 			  …
     * 			  NO_HOLES )
     * </pre>
     *
     * Names and values are separated by tabs (a name may contain a space:
     * {@code leafsize (deprecated)}); the flag names follow on indented lines in parentheses.
     *
     * @throws ToolOutputException if the first line is not the {@code superblock:} header, the
     *     magic is not {@code _BHRfS_M [match]}, a flag value is not hexadecimal, or fsid,
     *     generation, total_bytes, bytes_used, sectorsize, nodesize, stripesize, num_devices,
     *     csum_type, compat_ro_flags or incompat_flags is missing
     */
    public static Superblock parseDumpSuper(String output) {
        String[] lines = output.split("\n");
        Matcher header = DUMP_HEADER.matcher(lines.length == 0 ? "" : lines[0].strip());
        if (output.isBlank() || !header.matches()) {
            throw new ToolOutputException(DUMP_SUPER, "the first line is not \"superblock: bytenr=…, device=…\": "
                    + BlkidParser.quote(lines.length == 0 ? "" : lines[0]));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, List<String>> flagNames = new LinkedHashMap<>();
        String lastKey = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.isBlank() || line.startsWith("-----")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                String t = line.strip();
                if (lastKey == null || !(t.startsWith("(") || flagNames.containsKey(lastKey))) {
                    throw new ToolOutputException(DUMP_SUPER, "line " + lineNo + " continues nothing: " + BlkidParser.quote(line));
                }
                List<String> names = flagNames.computeIfAbsent(lastKey, k -> new ArrayList<>());
                for (String n : t.replace("(", " ").replace(")", " ").replace("|", " ").trim().split("\\s+")) {
                    if (!n.isEmpty()) {
                        names.add(n);
                    }
                }
                continue;
            }
            int tab = line.indexOf('\t');
            String key = tab < 0 ? "" : line.substring(0, tab).strip();
            String value = tab < 0 ? "" : line.substring(tab).strip();
            if (key.isEmpty()) {
                throw new ToolOutputException(DUMP_SUPER, "line " + lineNo + " is not \"name<TAB>value\": " + BlkidParser.quote(line));
            }
            if (fields.putIfAbsent(key, value) != null) {
                throw new ToolOutputException(DUMP_SUPER, "line " + lineNo + ": " + key + " appears twice");
            }
            lastKey = key;
        }
        String magic = fields.get("magic");
        if (magic == null || !magic.equals("_BHRfS_M [match]")) {
            throw new ToolOutputException(DUMP_SUPER, "the magic is " + (magic == null ? "missing" : BlkidParser.quote(magic))
                    + ", not \"_BHRfS_M [match]\": not a btrfs superblock");
        }
        List<String> incompat = flagNames.getOrDefault("incompat_flags", List.of());
        List<String> compatRo = flagNames.getOrDefault("compat_ro_flags", List.of());
        List<String> mkfs = new ArrayList<>();
        for (String f : incompat) {
            String m = INCOMPAT_TO_MKFS.get(f);
            if (m != null) {
                mkfs.add(m);
            }
        }
        for (String f : compatRo) {
            String m = COMPAT_RO_TO_MKFS.get(f);
            if (m != null) {
                mkfs.add(m);
            }
        }
        String csumType = superField(fields, "csum_type");
        Matcher csumName = Pattern.compile("\\d+ \\((.+)\\)").matcher(csumType);
        String csum = fields.getOrDefault("csum", "");
        String label = fields.get("label");
        String devid = fields.get("dev_item.devid");
        return new Superblock(
                header.group(1),
                superField(fields, "fsid"),
                fields.get("metadata_uuid"),
                label == null || label.isEmpty() ? null : label,
                superNumber(fields, "generation"),
                superNumber(fields, "total_bytes"),
                superNumber(fields, "bytes_used"),
                Math.toIntExact(superNumber(fields, "sectorsize")),
                Math.toIntExact(superNumber(fields, "nodesize")),
                Math.toIntExact(superNumber(fields, "stripesize")),
                superNumber(fields, "num_devices"),
                csumName.matches() ? csumName.group(1) : csumType,
                csum.endsWith("[match]"),
                hex(fields, "incompat_flags"),
                incompat,
                hex(fields, "compat_ro_flags"),
                compatRo,
                mkfs,
                fields.get("dev_item.uuid"),
                devid == null ? null : parseLong(devid, "dev_item.devid", DUMP_SUPER),
                fields);
    }

    private static String superField(Map<String, String> fields, String key) {
        String v = fields.get(key);
        if (v == null || v.isEmpty()) {
            throw new ToolOutputException(DUMP_SUPER, key + " is missing");
        }
        return v;
    }

    private static long superNumber(Map<String, String> fields, String key) {
        return parseLong(superField(fields, key), key, DUMP_SUPER);
    }

    private static long hex(Map<String, String> fields, String key) {
        Matcher m = HEX.matcher(superField(fields, key));
        if (!m.matches()) {
            throw new ToolOutputException(DUMP_SUPER, key + " is " + BlkidParser.quote(fields.get(key)) + ", not 0x…");
        }
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    private static long parseLong(String v, String what, String command) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ToolOutputException(command, what + " is " + BlkidParser.quote(v) + ", not a number", e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // filesystem df

    /**
     * One line of {@code btrfs filesystem df}.
     *
     * @param type {@code Data}, {@code Metadata}, {@code System}, {@code GlobalReserve},
     *     {@code Data+Metadata} (mixed block groups)
     * @param profile as printed: {@code single}, {@code DUP}, {@code RAID1}, {@code RAID10}, ...
     */
    public record DfEntry(String type, String profile, long totalBytes, long usedBytes) {

        public DfEntry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(profile, "profile");
        }
    }

    /**
     * @param exactBytes true when the sizes were printed in bytes ({@code -b}), false when they
     *     were rounded to a unit
     */
    public record FilesystemDf(List<DfEntry> entries, boolean exactBytes) {

        public FilesystemDf {
            entries = List.copyOf(entries);
        }

        /** The profile of {@code type} in lower case ({@code single}, {@code dup}, {@code raid1}), or {@code null}. */
        public @Nullable String profile(String type) {
            for (DfEntry e : entries) {
                if (e.type().equals(type)) {
                    return e.profile().toLowerCase(Locale.ROOT);
                }
            }
            return null;
        }

        public @Nullable String dataProfile() {
            String mixed = profile("Data+Metadata");
            return mixed != null ? mixed : profile("Data");
        }

        public @Nullable String metadataProfile() {
            String mixed = profile("Data+Metadata");
            return mixed != null ? mixed : profile("Metadata");
        }
    }

    private static final Pattern DF_LINE = Pattern.compile("([A-Za-z+]+), ([A-Za-z0-9]+): total=(\\S+), used=(\\S+)");

    /**
     * Reads {@code btrfs filesystem df [-b] MOUNTPOINT}:
     *
     * <pre>
     * Data, single: total=8388608, used=4194304
     * Metadata, DUP: total=53673984, used=212992
     * </pre>
     *
     * @throws ToolOutputException if the output is empty, a line is not of this form, a size is
     *     not a size, or sizes mix bytes and units
     */
    public static FilesystemDf parseFilesystemDf(String output) {
        if (output.isBlank()) {
            throw new ToolOutputException(FILESYSTEM_DF, "it printed nothing");
        }
        List<DfEntry> entries = new ArrayList<>();
        Boolean exact = null;
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = DF_LINE.matcher(line);
            if (!m.matches()) {
                throw new ToolOutputException(FILESYSTEM_DF, "line " + (i + 1)
                        + " is not \"Type, profile: total=…, used=…\": " + BlkidParser.quote(line));
            }
            for (String size : List.of(m.group(3), m.group(4))) {
                if (exact != null && exact != isPlainNumber(size)) {
                    throw new ToolOutputException(FILESYSTEM_DF, "line " + (i + 1) + " mixes bytes and units");
                }
                exact = isPlainNumber(size);
            }
            entries.add(new DfEntry(m.group(1), m.group(2), size(m.group(3), FILESYSTEM_DF, i + 1),
                    size(m.group(4), FILESYSTEM_DF, i + 1)));
        }
        return new FilesystemDf(entries, Boolean.TRUE.equals(exact));
    }

    // ------------------------------------------------------------------------------------------
    // filesystem show

    /** One {@code devid} line of {@code btrfs filesystem show}. */
    public record ShowDevice(long devid, long sizeBytes, long usedBytes, String path) {

        public ShowDevice {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * One file system of {@code btrfs filesystem show}.
     *
     * @param label {@code null} for {@code Label: none}
     * @param devicesMissing the output said {@code *** Some devices missing}
     * @param exactBytes true with {@code --raw}, false when sizes were rounded to a unit
     */
    public record ShowFilesystem(
            @Nullable String label,
            String uuid,
            int totalDevices,
            long bytesUsed,
            List<ShowDevice> devices,
            boolean devicesMissing,
            boolean exactBytes) {

        public ShowFilesystem {
            Objects.requireNonNull(uuid, "uuid");
            devices = List.copyOf(devices);
        }
    }

    private static final Pattern SHOW_LABEL = Pattern.compile("Label: (?:none|'(.*)')\\s+uuid: (\\S+)");
    private static final Pattern SHOW_TOTAL = Pattern.compile("Total devices (\\d+) FS bytes used (\\S+)");
    private static final Pattern SHOW_DEVICE = Pattern.compile("devid\\s+(\\d+) size (\\S+) used (\\S+) path (.+)");

    /**
     * Reads {@code btrfs filesystem show [--raw] [PATH]}; several file systems are separated by
     * blank lines:
     *
     * <pre>
     * Label: 'rear-btrfs'  uuid: 52454152-b7f5-4b7f-8b7f-0000000000b0
     * 	Total devices 1 FS bytes used 4.22MiB
     * 	devid    1 size 1.00GiB used 126.38MiB path /dev/loop2
     * </pre>
     *
     * @throws ToolOutputException if the output is empty, a file system does not start with
     *     {@code Label:}, lacks the {@code Total devices} line, or a line is of no known form
     */
    public static List<ShowFilesystem> parseFilesystemShow(String output) {
        if (output.isBlank()) {
            throw new ToolOutputException(FILESYSTEM_SHOW, "it printed nothing");
        }
        List<ShowFilesystem> out = new ArrayList<>();
        String[] lines = output.split("\n");
        int i = 0;
        while (i < lines.length) {
            if (lines[i].isBlank()) {
                i++;
                continue;
            }
            Matcher head = SHOW_LABEL.matcher(lines[i].strip());
            if (!head.matches()) {
                throw new ToolOutputException(FILESYSTEM_SHOW, "line " + (i + 1) + " does not start a file system with \"Label: … uuid: …\": "
                        + BlkidParser.quote(lines[i]));
            }
            String label = head.group(1);
            String uuid = head.group(2);
            Integer total = null;
            long used = 0;
            boolean exact = true;
            boolean missing = false;
            List<ShowDevice> devices = new ArrayList<>();
            i++;
            for (; i < lines.length && !lines[i].isBlank(); i++) {
                String line = lines[i].strip();
                int lineNo = i + 1;
                Matcher t = SHOW_TOTAL.matcher(line);
                Matcher d = SHOW_DEVICE.matcher(line);
                if (t.matches()) {
                    total = Integer.valueOf(t.group(1));
                    used = size(t.group(2), FILESYSTEM_SHOW, lineNo);
                    exact &= isPlainNumber(t.group(2));
                } else if (d.matches()) {
                    devices.add(new ShowDevice(Long.parseLong(d.group(1)), size(d.group(2), FILESYSTEM_SHOW, lineNo),
                            size(d.group(3), FILESYSTEM_SHOW, lineNo), d.group(4)));
                    exact &= isPlainNumber(d.group(2)) && isPlainNumber(d.group(3));
                } else if (line.startsWith("*** Some devices missing")) {
                    missing = true;
                } else {
                    throw new ToolOutputException(FILESYSTEM_SHOW, "line " + lineNo + " is of no known form: " + BlkidParser.quote(line));
                }
            }
            if (total == null) {
                throw new ToolOutputException(FILESYSTEM_SHOW, "file system " + uuid + " has no \"Total devices\" line");
            }
            out.add(new ShowFilesystem(label, uuid, total, used, devices, missing, exact));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // sizes and scanning

    private static final Pattern HUMAN = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(B|KiB|MiB|GiB|TiB|PiB|EiB)");
    private static final List<String> UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB");

    private static boolean isPlainNumber(String s) {
        return s.matches("[0-9]+");
    }

    /** Bytes, exact for a plain number, rounded to the nearest byte for {@code 126.38MiB}. */
    static long size(String s, String command, int lineNo) {
        if (isPlainNumber(s)) {
            return parseLong(s, "a size", command);
        }
        Matcher m = HUMAN.matcher(s);
        if (!m.matches()) {
            throw new ToolOutputException(command, "line " + lineNo + ": " + BlkidParser.quote(s) + " is not a size");
        }
        BigDecimal unit = BigDecimal.valueOf(1024).pow(UNITS.indexOf(m.group(2)));
        return new BigDecimal(m.group(1)).multiply(unit).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Words of a line, with the rest of the line on demand. */
    private static final class Scanner {
        private final String line;
        private final int lineNo;
        private final String command;
        private int pos;

        Scanner(String line, int lineNo, String command) {
            this.line = line;
            this.lineNo = lineNo;
            this.command = command;
        }

        @Nullable String word() {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
            if (pos >= line.length()) {
                return null;
            }
            int start = pos;
            while (pos < line.length() && line.charAt(pos) != ' ') {
                pos++;
            }
            return line.substring(start, pos);
        }

        String required(String after) {
            String w = word();
            if (w == null) {
                throw fail("the line ends after " + after);
            }
            return w;
        }

        void expect(String expected) {
            String w = word();
            if (!expected.equals(w)) {
                throw fail("expected " + expected + ", found " + (w == null ? "the end of the line" : BlkidParser.quote(w)));
            }
        }

        long number(String what) {
            String w = required(what);
            if (!w.matches("[0-9]{1,19}")) {
                throw fail(what + " is " + BlkidParser.quote(w) + ", not a number");
            }
            return Long.parseLong(w);
        }

        /** Everything after the single space that follows the current word. */
        String rest() {
            if (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
            String r = line.substring(Math.min(pos, line.length()));
            pos = line.length();
            return r;
        }

        ToolOutputException fail(String problem) {
            return new ToolOutputException(command, "line " + lineNo + ": " + problem + ": " + BlkidParser.quote(line));
        }
    }
}
