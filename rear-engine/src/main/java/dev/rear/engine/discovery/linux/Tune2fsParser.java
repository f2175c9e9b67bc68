package dev.rear.engine.discovery.linux;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the superblock listing of an ext2/ext3/ext4 file system, {@code tune2fs -l DEVICE}
 * (e2fsprogs 1.47). Lines are {@code Name:   value}, after a version line:
 *
 * <pre>
 * tune2fs 1.47.0 (5-Feb-2023)
 * Filesystem volume name:   rear-root
 * Filesystem UUID:          52454152-e4e4-4e4e-8e4e-000000000002
 * Filesystem features:      has_journal ext_attr resize_inode dir_index filetype needs_recovery extent 64bit ...
 * Block count:              204800
 * Check interval:           1209600 (2 weeks)
 * Inode size:	          256
 * </pre>
 *
 * <p>Note the tab after {@code Inode size:}; names are trimmed of spaces and tabs. A missing label
 * is {@code <none>}, no default mount options {@code (none)}. The same listing is printed by
 * {@code dumpe2fs -h}, whose version line goes to standard error.
 *
 * <p>Bytes per inode (mke2fs {@code -i}) is not computed here: block count × block size ÷ inode
 * count only approximates it, because mke2fs rounds the inode count up to fill whole inode-table
 * blocks in every group ({@code -i 32768} on 800 MiB gave 25648 inodes, some 32707 bytes per
 * inode). Whoever recreates the file system decides whether to pass {@code -i} or {@code -N}.
 */
public final class Tune2fsParser {

    /** The command whose output {@link #parse} reads; the device follows it. */
    public static final String COMMAND = "tune2fs -l";

    private static final Pattern LEADING_NUMBER = Pattern.compile("(-?[0-9]+)(?:\\s.*)?");
    private static final int EXT_MAGIC = 0xEF53;
    private static final int GOOD_OLD_INODE_SIZE = 128;

    private Tune2fsParser() {}

    /**
     * The superblock facts.
     *
     * @param volumeName the label; {@code null} for {@code <none>}
     * @param revision 0 (original) or 1 (dynamic)
     * @param features e.g. {@code has_journal}, {@code extent}, {@code 64bit}, {@code metadata_csum}
     * @param defaultMountOptions e.g. {@code user_xattr}, {@code acl}; empty for {@code (none)}
     * @param blockSize bytes
     * @param inodeSize bytes (128 on revision 0, which does not print it)
     * @param maxMountCount {@code -1} when mount-count checking is off
     * @param checkIntervalSeconds {@code 0} when time-based checking is off
     * @param fields every line, name to value as printed (trimmed), for what has no component here
     */
    public record ExtSuperblock(
            @Nullable String volumeName,
            String uuid,
            int revision,
            List<String> features,
            List<String> defaultMountOptions,
            long blockCount,
            long reservedBlockCount,
            long inodeCount,
            int blockSize,
            int inodeSize,
            int maxMountCount,
            long checkIntervalSeconds,
            @Nullable Long blocksPerGroup,
            @Nullable Long inodesPerGroup,
            @Nullable Integer flexBlockGroupSize,
            @Nullable String errorsBehavior,
            Map<String, String> fields) {

        public ExtSuperblock {
            Objects.requireNonNull(uuid, "uuid");
            features = List.copyOf(features);
            defaultMountOptions = List.copyOf(defaultMountOptions);
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public boolean hasFeature(String feature) {
            return features.contains(feature);
        }
    }

    /**
     * @param output what {@code tune2fs -l DEVICE} printed
     * @throws ToolOutputException if the output is empty, a line is not {@code Name: value}, a
     *     name repeats, the magic number is missing or not 0xEF53, or one of the facts of
     *     {@link ExtSuperblock} (other than the nullable ones) is missing or not a number
     */
    public static ExtSuperblock parse(String output) {
        if (output.isBlank()) {
            throw fail("it printed nothing");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || (i == 0 && (line.startsWith("tune2fs ") || line.startsWith("dumpe2fs ")))) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw fail("line " + (i + 1) + " is not \"Name: value\": " + BlkidParser.quote(line));
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (fields.putIfAbsent(name, value) != null) {
                throw fail("line " + (i + 1) + ": \"" + name + "\" appears twice");
            }
        }
        String magic = fields.get("Filesystem magic number");
        if (magic == null) {
            throw fail("it lists no superblock: \"Filesystem magic number\" is missing");
        }
        if (!magic.equalsIgnoreCase("0x" + Integer.toHexString(EXT_MAGIC))) {
            throw fail("the magic number is " + magic + ", not 0xEF53: not an ext2/3/4 superblock");
        }
        int revision = intNumber(fields, "Filesystem revision #");
        String label = required(fields, "Filesystem volume name");
        String mountOptions = required(fields, "Default mount options");
        int inodeSize;
        if (fields.containsKey("Inode size")) {
            inodeSize = intNumber(fields, "Inode size");
        } else if (revision == 0) {
            inodeSize = GOOD_OLD_INODE_SIZE;
        } else {
            throw fail("\"Inode size\" is missing");
        }
        Long flex = optNumber(fields, "Flex block group size");
        return new ExtSuperblock(
                label.equals("<none>") ? null : label,
                required(fields, "Filesystem UUID"),
                revision,
                words(required(fields, "Filesystem features")),
                words(mountOptions),
                number(fields, "Block count"),
                number(fields, "Reserved block count"),
                number(fields, "Inode count"),
                intNumber(fields, "Block size"),
                inodeSize,
                intNumber(fields, "Maximum mount count"),
                number(fields, "Check interval"),
                optNumber(fields, "Blocks per group"),
                optNumber(fields, "Inodes per group"),
                flex == null ? null : Math.toIntExact(flex),
                fields.get("Errors behavior"),
                fields);
    }

    private static List<String> words(String value) {
        if (value.isEmpty() || value.equals("(none)")) {
            return List.of();
        }
        return List.of(value.split("\\s+"));
    }

    private static String required(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            throw fail("\"" + name + "\" is missing");
        }
        return v;
    }

    /** The number at the start of a value: {@code 1 (dynamic)}, {@code 1209600 (2 weeks)}. */
    private static long number(Map<String, String> fields, String name) {
        Long v = optNumber(fields, name);
        if (v == null) {
            throw fail("\"" + name + "\" is missing");
        }
        return v;
    }

    private static int intNumber(Map<String, String> fields, String name) {
        long v = number(fields, name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw fail("\"" + name + "\" is out of range: " + v);
        }
        return (int) v;
    }

    private static @Nullable Long optNumber(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            return null;
        }
        Matcher m = LEADING_NUMBER.matcher(v);
        if (!m.matches()) {
            throw fail("\"" + name + "\" is " + BlkidParser.quote(v) + ", not a number");
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ToolOutputException(COMMAND, "\"" + name + "\" is too large: " + v, e);
        }
    }

    private static ToolOutputException fail(String problem) {
        return new ToolOutputException(COMMAND, problem);
    }
}
