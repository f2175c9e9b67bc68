package dev.rear.engine.journal;

import dev.rear.api.event.JournalEntry;
import dev.rear.api.event.JournalEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Appends entries to a journal. Each {@link #append} writes one whole line and forces it to disk
 * (data and size) before it returns, so an event recorded before a command runs survives a power
 * cut that comes after. A new journal's directory entry is forced too.
 */
public final class JournalWriter implements AutoCloseable {

    private final FileChannel channel;
    private final String runId;
    private final Clock clock;
    private long seq;
    private String prev;

    private JournalWriter(FileChannel channel, String runId, Clock clock, long seq, String prev) {
        this.channel = channel;
        this.runId = runId;
        this.clock = clock;
        this.seq = seq;
        this.prev = prev;
    }

    /** Starts a new journal; the file must not exist yet. */
    public static JournalWriter create(Path file, String runId, Clock clock) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            forceDirectory(file.toAbsolutePath().getParent());
            return new JournalWriter(ch, runId, clock, 0, JournalEntry.GENESIS);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new UncheckedIOException(file + " exists already: a journal is never overwritten (use --resume to continue it)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Continues a journal after a crash: verifies it (a corrupt one is refused), cuts off a torn
     * last line, and appends after the last whole entry.
     */
    public static JournalWriter resume(Path file, Clock clock) {
        Journal j = JournalReader.read(file);
        if (j.entries().isEmpty()) {
            throw new JournalCorruptException(file.toString(), 1, "the journal holds no whole entry, so there is no run to resume");
        }
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
            ch.truncate(j.validBytes());
            ch.force(true);
            ch.position(j.validBytes());
            JournalEntry last = j.entries().get(j.entries().size() - 1);
            byte[] lastLine = JournalLines.toLine(last);
            return new JournalWriter(ch, last.runId(), clock, last.seq(), JournalLines.sha256(lastLine));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reopen the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records an event: written and on disk when this returns. */
    public synchronized JournalEntry append(JournalEvent event) {
        JournalEntry entry = new JournalEntry(seq + 1, clock.instant(), runId, prev, event);
        byte[] line = JournalLines.toLine(entry);
        ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the journal: " + e.getMessage()
                    + " (the step is not recorded; nothing further runs)", e);
        }
        seq = entry.seq();
        prev = JournalLines.sha256(line);
        return entry;
    }

    public String runId() {
        return runId;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the journal: " + e.getMessage(), e);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some filesystems cannot sync a directory; the file's own data is still forced.
        }
    }
}
