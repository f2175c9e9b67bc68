package dev.rear.testkit.example;

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
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.TargetRoots;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An example provider that proves the SPI and the kit end to end without the weight of a real
 * archive format: each backup is a plain copy of the tree (regular files, directories, symbolic
 * links, permissions and modification times, with java.nio) in its own directory under
 * {@code BACKUP_URL}, with a manifest of SHA-256 sums that {@code verify} reads back. Test scope
 * only; registered through {@code META-INF/services} so the engine's registry tests find it.
 *
 * <p>Settings: {@code BACKUP_URL} ({@code file:///absolute/dir}, existing), {@code DIRCOPY_KEEP}
 * (how many restore points to keep, a positive integer, default all), and the secret
 * {@code DIRCOPY_PASSPHRASE} (at least 12 characters; stands in for an encryption key: checked,
 * never copied into the rescue system, never logged).
 *
 * <p>A backup is written to {@code <id>.partial} and renamed to {@code <id>} when complete, so an
 * interrupted backup is never taken for a restore point.
 */
public final class DirectoryCopyProvider implements BackupProvider {

    static final String ID = "dircopy";
    static final String URL = "BACKUP_URL";
    static final String KEEP = "DIRCOPY_KEEP";
    static final String PASSPHRASE = "DIRCOPY_PASSPHRASE";

    private static final Pattern POINT = Pattern.compile("point-\\d{4,}");
    private static final String TREE = "tree";
    private static final String MANIFEST = "MANIFEST";
    private static final String CREATED = "CREATED";
    private static final String INCLUDES = "INCLUDES";

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
        return EnumSet.of(Capability.BACKUP, Capability.RESTORE, Capability.LIST_RESTORE_POINTS, Capability.VERIFY,
                Capability.POINT_IN_TIME, Capability.SELECTIVE_RESTORE);
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of(PASSPHRASE);
    }

    @Override
    public List<Diagnostic> validate(ProviderSettings settings) {
        List<Diagnostic> out = new ArrayList<>();
        Optional<String> url = settings.get(URL);
        if (url.isEmpty()) {
            out.add(Diagnostic.error(URL, URL + " is not set; set it to file:///a/directory"));
        } else {
            try {
                URI uri = new URI(url.get());
                if (!"file".equals(uri.getScheme())) {
                    out.add(Diagnostic.error(URL, URL + "=" + url.get() + " has the scheme '" + uri.getScheme()
                            + "'; this provider writes to file:// only"));
                } else if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    out.add(Diagnostic.error(URL, URL + "=" + url.get() + " needs an absolute path (file:///dir)"));
                } else if (!Files.isDirectory(Path.of(uri.getPath()))) {
                    out.add(Diagnostic.error(URL, URL + "=" + url.get() + ": the directory " + uri.getPath() + " does not exist"));
                }
            } catch (java.net.URISyntaxException e) {
                out.add(Diagnostic.error(URL, URL + "=" + url.get() + " is not a URL: " + e.getReason()));
            }
        }
        Optional<String> keep = settings.get(KEEP);
        if (keep.isPresent() && !keep.get().matches("[1-9]\\d{0,5}")) {
            out.add(Diagnostic.error(KEEP, KEEP + "=" + keep.get() + " must be a positive whole number of restore points"));
        }
        Optional<String> passphrase = settings.get(PASSPHRASE);
        if (passphrase.isPresent() && passphrase.get().length() < 12) {
            out.add(Diagnostic.error(PASSPHRASE, PASSPHRASE + " is shorter than 12 characters"));
        }
        return out;
    }

    @Override
    public RescueRequirements rescueRequirements(ProviderContext context) {
        RescueRequirements.Builder b = RescueRequirements.builder().variable("DIRCOPY_URL", settings(context).get(URL).orElseThrow());
        if (context.settings().get(PASSPHRASE).isPresent()) {
            b.secretVariable(PASSPHRASE);
        }
        return b.build();
    }

    @Override
    public BackupResult backup(BackupRequest request, ProviderContext context) {
        if (request.kind() != BackupKind.FULL) {
            throw ProviderException.unsupported(ID, request.kind().name().toLowerCase(java.util.Locale.ROOT) + " backups");
        }
        context.checkCancelled();
        Path store = store(settings(context));
        String id = nextId(store);
        Path partial = store.resolve(id + ".partial");
        Path point = store.resolve(id);
        Instant created = context.clock().instant();
        context.progress().report(Progress.phase("copying " + request.includes()));
        context.log().info("backing up " + request.includes() + " of " + request.sourceRoot() + " to " + point);
        boolean committed = false;
        try {
            Path tree = Files.createDirectories(partial.resolve(TREE));
            Copier copier = new Copier(context, "backing up", matchers(request.excludes()), false);
            for (String include : request.includes()) {
                Path from = resolve(request.sourceRoot(), include);
                if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ProviderException(Kind.NOT_FOUND, "the include " + include + " does not exist under " + request.sourceRoot());
                }
                copier.copy(from, resolve(tree, include), include);
            }
            Files.write(partial.resolve(MANIFEST), manifest(tree));
            Files.writeString(partial.resolve(CREATED), created.toString());
            Files.write(partial.resolve(INCLUDES), request.includes());
            Files.move(partial, point, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
            prune(store, settings(context), context);
            context.progress().report(new Progress("backup complete", copier.bytes, copier.bytes, copier.files, copier.files));
            BackupResult.Builder result = BackupResult.builder(id, created).written(point.toString())
                    .counts(copier.files, copier.bytes).manifestSha256(sha256(point.resolve(MANIFEST)));
            copier.warnings.forEach(result::warning);
            return result.build();
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "backup to " + point + " failed: " + e.getMessage(), e);
        } finally {
            if (!committed) {
                deleteQuietly(partial);
            }
        }
    }

    @Override
    public List<RestorePoint> listRestorePoints(ProviderContext context) {
        context.checkCancelled();
        return points(store(settings(context)));
    }

    @Override
    public VerifyResult verify(VerifyRequest request, ProviderContext context) {
        context.checkCancelled();
        Path store = store(settings(context));
        RestorePoint point = resolve(store, request.restorePoint());
        context.progress().report(Progress.phase("verifying " + point.id()));
        Path dir = store.resolve(point.id());
        try {
            List<String> expected = Files.readAllLines(dir.resolve(MANIFEST));
            List<String> actual = manifest(dir.resolve(TREE));
            List<Diagnostic> findings = new ArrayList<>();
            for (String line : expected) {
                if (!actual.contains(line)) {
                    findings.add(Diagnostic.error("entry changed or missing since the backup: " + line.substring(line.indexOf(' ') + 1)));
                    break; // the first bad entry is what the administrator needs
                }
            }
            if (findings.isEmpty() && actual.size() != expected.size()) {
                findings.add(Diagnostic.error("the copy holds " + actual.size() + " entries, the manifest " + expected.size()));
            }
            return new VerifyResult(point.id(), VerifyResult.Depth.CONTENT, findings, Map.of("entries", String.valueOf(expected.size())));
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "cannot read restore point " + point.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RestoreResult restore(RestoreRequest request, ProviderContext context) {
        TargetRoots.requireRestorable(request.targetRoot(), request.overwrite());
        context.checkCancelled();
        Path store = store(settings(context));
        RestorePoint point = resolve(store, request.restorePoint());
        Path tree = store.resolve(point.id()).resolve(TREE);
        List<String> paths = request.paths().isEmpty() ? List.of("/") : request.paths();
        context.log().info("restoring " + paths + " of " + point.id() + " into " + request.targetRoot());
        Copier copier = new Copier(context, "restoring", matchers(request.excludes()), true);
        RestoreResult.Builder result = RestoreResult.builder(point.id()).restorePointTime(point.createdAt());
        try {
            for (String path : paths) {
                Path from = resolve(tree, path);
                if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ProviderException(Kind.NOT_FOUND, "restore point " + point.id() + " holds no " + path);
                }
                context.progress().report(Progress.of("restoring " + path, copier.bytes, copier.files));
                copier.copy(from, resolve(request.targetRoot(), path), path);
                result.restored(path);
            }
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "restore into " + request.targetRoot() + " failed: " + e.getMessage(), e);
        }
        context.progress().report(new Progress("restore complete", copier.bytes, copier.bytes, copier.files, copier.files));
        copier.warnings.forEach(result::warning);
        return result.counts(copier.files, copier.bytes).build();
    }

    // ------------------------------------------------------------------------------------------

    private ProviderSettings settings(ProviderContext context) {
        List<Diagnostic> errors = validate(context.settings()).stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            throw new ProviderException(Kind.MISCONFIGURED, errors.get(0).message());
        }
        return context.settings();
    }

    private static Path store(ProviderSettings settings) {
        return Path.of(URI.create(settings.require(URL)).getPath());
    }

    /** {@code root} + an absolute path "as seen from root", never climbing out of it. */
    private static Path resolve(Path root, String absolute) {
        Path p = root.resolve(absolute.substring(1)).normalize();
        if (!p.startsWith(root)) {
            throw new ProviderException(Kind.REFUSED, absolute + " leads out of " + root);
        }
        return p;
    }

    private static String nextId(Path store) {
        int max = 0;
        try (Stream<Path> s = Files.list(store)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString().replace(".partial", "");
                if (POINT.matcher(name).matches()) {
                    max = Math.max(max, Integer.parseInt(name.substring("point-".length())));
                }
            }
        } catch (IOException e) {
            throw new ProviderException(Kind.UNREACHABLE, "cannot read the backup directory " + store + ": " + e.getMessage(), e);
        }
        return String.format("point-%04d", max + 1);
    }

    private static List<RestorePoint> points(Path store) {
        List<RestorePoint> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(store)) {
            for (Path p : s.filter(p -> POINT.matcher(p.getFileName().toString()).matches()).sorted().toList()) {
                Instant created = Instant.parse(Files.readString(p.resolve(CREATED)).strip());
                List<String> includes = Files.readAllLines(p.resolve(INCLUDES));
                long entries = Files.readAllLines(p.resolve(MANIFEST)).size();
                out.add(new RestorePoint(p.getFileName().toString(), created, BackupKind.FULL, null, includes, null,
                        "full copy of " + includes + ", " + entries + " entries"));
            }
        } catch (IOException | RuntimeException e) {
            throw new ProviderException(Kind.FAILED, "cannot list the restore points in " + store + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(RestorePoint::createdAt).thenComparing(RestorePoint::id));
        return out;
    }

    private static RestorePoint resolve(Path store, RestorePointSelector selector) {
        List<RestorePoint> points = points(store);
        if (selector.id() != null) {
            return points.stream().filter(p -> p.id().equals(selector.id())).findFirst().orElseThrow(() ->
                    new ProviderException(Kind.NOT_FOUND, "there is no restore point " + selector.id() + " in " + store));
        }
        Instant asOf = selector.asOf();
        List<RestorePoint> candidates = asOf == null ? points : points.stream().filter(p -> !p.createdAt().isAfter(asOf)).toList();
        if (candidates.isEmpty()) {
            throw new ProviderException(Kind.NOT_FOUND, "there is no restore point " + (asOf == null ? "" : "as old as " + asOf + " ") + "in " + store);
        }
        return candidates.get(candidates.size() - 1);
    }

    private static void prune(Path store, ProviderSettings settings, ProviderContext context) {
        Optional<String> keep = settings.get(KEEP);
        if (keep.isEmpty()) {
            return;
        }
        List<RestorePoint> points = points(store);
        for (int i = 0; i < points.size() - Integer.parseInt(keep.get()); i++) {
            context.log().info("removing old restore point " + points.get(i).id() + " (" + KEEP + "=" + keep.get() + ")");
            deleteQuietly(store.resolve(points.get(i).id()));
        }
    }

    /** {@code sha256 type path} per entry, sorted: what verify compares. */
    private static List<String> manifest(Path tree) throws IOException {
        Map<String, String> lines = new TreeMap<>();
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                lines.put(tree.relativize(dir).toString(), "- dir");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = tree.relativize(file).toString();
                if (attrs.isSymbolicLink()) {
                    lines.put(rel, "- symlink->" + Files.readSymbolicLink(file));
                } else {
                    lines.put(rel, sha256(file) + " file");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        List<String> out = new ArrayList<>();
        lines.forEach((path, what) -> out.add(what + " " + path));
        return out;
    }

    private static List<java.nio.file.PathMatcher> matchers(List<String> globs) {
        return globs.stream().map(g -> (java.nio.file.PathMatcher) p -> globRegex(g).matcher(p.toString()).matches()).toList();
    }

    /** GNU tar's --exclude globs on absolute paths: {@code *} matches {@code /} too. */
    private static Pattern globRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            b.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(b.toString());
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: an unfinished copy left behind is named .partial and never listed
        }
    }

    /** Copies a tree with its types, permissions and times, reporting progress and honouring cancellation. */
    private static final class Copier {
        private final ProviderContext context;
        private final String verb;
        private final List<java.nio.file.PathMatcher> excludes;
        private final boolean replace;
        final List<Diagnostic> warnings = new ArrayList<>();
        long files;
        long bytes;

        Copier(ProviderContext context, String verb, List<java.nio.file.PathMatcher> excludes, boolean replace) {
            this.context = context;
            this.verb = verb;
            this.excludes = excludes;
            this.replace = replace;
        }

        /** Copies {@code from} (known in the backup as {@code name}) to {@code to}. */
        void copy(Path from, Path to, String name) throws IOException {
            Deque<Path[]> directories = new ArrayDeque<>();
            Object device = Files.getAttribute(from, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Files.createDirectories(to.getParent());
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    context.checkCancelled();
                    if (excluded(from, dir, name)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Path target = to.resolve(from.relativize(dir).toString());
                    if (Files.isSymbolicLink(target)) {
                        Files.delete(target);
                    }
                    Files.createDirectories(target);
                    if (!dir.equals(from) && !device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                        copyAttributes(dir, target);
                        return FileVisitResult.SKIP_SUBTREE; // another filesystem: its mount point only, as --one-file-system
                    }
                    directories.push(new Path[] {dir, target});
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    context.checkCancelled();
                    if (excluded(from, file, name)) {
                        return FileVisitResult.CONTINUE;
                    }
                    Path target = to.resolve(from.relativize(file).toString());
                    if (attrs.isSymbolicLink()) {
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                    } else if (attrs.isRegularFile()) {
                        if (replace) {
                            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
                        } else {
                            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                        }
                        bytes += attrs.size();
                    } else {
                        warnings.add(Diagnostic.warning("skipped " + file + ": not a regular file, directory or symbolic link"));
                        return FileVisitResult.CONTINUE;
                    }
                    files++;
                    context.progress().report(Progress.of(verb + " " + name, bytes, files));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Path[] pair = directories.pop();
                    copyAttributes(pair[0], pair[1]);
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        /** Permissions and modification time, set on a directory after its contents are in. */
        private static void copyAttributes(Path from, Path to) throws IOException {
            PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> perms = a.permissions();
            Files.setPosixFilePermissions(to, perms);
            Files.setLastModifiedTime(to, FileTime.from(a.lastModifiedTime().toInstant()));
        }

        /** Whether {@code p}, below {@code from} which the backup knows as {@code name}, matches an exclude pattern. */
        private boolean excluded(Path from, Path p, String name) {
            String rel = from.relativize(p).toString();
            String seen = rel.isEmpty() ? name : (name.endsWith("/") ? name : name + "/") + rel;
            Path asSeen = Path.of(seen);
            return excludes.stream().anyMatch(m -> m.matches(asSeen));
        }
    }
}
