package dev.rear.engine.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The files one output writes, each first under a temporary name beside its final one
 * ({@code .NAME.part}) and renamed when complete, so an interrupted or failed output never leaves
 * a file that looks finished. Until {@link #commit()}, {@link #close()} removes everything written so
 * far (temporary files and already renamed ones) — a failed output leaves nothing behind.
 */
final class Artifacts implements AutoCloseable {

    private final Deque<Path> written = new ArrayDeque<>();
    private final List<Path> finals = new ArrayList<>();
    private boolean committed;

    /** Copies {@code source} to {@code target} (a temporary name, then renamed); returns {@code target}. */
    Path copy(Path source, Path target, String what) {
        Path tmp = temp(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            return rename(tmp, target);
        } catch (IOException e) {
            throw new OutputException("cannot write " + what + " " + target + " (copy of " + source + "): " + reason(e), e);
        }
    }

    /** Writes {@code text} (UTF-8) to {@code target} (a temporary name, then renamed); returns {@code target}. */
    Path write(String text, Path target, String what) {
        Path tmp = temp(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            return rename(tmp, target);
        } catch (IOException e) {
            throw new OutputException("cannot write " + what + " " + target + ": " + reason(e), e);
        }
    }

    /** A temporary name for a file a tool writes ({@code target} is registered like a copy); finish with {@link #rename}. */
    Path temp(Path target) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        written.push(tmp);
        return tmp;
    }

    /** Renames a temporary file to its final name (replacing an older one atomically). */
    Path rename(Path tmp, Path target) {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new OutputException("cannot rename " + tmp + " to " + target + ": " + reason(e), e);
        }
        written.push(target);
        finals.add(target);
        return target;
    }

    /** The files completed so far, in the order they were. */
    List<Path> files() {
        return List.copyOf(finals);
    }

    /** Keeps what was written. */
    void commit() {
        committed = true;
    }

    @Override
    public void close() {
        if (committed) {
            return;
        }
        while (!written.isEmpty()) {
            try {
                Files.deleteIfExists(written.pop());
            } catch (IOException e) {
                // best effort: the failure being reported matters more
            }
        }
    }

    static String reason(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** A human size: bytes in MiB with one decimal (or KiB below a MiB). */
    static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
