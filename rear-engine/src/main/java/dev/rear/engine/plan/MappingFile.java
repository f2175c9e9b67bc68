package dev.rear.engine.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ReaR's {@code disk_mappings} file: one {@code source target} pair per line, blank lines and
 * {@code #} comments (whole-line or trailing) ignored. Both sides must be absolute device paths;
 * a source or a target named twice is an error. Errors name {@code file:line}.
 */
public final class MappingFile {
    private MappingFile() {}

    public static Map<String, String> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mapping file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Source → target in file order. */
    public static Map<String, String> parse(String text, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> targetLine = new LinkedHashMap<>();
        Map<String, Integer> sourceLine = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = source + ":" + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length != 2) {
                throw new PlanException(where + ": expected 'SOURCE TARGET' (two device paths), got \"" + line + "\"");
            }
            for (String dev : f) {
                if (!dev.matches("^/dev/[A-Za-z0-9._+:/-]+$")) {
                    throw new PlanException(where + ": \"" + dev + "\" is not a device path under /dev");
                }
            }
            if (sourceLine.containsKey(f[0])) {
                throw new PlanException(where + ": " + f[0] + " is already mapped on line " + sourceLine.get(f[0]));
            }
            if (targetLine.containsKey(f[1])) {
                throw new PlanException(where + ": " + f[1] + " is already the target of line " + targetLine.get(f[1])
                        + "; two originals cannot go onto one disk");
            }
            sourceLine.put(f[0], i + 1);
            targetLine.put(f[1], i + 1);
            out.put(f[0], f[1]);
        }
        return out;
    }
}
