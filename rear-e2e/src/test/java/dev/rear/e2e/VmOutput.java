package dev.rear.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** What the guest left in its {@code /out}, read from the tar it wrote onto the raw output disk. */
final class VmOutput {
    private final Map<String, byte[]> files;

    private VmOutput(Map<String, byte[]> files) {
        this.files = files;
    }

    /** Reads the tar at the start of {@code image}; an image without one gives no files. */
    static VmOutput read(Path image) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(image));
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    files.put(e.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            if (files.isEmpty()) {
                return new VmOutput(Map.of());
            }
            throw new UncheckedIOException("the tar on " + image + " is damaged after " + files.size() + " files: " + e.getMessage(), e);
        }
        return new VmOutput(files);
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    /** The names of the files, as the guest had them under /out. */
    java.util.Set<String> names() {
        return files.keySet();
    }

    boolean has(String name) {
        return files.containsKey(name);
    }

    String text(String name) {
        byte[] b = files.get(name);
        if (b == null) {
            throw new AssertionError("the VM left no /out/" + name + "; it left " + files.keySet());
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** {@code name} written to {@code dir}, for the readers that take a file. */
    Path saveTo(Path dir, String name) {
        Path p = dir.resolve(name);
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, text(name).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Every file under {@code dir} (kept after the test for a look at what the VM did). */
    void saveAll(Path dir) {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey()).normalize();
            if (!p.startsWith(dir)) {
                continue;
            }
            try {
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
    }

    /** The last {@code n} lines of {@code name}, or a note that it is missing. */
    String tail(String name, int n) {
        if (!has(name)) {
            return "(no /out/" + name + ")";
        }
        List<String> lines = text(name).lines().toList();
        return "---- last lines of /out/" + name + " ----\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
