package dev.rear.provider.tar;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The backup's write side on a thread of its own: what is written here (the tar stream) is copied
 * into 1 MiB chunks that the {@code rear-archive-writer} thread passes to {@code out} (the
 * compressor, the archive's SHA-256 and the file). So the thread that walks the tree, reads and
 * hashes the files and encodes the tar headers never waits for the compressor's input copy, the
 * archive hash or the write system calls, and the reads keep going while those run; on a 2-CPU
 * machine this is what keeps both CPUs busy (the walk alone was the critical path).
 *
 * <p>At most {@link #CHUNKS} chunks are in flight. A failure of the writer thread (a full disk, a
 * target gone) is thrown, with its message, by the next {@code write} or by {@link #close}; after a
 * failure the thread drains and drops what is still handed to it, so the producer never blocks on it.
 * {@link #close} hands over the rest, waits for the thread and then closes {@code out} on the calling
 * thread (the end of the compressed frame, the file).
 */
final class ArchiveOutput extends OutputStream {

    static final int CHUNK = 1 << 20;
    static final int CHUNKS = 8;

    private record Chunk(byte[] bytes, int length) {}

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final OutputStream out;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final Thread writer;
    private volatile @org.jspecify.annotations.Nullable Throwable failure;
    private byte[] current;
    private int pos;
    private boolean closed;

    ArchiveOutput(OutputStream out) {
        this.out = out;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        current = new byte[CHUNK];
        writer = new Thread(this::drain, "rear-archive-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private void drain() {
        try {
            for (Chunk c; (c = full.take()) != END; ) {
                if (failure == null) {
                    try {
                        out.write(c.bytes(), 0, c.length());
                    } catch (IOException | RuntimeException | Error e) {
                        failure = e;
                    }
                }
                free.add(c.bytes());
            }
        } catch (InterruptedException e) {
            if (failure == null) {
                failure = new InterruptedIOException("the archive writer was interrupted");
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (pos == current.length) {
            handOver();
        }
        current[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (pos == current.length) {
                handOver();
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(b, off, current, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Hands the filled part of the current chunk to the writer thread and takes a free one. */
    private void handOver() throws IOException {
        check();
        if (closed) {
            throw new IOException("the archive output is closed");
        }
        if (pos == 0) {
            return;
        }
        try {
            full.put(new Chunk(current, pos));
            current = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the archive");
        }
        pos = 0;
        check();
    }

    private void check() throws IOException {
        Throwable f = failure;
        if (f instanceof IOException io) {
            throw new IOException(io.getMessage(), io);
        } else if (f != null) {
            throw new IOException("writing the archive failed: " + f, f);
        }
    }

    /** Passes on what is buffered (without waiting for it to be written). */
    @Override
    public void flush() throws IOException {
        if (!closed) {
            handOver();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        IOException thrown = null;
        try {
            handOver();
        } catch (IOException e) {
            thrown = e;
        }
        closed = true;
        boolean interrupted = false;
        try {
            full.put(END);
            writer.join();
        } catch (InterruptedException e) {
            interrupted = true;
            writer.interrupt();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            IOException e = new InterruptedIOException("interrupted while finishing the archive");
            if (thrown != null) {
                e.addSuppressed(thrown);
            }
            throw e;
        }
        try {
            if (thrown == null) {
                check();
            }
        } catch (IOException e) {
            thrown = e;
        }
        try {
            out.close();
        } catch (IOException e) {
            if (thrown == null) {
                thrown = e;
            } else {
                thrown.addSuppressed(e);
            }
        }
        if (thrown != null) {
            throw thrown;
        }
    }
}
