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
import dev.rear.api.spi.RestorePoint;
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
 * file's SHA-256 against the manifest as it goes. Before writing, the target is checked to take a
 * file and to have room for the estimated archive ({@link TargetSpace}).
 *
 * <p>{@code BACKUP_TYPE=incremental} or {@code differential} (or a request of that kind) writes a
 * chain instead ({@link Chain}): dated {@code -F}/{@code -I}/{@code -D} archives kept side by side,
 * each manifest naming its base archive and that archive's SHA-256 and listing the paths deleted
 * since it; what changed is found by inode, size, mtime and ctime ({@link TreeIndex}). Every archive
 * of a chain is a restore point ({@link #listRestorePoints}); restoring one (by id, by time, or the
 * latest) first checks every link of its chain — present, the very archive its successor was based
 * on, and its SHA-256 as its manifest says — and refuses, naming the archive, before anything is
 * written; then applies the full archive and each later one in order, deletions first. Every
 * operation, the chain's look at earlier archives included, runs with the target mounted.
 *
 * <p>File names are bytes: one that is not UTF-8 is archived byte for byte with PAX
 * {@code hdrcharset=BINARY}, as GNU tar does, and restored byte for byte from rear's or GNU tar's
 * archives ({@link Names}). Not implemented: selective restore; it is refused as unsupported.
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
        return EnumSet.of(Capability.BACKUP, Capability.RESTORE, Capability.VERIFY, Capability.INCREMENTAL, Capability.DIFFERENTIAL,
                Capability.POINT_IN_TIME, Capability.LIST_RESTORE_POINTS);
    }

    @Override
    public List<Diagnostic> validate(ProviderSettings settings) {
        List<Diagnostic> out = new ArrayList<>(TarOptions.validate(settings));
        Chain.validate(settings, out);
        return out;
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
        return onTarget(context, o -> {
            if (!Chain.chained(context.settings(), request.kind())) {
                return write(request, context, o, o.archiveName(), null);
            }
            return chainBackup(request, context, o);
        });
    }

    // ---- BACKUP_TYPE=incremental|differential (see Chain)

    /** What a chained backup builds on: the decision, the base's index (null for a full backup). */
    private record Link(Chain.Decision decision, @org.jspecify.annotations.Nullable TreeIndex baseIndex) {}

    private BackupResult chainBackup(BackupRequest request, ProviderContext context, TarOptions o) {
        Path dir = o.directory();
        List<Chain.Point> points = Chain.scan(dir, context.log()::warn);
        java.time.ZonedDateTime now = context.clock().instant().atZone(Chain.zone());
        TreeIndex[] index = new TreeIndex[1];
        java.util.function.Predicate<Chain.Point> usable = p -> {
            try {
                index[0] = TreeIndex.read(p.index(), p.manifest().indexSha256());
                return true;
            } catch (IOException | RuntimeException e) {
                context.log().warn("the index of " + p.name() + " cannot be used: " + e.getMessage());
                return false;
            }
        };
        Chain.Decision d;
        if (request.baseRestorePointId() != null) {
            Chain.Point base = points.stream().filter(p -> p.id().equals(request.baseRestorePointId())).findFirst().orElseThrow(() ->
                    new ProviderException(Kind.NOT_FOUND, "there is no backup " + request.baseRestorePointId() + " in " + dir + " to build on"));
            Chain.links(base, points, true);
            if (!base.manifest().chained() || !usable.test(base)) {
                throw new ProviderException(Kind.REFUSED, "the backup " + base.id() + " has no usable index (it is not part of a chain),"
                        + " so nothing can be based on it");
            }
            d = new Chain.Decision(request.kind(), base, "a " + Chain.kindName(request.kind()) + " backup based on " + base.name() + ", as asked");
        } else {
            d = Chain.decide(request.kind(), points, now, context.settings(), usable);
        }
        context.log().info("BACKUP_TYPE: " + d.why());
        String name = Chain.newName(dir, now, d.kind(), o.archiveName().substring("backup".length()));
        return write(request, context, o, name, new Link(d, d.base() == null ? null : index[0]));
    }

    // ---- end of BACKUP_TYPE

    private BackupResult write(BackupRequest request, ProviderContext context, TarOptions o, String archiveName,
                               @org.jspecify.annotations.Nullable Link link) {
        Path dir = o.directory();
        Path archive = dir.resolve(archiveName);
        Path manifest = dir.resolve(archiveName + ".manifest");
        Path partial = dir.resolve(archiveName + ".partial");
        Path partialManifest = dir.resolve(archiveName + ".manifest.partial");
        Path index = dir.resolve(archiveName + ".index");
        Path partialIndex = dir.resolve(archiveName + ".index.partial");
        TreeIndex seen = link == null ? null : new TreeIndex();
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
            // a chained backup is estimated as it will be written: only what changed since its base, compressed as the base was
            Chain.Point chainBase = link == null ? null : link.decision().base();
            List<String> covering = coveringFirst(request.sourceRoot(), includes);
            context.log().info(TargetSpace.checkRoom(dir, o.url().text(), request.sourceRoot(), covering,
                    () -> TargetSpace.estimate(request.sourceRoot(), covering, excluded, o.compression(),
                            link == null ? previousManifest(manifest) : chainBase == null ? null : chainBase.manifest(),
                            link == null ? null : link.baseIndex())));
            MessageDigest md = TarWriter.sha256();
            long archiveBytes;
            try (OutputStream file = Files.newOutputStream(partial);
                 DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 1 << 20), md);
                 OutputStream compressed = new ArchiveOutput(compressor(digest, o)); // compressed, hashed and written on a thread of its own
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
                if (seen != null) {
                    TreeIndex base = link.baseIndex();
                    writer.select((path, name) -> {
                        TreeIndex.Stat st = TreeIndex.stat(path);
                        String p = name.isEmpty() ? "/" : "/" + name;
                        seen.put(p, st);
                        return base == null || base.changed(p, st);
                    });
                }
                for (String include : includes) {
                    Path from = resolveInside(request.sourceRoot(), include.equals("/") ? "/" : include.replaceAll("/+$", ""));
                    if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                        throw new ProviderException(Kind.NOT_FOUND, "the include " + include + " does not exist under " + request.sourceRoot());
                    }
                }
                for (Walk walk : walks(request.sourceRoot(), includes)) {
                    Path from = resolveInside(request.sourceRoot(), walk.include());
                    String name = request.sourceRoot().relativize(from).toString();
                    writer.addTree(from, name, excluded, context::checkCancelled, walk.topWritten());
                }
                writer.finish();
            }
            // The walk can end well before the archive thread has written everything it queued: an
            // interruption meanwhile must still stop the backup before it is committed.
            context.checkCancelled();
            archiveBytes = Files.size(partial);
            String archiveSha = HexFormat.of().formatHex(md.digest());
            Files.deleteIfExists(manifest); // never an old manifest beside a new archive
            Manifest m;
            if (link == null) {
                m = new Manifest(created, archiveName, lines, archiveBytes, archiveSha);
            } else {
                Chain.Point base = link.decision().base();
                String indexSha = seen.write(partialIndex);
                List<String> deleted = link.baseIndex() == null ? List.of() : link.baseIndex().deletedSince(seen);
                m = new Manifest(created, archiveName, lines, archiveBytes, archiveSha, link.decision().kind(),
                        base == null ? null : base.name(), base == null ? null : base.manifest().archiveSha256(), indexSha, deleted);
                Files.move(partialIndex, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            m.write(partialManifest);
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partialManifest, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
            String manifestSha;
            try (InputStream in = Files.newInputStream(manifest)) {
                manifestSha = TarWriter.sha256(in);
            }
            context.progress().report(new Progress("backup complete", counts[1], counts[1], counts[0], counts[0]));
            String id = link == null ? created.toString() : Chain.id(archiveName);
            BackupResult.Builder result = BackupResult.builder(id, created).written(archive.toString()).written(manifest.toString())
                    .counts(counts[0], counts[1]).contentSha256(archiveSha).manifestSha256(manifestSha)
                    .fact("archive", archive.toString()).fact("archiveBytes", Long.toString(archiveBytes)).fact("compression", o.compression());
            if (link != null) {
                Chain.Decision d = link.decision();
                result.kind(d.kind(), d.base() == null ? null : d.base().id()).written(index.toString()).fact("decision", d.why())
                        .fact("deleted", Integer.toString(m.deleted().size()));
                if (d.kind() != request.kind()) {
                    result.warning(Diagnostic.warning(d.why()));
                }
            }
            warnings.forEach(result::warning);
            return result.build();
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "backup to " + archive + " failed: " + e.getMessage(), e);
        } finally {
            if (!committed) {
                deleteQuietly(partial);
                deleteQuietly(partialManifest);
                deleteQuietly(partialIndex);
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
    /** An include to walk: its absolute path, and whether the walk of a covering include writes its own entry already. */
    record Walk(String include, boolean topWritten) {}

    /**
     * The walks that back up {@code includes} once each: an include below another one is left out
     * when the other one's walk reaches it — on the same filesystem, every directory in between
     * too — and walked on its own when a mount point is in between, since walks do not cross into
     * other filesystems ({@code --one-file-system}): ReaR's includes are the layout's mount points,
     * so {@code /boot} and {@code /var} below {@code /} are walks of their own (their mount point
     * directory itself, whose stat is the mounted filesystem's root, comes from the walk above).
     */
    static List<Walk> walks(Path sourceRoot, List<String> includes) {
        List<String> norms = new ArrayList<>();
        for (String i : includes) {
            String norm = i.equals("/") ? "/" : i.replaceAll("/+$", "");
            if (!norms.contains(norm)) {
                norms.add(norm);
            }
        }
        // covering includes first, so that the order of the archive is the order of a walk from the top
        norms.sort(java.util.Comparator.comparingInt((String x) -> x.equals("/") ? 0 : x.split("/").length).thenComparing(x -> x));
        List<Walk> out = new ArrayList<>();
        for (String norm : norms) {
            String covering = null;
            for (String x : norms) {
                if (!x.equals(norm) && (x.equals("/") || norm.startsWith(x + "/")) && (covering == null || x.length() > covering.length())) {
                    covering = x;
                }
            }
            if (covering == null) {
                out.add(new Walk(norm, false));
                continue;
            }
            // where the covering walk stops on the way down to norm: the first directory on another filesystem
            Path top = resolveInside(sourceRoot, covering);
            Object dev = device(top);
            String reached = null;
            Path p = top;
            String rest = covering.equals("/") ? norm.substring(1) : norm.substring(covering.length() + 1);
            for (String part : rest.split("/")) {
                p = p.resolve(part);
                if (dev == null || !dev.equals(device(p))) {
                    reached = sourceRoot.relativize(p).toString();
                    break;
                }
            }
            if (reached == null) {
                continue; // the covering walk goes through it
            }
            out.add(new Walk(norm, ("/" + reached).equals(norm)));
        }
        return out;
    }

    private static @org.jspecify.annotations.Nullable Object device(Path p) {
        try {
            return Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static List<String> coveringFirst(Path sourceRoot, List<String> includes) {
        return walks(sourceRoot, includes).stream().map(Walk::include).toList();
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

    // ------------------------------------------------------------------------------------ restore points

    @Override
    public List<RestorePoint> listRestorePoints(ProviderContext context) {
        return onTarget(context, o -> restorePointsAt(context, o));
    }

    private List<RestorePoint> restorePointsAt(ProviderContext context, TarOptions o) {
        List<Chain.Point> points = Chain.scan(o.directory(), context.log()::warn);
        List<RestorePoint> out = new ArrayList<>();
        for (Chain.Point p : points) {
            List<Chain.Point> links;
            try {
                links = Chain.links(p, points, true);
            } catch (ProviderException e) {
                context.log().warn("not restorable, left out of the restore points: " + e.getMessage());
                continue;
            }
            Manifest m = p.manifest();
            String basedOn = links.size() > 1 ? links.get(links.size() - 2).id() : null;
            String what = Chain.kindName(p.kind()) + " backup " + p.name() + ", " + m.entries().size() + " entries"
                    + (m.deleted().isEmpty() ? "" : ", " + m.deleted().size() + " deleted")
                    + (basedOn == null ? "" : ", based on " + basedOn + " (a chain of " + links.size() + " archives)");
            out.add(new RestorePoint(p.id(), m.created(), p.kind(), basedOn, List.of(), m.archiveBytes(), what)); // includes are not recorded
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ verify

    @Override
    public VerifyResult verify(VerifyRequest request, ProviderContext context) {
        return onTarget(context, o -> verifyAt(request, context, o));
    }

    private VerifyResult verifyAt(VerifyRequest request, ProviderContext context, TarOptions o) {
        List<Chain.Point> points = Chain.scan(o.directory(), context.log()::warn);
        Chain.Point f = Chain.select(points, request.restorePoint(), o.directory());
        List<Diagnostic> findings = new ArrayList<>();
        List<Chain.Point> links;
        try {
            links = Chain.links(f, points, false); // sizes and contents: verifyArchive names the entry
        } catch (ProviderException e) {
            findings.add(Diagnostic.error(e.getMessage()));
            links = List.of();
        }
        long entries = 0;
        for (Chain.Point link : links) {
            entries += link.manifest().entries().size();
            findings.addAll(verifyArchive(link, context));
            if (!findings.isEmpty()) {
                break;
            }
        }
        return new VerifyResult(f.id(), VerifyResult.Depth.CONTENT, findings,
                Map.of("entries", Long.toString(entries), "archive", f.archive().toString(), "archives", Integer.toString(links.size())));
    }

    private List<Diagnostic> verifyArchive(Chain.Point f, ProviderContext context) {
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
                    // a sparse file in a manifest from before sparse hashes: its whole content's hash, not taken for damage
                    sha = reader.contentSha256(e.sparse() != null && index < expected.size()
                            && TarWriter.wholeContentHash(expected.get(index).sha256()));
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
        return findings;
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
        if (request.isSelective()) {
            throw ProviderException.unsupported(ID, "selective restore (paths or excludes)");
        }
        TargetRoots.requireRestorable(request.targetRoot(), request.overwrite());
        return onTarget(context, o -> restoreAt(request, context, o));
    }

    private RestoreResult restoreAt(RestoreRequest request, ProviderContext context, TarOptions o) {
        List<Chain.Point> points = Chain.scan(o.directory(), context.log()::warn);
        Chain.Point f = Chain.select(points, request.restorePoint(), o.directory());
        List<Chain.Point> links = Chain.links(f, points, false); // sizes and contents: verifyArchive names the entry
        if (links.size() > 1) { // every link read and checked before the first byte is written
            context.progress().report(Progress.phase("checking the " + links.size() + " archives of the chain of " + f.name()));
            Chain.checkHashes(links, context::checkCancelled);
        }
        List<Diagnostic> warnings = new ArrayList<>();
        Extractor x = new Extractor(request.targetRoot(), Posix.isRoot(), w -> {
            warnings.add(Diagnostic.warning(w));
            context.log().warn(w);
        });
        long[] counts = new long[3]; // files, bytes, bytes at last progress report
        String sha = null;
        for (Chain.Point link : links) {
            context.progress().report(Progress.phase("restoring " + link.archive() + " into " + request.targetRoot()));
            context.log().info("restoring " + link.archive() + " (" + link.id() + (links.size() > 1 ? ", " + (links.indexOf(link) + 1) + " of "
                    + links.size() + " in the chain of " + f.id() : "") + ") into " + request.targetRoot());
            for (String gone : link.manifest().deleted()) {
                context.checkCancelled();
                x.delete(gone);
            }
            sha = extractArchive(link, x, context, counts);
        }
        x.finish();
        context.progress().report(new Progress("restore complete", counts[1], counts[1], counts[0], counts[0]));
        RestoreResult.Builder result = RestoreResult.builder(f.id()).restorePointTime(f.manifest().created()).restored("/")
                .counts(counts[0], counts[1]).contentSha256(sha);
        warnings.forEach(result::warning);
        return result.build();
    }

    /** Extracts one archive, checking every regular file against its manifest and the archive's SHA-256; returns that. */
    private static String extractArchive(Chain.Point f, Extractor x, ProviderContext context, long[] counts) {
        Map<String, Manifest.Line> expected = f.manifest().byPath();
        long files = 0;
        TarReader reader = null;
        String sha;
        try (ArchiveInput input = new ArchiveInput(f.archive())) {
            reader = new TarReader(input.stream());
            for (TarReader.Entry e; (e = reader.next()) != null; ) {
                context.checkCancelled();
                Manifest.Line recorded = e.type() == '0' && e.sparse() != null ? expected.get(shown(e.name())) : null;
                // a sparse file in a manifest from before sparse hashes: its whole content's hash, not taken for damage
                Extractor.Done done = x.extract(e, reader, recorded != null && TarWriter.wholeContentHash(recorded.sha256()));
                Manifest.Line want = expected.get(done.name());
                if (done.type() == '0' && (want == null || !want.sha256().equals(done.sha256()))) {
                    throw new ProviderException(Kind.FAILED, "entry " + done.name() + " restored with SHA-256 " + done.sha256()
                            + " but the manifest " + (want == null ? "does not list it" : "says " + want.sha256())
                            + "; the archive " + f.archive() + " is damaged and the target root holds an incomplete restore");
                }
                files++;
                counts[0]++;
                counts[1] += done.size();
                if (counts[1] - counts[2] >= PROGRESS_BYTES || counts[0] % 1000 == 1) {
                    counts[2] = counts[1];
                    context.progress().report(Progress.of("restoring", counts[1], counts[0]));
                }
            }
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
            throw new ProviderException(Kind.FAILED, "restored " + files + " entries from " + f.archive() + ", the manifest lists "
                    + f.manifest().entries().size());
        }
        return sha;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a .partial file left behind is never taken for a backup
        }
    }
}
