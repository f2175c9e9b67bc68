package dev.rear.engine.discovery.linux;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the geometry of a mounted xfs, {@code xfs_info MOUNTPOINT} (xfsprogs 6.1):
 *
 * <pre>
 * meta-data=/dev/loop3             isize=512    agcount=8, agsize=32752 blks
 *          =                       sectsz=4096  attr=2, projid32bit=1
 *          =                       crc=1        finobt=1, sparse=1, rmapbt=0
 *          =                       reflink=1    bigtime=1 inobtcount=1 nrext64=0
 * data     =                       bsize=4096   blocks=262016, imaxpct=25
 *          =                       sunit=16     swidth=64 blks
 * naming   =version 2              bsize=4096   ascii-ci=0, ftype=1
 * log      =internal log           bsize=4096   blocks=16384, version=2
 *          =                       sectsz=4096  sunit=1 blks, lazy-count=1
 * realtime =none                   extsz=4096   blocks=0, rtextents=0
 * </pre>
 *
 * <p>Each section ({@code meta-data}, {@code data}, {@code naming}, {@code log},
 * {@code realtime}) has a value of its own after {@code =} (the device, {@code version 2},
 * {@code internal log}, {@code none}) and then {@code key=value} pairs; continuation lines start
 * with blanks and {@code =}. The same key appears in several sections ({@code bsize},
 * {@code sectsz}, {@code sunit}), so keys are kept per section. Stripe unit and width
 * ({@code sunit}, {@code swidth}) are in file system blocks, as the {@code blks} says; mkfs.xfs
 * takes them in 512-byte units ({@code -d sunit=}) or bytes ({@code -d su=}). Feature flags that
 * an older xfs_info does not print ({@code bigtime} and {@code inobtcount} before 5.10,
 * {@code nrext64} before 5.19) are {@code null}.
 */
public final class XfsInfoParser {

    /** The command whose output {@link #parse} reads; the mount point follows it. */
    public static final String COMMAND = "xfs_info";

    private XfsInfoParser() {}

    /**
     * @param source the value of {@code meta-data=}: the device
     * @param inodeSize {@code isize}, bytes
     * @param agSizeBlocks {@code agsize}, in file system blocks
     * @param sectorSize {@code sectsz} of the data section, bytes
     * @param blockSize {@code bsize} of the data section, bytes
     * @param dataBlocks {@code blocks} of the data section
     * @param stripeUnitBlocks {@code sunit} of the data section, in file system blocks
     * @param stripeWidthBlocks {@code swidth}, in file system blocks
     * @param directoryBlockSize {@code bsize} of the naming section, bytes
     * @param log the value of {@code log=}: {@code internal log} or the external device
     * @param logBlocks {@code blocks} of the log section, in log blocks of {@code logBlockSize}
     * @param logStripeUnitBlocks {@code sunit} of the log section, in log blocks
     * @param sections everything printed: section name to its pairs; the section's own value under {@code ""}
     */
    public record XfsGeometry(
            String source,
            int inodeSize,
            long agCount,
            long agSizeBlocks,
            int sectorSize,
            @Nullable Boolean crc,
            @Nullable Boolean finobt,
            @Nullable Boolean sparseInodes,
            @Nullable Boolean rmapbt,
            @Nullable Boolean reflink,
            @Nullable Boolean bigtime,
            @Nullable Boolean inobtcount,
            @Nullable Boolean nrext64,
            int blockSize,
            long dataBlocks,
            @Nullable Integer imaxpct,
            long stripeUnitBlocks,
            long stripeWidthBlocks,
            int directoryBlockSize,
            @Nullable Boolean ftype,
            String log,
            int logBlockSize,
            long logBlocks,
            @Nullable Integer logVersion,
            @Nullable Integer logSectorSize,
            @Nullable Long logStripeUnitBlocks,
            @Nullable Boolean lazyCount,
            String realtime,
            Map<String, Map<String, String>> sections) {

        public XfsGeometry {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(realtime, "realtime");
            Map<String, Map<String, String>> copy = new LinkedHashMap<>();
            sections.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
            sections = Collections.unmodifiableMap(copy);
        }

        /** The stripe unit in bytes (0 when none). */
        public long stripeUnitBytes() {
            return stripeUnitBlocks * blockSize;
        }

        /** The stripe width in bytes (0 when none). */
        public long stripeWidthBytes() {
            return stripeWidthBlocks * blockSize;
        }
    }

    /**
     * @param output what {@code xfs_info MOUNTPOINT} printed
     * @throws ToolOutputException if it is empty, a line does not fit the {@code section = ...}
     *     layout, a key repeats in a section, or {@code isize}, {@code agcount}, {@code agsize},
     *     {@code sectsz} (meta-data), {@code bsize}, {@code blocks}, {@code sunit}, {@code swidth}
     *     (data), {@code bsize} (naming) or {@code bsize}, {@code blocks} (log) is missing or not a number
     */
    public static XfsGeometry parse(String output) {
        if (output.isBlank()) {
            throw fail("it printed nothing");
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        String section = null;
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw fail("line " + lineNo + " has no \"=\": " + BlkidParser.quote(line));
            }
            String head = line.substring(0, eq).strip();
            if (!Character.isWhitespace(line.charAt(0))) {
                if (head.isEmpty() || head.contains(" ")) {
                    throw fail("line " + lineNo + " does not start with a section name: " + BlkidParser.quote(line));
                }
                section = head;
                if (sections.containsKey(section)) {
                    throw fail("line " + lineNo + ": section " + section + " appears twice");
                }
                sections.put(section, new LinkedHashMap<>());
            } else if (!head.isEmpty() || section == null) {
                throw fail("line " + lineNo + " is neither a section nor its continuation: " + BlkidParser.quote(line));
            }
            Map<String, String> pairs = sections.get(section);
            List<String> own = new ArrayList<>();
            boolean pairsStarted = false;
            for (String token : line.substring(eq + 1).strip().split("[\\s,]+")) {
                if (token.isEmpty()) {
                    continue;
                }
                int teq = token.indexOf('=');
                if (teq > 0) {
                    pairsStarted = true;
                    String key = token.substring(0, teq);
                    if (pairs.putIfAbsent(key, token.substring(teq + 1)) != null) {
                        throw fail("line " + lineNo + ": " + key + " appears twice in section " + section);
                    }
                } else if (!pairsStarted) {
                    own.add(token);
                } else if (!token.equals("blks")) {
                    throw fail("line " + lineNo + ": unexpected " + BlkidParser.quote(token) + " in section " + section);
                }
            }
            if (!own.isEmpty()) {
                if (pairs.containsKey("")) {
                    throw fail("line " + lineNo + ": section " + section + " has a second value " + String.join(" ", own));
                }
                pairs.put("", String.join(" ", own));
            }
        }
        Map<String, String> meta = section(sections, "meta-data");
        Map<String, String> data = section(sections, "data");
        Map<String, String> naming = section(sections, "naming");
        Map<String, String> log = section(sections, "log");
        Map<String, String> rt = sections.getOrDefault("realtime", Map.of());
        String source = meta.get("");
        if (source == null) {
            throw fail("meta-data names no device");
        }
        Long imaxpct = optNumber(data, "data", "imaxpct");
        Long logVersion = optNumber(log, "log", "version");
        Long logSectsz = optNumber(log, "log", "sectsz");
        return new XfsGeometry(
                source,
                intNumber(meta, "meta-data", "isize"),
                number(meta, "meta-data", "agcount"),
                number(meta, "meta-data", "agsize"),
                intNumber(meta, "meta-data", "sectsz"),
                flag(meta, "meta-data", "crc"),
                flag(meta, "meta-data", "finobt"),
                flag(meta, "meta-data", "sparse"),
                flag(meta, "meta-data", "rmapbt"),
                flag(meta, "meta-data", "reflink"),
                flag(meta, "meta-data", "bigtime"),
                flag(meta, "meta-data", "inobtcount"),
                flag(meta, "meta-data", "nrext64"),
                intNumber(data, "data", "bsize"),
                number(data, "data", "blocks"),
                imaxpct == null ? null : Math.toIntExact(imaxpct),
                number(data, "data", "sunit"),
                number(data, "data", "swidth"),
                intNumber(naming, "naming", "bsize"),
                flag(naming, "naming", "ftype"),
                log.getOrDefault("", ""),
                intNumber(log, "log", "bsize"),
                number(log, "log", "blocks"),
                logVersion == null ? null : Math.toIntExact(logVersion),
                logSectsz == null ? null : Math.toIntExact(logSectsz),
                optNumber(log, "log", "sunit"),
                flag(log, "log", "lazy-count"),
                rt.getOrDefault("", "none"),
                sections);
    }

    private static Map<String, String> section(Map<String, Map<String, String>> sections, String name) {
        Map<String, String> s = sections.get(name);
        if (s == null) {
            throw fail("section " + name + " is missing");
        }
        return s;
    }

    private static long number(Map<String, String> s, String section, String key) {
        Long v = optNumber(s, section, key);
        if (v == null) {
            throw fail(key + " is missing in section " + section);
        }
        return v;
    }

    private static int intNumber(Map<String, String> s, String section, String key) {
        long v = number(s, section, key);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw fail(section + " " + key + " is out of range: " + v);
        }
        return (int) v;
    }

    private static @Nullable Long optNumber(Map<String, String> s, String section, String key) {
        String v = s.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ToolOutputException(COMMAND, section + " " + key + " is " + BlkidParser.quote(v) + ", not a number", e);
        }
    }

    private static @Nullable Boolean flag(Map<String, String> s, String section, String key) {
        String v = s.get(key);
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "0" -> Boolean.FALSE;
            case "1" -> Boolean.TRUE;
            default -> throw fail(section + " " + key + " is " + BlkidParser.quote(v) + ", not 0 or 1");
        };
    }

    private static ToolOutputException fail(String problem) {
        return new ToolOutputException(COMMAND, problem);
    }
}
