package dev.rear.provider.tsm;

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
import dev.rear.api.spi.RescueImageRequest;
import dev.rear.api.spi.RescueImageResult;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestorePoint;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.TargetRoots;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code BACKUP=TSM}: IBM Storage Protect (TSM) through its command-line client {@code dsmc}, as
 * ReaR drives it (vendor-clis §1), with the return codes treated as a policy.
 *
 * <ul>
 *   <li><b>Restore</b>: {@code dsmc query session} (asking the node password when the rescue system
 *       carries no password file), {@code dsmc query filespace}, then per selected filespace in
 *       order {@code dsmc restore "FS/*" "TARGET/FS/" -subdir=yes -replace=all -tapeprompt=no
 *       [-dateformat=5 -pitdate=.. -pittime=..] TSM_DSMC_RESTORE_OPTIONS}. rc 0 ok; 4 (some
 *       files not restored) and 8 (warnings) are warnings of the result with the count and the ANS
 *       messages; 12 or anything else stops the restore with the command, rc and ANS lines.</li>
 *   <li><b>Filespaces</b>: {@code TSM_FILESPACES} in its order; else the request's paths; else the
 *       server's filespaces that are mount points of the recreated layout under the target root
 *       (read from {@code /proc/self/mountinfo}: the descriptor's filesystems the recovery mounted),
 *       {@code /} first; when nothing is mounted below the target root (a restore into a plain
 *       directory) every filespace of the node.</li>
 *   <li><b>Restore points</b>: TSM keeps versions per file, not backup sets; a restore point is a
 *       moment when versions were stored ({@code dsmc query backup -inactive}; versions less than a
 *       minute apart are one point) or a filespace's last incremental ({@code dsmc query filespace}).
 *       Its id is that local time, {@code YYYY-MM-DDTHH:MM:SS}, read in the clock's time zone, and
 *       restoring an id restores the state as of that time. The latest is the newest last
 *       incremental of the selected filespaces and restores without {@code -pitdate}; an earlier
 *       time restores with {@code -pitdate}/{@code -pittime} of the newest point not after it.</li>
 *   <li><b>Verify</b> (catalog depth): the session, the filespaces and, for each, that
 *       {@code dsmc query backup "FS/*"} lists versions as of the restore point.</li>
 *   <li><b>Backup</b>: {@code dsmc incremental -tapeprompt=no TSM_DSMC_BACKUP_OPTIONS INCLUDE}
 *       per include (with {@code -snapshotroot=} when the source root is not {@code /}). TSM's
 *       progressive incremental makes a complete restore point on the server each time, so only
 *       {@link BackupKind#FULL} requests are taken; excludes are TSM's own (INCLEXCL).</li>
 *   <li><b>Rescue image</b> (ReaR's {@code output/TSM}): unless {@code TSM_RESULT_SAVE} says no, the
 *       output's files are copied into {@code TSM_RESULT_FILE_PATH} (default {@code /opt/tivoli/tsm/rear})
 *       and stored with {@code dsmc incremental FILES} or, when {@code TSM_ARCHIVE_MGMT_CLASS} is
 *       set, {@code dsmc archive -archmc=CLASS FILES}; rc 4/8 are warnings, anything else fails.
 *       With {@code TSM_RM_ISOFILE=yes} the local ISO and the copies are removed once
 *       {@code dsmc query backup|archive} lists the copied ISO.</li>
 * </ul>
 */
public final class TsmBackupProvider implements BackupProvider {

    /** Versions stored less than this apart belong to one restore point. */
    static final Duration SAME_POINT = Duration.ofMinutes(1);

    static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter PIT_DATE = DateTimeFormatter.ofPattern("uuuu.MM.dd");
    private static final DateTimeFormatter PIT_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final List<String> DATE_OPTIONS = List.of("-dateformat=2", "-timeformat=1");

    private final Path mountinfo;

    /** The provider as {@link java.util.ServiceLoader} makes it: cheap, no I/O. */
    public TsmBackupProvider() {
        this(Path.of("/proc/self/mountinfo"));
    }

    /** For tests: the mount table to read the target root's mount points from. */
    TsmBackupProvider(Path mountinfo) {
        this.mountinfo = mountinfo;
    }

    @Override
    public String id() {
        return "tsm";
    }

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.BACKUP, Capability.RESTORE, Capability.POINT_IN_TIME, Capability.SELECTIVE_RESTORE,
                Capability.LIST_RESTORE_POINTS, Capability.VERIFY, Capability.STORE_RESCUE_IMAGE);
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of(TsmSettings.NODE_PASSWORD);
    }

    @Override
    public List<Diagnostic> validate(ProviderSettings settings) {
        return TsmSettings.validate(settings);
    }

    // ------------------------------------------------------------------ rescue system

    @Override
    public RescueRequirements rescueRequirements(ProviderContext context) {
        TsmSettings s = TsmSettings.from(context.settings());
        RescueRequirements.Builder b = RescueRequirements.builder();
        b.program(s.dsmc().toString());
        for (Path p : List.of(s.dsmSys(), s.dsmOpt())) {
            b.file(p.toString());
            if (Files.isSymbolicLink(p)) {
                try {
                    b.file(p.toRealPath().toString()); // ReaR copies the link targets too ("some sites have strange habits")
                } catch (IOException e) {
                    throw new ProviderException(Kind.MISCONFIGURED, p + " is a symbolic link to something that cannot be read: " + e.getMessage(), e);
                }
            }
        }
        DsmSys.Stanza stanza = stanza(s);
        for (String inclexcl : stanza.inclexclFiles()) {
            if (Files.isRegularFile(Path.of(inclexcl))) {
                b.file(inclexcl);
            }
        }
        for (String entry : s.copyAsIs()) {
            for (String p : glob(entry)) {
                b.directory(p);
            }
        }
        s.copyAsIsExclude().forEach(b::exclude);
        String passwordDir = stanza.option("passworddir") == null ? "/etc/adsm" : stanza.option("passworddir");
        Set<String> keyFiles = new TreeSet<>(List.of("TSM.KDB", "TSM.sth", "TSM.IDX", "TSM.PWD"));
        keyFiles.addAll(glob(passwordDir + "/dsmcert.*").stream().map(p -> Path.of(p).getFileName().toString()).toList());
        for (String name : keyFiles) {
            String path = Path.of(passwordDir, name).toString();
            if (s.carryPasswordFiles()) {
                if (Files.exists(Path.of(path))) {
                    b.file(path);
                }
            } else {
                b.secretFile(path, "TSM password store left out (TSM_RESCUE_PASSWORD_FILES is not yes): the recovery asks for the node password");
            }
        }
        Set<String> libs = new LinkedHashSet<>(s.libraryPath());
        libs.addAll(glob("/usr/local/ibm/gsk*/lib*"));
        libs.forEach(b::libraryDirectory);
        b.variable("DSM_DIR", s.clientDir().toString()).variable("DSM_CONFIG", s.dsmOpt().toString());
        if (s.nodePassword() != null) {
            b.secretVariable(TsmSettings.NODE_PASSWORD);
        }
        return b.build();
    }

    private static DsmSys.Stanza stanza(TsmSettings s) {
        try {
            DsmSys.Stanza st = DsmSys.selected(DsmSys.parseStanzas(Files.readString(s.dsmSys(), StandardCharsets.UTF_8)),
                    DsmSys.parseOptions(Files.readString(s.dsmOpt(), StandardCharsets.UTF_8)));
            if (st == null) {
                throw new ProviderException(Kind.MISCONFIGURED, s.dsmOpt() + " names a server stanza " + s.dsmSys() + " does not have");
            }
            return st;
        } catch (IOException e) {
            throw new ProviderException(Kind.MISCONFIGURED, "cannot read " + s.dsmSys() + " or " + s.dsmOpt() + ": " + e.getMessage(), e);
        }
    }

    /** The existing paths matching an absolute path whose last component may hold {@code *} or {@code ?}. */
    static List<String> glob(String pattern) {
        Path p = Path.of(pattern);
        Path parent = p.getParent();
        String last = p.getFileName() == null ? "" : p.getFileName().toString();
        List<String> out = new ArrayList<>();
        if (parent != null && parent.toString().matches(".*[*?].*")) {
            for (String dir : glob(parent.toString())) {
                out.addAll(glob(dir + "/" + last));
            }
            return out;
        }
        if (!last.matches(".*[*?\\[].*")) {
            if (Files.exists(p)) {
                out.add(pattern);
            }
            return out;
        }
        if (parent == null || !Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, last)) {
            ds.forEach(x -> out.add(x.toString()));
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    // ------------------------------------------------------------------ restore

    @Override
    public RestoreResult restore(RestoreRequest request, ProviderContext context) {
        TargetRoots.requireRestorable(request.targetRoot(), request.overwrite());
        requireWellFormed(request.restorePoint());
        if (!request.excludes().isEmpty()) {
            throw new ProviderException(Kind.UNSUPPORTED, "backup provider 'tsm' restores filespaces and directories but cannot leave out"
                    + " patterns (" + String.join(" ", request.excludes()) + ")");
        }
        context.checkCancelled();
        TsmSettings s = TsmSettings.from(context.settings());
        context.progress().report(Progress.phase("connecting to TSM server"));
        Dsmc dsmc = Dsmc.open(s, context);
        List<DsmcOutput.Filespace> all = filespaces(dsmc, context);
        List<String> paths = selection(all, request, s, context);
        Point point = resolve(request.restorePoint(), s, paths, all, dsmc, context);
        List<String> pit = point.pit() == null ? List.of() : List.of("-dateformat=5", "-pitdate=" + point.pit().format(PIT_DATE),
                "-pittime=" + point.pit().format(PIT_TIME));
        context.log().info("restoring " + String.join(", ", paths) + " from TSM server " + dsmc.server() + " as of "
                + (point.pit() == null ? "the latest backup (" + point.id() + ")" : point.id()) + " into " + request.targetRoot());

        RestoreResult.Builder result = RestoreResult.builder(point.id()).restorePointTime(point.time().atZone(zone(context)).toInstant());
        long bytes = 0;
        long files = 0;
        boolean counted = true;
        List<String> done = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String fs = paths.get(i);
            context.checkCancelled();
            context.progress().report(Progress.of("restoring " + fs + " (" + (i + 1) + " of " + paths.size() + ")", bytes, files));
            String source = fs.equals("/") ? "/*" : fs + "/*";
            String target = request.targetRoot().toString().replaceAll("/+$", "") + (fs.equals("/") ? "/" : fs + "/");
            List<String> args = new ArrayList<>(List.of("restore", source, target, "-subdir=yes", "-replace=all", "-tapeprompt=no"));
            args.addAll(pit);
            args.addAll(s.restoreOptions());
            Dsmc.Run r;
            try {
                r = dsmc.run("restore of " + fs, s.restoreTimeout(), TsmSettings.RESTORE_TIMEOUT, args);
            } catch (ProviderException e) {
                throw new ProviderException(e.kind(), e.getMessage() + stillToDo(done, paths, i), e);
            }
            try {
                dsmc.requireSession(r, "restore " + source);
            } catch (ProviderException e) {
                throw new ProviderException(e.kind(), e.getMessage() + stillToDo(done, paths, i), e);
            }
            DsmcOutput.Summary sum = DsmcOutput.parseSummary(r.result().stdout());
            if (sum.bytes() != null) {
                bytes += sum.bytes();
            } else {
                counted = false;
            }
            if (sum.objects() != null) {
                files += sum.objects();
            }
            switch (r.rc()) {
                case 0 -> context.log().info("TSM restore of " + fs + " completed successfully" + amount(sum));
                case 4 -> {
                    long skipped = sum.failed() != null && sum.failed() > 0 ? sum.failed()
                            : r.messages().stream().filter(m -> m.severity() != 'I').count();
                    Diagnostic w = Diagnostic.warning("TSM restore of " + fs + " finished with rc 4: " + skipped + " file"
                            + (skipped == 1 ? "" : "s") + " not restored (" + r.problems() + "); see the log");
                    context.log().warn(w.message());
                    result.warning(w);
                }
                case 8 -> {
                    Diagnostic w = Diagnostic.warning("TSM restore of " + fs + " finished with rc 8, at least one warning ("
                            + r.problems() + "); see the log");
                    context.log().warn(w.message());
                    result.warning(w);
                }
                default -> throw new ProviderException(Kind.FAILED, "TSM restore of " + fs + " failed: '" + r.spec().display()
                        + "' exited with rc " + r.rc() + " (" + r.problems() + ")" + stillToDo(done, paths, i));
            }
            done.add(fs);
            result.restored(fs);
            context.progress().report(Progress.of("restored " + fs + " (" + (i + 1) + " of " + paths.size() + ")", bytes, files));
        }
        result.counts(files, counted ? bytes : null).fact("server", dsmc.server()).fact("filespaces", String.join(" ", paths));
        if (point.pit() != null) {
            result.fact("pit", point.pit().format(ID));
        }
        return result.build();
    }

    private static String amount(DsmcOutput.Summary sum) {
        return sum.objects() == null ? "" : ": " + sum.objects() + " objects" + (sum.bytes() == null ? "" : ", " + sum.bytes() + " bytes");
    }

    private static String stillToDo(List<String> done, List<String> paths, int failedAt) {
        return "; restored before: " + (done.isEmpty() ? "none" : String.join(", ", done)) + "; not restored: "
                + String.join(", ", paths.subList(failedAt, paths.size()));
    }

    // ------------------------------------------------------------------ filespaces

    private static List<DsmcOutput.Filespace> filespaces(Dsmc dsmc, ProviderContext context) {
        List<String> args = new ArrayList<>(List.of("query", "filespace"));
        args.addAll(DATE_OPTIONS);
        args.add("-scrollprompt=no");
        Dsmc.Run r = dsmc.query("query filespace", args);
        dsmc.requireSession(r, "query filespace");
        if (r.has(Set.of("ANS1083E"))) {
            throw new ProviderException(Kind.NOT_FOUND, "TSM server " + dsmc.server() + " has no filespace for this node: nothing was"
                    + " ever backed up (" + r.problems() + ")");
        }
        if (r.rc() != 0 && r.rc() != 8) {
            throw new ProviderException(Kind.FAILED, "'" + r.spec().display() + "' failed with rc " + r.rc() + " (" + r.problems() + ")");
        }
        List<DsmcOutput.Filespace> fs = DsmcOutput.parseFilespaces(r.result().stdout());
        if (fs.isEmpty()) {
            throw new ProviderException(Kind.NOT_FOUND, "TSM server " + dsmc.server() + " has no filespace for this node: nothing was"
                    + " ever backed up (" + r.problems() + ")");
        }
        context.log().debug("filespaces on " + dsmc.server() + ": " + fs);
        return fs;
    }

    /** The filespaces (or directories in them) to restore, in order. */
    List<String> selection(List<DsmcOutput.Filespace> all, RestoreRequest request, TsmSettings s, ProviderContext context) {
        List<String> names = all.stream().map(DsmcOutput.Filespace::name).toList();
        if (!s.filespaces().isEmpty()) {
            List<String> missing = s.filespaces().stream().filter(f -> !names.contains(f)).toList();
            if (!missing.isEmpty()) {
                throw new ProviderException(Kind.NOT_FOUND, "TSM_FILESPACES names " + String.join(", ", missing)
                        + ", which the server does not have for this node (it has " + String.join(", ", names) + ")");
            }
            return s.filespaces();
        }
        if (!request.paths().isEmpty()) {
            for (String p : request.paths()) {
                if (filespaceOf(p, names) == null) {
                    throw new ProviderException(Kind.NOT_FOUND, p + " is in no filespace of this node (it has " + String.join(", ", names) + ")");
                }
            }
            return request.paths();
        }
        Set<String> mounted = mountedBelow(request.targetRoot());
        List<String> chosen = new ArrayList<>();
        if (mounted.isEmpty()) {
            chosen.addAll(names);
            context.log().info("nothing is mounted below " + request.targetRoot() + ": restoring every filespace of the node");
        } else {
            for (String n : names) {
                if (mounted.contains(n)) {
                    chosen.add(n);
                } else {
                    context.log().info("filespace " + n + " is not restored: no recreated filesystem is mounted at "
                            + request.targetRoot() + n + " (set TSM_FILESPACES to choose the filespaces yourself)");
                }
            }
            if (chosen.isEmpty()) {
                throw new ProviderException(Kind.NOT_FOUND, "no filespace of this node (" + String.join(", ", names) + ") is a mount point"
                        + " of the recreated layout under " + request.targetRoot() + " (" + String.join(", ", mounted)
                        + "): set TSM_FILESPACES to the filespaces to restore");
            }
        }
        chosen.sort(Comparator.comparingLong((String n) -> n.equals("/") ? 0 : n.chars().filter(c -> c == '/').count())
                .thenComparing(Comparator.naturalOrder()));
        return chosen;
    }

    /** The longest filespace name that is {@code path} or a parent of it. */
    static @Nullable String filespaceOf(String path, List<String> names) {
        String best = null;
        for (String n : names) {
            boolean contains = n.equals("/") || path.equals(n) || path.startsWith(n + "/");
            if (contains && (best == null || n.length() > best.length())) {
                best = n;
            }
        }
        return best;
    }

    /** The mount points at or below {@code root}, as paths of the restored system ({@code root} itself is {@code /}). */
    Set<String> mountedBelow(Path root) {
        Set<String> out = new TreeSet<>();
        if (!Files.isReadable(mountinfo)) {
            return out;
        }
        String r = root.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length < 5) {
                    continue;
                }
                String mp = unescape(f[4]);
                if (mp.equals(r)) {
                    out.add("/");
                } else if (mp.startsWith(r.endsWith("/") ? r : r + "/")) {
                    out.add(mp.substring(r.length() - (r.endsWith("/") ? 1 : 0)));
                }
            }
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "cannot read the mount table " + mountinfo + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** mountinfo escapes blanks, tabs, newlines and backslashes as octal ({@code \040}). */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() + 0 && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ restore points

    /** A resolved restore point: its id, its time, and the {@code -pitdate}/{@code -pittime} to restore it (null: the latest). */
    record Point(String id, LocalDateTime time, @Nullable LocalDateTime pit) {}

    private static void requireWellFormed(RestorePointSelector selector) {
        if (selector.id() != null) {
            parseId(selector.id());
        }
    }

    static LocalDateTime parseId(String id) {
        try {
            return LocalDateTime.parse(id, ID);
        } catch (DateTimeParseException e) {
            throw new ProviderException(Kind.NOT_FOUND, "TSM has no restore point '" + id + "': its restore points are times"
                    + " YYYY-MM-DDTHH:MM:SS ('rear restorepoints' lists them)");
        }
    }

    private static ZoneId zone(ProviderContext context) {
        return context.clock().getZone();
    }

    /** Which state to restore: the selector's, else TSM_RESTORE_PIT_DATE/TIME, else the latest. */
    private Point resolve(RestorePointSelector selector, TsmSettings s, List<String> paths, List<DsmcOutput.Filespace> all, Dsmc dsmc,
                          ProviderContext context) {
        List<String> names = all.stream().map(DsmcOutput.Filespace::name).toList();
        Set<String> used = new LinkedHashSet<>();
        paths.forEach(p -> used.add(filespaceOf(p, names)));
        LocalDateTime latest = all.stream().filter(f -> used.contains(f.name()) && f.lastIncremental() != null)
                .map(DsmcOutput.Filespace::lastIncremental).max(Comparator.naturalOrder()).orElse(null);
        LocalDateTime asOf = selector.asOf() != null ? LocalDateTime.ofInstant(selector.asOf(), zone(context))
                : selector.id() != null ? parseId(selector.id()) : s.pit();
        if (latest == null) {
            throw new ProviderException(Kind.NOT_FOUND, "the filespaces " + String.join(", ", used) + " on TSM server " + dsmc.server()
                    + " have never had a complete incremental backup (no 'Last Incr Date')");
        }
        if (selector.id() != null && asOf.isAfter(LocalDateTime.ofInstant(context.clock().instant(), zone(context)))) {
            throw new ProviderException(Kind.NOT_FOUND, "TSM has no restore point " + selector.id() + ": that time has not come yet");
        }
        if (asOf == null || !asOf.isBefore(latest)) {
            // nothing of these filespaces was stored after their last incremental: the state as of then is the latest
            return new Point(selector.id() != null ? selector.id() : latest.format(ID), latest, null);
        }
        List<RestorePoint> points = points(new ArrayList<>(used), all, dsmc, context);
        RestorePoint chosen = null;
        for (RestorePoint p : points) {
            if (!parseId(p.id()).isAfter(asOf)) {
                chosen = p;
            }
        }
        if (chosen == null) {
            throw new ProviderException(Kind.NOT_FOUND, "TSM has no backup of " + String.join(", ", used) + " as of " + asOf.format(ID)
                    + (s.pit() != null && selector.isLatest() ? " (TSM_RESTORE_PIT_DATE/TSM_RESTORE_PIT_TIME)" : "")
                    + (points.isEmpty() ? "" : ": the oldest restore point is " + points.get(0).id()));
        }
        LocalDateTime t = parseId(chosen.id());
        // a restore point id is a time: the state as of that time, restored with -pitdate/-pittime of the newest point not after it
        return new Point(selector.id() != null ? selector.id() : chosen.id(), t, t);
    }

    private static String ids(List<RestorePoint> points) {
        List<String> ids = points.stream().map(RestorePoint::id).toList();
        return ids.isEmpty() ? "none" : ids.size() <= 6 ? String.join(", ", ids)
                : String.join(", ", ids.subList(0, 3)) + ", ..., " + String.join(", ", ids.subList(ids.size() - 3, ids.size()));
    }

    @Override
    public List<RestorePoint> listRestorePoints(ProviderContext context) {
        context.checkCancelled();
        TsmSettings s = TsmSettings.from(context.settings());
        Dsmc dsmc = Dsmc.open(s, context);
        List<DsmcOutput.Filespace> all;
        try {
            all = filespaces(dsmc, context);
        } catch (ProviderException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
        List<String> names = s.filespaces().isEmpty() ? all.stream().map(DsmcOutput.Filespace::name).toList() : s.filespaces();
        return points(names, all, dsmc, context);
    }

    /** The restore points of these filespaces: moments versions were stored, grouped, and their last incrementals. */
    private static List<RestorePoint> points(List<String> filespaces, List<DsmcOutput.Filespace> all, Dsmc dsmc, ProviderContext context) {
        record Event(LocalDateTime time, String filespace, long bytes) {}
        List<Event> events = new ArrayList<>();
        for (String fs : filespaces) {
            context.checkCancelled();
            context.progress().report(Progress.phase("listing backup versions of " + fs));
            List<String> args = new ArrayList<>(List.of("query", "backup", fs.equals("/") ? "/*" : fs + "/*", "-subdir=yes", "-inactive"));
            args.addAll(DATE_OPTIONS);
            args.add("-scrollprompt=no");
            Dsmc.Run r = dsmc.query("query backup of " + fs, args);
            dsmc.requireSession(r, "query backup");
            if (r.rc() == 12) {
                throw new ProviderException(Kind.FAILED, "'" + r.spec().display() + "' failed with rc 12 (" + r.problems() + ")");
            }
            for (DsmcOutput.Version v : DsmcOutput.parseVersions(r.result().stdout())) {
                events.add(new Event(v.backupDate(), fs, v.sizeBytes()));
            }
            all.stream().filter(f -> f.name().equals(fs) && f.lastIncremental() != null)
                    .forEach(f -> events.add(new Event(f.lastIncremental(), fs, 0)));
        }
        events.sort(Comparator.comparing(Event::time));
        List<RestorePoint> out = new ArrayList<>();
        int i = 0;
        while (i < events.size()) {
            int j = i;
            Set<String> fss = new TreeSet<>();
            long bytes = 0;
            LocalDateTime first = events.get(i).time();
            while (j < events.size() && (j == i || Duration.between(events.get(j - 1).time(), events.get(j).time()).compareTo(SAME_POINT) < 0)) {
                fss.add(events.get(j).filespace());
                bytes += events.get(j).bytes();
                j++;
            }
            LocalDateTime end = events.get(j - 1).time();
            out.add(new RestorePoint(end.format(ID), end.atZone(zone(context)).toInstant(), null, null, new ArrayList<>(fss), bytes,
                    "TSM versions of " + String.join(", ", fss) + " stored " + (first.equals(end) ? "at " + end.format(ID)
                    : "from " + first.format(ID) + " to " + end.format(ID))));
            i = j;
        }
        return out;
    }

    // ------------------------------------------------------------------ verify

    @Override
    public VerifyResult verify(VerifyRequest request, ProviderContext context) {
        requireWellFormed(request.restorePoint());
        context.checkCancelled();
        TsmSettings s = TsmSettings.from(context.settings());
        context.progress().report(Progress.phase("connecting to TSM server"));
        Dsmc dsmc = Dsmc.open(s, context);
        List<DsmcOutput.Filespace> all = filespaces(dsmc, context);
        List<String> names = all.stream().map(DsmcOutput.Filespace::name).toList();
        List<String> chosen = !s.filespaces().isEmpty() ? s.filespaces() : names;
        List<Diagnostic> findings = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (String fs : chosen) {
            if (names.contains(fs)) {
                present.add(fs);
            } else {
                findings.add(Diagnostic.error(TsmSettings.FILESPACES, "TSM server " + dsmc.server() + " has no filespace " + fs
                        + " for this node (it has " + String.join(", ", names) + ")"));
            }
        }
        if (present.isEmpty()) {
            return new VerifyResult("none", VerifyResult.Depth.CATALOG, findings, java.util.Map.of("server", dsmc.server()));
        }
        RestoreRequest asked = new RestoreRequest(Path.of("/"), request.restorePoint(), present, List.of(),
                dev.rear.api.spi.OverwritePolicy.OVERWRITE);
        Point point = resolve(asked.restorePoint(), s, present, all, dsmc, context);
        long objects = 0;
        for (String fs : present) {
            context.checkCancelled();
            context.progress().report(Progress.phase("checking the versions of " + fs + " on the TSM server"));
            List<String> args = new ArrayList<>(List.of("query", "backup", fs.equals("/") ? "/*" : fs + "/*"));
            args.addAll(DATE_OPTIONS);
            if (point.pit() != null) {
                args.addAll(List.of("-pitdate=" + point.pit().format(DateTimeFormatter.ofPattern("dd-MM-uuuu")),
                        "-pittime=" + point.pit().format(PIT_TIME)));
            }
            args.add("-scrollprompt=no");
            Dsmc.Run r = dsmc.query("query backup of " + fs, args);
            dsmc.requireSession(r, "query backup");
            List<DsmcOutput.Version> versions = DsmcOutput.parseVersions(r.result().stdout());
            if (versions.isEmpty()) {
                String text = "filespace " + fs + " has no backup version as of " + point.id() + " on TSM server " + dsmc.server()
                        + " (rc " + r.rc() + ": " + r.problems() + ")";
                // a filespace the recovery may not restore (not in the recreated layout) does not block it; / and chosen ones do
                findings.add(!s.filespaces().isEmpty() || fs.equals("/") ? Diagnostic.error(TsmSettings.FILESPACES, text)
                        : Diagnostic.warning(TsmSettings.FILESPACES, text));
            } else if (r.rc() == 12) {
                findings.add(Diagnostic.error("'" + r.spec().display() + "' failed with rc 12 (" + r.problems() + ")"));
            }
            objects += versions.size();
        }
        return new VerifyResult(point.id(), VerifyResult.Depth.CATALOG, findings, java.util.Map.of("server", dsmc.server(),
                "filespaces", String.join(" ", present), "objectsListed", Long.toString(objects)));
    }

    // ------------------------------------------------------------------ backup

    @Override
    public BackupResult backup(BackupRequest request, ProviderContext context) {
        if (request.kind() != BackupKind.FULL) {
            throw new ProviderException(Kind.UNSUPPORTED, "backup provider 'tsm' does not support " + request.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " backups: every 'dsmc incremental' already sends only what changed and leaves a complete restore point on the"
                    + " server; leave BACKUP_TYPE unset");
        }
        context.checkCancelled();
        TsmSettings s = TsmSettings.from(context.settings());
        context.progress().report(Progress.phase("connecting to TSM server"));
        Dsmc dsmc = Dsmc.open(s, context);
        BackupResultParts parts = new BackupResultParts();
        String root = request.sourceRoot().toString().replaceAll("/+$", "");
        for (int i = 0; i < request.includes().size(); i++) {
            String inc = request.includes().get(i);
            context.checkCancelled();
            context.progress().report(Progress.of("backing up " + inc + " (" + (i + 1) + " of " + request.includes().size() + ")",
                    parts.bytes, parts.files));
            List<String> args = new ArrayList<>(List.of("incremental", "-tapeprompt=no"));
            args.addAll(s.backupOptions());
            if (!root.isEmpty()) {
                args.add("-snapshotroot=" + root + (inc.equals("/") ? "" : inc));
            }
            args.add(inc);
            Dsmc.Run r = dsmc.run("incremental of " + inc, s.restoreTimeout(), TsmSettings.RESTORE_TIMEOUT, args);
            dsmc.requireSession(r, "incremental " + inc);
            DsmcOutput.Summary sum = DsmcOutput.parseSummary(r.result().stdout());
            parts.bytes += sum.bytes() == null ? 0 : sum.bytes();
            parts.files += sum.objects() == null ? 0 : sum.objects();
            if (r.rc() == 4 || r.rc() == 8) {
                parts.warnings.add(Diagnostic.warning("TSM backup of " + inc + " finished with rc " + r.rc() + " (" + r.problems() + ")"));
            } else if (r.rc() != 0) {
                throw new ProviderException(Kind.FAILED, "TSM backup of " + inc + " failed: '" + r.spec().display() + "' exited with rc "
                        + r.rc() + " (" + r.problems() + ")");
            }
            parts.rcs.add(Integer.toString(r.rc()));
        }
        if (!request.excludes().isEmpty()) {
            parts.warnings.add(Diagnostic.warning("TSM backs up by its own include-exclude list (INCLEXCL in dsm.sys); these patterns were"
                    + " not applied: " + String.join(" ", request.excludes())));
        }
        List<DsmcOutput.Filespace> all = filespaces(dsmc, context);
        List<String> names = all.stream().map(DsmcOutput.Filespace::name).toList();
        LocalDateTime latest = null;
        for (String inc : request.includes()) {
            String fs = filespaceOf(inc, names);
            for (DsmcOutput.Filespace f : all) {
                if (f.name().equals(fs) && f.lastIncremental() != null && (latest == null || f.lastIncremental().isAfter(latest))) {
                    latest = f.lastIncremental();
                }
            }
        }
        if (latest == null) {
            throw new ProviderException(Kind.FAILED, "dsmc incremental of " + String.join(" ", request.includes()) + " finished but TSM server "
                    + dsmc.server() + " records no incremental backup of their filespaces");
        }
        BackupResult.Builder b = BackupResult.builder(latest.format(ID), latest.atZone(zone(context)).toInstant())
                .counts(parts.files, parts.bytes).fact("server", dsmc.server()).fact("dsmcExitCodes", String.join(" ", parts.rcs));
        request.includes().forEach(inc -> b.written("TSM server " + dsmc.server() + " filespace " + filespaceOf(inc, names)));
        parts.warnings.forEach(b::warning);
        context.progress().report(Progress.of("backup stored on TSM server " + dsmc.server(), parts.bytes, parts.files));
        return b.build();
    }

    // ------------------------------------------------------------------ rescue image

    @Override
    public boolean storesRescueImage(ProviderSettings settings) {
        return TsmSettings.resultFiles(settings).save();
    }

    @Override
    public RescueImageResult storeRescueImage(RescueImageRequest request, ProviderContext context) {
        context.checkCancelled();
        TsmSettings s = TsmSettings.from(context.settings());
        TsmSettings.ResultFiles rf = TsmSettings.resultFiles(context.settings());
        String kept = "; the rescue image stays in " + request.outputDir() + " ("
                + String.join(", ", request.artifacts().stream().map(Path::toString).toList()) + ")";
        if (!rf.save()) {
            throw new ProviderException(Kind.REFUSED, "TSM_RESULT_SAVE says the rescue image is not stored in TSM" + kept);
        }
        Path dir = rf.path() != null ? rf.path() : context.tempDirectory().resolve("result-files");
        List<Path> copies = new ArrayList<>();
        context.progress().report(Progress.phase("copying the rescue image to " + dir));
        try {
            Files.createDirectories(dir);
            for (Path a : request.artifacts()) {
                Path copy = dir.resolve(a.getFileName().toString());
                if (!copy.toAbsolutePath().normalize().equals(a.toAbsolutePath().normalize())) {
                    Files.copy(a, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
                copies.add(copy);
            }
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "cannot copy the rescue image into " + dir + " (" + TsmSettings.RESULT_FILE_PATH
                    + (rf.path() == null ? " is empty: rear's temporary directory" : "") + "): " + e + kept, e);
        }
        context.progress().report(Progress.phase("connecting to TSM server"));
        Dsmc dsmc = Dsmc.open(s, context);
        List<String> args = new ArrayList<>();
        String how;
        if (rf.mgmtClass() != null) {
            args.addAll(List.of("archive", "-archmc=" + rf.mgmtClass()));
            how = "dsmc archive, management class " + rf.mgmtClass();
        } else {
            args.add("incremental");
            how = "dsmc incremental";
        }
        copies.forEach(c -> args.add(c.toString()));
        context.progress().report(Progress.phase("storing the rescue image on TSM server " + dsmc.server() + " (" + how + ")"));
        Dsmc.Run r = dsmc.run("store of the rescue image", s.restoreTimeout(), TsmSettings.RESTORE_TIMEOUT, args);
        dsmc.requireSession(r, args.get(0) + " of the rescue image");
        List<Diagnostic> warnings = new ArrayList<>();
        if (r.rc() == 4 || r.rc() == 8) {
            Diagnostic w = Diagnostic.warning("storing the rescue image on TSM server " + dsmc.server() + " finished with rc " + r.rc()
                    + " (" + r.problems() + ")");
            context.log().warn(w.message());
            warnings.add(w);
        } else if (r.rc() != 0) {
            throw new ProviderException(Kind.FAILED, "the rescue image could not be stored on TSM server " + dsmc.server() + ": '"
                    + r.spec().display() + "' exited with rc " + r.rc() + " (" + r.problems() + ")" + kept);
        }
        List<String> stored = copies.stream().map(c -> "TSM server " + dsmc.server() + ": " + c + " (" + how + ")").toList();
        context.log().info("rescue image stored on TSM server " + dsmc.server() + ": " + String.join(", ", copies.stream().map(Path::toString).toList()));
        List<Path> removed = new ArrayList<>();
        if (rf.removeIso()) {
            removed.addAll(removeIso(request, copies, rf, dsmc, context, warnings));
        }
        java.util.Map<String, String> facts = new java.util.LinkedHashMap<>();
        facts.put("server", dsmc.server());
        facts.put("resultFilePath", dir.toString());
        facts.put("command", args.get(0));
        if (rf.mgmtClass() != null) {
            facts.put("managementClass", rf.mgmtClass());
        }
        facts.put("dsmcExitCode", Integer.toString(r.rc()));
        return new RescueImageResult(stored, removed, warnings, facts);
    }

    /**
     * ReaR's {@code 960_dsmc_verify_isofile.sh}: the local ISO and the copies go only once
     * {@code dsmc query backup} (or {@code query archive}) lists the copied ISO with rc 0.
     */
    private static List<Path> removeIso(RescueImageRequest request, List<Path> copies, TsmSettings.ResultFiles rf, Dsmc dsmc,
                                        ProviderContext context, List<Diagnostic> warnings) {
        List<Path> removed = new ArrayList<>();
        for (int i = 0; i < request.artifacts().size(); i++) {
            Path iso = request.artifacts().get(i);
            if (!iso.getFileName().toString().endsWith(".iso")) {
                continue;
            }
            Path copy = copies.get(i);
            Dsmc.Run q = dsmc.query("query of the stored rescue image", List.of("query", rf.mgmtClass() != null ? "archive" : "backup",
                    copy.toString()));
            if (q.rc() != 0 || !q.result().stdout().contains(copy.toString())) {
                Diagnostic w = Diagnostic.warning(TsmSettings.RM_ISOFILE, "TSM server " + dsmc.server() + " does not list " + copy
                        + " ('" + q.spec().display() + "' rc " + q.rc() + ": " + q.problems() + "): the local ISO " + iso + " is kept");
                context.log().warn(w.message());
                warnings.add(w);
                continue;
            }
            for (Path p : new LinkedHashSet<>(List.of(iso, copy))) {
                try {
                    if (Files.deleteIfExists(p)) {
                        removed.add(p);
                    }
                } catch (IOException e) {
                    warnings.add(Diagnostic.warning(TsmSettings.RM_ISOFILE, "cannot remove " + p + ": " + e.getMessage()));
                }
            }
            for (Path other : copies) {
                if (!other.equals(copy) && !request.artifacts().contains(other)) {
                    try {
                        if (Files.deleteIfExists(other)) {
                            removed.add(other);
                        }
                    } catch (IOException e) {
                        warnings.add(Diagnostic.warning(TsmSettings.RM_ISOFILE, "cannot remove " + other + ": " + e.getMessage()));
                    }
                }
            }
            context.log().info("TSM_RM_ISOFILE: TSM server " + dsmc.server() + " holds " + copy + "; removed " + removed);
        }
        return removed;
    }

    private static final class BackupResultParts {
        long bytes;
        long files;
        final List<Diagnostic> warnings = new ArrayList<>();
        final List<String> rcs = new ArrayList<>();
    }
}
