package dev.rear.provider.tar;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.Progress;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.TargetRoots;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code BACKUP=NETFS} with {@code BACKUP_URL=file:///dir} (or a {@code usb://}, {@code nfs://},
 * {@code cifs://} or {@code sshfs://} target, mounted by rear for each operation and unmounted
 * afterwards, see {@link TargetMount}): one PAX tar archive per host,
 * {@code <target>/<NETFS_PREFIX>/backup.tar.zst} (zstd, multi-threaded; gzip or none selectable, see
 * {@link TarOptions}), and a manifest beside it ({@code backup.tar.zst.manifest}: every entry's path,
 * type, size and SHA-256, and the archive's size and SHA-256), written after the archive. A backup
 * replaces the previous one (as ReaR's NETFS does); it is written to {@code .partial} files and renamed
 * only when complete.
 *
 * <p>What is backed up: the request's includes (ReaR: the layout's mount points) plus
 * {@code BACKUP_PROG_INCLUDE}, or only {@code BACKUP_PROG_INCLUDE} with {@code BACKUP_ONLY_INCLUDE=yes};
 * never crossing into another filesystem below an include ({@code --one-file-system}: a mount point
 * directory is kept, its contents are not). Left out: the request's excludes and
 * {@code BACKUP_PROG_EXCLUDE} (GNU tar globs as ReaR passes them, {@code *} not matching {@code /}),
 * the contents of each {@code EXCLUDE_MOUNTPOINTS} directory (the directory is kept), and the backup
 * directory itself.
 *
 * <p>Restore refuses names that leave the target root (see {@link Extractor}) and checks every regular
 * file's SHA-256 against the manifest as it goes. Before writing, the target is checked to
 * take a file and to have room for the estimated archive ({@link TargetSpace}). Not implemented:
 * incremental and differential backups, point-in-time and selective restore; those are refused as unsupported.
 */
public final class TarBackupProvider implements BackupProvider {

    static final String ID = "tar";
    private static final long PROGRESS_BYTES = 64L << 20;

    private final java.util.function.Function<String, java.util.Optional<Path>> which;
    private final Path devFuse;

    /** Cheap: no I/O, no native library loaded. */
    public TarBackupProvider() {
        this(TargetMount.SYSTEM_PATH, Path.of("/dev/fuse"));
    }

    /** For tests: where mount helpers are looked up and the FUSE device sshfs needs. */
    TarBackupProvider(java.util.function.Function<String, java.util.Optional<Path>> which, Path devFuse) {
        this.which = which;
        this.devFuse = devFuse;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.BACKUP, Capability.RESTORE, Capability.VERIFY);
    }

    @Override
    public List<Diagnostic> validate(ProviderSettings settings) {
        return TarOptions.validate(settings);
    }

    @Override
    public RescueRequirements rescueRequirements(ProviderContext context) {
        TarOptions o = TarOptions.of(context.settings());
        RescueRequirements.Builder b = RescueRequirements.builder().variable(TarOptions.URL, context.settings().require(TarOptions.URL))
                .variable("NETFS_PREFIX", o.prefix());
        TargetRequirements.add(o.url(), o.mountOptions(), b);
        return b.build();
    }

    /**
     * Runs {@code work} with the target reachable: mounted for usb, nfs, cifs and sshfs (and
     * unmounted afterwards, also when {@code work} fails), the directory itself for file://.
     */
    private <T> T onTarget(ProviderContext context, java.util.function.Function<TarOptions, T> work) {
        TarOptions o = TarOptions.of(context.settings());
        context.checkCancelled();
        TargetMount target = TargetMount.open(o.url(), o.mountOptions(), context.commands(), context.log(), which, devFuse);
        T result;
        try {
            result = work.apply(o.at(target.root()));
        } catch (RuntimeException e) {
            try {
                target.close();
            } catch (RuntimeException c) {
                e.addSuppressed(c);
                context.log().warn(c.getMessage());
            }
            throw e;
        }
        target.close();
        return result;
    }

    // ------------------------------------------------------------------------------------ backup

    @Override
    public BackupResult backup(BackupRequest request, ProviderContext context) {
        if (request.kind() != BackupKind.FULL) {
            throw ProviderException.unsupported(ID, request.kind().name().toLowerCase(java.util.Locale.ROOT) + " backups");
        }
        return onTarget(context, o -> backupAt(request, context, o));
    }

    private BackupResult backupAt(BackupRequest request, ProviderContext context, TarOptions o) {
        Path dir = o.directory();
        Path archive = dir.resolve(o.archiveName());
        Path manifest = dir.resolve(o.archiveName() + ".manifest");
        Path partial = dir.resolve(o.archiveName() + ".partial");
        Path partialManifest = dir.resolve(o.archiveName() + ".manifest.partial");
        Instant created = context.clock().instant();
        List<String> includes = new ArrayList<>(o.onlyInclude() ? List.of() : request.includes());
        o.includes().stream().filter(i -> !includes.contains(i)).forEach(includes::add);
        List<String> excludeGlobs = new ArrayList<>(request.excludes());
        excludeGlobs.addAll(o.excludes());
        o.excludeMountpoints().forEach(m -> excludeGlobs.add(m.replaceAll("/+$", "") + "/*"));
        Predicate<String> excluded = Glob.any(excludeGlobs).or(storeExclusion(request.sourceRoot(), o.store()));
        List<Diagnostic> warnings = new ArrayList<>();
        List<Manifest.Line> lines = new ArrayList<>();
        long[] counts = new long[3]; // files, bytes, bytes at last progress report
        context.progress().report(Progress.phase("backing up " + includes + " to " + archive));
        context.log().info("backing up " + includes + " of " + request.sourceRoot() + " to " + archive + " (" + o.compression() + ")");
        boolean committed = false;
        try {
            TargetSpace.checkWritable(dir, o.url().text());
            TargetSpace.checkSpace(dir, o.url().text(), TargetSpace.estimate(request.sourceRoot(), coveringFirst(includes), excluded,
                    o.compression(), previousManifest(manifest)));
            MessageDigest md = TarWriter.sha256();
            long archiveBytes;
            try (OutputStream file = Files.newOutputStream(partial);
                 DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 1 << 20), md);
                 OutputStream compressed = compressor(digest, o);
                 TarWriter writer = new TarWriter(compressed, new TarWriter.Listener() {
                     @Override
                     public void written(TarWriter.Written w) {
                         lines.add(new Manifest.Line(w.type(), w.size(), w.sha256(), w.name()));
                         counts[0]++;
                         counts[1] += w.size();
                         if (counts[1] - counts[2] >= PROGRESS_BYTES || counts[0] % 1000 == 0) {
                             counts[2] = counts[1];
                             context.progress().report(Progress.of("backing up", counts[1], counts[0]));
                         }
                     }

                     @Override
                     public void warning(String message) {
                         warnings.add(Diagnostic.warning(message));
                         context.log().warn(message);
                     }
                 })) {
                for (String include : coveringFirst(includes)) {
                    Path from = resolveInside(request.sourceRoot(), include);
                    if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                        throw new ProviderException(Kind.NOT_FOUND, "the include " + include + " does not exist under " + request.sourceRoot());
                    }
                    String name = request.sourceRoot().relativize(from).toString();
                    writer.addTree(from, name, excluded, context::checkCancelled);
                }
                writer.finish();
            }
            archiveBytes = Files.size(partial);
            String archiveSha = HexFormat.of().formatHex(md.digest());
            Files.deleteIfExists(manifest); // never an old manifest beside a new archive
            new Manifest(created, o.archiveName(), lines, archiveBytes, archiveSha).write(partialManifest);
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partialManifest, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
            String manifestSha;
            try (InputStream in = Files.newInputStream(manifest)) {
                manifestSha = TarWriter.sha256(in);
            }
            context.progress().report(new Progress("backup complete", counts[1], counts[1], counts[0], counts[0]));
            BackupResult.Builder result = BackupResult.builder(created.toString(), created).written(archive.toString()).written(manifest.toString())
                    .counts(counts[0], counts[1]).contentSha256(archiveSha).manifestSha256(manifestSha)
                    .fact("archive", archive.toString()).fact("archiveBytes", Long.toString(archiveBytes)).fact("compression", o.compression());
            warnings.forEach(result::warning);
            return result.build();
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "backup to " + archive + " failed: " + e.getMessage(), e);
        } finally {
            if (!committed) {
                deleteQuietly(partial);
                deleteQuietly(partialManifest);
            }
        }
    }

    private static @org.jspecify.annotations.Nullable Manifest previousManifest(Path manifest) {
        try {
            return Files.isRegularFile(manifest) ? Manifest.read(manifest) : null;
        } catch (IOException | RuntimeException e) {
            return null; // a damaged manifest is replaced; it just teaches nothing about the ratio
        }
    }

    private static Predicate<String> storeExclusion(Path sourceRoot, Path store) {
        Path real;
        try {
            real = store.toRealPath();
        } catch (IOException e) {
            real = store;
        }
        Path src;
        try {
            src = sourceRoot.toRealPath();
        } catch (IOException e) {
            src = sourceRoot;
        }
        if (!real.startsWith(src) || real.equals(src)) {
            return p -> false;
        }
        String seen = "/" + src.relativize(real);
        return p -> p.equals(seen);
    }

    /** Includes with those inside an earlier (or broader) one dropped, so nothing is archived twice. */
    private static List<String> coveringFirst(List<String> includes) {
        List<String> out = new ArrayList<>();
        for (String i : includes) {
            String norm = i.equals("/") ? "/" : i.replaceAll("/+$", "");
            boolean covered = includes.stream().map(x -> x.equals("/") ? "/" : x.replaceAll("/+$", ""))
                    .anyMatch(x -> !x.equals(norm) && (x.equals("/") || norm.startsWith(x + "/")));
            if (!covered && !out.contains(norm)) {
                out.add(norm);
            }
        }
        return out;
    }

    private static Path resolveInside(Path root, String absolute) {
        Path p = root.resolve(absolute.substring(1)).normalize();
        if (!p.startsWith(root)) {
            throw new ProviderException(Kind.REFUSED, absolute + " leads out of " + root);
        }
        return p;
    }

    private static OutputStream compressor(OutputStream out, TarOptions o) throws IOException {
        switch (o.compression()) {
            case "zstd" -> {
                ZstdOutputStream z = new ZstdOutputStream(out, o.level());
                z.setChecksum(true);
                if (o.workers() > 0) {
                    z.setWorkers(o.workers());
                }
                return z;
            }
            case "gzip" -> {
                return new GZIPOutputStream(out, 1 << 16) {
                    {
                        def.setLevel(o.level());
                    }
                };
            }
            default -> {
                return new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }
                };
            }
        }
    }

    /** Decompresses by the magic bytes: zstd, gzip, or plain tar. */
    static InputStream decompressor(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 20);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new BufferedInputStream(new ZstdInputStream(in), 1 << 20);
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 20);
        }
        return in;
    }

    // ------------------------------------------------------------------------------------ archive lookup

    private record Found(Path archive, Path manifestFile, Manifest manifest) {
        String id() {
            return manifest.created().toString();
        }
    }

    private static Found find(TarOptions o, RestorePointSelector selector) {
        Path dir = o.directory();
        List<Found> found = new ArrayList<>();
        for (String suffix : List.of(".zst", ".gz", "")) {
            Path archive = dir.resolve("backup.tar" + suffix);
            Path manifest = dir.resolve("backup.tar" + suffix + ".manifest");
            if (Files.isRegularFile(manifest)) {
                try {
                    found.add(new Found(archive, manifest, Manifest.read(manifest)));
                } catch (IOException | RuntimeException e) {
                    throw new ProviderException(Kind.FAILED, "cannot read the manifest " + manifest + ": " + e.getMessage(), e);
                }
            }
        }
        found.sort(java.util.Comparator.comparing(f -> f.manifest().created()));
        if (selector.asOf() != null) {
            throw ProviderException.unsupported(ID, "point-in-time restore");
        }
        if (selector.id() != null) {
            return found.stream().filter(f -> f.id().equals(selector.id())).findFirst().orElseThrow(() ->
                    new ProviderException(Kind.NOT_FOUND, "there is no backup " + selector.id() + " in " + dir));
        }
        if (found.isEmpty()) {
            throw new ProviderException(Kind.NOT_FOUND, "there is no backup (backup.tar.* with its manifest) in " + dir);
        }
        return found.get(found.size() - 1);
    }

    // ------------------------------------------------------------------------------------ verify

    @Override
    public VerifyResult verify(VerifyRequest request, ProviderContext context) {
        return onTarget(context, o -> verifyAt(request, context, o));
    }

    private VerifyResult verifyAt(VerifyRequest request, ProviderContext context, TarOptions o) {
        Found f = find(o, request.restorePoint());
        context.progress().report(Progress.phase("verifying " + f.archive()));
        List<Diagnostic> findings = new ArrayList<>();
        List<Manifest.Line> expected = f.manifest().entries();
        int index = 0;
        long bytes = 0;
        TarReader reader = null;
        try (ArchiveInput input = new ArchiveInput(f.archive())) {
            reader = new TarReader(input.stream());
            for (TarReader.Entry e; (e = reader.next()) != null; ) {
                context.checkCancelled();
                String path = shown(e.name());
                String sha = "-";
                if (e.type() == '0') {
                    sha = reader.contentSha256();
                }
                long size = e.type() == '0' ? e.size() : 0;
                if (index >= expected.size()) {
                    findings.add(Diagnostic.error("entry " + path + " is in the archive but not in the manifest (" + expected.size() + " entries)"));
                    break;
                }
                Manifest.Line want = expected.get(index++);
                if (!want.path().equals(path) || want.type() != e.type() || want.size() != size || !want.sha256().equals(sha)) {
                    findings.add(Diagnostic.error("entry " + path + " does not match the manifest: expected " + want.format().replace('\t', ' ')
                            + ", found " + e.type() + " " + size + " " + sha + " " + path));
                    break;
                }
                bytes += size;
                if (index % 1000 == 0) {
                    context.progress().report(new Progress("verifying", bytes, null, index, (long) expected.size()));
                }
            }
            if (findings.isEmpty() && index < expected.size()) {
                findings.add(Diagnostic.error("the archive ends after " + index + " entries; the manifest lists " + expected.size()
                        + ", the first missing is " + expected.get(index).path()));
            }
            if (findings.isEmpty()) {
                String sha = input.finish();
                if (!sha.equals(f.manifest().archiveSha256())) {
                    findings.add(Diagnostic.error("the archive " + f.archive() + " has SHA-256 " + sha + ", the manifest says "
                            + f.manifest().archiveSha256()));
                }
            }
        } catch (ProviderException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String at = reader == null || reader.currentName() == null ? "its start" : "entry " + shown(reader.currentName());
            findings.add(Diagnostic.error("the archive " + f.archive() + " is damaged at " + at + ": " + e.getMessage()));
        }
        context.progress().report(new Progress("verify complete", bytes, bytes, index, (long) expected.size()));
        return new VerifyResult(f.id(), VerifyResult.Depth.CONTENT, findings,
                Map.of("entries", Integer.toString(expected.size()), "archive", f.archive().toString()));
    }

    static String shown(String name) {
        try {
            List<String> c = Extractor.components(name);
            return "/" + String.join("/", c);
        } catch (ProviderException e) {
            return name;
        }
    }

    // ------------------------------------------------------------------------------------ restore

    @Override
    public RestoreResult restore(RestoreRequest request, ProviderContext context) {
        if (request.restorePoint().asOf() != null) {
            throw ProviderException.unsupported(ID, "point-in-time restore");
        }
        if (request.isSelective()) {
            throw ProviderException.unsupported(ID, "selective restore (paths or excludes)");
        }
        TargetRoots.requireRestorable(request.targetRoot(), request.overwrite());
        return onTarget(context, o -> restoreAt(request, context, o));
    }

    private RestoreResult restoreAt(RestoreRequest request, ProviderContext context, TarOptions o) {
        Found f = find(o, request.restorePoint());
        Map<String, Manifest.Line> expected = f.manifest().byPath();
        List<Diagnostic> warnings = new ArrayList<>();
        Extractor x = new Extractor(request.targetRoot(), Posix.isRoot(), w -> {
            warnings.add(Diagnostic.warning(w));
            context.log().warn(w);
        });
        context.progress().report(Progress.phase("restoring " + f.archive() + " into " + request.targetRoot()));
        context.log().info("restoring " + f.archive() + " (" + f.id() + ") into " + request.targetRoot());
        long files = 0;
        long bytes = 0;
        long reported = 0;
        TarReader reader = null;
        String sha;
        try (ArchiveInput input = new ArchiveInput(f.archive())) {
            reader = new TarReader(input.stream());
            for (TarReader.Entry e; (e = reader.next()) != null; ) {
                context.checkCancelled();
                Extractor.Done done = x.extract(e, reader);
                Manifest.Line want = expected.get(done.name());
                if (done.type() == '0' && (want == null || !want.sha256().equals(done.sha256()))) {
                    throw new ProviderException(Kind.FAILED, "entry " + done.name() + " restored with SHA-256 " + done.sha256()
                            + " but the manifest " + (want == null ? "does not list it" : "says " + want.sha256())
                            + "; the archive is damaged and the target root holds an incomplete restore");
                }
                files++;
                bytes += done.size();
                if (bytes - reported >= PROGRESS_BYTES || files % 1000 == 1) {
                    reported = bytes;
                    context.progress().report(Progress.of("restoring", bytes, files));
                }
            }
            x.finish();
            sha = input.finish();
        } catch (IOException e) {
            String at = reader == null || reader.currentName() == null ? "its start" : "entry " + shown(reader.currentName());
            throw new ProviderException(Kind.FAILED, "restore from " + f.archive() + " stopped at " + at + ": " + e.getMessage()
                    + "; the target root holds an incomplete restore", e);
        }
        if (!sha.equals(f.manifest().archiveSha256())) {
            throw new ProviderException(Kind.FAILED, "the archive " + f.archive() + " read with SHA-256 " + sha + ", the manifest says "
                    + f.manifest().archiveSha256() + "; treat the restore as incomplete");
        }
        if (files != f.manifest().entries().size()) {
            throw new ProviderException(Kind.FAILED, "restored " + files + " entries, the manifest lists " + f.manifest().entries().size());
        }
        context.progress().report(new Progress("restore complete", bytes, bytes, files, files));
        RestoreResult.Builder result = RestoreResult.builder(f.id()).restorePointTime(f.manifest().created()).restored("/")
                .counts(files, bytes).contentSha256(sha);
        warnings.forEach(result::warning);
        return result.build();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a .partial file left behind is never taken for a backup
        }
    }
}
