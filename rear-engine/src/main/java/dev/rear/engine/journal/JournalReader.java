package dev.rear.engine.journal;

import dev.rear.api.event.JournalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a journal and verifies it: every line a well-formed entry, sequence numbers from 1 without
 * a gap, one run id, and each line's {@code prev} the SHA-256 of the line before. Only the last
 * line may be torn (no newline at its end: the write was cut by a crash); it is dropped and said
 * so. Anything else wrong is a {@link JournalCorruptException} naming the line.
 */
public final class JournalReader {
    private JournalReader() {}

    public static Journal read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UncheckedIOException(file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return read(bytes, file);
    }

    static Journal read(byte[] bytes, Path file) {
        List<JournalEntry> entries = new ArrayList<>();
        String prev = JournalEntry.GENESIS;
        String runId = null;
        int start = 0;
        int lineNo = 0;
        long valid = 0;
        boolean torn = false;
        while (start < bytes.length) {
            lineNo++;
            int nl = indexOf(bytes, (byte) '\n', start);
            if (nl < 0) {
                torn = true; // the last write was cut short: forgiven, and said so
                break;
            }
            byte[] line = Arrays.copyOfRange(bytes, start, nl);
            JournalEntry e;
            try {
                e = JournalLines.fromLine(line);
            } catch (IllegalArgumentException ex) {
                throw new JournalCorruptException(file.toString(), lineNo, ex.getMessage());
            }
            if (e.seq() != lineNo) {
                throw new JournalCorruptException(file.toString(), lineNo, "sequence number " + e.seq() + " where " + lineNo + " belongs");
            }
            if (!e.prev().equals(prev)) {
                throw new JournalCorruptException(file.toString(), lineNo, "its link to line " + (lineNo - 1)
                        + " does not match (expected " + prev.substring(0, 12) + "…, found " + abbreviate(e.prev()) + ")");
            }
            if (runId == null) {
                runId = e.runId();
            } else if (!runId.equals(e.runId())) {
                throw new JournalCorruptException(file.toString(), lineNo, "run " + e.runId() + " in the journal of run " + runId);
            }
            entries.add(e);
            prev = JournalLines.sha256(line);
            start = nl + 1;
            valid = start;
        }
        return new Journal(file, entries, torn, valid);
    }

    private static String abbreviate(String s) {
        return s.length() > 12 ? s.substring(0, 12) + "…" : s;
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
