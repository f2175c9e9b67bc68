package dev.rear.engine.discovery.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads {@code /proc/swaps}, the kernel's list of active swap areas:
 *
 * <pre>
 * Filename				Type		Size		Used		Priority
 * /dev/loop0p4                            partition	399356		8		5
 * /var/tmp/rear-capture/mnt/dos\040logical/swap\040file file		65512		0		-2
 * </pre>
 *
 * <p>Sizes are in KiB. The kernel escapes space, tab, newline and backslash in the file name as
 * octal {@code \040}, {@code \011}, {@code \012}, {@code \134}; that is undone here. A long name
 * is followed by a single space, so the columns are split at any run of white space. A swap file
 * that was deleted while active ends in {@code \040(deleted)}, which is kept as part of the name.
 * Priorities the kernel chose itself are negative ({@code -2}, {@code -3}, ...).
 */
public final class ProcSwapsParser {

    /** What {@link #parse} reads, named in errors. */
    public static final String COMMAND = "cat /proc/swaps";

    private static final List<String> HEADER = List.of("Filename", "Type", "Size", "Used", "Priority");

    private ProcSwapsParser() {}

    /**
     * @param filename the device or file, unescaped
     * @param type {@code partition} (any block device) or {@code file}
     * @param sizeKiB the usable size in KiB
     * @param usedKiB in use, KiB
     */
    public record SwapArea(String filename, String type, long sizeKiB, long usedKiB, int priority) {

        public SwapArea {
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(type, "type");
        }

        public boolean isPartition() {
            return type.equals("partition");
        }
    }

    /**
     * @param output the contents of {@code /proc/swaps}
     * @return the active swap areas; empty when the header is all there is (no swap active)
     * @throws ToolOutputException if the header is missing or different, a line has other than five
     *     columns, a type is neither {@code partition} nor {@code file}, or a number is not one
     */
    public static List<SwapArea> parse(String output) {
        String[] lines = output.split("\n");
        if (output.isBlank() || !List.of(lines[0].trim().split("\\s+")).equals(HEADER)) {
            throw new ToolOutputException(COMMAND, "the first line is not the header \"Filename Type Size Used Priority\": "
                    + BlkidParser.quote(lines.length == 0 ? "" : lines[0]));
        }
        List<SwapArea> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length != 5) {
                throw new ToolOutputException(COMMAND, "line " + (i + 1) + " has " + f.length
                        + " columns, expected 5: " + BlkidParser.quote(line));
            }
            if (!f[1].equals("partition") && !f[1].equals("file")) {
                throw new ToolOutputException(COMMAND, "line " + (i + 1) + ": type " + BlkidParser.quote(f[1])
                        + ", expected partition or file");
            }
            try {
                out.add(new SwapArea(unescapeOctal(f[0], i + 1), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Integer.parseInt(f[4])));
            } catch (NumberFormatException e) {
                throw new ToolOutputException(COMMAND, "line " + (i + 1) + ": size, used and priority must be numbers: "
                        + BlkidParser.quote(line), e);
            }
        }
        return out;
    }

    /** Undoes the kernel's {@code \ooo} escapes (mount tables, /proc/swaps). */
    static String unescapeOctal(String s, int lineNo) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (!isOctal(s, i + 1)) {
                    throw new ToolOutputException(COMMAND, "line " + lineNo + ": a backslash not followed by three octal digits in "
                            + BlkidParser.quote(s));
                }
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
