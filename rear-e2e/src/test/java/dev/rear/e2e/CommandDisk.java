package dev.rear.e2e;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * What an installed source system runs: the tar its {@code rear-e2e-command} unit reads from the
 * disk with serial {@code e2e-cmd} after multi-user. {@code run.sh} is run as
 * {@code sh run.sh OUTDIR} in the unpacked directory, as root, under {@code time-limit} seconds;
 * what it leaves in OUTDIR comes back on the output disk ({@link VmOutput}), with its
 * {@code run.log}, {@code run.rc} and the boot's journal. Lines it writes to {@code /dev/console}
 * with {@code REAR-E2E:} are shown as progress.
 */
final class CommandDisk {
    private record Entry(byte[] text, Path file, int mode) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private CommandDisk() {}

    /** A command disk running {@code runSh} within {@code timeLimitSeconds}. */
    static CommandDisk of(String runSh, int timeLimitSeconds) {
        return new CommandDisk().text("run.sh", runSh, 0755).text("time-limit", timeLimitSeconds + "\n", 0644);
    }

    CommandDisk text(String name, String content, int mode) {
        entries.put(name, new Entry(content.getBytes(StandardCharsets.UTF_8), null, mode));
        return this;
    }

    /** A host file as {@code name}, its permission bits kept. */
    CommandDisk file(String name, Path file) {
        try {
            int mode = Files.isExecutable(file) ? 0755 : 0644;
            entries.put(name, new Entry(null, file, mode));
        } catch (SecurityException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Every regular file under the host directory {@code dir} as {@code name/...}. */
    CommandDisk tree(String name, Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                file(name + "/" + dir.relativize(p), p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Leaves the VM running after run.sh (the default is to power off). */
    CommandDisk noPoweroff() {
        return text("no-poweroff", "", 0644);
    }

    /** Writes the tar to {@code image}, padded to whole MiB so that it is a disk of whole sectors. */
    Path write(Path image) {
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(image), 1 << 20);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    Entry en = e.getValue();
                    TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                    te.setMode(0100000 | en.mode());
                    te.setSize(en.text() != null ? en.text().length : Files.size(en.file()));
                    tar.putArchiveEntry(te);
                    if (en.text() != null) {
                        tar.write(en.text());
                    } else {
                        Files.copy(en.file(), tar);
                    }
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                long mib = 1L << 20;
                f.setLength((f.length() + mib) / mib * mib);
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the command disk " + image + ": " + e.getMessage(), e);
        }
    }

    /** The time limit of run.sh in seconds. */
    String limit() {
        Entry e = entries.get("time-limit");
        return e == null ? "1800" : new String(e.text(), StandardCharsets.UTF_8);
    }

    List<String> names() {
        return List.copyOf(entries.keySet());
    }
}
