package dev.rear.provider.tar;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An archive file read for verify and restore, in three stages that run at once, as
 * {@code zstd -d | tar -x} does with two processes and zstd's own reader thread: a reader thread reads
 * the file ahead in 1 MiB chunks and hashes it (SHA-256 of the whole file, trailing bytes included),
 * a decompressor thread decompresses it (zstd, gzip or none, by the magic bytes), and the caller parses,
 * hashes and writes the entries. Between the stages are short queues of chunks; a failure of a stage
 * (an I/O error, a damaged archive) reaches the caller at its next read, after the bytes that came
 * before the damage.
 */
final class ArchiveInput implements AutoCloseable {

    private static final int CHUNK = 1 << 20;

    private final MessageDigest md = TarWriter.sha256();
    private final Pipe raw = new Pipe(16);
    private final Pipe decompressed = new Pipe(8);
    private final Thread reader;
    private final Thread decompressor;
    private volatile boolean closed;

    ArchiveInput(Path archive) throws IOException {
        FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ);
        reader = new Thread(() -> read(ch), "rear-archive-reader");
        decompressor = new Thread(this::decompress, "rear-archive-decompressor");
        reader.setDaemon(true);
        decompressor.setDaemon(true);
        reader.start();
        decompressor.start();
    }

    /** The decompressed archive. */
    InputStream stream() {
        return decompressed.stream;
    }

    private void read(FileChannel ch) {
        try (ch) {
            while (!closed) {
                byte[] chunk = raw.buffer();
                ByteBuffer bb = ByteBuffer.wrap(chunk);
                while (bb.hasRemaining() && ch.read(bb) >= 0) {
                    // fill the chunk
                }
                if (bb.position() == 0) {
                    break;
                }
                md.update(chunk, 0, bb.position());
                raw.put(chunk, bb.position());
                if (bb.hasRemaining()) {
                    break;
                }
            }
            raw.end(null);
        } catch (Throwable t) {
            raw.end(t);
        }
    }

    private void decompress() {
        try (InputStream in = decompressor(raw.stream)) {
            boolean more = true;
            while (more && !closed) {
                byte[] chunk = decompressed.buffer();
                int n = 0;
                try {
                    while (n < CHUNK) {
                        int r = in.read(chunk, n, CHUNK - n);
                        if (r < 0) {
                            more = false;
                            break;
                        }
                        n += r;
                    }
                } catch (IOException | RuntimeException e) {
                    if (n > 0) {
                        decompressed.put(chunk, n); // what came before the damage, so it is found at its entry
                    }
                    throw e;
                }
                if (n > 0) {
                    decompressed.put(chunk, n);
                }
            }
            raw.stream.transferTo(java.io.OutputStream.nullOutputStream()); // bytes after the compressed data are hashed too
            decompressed.end(null);
        } catch (Throwable t) {
            decompressed.end(t);
        }
    }

    /**
     * Like {@link TarBackupProvider#decompressor} but without its 1 MiB buffers: the stages pass
     * whole chunks, so a buffer would only copy them once more.
     */
    private static InputStream decompressor(InputStream raw) throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw, 8192); // large reads pass it by
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new com.github.luben.zstd.ZstdInputStream(in);
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new java.util.zip.GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    /**
     * Reads the rest of the decompressed archive (it should be only the padding after the end
     * blocks) and returns the SHA-256 of the whole archive file.
     */
    String finish() throws IOException {
        decompressed.stream.transferTo(java.io.OutputStream.nullOutputStream());
        try {
            decompressor.join();
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the archive");
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public void close() {
        closed = true;
        raw.queue.clear();
        decompressed.queue.clear();
        try {
            decompressor.join(10_000);
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Chunks from one stage to the next, ending with an empty chunk and, on failure, the failure. */
    /** A chunk and how many of its bytes count. */
    private record Chunk(byte[] data, int length) {}

    /**
     * Chunks from one stage to the next, ending with an empty chunk and, on failure, the failure.
     * Chunks the next stage has consumed come back through {@link #buffer()}, so that gigabytes pass
     * through a few megabytes of memory.
     */
    private final class Pipe {
        private final Chunk endMark = new Chunk(new byte[0], 0);
        final BlockingQueue<Chunk> queue;
        private final BlockingQueue<byte[]> free;
        private volatile @Nullable Throwable failure;
        final InputStream stream = new In();

        Pipe(int depth) {
            queue = new ArrayBlockingQueue<>(depth);
            free = new ArrayBlockingQueue<>(depth + 2);
        }

        /** An empty chunk to fill: a consumed one, or a new one. */
        byte[] buffer() {
            byte[] b = free.poll();
            return b != null ? b : new byte[CHUNK];
        }

        void put(byte[] chunk, int length) throws InterruptedException {
            Chunk c = new Chunk(chunk, length);
            while (!closed && !queue.offer(c, 100, TimeUnit.MILLISECONDS)) {
                // the next stage is slower; wait unless the reading was given up
            }
        }

        void end(@Nullable Throwable t) {
            failure = t;
            while (!closed) {
                try {
                    if (queue.offer(endMark, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private final class In extends InputStream {
            private Chunk current = new Chunk(new byte[0], 0);
            private int pos;
            private boolean ended;

            private boolean fill() throws IOException {
                if (ended) {
                    if (failure != null) {
                        throw new EOFException("the archive could not be read");
                    }
                    return false;
                }
                while (pos >= current.length()) {
                    Chunk next;
                    try {
                        next = queue.poll(100, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading the archive");
                    }
                    if (next == null) {
                        if (closed) {
                            throw new InterruptedIOException("the archive was closed");
                        }
                        continue;
                    }
                    if (next == endMark) {
                        ended = true;
                        Throwable t = failure;
                        if (t instanceof IOException io) {
                            throw io;
                        }
                        if (t != null) {
                            throw new IOException(t.getMessage() == null ? t.toString() : t.getMessage(), t);
                        }
                        return false;
                    }
                    if (current.data().length == CHUNK) {
                        free.offer(current.data());
                    }
                    current = next;
                    pos = 0;
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                return fill() ? current.data()[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, current.length() - pos);
                System.arraycopy(current.data(), pos, b, off, n);
                pos += n;
                return n;
            }
        }
    }
}
