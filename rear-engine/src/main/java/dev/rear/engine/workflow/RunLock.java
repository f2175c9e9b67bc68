package dev.rear.engine.workflow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;

/**
 * One writing workflow at a time on a machine, as ReaR allows (its {@code LOCKLESS_WORKFLOWS} aside):
 * a POSIX record lock ({@link FileChannel#tryLock()}, {@code fcntl(F_SETLK)}) on
 * {@code /run/rear/rear.lock}, held for the whole run and released by the kernel when the process
 * ends, however it ends — a stale lock file from a killed run blocks nothing. The file says who
 * holds it ({@code workflow pid started-at}), so a second run can name the workflow and the process.
 *
 * <p>The read-only workflows take no lock: {@link #LOCKLESS}.
 */
public final class RunLock implements AutoCloseable {

    /** Where the lock lives on a real run. */
    public static final Path DEFAULT_DIR = Path.of("/run/rear");
    /** The lock file's name in its directory. */
    public static final String FILE = "rear.lock";

    /** The workflows that only read, and may run beside anything (ReaR: checklayout, dump, help). */
    public static final Set<String> LOCKLESS = Set.of("dump", "validate", "diff", "plan", "journal", "providers", "restorepoints",
            "checklayout", "audit", "help");

    /** Another run holds the lock. */
    public static final class HeldException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;

    private RunLock(FileChannel channel, FileLock lock, Path file) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
    }

    /**
     * Takes the lock in {@code dir} for {@code workflow}, or throws {@link HeldException} naming the
     * workflow and PID of the run that holds it.
     *
     * @throws IOException when the lock file cannot be made or opened (the caller says so)
     */
    public static RunLock acquire(Path dir, String workflow) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE).toAbsolutePath().normalize();
        String me = workflow + " " + ProcessHandle.current().pid() + " " + Instant.now() + "\n";
        // Closing any channel of a file drops every POSIX lock the process has on it: a second run in
        // this JVM must not even open the file while the first holds it.
        synchronized (IN_THIS_JVM) {
            String held = IN_THIS_JVM.get(file);
            if (held != null) {
                throw held(file, describe(held));
            }
            RunLock l = take(file, me);
            IN_THIS_JVM.put(file, me);
            return l;
        }
    }

    private static final java.util.Map<Path, String> IN_THIS_JVM = new java.util.HashMap<>();

    private static HeldException held(Path file, String holder) {
        return new HeldException("rear is already running" + (holder.isEmpty() ? "" : ": " + holder) + " holds " + file
                + "; only one of the workflows that change something runs at a time (wait for it to end, or stop it)");
    }

    private static RunLock take(Path file, String me) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String holder = holder(ch);
            ch.close();
            throw held(file, holder);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new RunLock(ch, l, file);
    }

    /** {@code 'mkbackup' (PID 4711, since 2026-11-26T19:00:00Z)} from the lock file, or empty. */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(512);
            int n = ch.read(b, 0);
            return n <= 0 ? "" : describe(new String(b.array(), 0, n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code workflow pid time} as words. */
    private static String describe(String content) {
        String[] f = content.strip().split("\\s+");
        if (f.length < 2) {
            return "";
        }
        return "'" + f[0] + "' (PID " + f[1] + (f.length > 2 ? ", since " + f[2] : "") + ")";
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        synchronized (IN_THIS_JVM) {
            try {
                if (lock.isValid()) {
                    channel.truncate(0);
                    lock.release();
                }
            } catch (IOException e) {
                // the lock goes with the channel
            } finally {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closed is closed
                }
                IN_THIS_JVM.remove(file);
            }
        }
    }
}
