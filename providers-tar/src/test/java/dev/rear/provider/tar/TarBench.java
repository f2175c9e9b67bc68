package dev.rear.provider.tar;

import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.testkit.FakeProviderContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The provider's side of {@code bench/tar.sh}, run from the module's test class path:
 *
 * <pre>
 * TarBench generate DIR            a deterministic tree of about 2 GB; prints its data bytes and entries
 * TarBench backup SOURCE STORE     rear's backup (zstd, default level, workers = CPUs) of SOURCE to file://STORE
 * TarBench restore STORE TARGET    rear's restore of that backup into TARGET (empty)
 * </pre>
 *
 * The tree: 60,000 small files (text-like, binary-like and a few incompressible ones, lognormal
 * sizes around 4 KiB, 100 per directory), 1,500 medium files (64 KiB to 1 MiB), four large files
 * (a 256 MiB log, a 256 MiB database-like file of half-filled pages, 128 MiB of machine-code-like
 * data, 128 MiB of incompressible media), four sparse files of 1 GiB apparent size with 32 MiB of data
 * each, and some symlinks, hard links and empty directories. Text is words of a fixed vocabulary, so it
 * compresses about as well as logs and configuration do; nothing is all zeros or all random.
 */
public final class TarBench {

    private TarBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("generate")) {
            generate(Path.of(args[1]));
        } else if (args.length == 3 && args[0].equals("backup")) {
            ProviderSettings s = settings(Files.createDirectories(Path.of(args[2])));
            BackupResult r = new TarBackupProvider().backup(BackupRequest.full(Path.of(args[1])), context(s));
            System.out.println("files " + r.files() + " bytes " + r.bytes() + " archive " + r.facts().get("archiveBytes"));
        } else if (args.length == 3 && args[0].equals("restore")) {
            ProviderSettings s = settings(Path.of(args[1]));
            RestoreResult r = new TarBackupProvider().restore(RestoreRequest.everything(Path.of(args[2])), context(s));
            System.out.println("files " + r.files() + " bytes " + r.bytes());
        } else {
            System.err.println("usage: TarBench generate DIR | backup SOURCE STORE | restore STORE TARGET");
            System.exit(2);
        }
    }

    private static ProviderSettings settings(Path store) {
        return ProviderSettings.builder().set("BACKUP_URL", store.toUri().toString()).set("NETFS_PREFIX", "bench").build();
    }

    private static FakeProviderContext context(ProviderSettings s) throws IOException {
        return FakeProviderContext.builder(Files.createTempDirectory("rear-bench-ctx")).settings(s).build();
    }

    // ------------------------------------------------------------------------------------ the tree

    private static final String[] WORDS = vocabulary();
    private static long dataBytes;
    private static long entries;

    private static String[] vocabulary() {
        SplittableRandom r = new SplittableRandom(42);
        String[] w = new String[4096];
        for (int i = 0; i < w.length; i++) {
            int len = 2 + r.nextInt(9);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < len; j++) {
                b.append((char) ('a' + r.nextInt(26)));
            }
            w[i] = b.toString();
        }
        return w;
    }

    static void generate(Path root) throws IOException {
        SplittableRandom rnd = new SplittableRandom(20261126);
        Files.createDirectories(root);
        for (int d = 0; d < 600; d++) {
            Path dir = Files.createDirectories(root.resolve(String.format(Locale.ROOT, "small/d%03d", d)));
            entries++;
            for (int f = 0; f < 100; f++) {
                int size = (int) Math.min(256 << 10, Math.max(1, Math.exp(8.3 + 1.1 * rnd.nextGaussian())));
                double kind = rnd.nextDouble();
                String ext = kind < 0.70 ? ".conf" : kind < 0.95 ? ".so" : ".gz";
                write(dir.resolve("f" + f + ext), kind < 0.70 ? text(rnd, size) : kind < 0.95 ? binary(rnd, size) : random(rnd, size));
            }
        }
        Path medium = Files.createDirectories(root.resolve("medium"));
        for (int f = 0; f < 1500; f++) {
            int size = (64 << 10) + rnd.nextInt(960 << 10);
            double kind = rnd.nextDouble();
            write(medium.resolve("m" + f), kind < 0.4 ? binary(rnd, size) : kind < 0.7 ? text(rnd, size) : random(rnd, size));
        }
        Path large = Files.createDirectories(root.resolve("large"));
        large(large.resolve("syslog.1"), 256, rnd, "text");
        large(large.resolve("db.img"), 256, rnd, "pages");
        large(large.resolve("libbig.so"), 128, rnd, "binary");
        large(large.resolve("video.mp4"), 128, rnd, "random");
        Path sparse = Files.createDirectories(root.resolve("sparse"));
        for (int f = 0; f < 4; f++) {
            try (RandomAccessFile raf = new RandomAccessFile(sparse.resolve("disk" + f + ".img").toFile(), "rw")) {
                raf.setLength(1L << 30);
                for (int x = 0; x < 16; x++) {
                    raf.seek((long) x * (64 << 20) + (4096L * rnd.nextInt(1024)));
                    raf.write(x % 2 == 0 ? binary(rnd, 2 << 20) : text(rnd, 2 << 20));
                    dataBytes += 2 << 20;
                }
            }
            entries++;
        }
        Path links = Files.createDirectories(root.resolve("links"));
        for (int i = 0; i < 200; i++) {
            Files.createSymbolicLink(links.resolve("sym" + i), Path.of("../small/d" + String.format(Locale.ROOT, "%03d", i) + "/f1.conf"));
            Files.createLink(links.resolve("hard" + i), root.resolve("small/d" + String.format(Locale.ROOT, "%03d", i) + "/f2" + ext(root, i)));
            Files.createDirectories(links.resolve("empty" + i));
            entries += 3;
        }
        System.out.println("data-bytes " + dataBytes + " entries " + entries);
    }

    private static String ext(Path root, int dir) {
        for (String e : new String[] {".conf", ".so", ".gz"}) {
            if (Files.exists(root.resolve("small/d" + String.format(Locale.ROOT, "%03d", dir) + "/f2" + e))) {
                return e;
            }
        }
        throw new IllegalStateException("no f2 in d" + dir);
    }

    private static void large(Path file, int mib, SplittableRandom rnd, String kind) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                byte[] chunk = switch (kind) {
                    case "text" -> text(rnd, 1 << 20);
                    case "binary" -> binary(rnd, 1 << 20);
                    case "random" -> random(rnd, 1 << 20);
                    default -> pages(rnd, 1 << 20);
                };
                out.write(chunk);
            }
        }
        dataBytes += (long) mib << 20;
        entries++;
    }

    private static void write(Path file, byte[] data) throws IOException {
        Files.write(file, data);
        dataBytes += data.length;
        entries++;
    }

    /** Lines of words with numbers and punctuation, as logs and configuration files are. */
    static byte[] text(SplittableRandom r, int size) {
        byte[] out = new byte[size];
        int i = 0;
        int col = 0;
        while (i < size) {
            String w = r.nextInt(12) == 0 ? Integer.toString(r.nextInt(100000)) : WORDS[(int) Math.min(WORDS.length - 1, Math.abs(r.nextGaussian()) * 600)];
            for (int k = 0; k < w.length() && i < size; k++) {
                out[i++] = (byte) w.charAt(k);
            }
            col += w.length() + 1;
            if (i < size) {
                out[i++] = (byte) (col > 60 + r.nextInt(40) ? '\n' : r.nextInt(15) == 0 ? '=' : ' ');
                if (out[i - 1] == '\n') {
                    col = 0;
                }
            }
        }
        return out;
    }

    /** Machine-code-like: pieces repeated from a small pool, mixed with random bytes. */
    static byte[] binary(SplittableRandom r, int size) {
        byte[] pool = random(r, 8192);
        byte[] out = new byte[size];
        int i = 0;
        while (i < size) {
            int len = Math.min(size - i, 8 + r.nextInt(120));
            if (r.nextInt(10) < 6) {
                System.arraycopy(pool, r.nextInt(pool.length - len), out, i, len);
            } else {
                for (int k = 0; k < len; k++) {
                    out[i + k] = (byte) r.nextInt(256);
                }
            }
            i += len;
        }
        return out;
    }

    /** Database-like: 8 KiB pages, each partly filled with records and zero-padded. */
    static byte[] pages(SplittableRandom r, int size) {
        byte[] out = new byte[size];
        for (int p = 0; p < size; p += 8192) {
            int fill = r.nextInt(8192);
            byte[] t = text(r, fill);
            System.arraycopy(t, 0, out, p, Math.min(fill, size - p));
        }
        return out;
    }

    static byte[] random(SplittableRandom r, int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i += 8) {
            long v = r.nextLong();
            for (int k = 0; k < 8 && i + k < size; k++) {
                out[i + k] = (byte) (v >>> (8 * k));
            }
        }
        return out;
    }
}
