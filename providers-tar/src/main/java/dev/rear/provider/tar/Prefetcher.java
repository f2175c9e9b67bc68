package dev.rear.provider.tar;

import java.util.ArrayDeque;

/**
 * Starts the kernel reading the files the backup will read next, a bounded distance ahead of it
 * ({@link Posix#willNeed}, on a thread of its own). The backup reads a file at a time, so with a
 * cold page cache each small file was a wait for one disk request, during which nothing else was
 * read; announced ahead, the requests of a directory's files are queued together and served while
 * the backup hashes and encodes the ones before.
 *
 * <p>The walk {@link #submit}s a directory's regular files before it reads them and says when it
 * has {@link #passed} each (read or skipped). At most {@link #WINDOW} bytes (the first
 * {@link #PER_FILE} of each file, plus 4 KiB a file) are announced beyond what the walk has passed;
 * a file the walk is already past is not announced. The walk never waits for this thread.
 */
final class Prefetcher implements AutoCloseable {

    static final long WINDOW = 64L << 20;
    static final long PER_FILE = 1L << 20;

    private record Item(String path, long length, long end) {}

    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final Thread thread;
    private long submitted; // what has been submitted, cumulated: each item's end is its ticket
    private long passed;    // the highest ticket the walk has passed
    private boolean closed;

    Prefetcher() {
        thread = new Thread(this::run, "rear-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    /** A regular file of {@code size} bytes the walk will read soon; returns its ticket for {@link #passed}. */
    synchronized long submit(String path, long size) {
        long length = Math.min(size, PER_FILE);
        submitted += length + 4096;
        queue.add(new Item(path, length, submitted));
        notifyAll();
        return submitted;
    }

    /** The walk is done with the file of this ticket (and, as it goes in order, mostly with those before). */
    synchronized void passed(long ticket) {
        if (ticket > passed) {
            passed = ticket;
            notifyAll();
        }
    }

    private void run() {
        while (true) {
            Item next;
            synchronized (this) {
                try {
                    while (!closed && (queue.isEmpty() || queue.peek().end() - passed > WINDOW)) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                next = queue.poll();
                if (next.end() <= passed) {
                    continue; // the walk is already past it
                }
            }
            Posix.willNeed(next.path(), next.length());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
        notifyAll();
    }
}
