package dev.rear.provider.galaxy;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.OverwritePolicy;
import dev.rear.api.spi.Progress;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
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
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code BACKUP=GALAXY11}: restores a machine from Commvault (Commvault 11) the way ReaR's GALAXY11
 * method does, without its prompts: log in with {@code qlogin} ({@code GALAXY11_USER} and
 * {@code GALAXY11_PASSWORD}, or the password asked at the console), find the backup set
 * ({@code qlist backupset}), list the completed backup jobs ({@code qlist jobhistory}) — the restore
 * points —, submit {@code qoperation restore -af FILE} with the target root as destination (and,
 * for a point in time, the chosen job's end time to browse to), poll {@code qlist job -j ID -co sr}
 * every {@code GALAXY11_POLL_INTERVAL} up to {@code GALAXY11_RESTORE_TIMEOUT}, and map the job's end:
 * Completed → done; "Completed w/ one or more errors" → done with a warning naming the reasons;
 * Failed/Killed → failure with the reasons; a failure reason on a job still pending, or the timeout
 * → {@code qoperation jobcontrol -o kill} and a failure saying so. {@code qlogout} at the end when it
 * logged in.
 *
 * <p>There is no backup: Commvault's own schedules make them, and ReaR has no GALAXY backup stage
 * either (vendor-clis.md §2.3). Selective restore is not offered.
 */
public final class GalaxyBackupProvider implements BackupProvider {

    /** The provider id ({@code BACKUP=GALAXY11}). */
    public static final String ID = "galaxy";

    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.RESTORE, Capability.POINT_IN_TIME,
            Capability.LIST_RESTORE_POINTS, Capability.VERIFY));

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
        return CAPABILITIES;
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of(GalaxySettings.PASSWORD);
    }

    @Override
    public List<Diagnostic> validate(dev.rear.api.spi.ProviderSettings settings) {
        return GalaxySettings.check(settings);
    }

    // ------------------------------------------------------------------ rescue system

    /**
     * ReaR's {@code prep/GALAXY11}: the install directories (from {@code commvault status} unless
     * all five {@code GALAXY11_*_DIRECTORY} are set), the registry, {@code COPY_AS_IS_GALAXY11},
     * the argument file; logs, temp files, job results, updates and login sessions left out; the
     * Commvault services started before the restore.
     */
    @Override
    public RescueRequirements rescueRequirements(ProviderContext context) {
        GalaxySettings s = GalaxySettings.of(context.settings());
        Map<String, String> dirs = installDirectories(s, context);
        String core = dirs.get(GalaxySettings.CORE_DIRECTORY);
        String home = dirs.get(GalaxySettings.HOME_DIRECTORY);
        RescueRequirements.Builder b = RescueRequirements.builder();
        b.program("chgrp", "touch");
        for (String q : List.of("qlogin", "qlist", "qoperation", "qlogout")) {
            b.program(home + "/" + q);
        }
        b.directory(s.configDirectory()).directory(core);
        if (!home.startsWith(core + "/")) {
            b.directory(home);
        }
        for (String p : s.copyAsIs()) {
            if (Files.isDirectory(Path.of(p))) {
                b.directory(p);
            } else {
                b.file(p);
            }
        }
        if (s.argumentFile() != null) {
            b.file(s.argumentFile().toString());
        }
        b.exclude(dirs.get(GalaxySettings.JOBS_RESULTS_DIRECTORY) + "/*").exclude(core + "/Updates/*")
                .exclude(dirs.get(GalaxySettings.LOG_DIRECTORY) + "/*").exclude(dirs.get(GalaxySettings.TEMP_DIRECTORY) + "/*");
        s.copyAsIsExclude().forEach(b::exclude);
        String sessionNote = "a Commvault login session: not carried; the recovery logs in with " + GalaxySettings.USER + " and "
                + GalaxySettings.PASSWORD + " (asked at the console when unset)";
        for (String dir : new java.util.LinkedHashSet<>(List.of(core, home))) {
            b.exclude(dir + "/qsession*").exclude(dir + "/.qsession*");
            for (Path f : sessionFiles(Path.of(dir))) {
                b.secretFile(f.toString(), sessionNote);
            }
        }
        b.secretVariable(GalaxySettings.PASSWORD);
        b.libraryDirectory(home);
        dirs.forEach(b::variable);
        groupOf(Path.of(home, "Galaxy")).ifPresent(b::group);
        String galaxy = home + "/Galaxy";
        b.service(new RescueRequirements.RescueService("commvault", List.of(galaxy, "start"),
                List.of("/bin/sh", "-c", "! " + shellQuote(galaxy) + " list | grep -q N/A"), List.of(galaxy, "stop"), Duration.ofSeconds(60)));
        return b.build();
    }

    private static Map<String, String> installDirectories(GalaxySettings s, ProviderContext context) {
        Map<String, String> preset = new LinkedHashMap<>();
        preset.put(GalaxySettings.CORE_DIRECTORY, s.coreDirectory());
        preset.put(GalaxySettings.HOME_DIRECTORY, s.homeDirectory());
        preset.put(GalaxySettings.LOG_DIRECTORY, s.logDirectory());
        preset.put(GalaxySettings.TEMP_DIRECTORY, s.tempDirectory());
        preset.put(GalaxySettings.JOBS_RESULTS_DIRECTORY, s.jobResultsDirectory());
        if (preset.values().stream().allMatch(v -> v != null)) {
            return preset;
        }
        String out = context.commands().run(CommandSpec.of("commvault", "status")).stdout();
        Map<String, String> status = QOutput.status(out);
        Map<String, String> dirs = new LinkedHashMap<>();
        for (String[] d : GalaxySettings.DIRECTORIES) {
            String v = preset.get(d[0]) != null ? preset.get(d[0]) : status.get(d[1]);
            if (v == null || v.isBlank()) {
                throw new ProviderException(ProviderException.Kind.MISCONFIGURED, "'commvault status' shows no '" + d[1]
                        + "'; set " + d[0] + " to it (is the Commvault file system agent installed?)");
            }
            dirs.put(d[0], v.replaceAll("/+$", ""));
        }
        return dirs;
    }

    private static List<Path> sessionFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("\\.?qsessions?.*")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static java.util.Optional<String> groupOf(Path p) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
            Integer gid = (Integer) Files.getAttribute(p, "unix:gid");
            return gid != null && gid > 0 ? java.util.Optional.of(a.group().getName()) : java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    // ------------------------------------------------------------------ restore points

    /** The completed backup jobs of the client's backup set, oldest first; a job id is a restore point id. */
    @Override
    public List<RestorePoint> listRestorePoints(ProviderContext context) {
        GalaxySettings s = GalaxySettings.of(context.settings());
        context.checkCancelled();
        try (QSession q = new QSession(context, s)) {
            String set = backupSet(q, s, context);
            return oldestFirst(q.backupJobs(set)).stream().map(j -> restorePoint(j, set)).toList();
        }
    }

    private static List<QOutput.HistoryJob> oldestFirst(List<QOutput.HistoryJob> jobs) {
        return jobs.stream().sorted(Comparator.comparing(QOutput.HistoryJob::end).thenComparing(j -> Long.parseLong(j.jobId()))).toList();
    }

    private static Instant instant(QOutput.HistoryJob j) {
        return j.end().atZone(ZoneId.systemDefault()).toInstant();
    }

    private static RestorePoint restorePoint(QOutput.HistoryJob j, String set) {
        return new RestorePoint(j.jobId(), instant(j), null, null, List.of(), null, "Commvault backup job " + j.jobId()
                + " of backup set " + set + " (subclient " + j.subclient() + ", storage policy " + j.storagePolicy() + "), "
                + j.startTime() + " to " + j.endTime());
    }

    /**
     * What the recovery's pre-flight asks before any disk is wiped: logged in, the backup set there,
     * and the restore point — chosen exactly as {@link #restore} would choose it, so
     * {@code GALAXY11_PIT_RECOVERY} holds for {@code rear recover} too — listed by the CommServe as
     * a completed backup job ({@link VerifyResult.Depth#CATALOG}: no data is read, the media are not
     * checked).
     */
    @Override
    public VerifyResult verify(VerifyRequest request, ProviderContext context) {
        GalaxySettings s = GalaxySettings.of(context.settings());
        context.checkCancelled();
        try (QSession q = new QSession(context, s)) {
            String set = backupSet(q, s, context);
            Choice c = choose(oldestFirst(q.backupJobs(set)), request.restorePoint(), s, q, set);
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("backupJobId", c.job().jobId());
            facts.put("backupJobEnd", c.job().endTime());
            facts.put("client", q.client());
            facts.put("backupSet", set);
            if (c.pointInTime()) {
                facts.put("browseTo", c.job().endTime());
            }
            return new VerifyResult(c.job().jobId(), VerifyResult.Depth.CATALOG, List.of(new Diagnostic(Diagnostic.Severity.INFO, null,
                    q.commServeName() + " lists backup job " + c.job().jobId() + " of client " + q.client() + ", backup set " + set
                            + " as Completed (ended " + c.job().endTime() + "); its data and media were not read")), facts);
        }
    }

    /** {@code GALAXY11_BACKUPSET}, checked against the client's; else the only one; else asked. */
    private static String backupSet(QSession q, GalaxySettings s, ProviderContext context) {
        context.progress().report(Progress.phase("asking " + q.commServeName() + " for the backup sets of client " + q.client()));
        List<String> sets = q.backupSets();
        if (s.backupSet() != null) {
            if (!sets.contains(s.backupSet())) {
                throw new ProviderException(ProviderException.Kind.NOT_FOUND, "client " + q.client() + " has no backup set '" + s.backupSet()
                        + "' (" + GalaxySettings.BACKUPSET + "); it has " + (sets.isEmpty() ? "none" : String.join(", ", sets)));
            }
            return s.backupSet();
        }
        if (sets.isEmpty()) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, q.commServeName() + " lists no backup set of client "
                    + q.client() + " (is " + GalaxySettings.CLIENT + " the client's name in Commvault?)");
        }
        if (sets.size() == 1) {
            return sets.get(0);
        }
        String answer = context.ask("Which Commvault backup set of client " + q.client() + " to restore (" + String.join(", ", sets)
                + ")?", false).map(String::strip).orElse("");
        if (!sets.contains(answer)) {
            throw new ProviderException(ProviderException.Kind.MISCONFIGURED, "client " + q.client() + " has " + sets.size()
                    + " backup sets (" + String.join(", ", sets) + ")" + (answer.isEmpty() ? "" : " and '" + answer + "' is none of them")
                    + "; set " + GalaxySettings.BACKUPSET + " to the one to restore");
        }
        return answer;
    }

    /** The backup job to restore and whether that needs a point-in-time restore. */
    private record Choice(QOutput.HistoryJob job, boolean pointInTime) {}

    private static Choice choose(List<QOutput.HistoryJob> jobsOldestFirst, RestorePointSelector selector, GalaxySettings s, QSession q,
                                 String set) {
        String where = "client " + q.client() + ", backup set " + set;
        if (jobsOldestFirst.isEmpty()) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, q.commServeName() + " has no completed backup job of " + where
                    + " (qlist jobhistory found none): there is nothing to restore");
        }
        QOutput.HistoryJob newest = jobsOldestFirst.get(jobsOldestFirst.size() - 1);
        if (selector.id() != null) {
            QOutput.HistoryJob j = jobsOldestFirst.stream().filter(x -> x.jobId().equals(selector.id())).findFirst()
                    .orElseThrow(() -> new ProviderException(ProviderException.Kind.NOT_FOUND, "no completed backup job " + selector.id()
                            + " of " + where + "; the completed ones are " + ids(jobsOldestFirst)));
            return new Choice(j, j != newest);
        }
        if (selector.asOf() != null) {
            QOutput.HistoryJob found = null;
            for (QOutput.HistoryJob j : jobsOldestFirst) {
                if (!instant(j).isAfter(selector.asOf())) {
                    found = j;
                }
            }
            if (found == null) {
                throw new ProviderException(ProviderException.Kind.NOT_FOUND, "no completed backup job of " + where + " had finished by "
                        + selector.asOf() + "; the oldest finished " + jobsOldestFirst.get(0).endTime() + " (local time)");
            }
            return new Choice(found, found != newest);
        }
        String pit = s.pitRecovery();
        if (pit == null) {
            return new Choice(newest, false);
        }
        if (pit.matches("\\d+")) {
            int index = Integer.parseInt(pit);
            if (index >= jobsOldestFirst.size()) {
                throw new ProviderException(ProviderException.Kind.MISCONFIGURED, GalaxySettings.PIT_RECOVERY + "=" + pit
                        + " counts back from the newest backup job, but " + where + " has only " + jobsOldestFirst.size() + " ("
                        + ids(jobsOldestFirst) + ")");
            }
            return new Choice(jobsOldestFirst.get(jobsOldestFirst.size() - 1 - index), true);
        }
        return jobsOldestFirst.stream().filter(j -> j.endTime().equals(pit)).findFirst().map(j -> new Choice(j, true))
                .orElseThrow(() -> new ProviderException(ProviderException.Kind.MISCONFIGURED, GalaxySettings.PIT_RECOVERY + "=" + pit
                        + " is the end time of no completed backup job of " + where + "; they ended at "
                        + String.join(", ", jobsOldestFirst.stream().map(QOutput.HistoryJob::endTime).toList())));
    }

    private static String ids(List<QOutput.HistoryJob> jobs) {
        return String.join(", ", jobs.stream().map(j -> j.jobId() + " (ended " + j.endTime() + ")").toList());
    }

    // ------------------------------------------------------------------ restore

    @Override
    public RestoreResult restore(RestoreRequest request, ProviderContext context) {
        if (request.isSelective()) {
            throw ProviderException.unsupported(ID, "selective restore (only some paths, or excludes): Commvault restores / of the backup set");
        }
        TargetRoots.requireRestorable(request.targetRoot(), request.overwrite());
        context.checkCancelled();
        GalaxySettings s = GalaxySettings.of(context.settings());
        try (QSession q = new QSession(context, s)) {
            String set = backupSet(q, s, context);
            List<QOutput.HistoryJob> jobs = oldestFirst(q.backupJobs(set));
            Choice choice = choose(jobs, request.restorePoint(), s, q, set);
            context.checkCancelled();
            String jobId = submit(q, s, context, request, set, choice);
            QOutput.JobStatus end = waitFor(q, s, context, jobId, request.targetRoot());
            RestoreResult.Builder r = RestoreResult.builder(choice.job().jobId()).restorePointTime(instant(choice.job())).restored("/")
                    .fact("jobId", jobId).fact("backupJobId", choice.job().jobId()).fact("client", q.client()).fact("backupSet", set)
                    .fact("jobStatus", end.status());
            if (choice.pointInTime()) {
                r.fact("browseTo", choice.job().endTime());
            }
            if (end.completedWithProblems()) {
                String detail = end.detail();
                r.warning(Diagnostic.warning("Commvault restore job " + jobId + " ended '" + end.status() + "'"
                        + (detail.isEmpty() ? "" : ": " + detail) + "; files may be missing under " + request.targetRoot()
                        + " — see the job's details in the CommCell Console (qlist job -j " + jobId + ")"));
            }
            prepareRestoredSystem(s, request.targetRoot(), context).forEach(r::warning);
            context.progress().report(Progress.phase("Commvault restore job " + jobId + " " + end.status()));
            context.log().info("Commvault restore job " + jobId + " of client " + q.client() + ", backup set " + set + ", backup job "
                    + choice.job().jobId() + " (ended " + choice.job().endTime() + ") into " + request.targetRoot() + ": " + end.status());
            return r.build();
        }
    }

    private static String submit(QSession q, GalaxySettings s, ProviderContext context, RestoreRequest request, String set, Choice choice) {
        String preamble = null;
        if (s.argumentFile() != null) {
            try {
                preamble = Files.readString(s.argumentFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ProviderException(ProviderException.Kind.MISCONFIGURED, "cannot read " + GalaxySettings.ARGUMENT_FILE + "="
                        + s.argumentFile() + ": " + e.getMessage(), e);
            }
        }
        ArgumentFile af = new ArgumentFile(preamble, q.client(), set, request.targetRoot().toString(),
                choice.pointInTime() ? choice.job().endTime() : null, request.overwrite() == OverwritePolicy.REFUSE);
        Path file = context.tempDirectory().resolve("commvault.restore.options");
        try {
            // owner only: the administrator's GALAXY11_Q_ARGUMENTFILE part may hold credentials
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, af.text(), StandardCharsets.UTF_8);
            context.log().debug("qoperation restore arguments (" + file + "), after " + GalaxySettings.ARGUMENT_FILE + ":\n"
                    + new ArgumentFile(null, q.client(), set, request.targetRoot().toString(), af.browseTo(), af.doNotOverwrite()).text());
            context.progress().report(Progress.phase("starting the Commvault restore of client " + q.client() + ", backup set " + set
                    + (choice.pointInTime() ? " as of " + choice.job().endTime() : "") + " into " + request.targetRoot()));
            String jobId = q.startRestore(file);
            context.log().info("Commvault restore job " + jobId + " started: backup job " + choice.job().jobId() + " of " + set + " into "
                    + request.targetRoot());
            return jobId;
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.FAILED, "cannot write the qoperation argument file " + file + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                context.log().warn("cannot remove " + file + ": " + e.getMessage());
            }
        }
    }

    /** Polls the job until it ends, the timeout passes (kill) or the operation is cancelled (kill). */
    private static QOutput.JobStatus waitFor(QSession q, GalaxySettings s, ProviderContext context, String jobId, Path target) {
        Instant started = context.clock().instant();
        Instant limit = started.plus(s.restoreTimeout());
        String last = null;
        while (true) {
            QOutput.JobStatus st = q.jobStatus(jobId);
            Duration elapsed = Duration.between(started, context.clock().instant());
            context.progress().report(Progress.phase("Commvault restore job " + jobId + ": " + st.status() + " (" + minutes(elapsed) + ")"));
            if (!st.status().equals(last)) {
                context.log().info("Commvault restore job " + jobId + " is " + st.status()
                        + (st.detail().isEmpty() ? "" : " (" + st.detail() + ")"));
                last = st.status();
            }
            if (st.completed()) {
                return st;
            }
            if (st.failed()) {
                throw new ProviderException(ProviderException.Kind.FAILED, "Commvault restore job " + jobId + " of client " + q.client()
                        + " ended '" + st.status() + "'" + (st.detail().isEmpty() ? "" : ": " + st.detail()) + "; " + target
                        + " holds at most a partial restore");
            }
            if (!st.reasonCodes().isEmpty()) {
                String killed = q.kill(jobId);
                throw new ProviderException(ProviderException.Kind.FAILED, "Commvault restore job " + jobId + " is '" + st.status()
                        + "' with a failure reason: " + st.detail() + "; " + (killed == null ? "rear killed it (qoperation jobcontrol -o kill -j "
                        + jobId + ")" : "killing it failed too: " + killed));
            }
            if (!st.active()) {
                throw new ProviderException(ProviderException.Kind.FAILED, "Commvault restore job " + jobId + " is in a state rear does"
                        + " not know: '" + st.status() + "'; check it in the CommCell Console");
            }
            Instant now = context.clock().instant();
            if (!now.isBefore(limit)) {
                String killed = q.kill(jobId);
                throw new ProviderException(ProviderException.Kind.TIMED_OUT, "Commvault restore job " + jobId + " was still '"
                        + st.status() + "' after " + minutes(Duration.between(started, now)) + " (" + GalaxySettings.RESTORE_TIMEOUT + "="
                        + s.restoreTimeout().toSeconds() + " s); " + (killed == null ? "rear killed it with 'qoperation jobcontrol -o kill -j "
                        + jobId + "'" : "killing it failed: " + killed) + ". " + target + " holds at most a partial restore");
            }
            Duration wait = s.pollInterval();
            Duration left = Duration.between(now, limit);
            try {
                context.pause(wait.compareTo(left) > 0 ? left : wait);
            } catch (ProviderException e) {
                String killed = q.kill(jobId);
                throw new ProviderException(e.kind(), e.getMessage() + " while waiting for Commvault restore job " + jobId + "; "
                        + (killed == null ? "rear killed the job (qoperation jobcontrol -o kill -j " + jobId + ")" : "killing it failed: "
                        + killed), e);
            }
        }
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s / 60 + " min";
    }

    /**
     * ReaR's {@code restore/GALAXY11/default/400,500}: the directories left out of the backup made
     * again in the restored system, and the agent's certificates carried over from the rescue
     * system (the agent does not work without them). Problems become warnings.
     */
    private static List<Diagnostic> prepareRestoredSystem(GalaxySettings s, Path target, ProviderContext context) {
        List<Diagnostic> warnings = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        if (s.tempDirectory() != null) {
            dirs.add(s.tempDirectory());
        }
        if (s.coreDirectory() != null) {
            dirs.add(s.coreDirectory() + "/Updates");
        }
        if (s.jobResultsDirectory() != null) {
            dirs.add(s.jobResultsDirectory());
        }
        for (String d : dirs) {
            try {
                Files.createDirectories(target.resolve(d.replaceFirst("^/+", "")));
            } catch (IOException e) {
                warnings.add(Diagnostic.warning("cannot create " + d + " in the restored system under " + target + ": " + e.getMessage()));
            }
        }
        if (s.homeDirectory() != null) {
            Path certificates = Path.of(s.homeDirectory(), "certificates");
            if (Files.isDirectory(certificates, LinkOption.NOFOLLOW_LINKS)) {
                Path to = target.resolve(s.homeDirectory().replaceFirst("^/+", "")).resolve("certificates");
                try {
                    copyTree(certificates, to);
                    context.log().info("copied the Commvault certificates " + certificates + " into " + to);
                } catch (IOException e) {
                    warnings.add(Diagnostic.warning("cannot copy the Commvault certificates " + certificates + " to " + to + ": "
                            + e.getMessage() + "; the restored client may not reach the CommServe until they are there"));
                }
            }
        }
        return warnings;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
