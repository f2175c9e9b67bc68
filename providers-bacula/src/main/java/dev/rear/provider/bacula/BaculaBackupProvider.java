package dev.rear.provider.bacula;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandSpec;
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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code BACKUP=BACULA}: Bacula through {@code bconsole} (commands on standard input, argv only,
 * every session journaled by the context's runner), with an automated restore where ReaR's own is
 * interactive.
 *
 * <p><b>Restore.</b> Checks first that the director knows the client ({@code .clients}), the
 * FileSet ({@code .filesets}) and the restore job ({@code .jobs type=R}) — Bacula silently picks
 * another client or FileSet when the one asked for does not exist, so an unknown name is refused
 * naming the ones that do exist. Then it chooses the restore point from the client's successful
 * backup jobs ({@code llist jobs client=C jobtype=B}) and queues
 * {@code restore client=C fileset=F where=TARGET current|before="..." select all done yes} (a restore point by id
 * or time is chosen by time: Bacula 9.6 ignores {@code jobid=} next to {@code fileset=}), checks that Bacula
 * selected the jobs it expected (the chain {@code .bvfs_get_jobids} names; otherwise the queued job is
 * cancelled and the restore fails), parses {@code Job queued. JobId=N}, polls
 * {@code llist jobid=N} every {@code BACULA_PROGRESS_WAIT_SECONDS} until the job ends or
 * {@code BACULA_JOB_TIMEOUT} passes (then {@code cancel jobid=N yes}), and judges its
 * {@code JobStatus} and {@code JobErrors}: {@code T} without errors is success; {@code T} with
 * errors, {@code W} and {@code e} are a warning with the count; {@code E f A D I} fail, naming the
 * letter's meaning and the error lines of {@code list joblog jobid=N}.
 *
 * <p><b>Offline.</b> When no director answers and {@code BEXTRACT_DEVICE} is set, {@code bextract}
 * restores the volumes {@code BEXTRACT_VOLUME} (default {@code *}) of that storage daemon device
 * into the target root, replaying every job on them oldest first (so only the latest state).
 *
 * <p><b>Verify</b> asks the catalog only: see {@link #verify}.
 *
 * <p><b>Backup</b> ({@code mkbackup}) runs {@code BACULA_JOB} for the client and waits for it the
 * same way. What is backed up is the FileSet's business on the director: the request's includes,
 * excludes and source root are not applied, and the result says so.
 */
public final class BaculaBackupProvider implements BackupProvider {

    static final String ID = "bacula";

    /** Cheap: no I/O. */
    public BaculaBackupProvider() {}

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
        return EnumSet.of(Capability.BACKUP, Capability.INCREMENTAL, Capability.DIFFERENTIAL, Capability.RESTORE,
                Capability.POINT_IN_TIME, Capability.LIST_RESTORE_POINTS, Capability.VERIFY);
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of(Console.PASSWORD);
    }

    @Override
    public List<Diagnostic> validate(ProviderSettings settings) {
        return BaculaSettings.validate(settings);
    }

    @Override
    public RescueRequirements rescueRequirements(ProviderContext context) {
        return Rescue.requirements(BaculaSettings.of(context.settings()), context.settings());
    }

    // ------------------------------------------------------------------------------------ shared

    /** What the director knows, asked in one session. */
    private record Director(String name, List<String> clients, List<String> filesets, List<String> restoreJobs, List<String> backupJobs) {}

    private static Director director(Bconsole console) {
        List<String> commands = List.of("version", ".clients", ".filesets", ".jobs type=R", ".jobs type=B");
        List<String> a = console.session(commands);
        String name = a.get(0).lines().map(String::strip).filter(l -> l.contains(" Version: ")).findFirst()
                .map(l -> l.substring(0, l.indexOf(' '))).orElse("the director");
        return new Director(name, BconsoleOutput.names(a.get(1)), BconsoleOutput.names(a.get(2)), BconsoleOutput.names(a.get(3)),
                BconsoleOutput.names(a.get(4)));
    }

    private static void requireClient(BaculaSettings s, Director d) {
        if (!d.clients().contains(s.client())) {
            throw new ProviderException(Kind.NOT_FOUND, "the Bacula director " + d.name() + " knows no client '" + s.client() + "'"
                    + (s.client().equals(BaculaSettings.defaultClient(s.confDir())) ? " (the default: set BACULA_CLIENT)" : " (BACULA_CLIENT)")
                    + "; its clients are " + list(d.clients()) + ". Nothing was done: Bacula would silently have used another"
                    + " client's backup");
        }
    }

    private static void requireFileset(BaculaSettings s, Director d) {
        if (s.fileset() != null && !d.filesets().contains(s.fileset())) {
            throw new ProviderException(Kind.NOT_FOUND, "the Bacula director " + d.name() + " knows no FileSet '" + s.fileset()
                    + "' (BACULA_FILESET); its FileSets are " + list(d.filesets()) + ". Nothing was done: Bacula would silently have"
                    + " used another FileSet");
        }
    }

    private static String list(List<String> names) {
        return names.isEmpty() ? "none" : names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    /** A successful backup job of the client. */
    record Job(long id, String name, String level, Instant started, String fileset, long files, long bytes, char status, long errors) {
        BackupKind kind() {
            return switch (level) {
                case "I" -> BackupKind.INCREMENTAL;
                case "D" -> BackupKind.DIFFERENTIAL;
                default -> BackupKind.FULL;
            };
        }

        String levelName() {
            return switch (level) {
                case "I" -> "Incremental";
                case "D" -> "Differential";
                case "F" -> "Full";
                default -> level;
            };
        }
    }

    static Optional<Job> job(Map<String, String> r, ZoneId zone) {
        Optional<Instant> started = BconsoleOutput.time(r.getOrDefault("StartTime", ""), zone);
        String status = r.getOrDefault("JobStatus", "");
        if (started.isEmpty() || status.length() != 1) {
            return Optional.empty();
        }
        return Optional.of(new Job(BconsoleOutput.number(r, "JobId"), r.getOrDefault("Name", ""), r.getOrDefault("Level", ""), started.get(),
                r.getOrDefault("FileSet", ""), BconsoleOutput.number(r, "JobFiles"), BconsoleOutput.number(r, "JobBytes"),
                status.charAt(0), BconsoleOutput.number(r, "JobErrors")));
    }

    /** The client's successful backup jobs (of the FileSet, when one is set), oldest first. */
    private static List<Job> backups(Bconsole console, BaculaSettings s) {
        String answer = console.one("llist jobs client=" + quote(s.client()) + " jobtype=B");
        List<Job> out = new ArrayList<>();
        for (Map<String, String> r : BconsoleOutput.records(answer)) {
            job(r, s.zone()).filter(j -> j.status() == 'T' || j.status() == 'W')
                    .filter(j -> s.fileset() == null || s.fileset().equals(j.fileset()))
                    .filter(j -> s.client().equals(r.getOrDefault("ClientName", s.client())))
                    .ifPresent(out::add);
        }
        out.sort(java.util.Comparator.comparing(Job::started).thenComparingLong(Job::id));
        return out;
    }

    /** A bconsole argument value, quoted when it holds blanks. */
    static String quote(String v) {
        if (v.contains("\"") || v.contains("\n")) {
            throw new ProviderException(Kind.MISCONFIGURED, "a Bacula name or path cannot contain a double quote or a line break: " + v);
        }
        return v.matches("[A-Za-z0-9_.:/+-]+") ? v : "\"" + v + "\"";
    }

    // ------------------------------------------------------------------------------------ list

    @Override
    public List<RestorePoint> listRestorePoints(ProviderContext context) {
        BaculaSettings s = BaculaSettings.of(context.settings());
        try (Console c = Console.open(context, s)) {
            Director d = director(c.bconsole());
            requireClient(s, d);
            requireFileset(s, d);
            return backups(c.bconsole(), s).stream().map(j -> new RestorePoint(Long.toString(j.id()), j.started(), j.kind(), null, List.of(),
                    j.bytes(), "Bacula job " + j.id() + " " + j.name() + ", " + j.levelName() + ", FileSet " + j.fileset() + ", "
                            + j.files() + " files")).toList();
        }
    }

    // ------------------------------------------------------------------------------------ backup

    @Override
    public BackupResult backup(BackupRequest request, ProviderContext context) {
        context.checkCancelled();
        BaculaSettings s = BaculaSettings.of(context.settings());
        if (s.job() == null) {
            throw new ProviderException(Kind.MISCONFIGURED, "BACULA_JOB is not set: rear needs the name of the Bacula backup job to run"
                    + " for mkbackup");
        }
        context.progress().report(Progress.phase("asking the Bacula director"));
        try (Console c = Console.open(context, s)) {
            Director d = director(c.bconsole());
            requireClient(s, d);
            requireFileset(s, d);
            if (!d.backupJobs().contains(s.job())) {
                throw new ProviderException(Kind.NOT_FOUND, "the Bacula director " + d.name() + " has no backup job '" + s.job()
                        + "' (BACULA_JOB); its backup jobs are " + list(d.backupJobs()));
            }
            String level = switch (request.kind()) {
                case FULL -> "Full";
                case INCREMENTAL -> "Incremental";
                case DIFFERENTIAL -> "Differential";
            };
            String run = "run job=" + quote(s.job()) + " client=" + quote(s.client()) + (s.fileset() == null ? "" : " fileset=" + quote(s.fileset()))
                    + " level=" + level + " yes";
            context.checkCancelled();
            String answer = c.bconsole().one(run);
            long jobId = BconsoleOutput.queuedJobId(answer).orElseThrow(() -> new ProviderException(Kind.FAILED,
                    "the Bacula director did not queue the backup job: '" + run + "' answered: " + oneLine(answer)));
            context.log().info("Bacula backup job " + jobId + " (" + s.job() + ", " + level + ") queued");
            Map<String, String> end = waitFor(c.bconsole(), s, context, jobId, "backup");
            Job job = job(end, s.zone()).orElseThrow(() -> new ProviderException(Kind.FAILED,
                    "the Bacula backup job " + jobId + " ended without a start time in the catalog"));
            List<Diagnostic> warnings = new ArrayList<>(judge(c.bconsole(), jobId, "backup", end));
            if (job.kind() != request.kind()) {
                warnings.add(Diagnostic.warning("Bacula ran the backup job " + jobId + " as " + job.levelName() + " where "
                        + request.kind().name().toLowerCase(java.util.Locale.ROOT) + " was asked (no earlier backup to build on)"));
            }
            if (!request.sourceRoot().toString().equals("/") || !request.includes().equals(List.of("/")) || !request.excludes().isEmpty()) {
                warnings.add(Diagnostic.warning("the FileSet " + job.fileset() + " on the Bacula director decides what is backed up;"
                        + " rear's source root " + request.sourceRoot() + ", includes " + request.includes() + " and excludes "
                        + request.excludes() + " were not applied"));
            }
            BackupResult.Builder b = BackupResult.builder(Long.toString(jobId), job.started()).kind(job.kind(), null)
                    .written("Bacula job " + jobId + " " + end.getOrDefault("Job", s.job())).counts(job.files(), job.bytes())
                    .fact("jobId", Long.toString(jobId)).fact("jobStatus", String.valueOf(job.status()))
                    .fact("jobErrors", Long.toString(job.errors())).fact("client", s.client()).fact("fileset", job.fileset())
                    .fact("level", job.levelName());
            warnings.forEach(b::warning);
            return b.build();
        }
    }

    // ------------------------------------------------------------------------------------ restore

    @Override
    public RestoreResult restore(RestoreRequest request, ProviderContext context) {
        TargetRoots.requireRestorable(request.targetRoot(), request.overwrite());
        if (!request.paths().isEmpty() || !request.excludes().isEmpty()) {
            throw ProviderException.unsupported(ID, "selective restore (paths or excludes)");
        }
        context.checkCancelled();
        BaculaSettings s = BaculaSettings.of(context.settings());
        context.progress().report(Progress.phase("asking the Bacula director"));
        Console c;
        Director d;
        try {
            c = Console.open(context, s);
        } catch (ProviderException e) {
            // no console configuration and no director address (left out of the rescue system): the volume is all there is
            if ((e.kind() == Kind.UNREACHABLE || e.kind() == Kind.MISCONFIGURED) && s.offlineConfigured()) {
                return Offline.restore(request, context, s, e.getMessage());
            }
            throw e;
        }
        try (c) {
            try {
                d = director(c.bconsole());
            } catch (ProviderException e) {
                if (e.kind() == Kind.UNREACHABLE && s.offlineConfigured()) {
                    return Offline.restore(request, context, s, e.getMessage());
                }
                if (e.kind() == Kind.UNREACHABLE) {
                    throw new ProviderException(Kind.UNREACHABLE, e.getMessage() + "; set BEXTRACT_DEVICE (and BEXTRACT_VOLUME) to"
                            + " restore from a volume without the director", e);
                }
                throw e;
            }
            requireClient(s, d);
            requireFileset(s, d);
            String restoreJob = restoreJob(s, d);
            List<Job> points = backups(c.bconsole(), s);
            String fileset = s.fileset() != null ? s.fileset() : onlyFileset(s, points);
            points = points.stream().filter(j -> j.fileset().equals(fileset)).toList();
            Job chosen = choose(request.restorePoint(), points, s);
            context.log().info("restoring Bacula job " + chosen.id() + " (" + chosen.levelName() + ", " + chosen.started() + ") of client "
                    + s.client() + ", FileSet " + fileset + ", into " + request.targetRoot());
            String where = " where=" + quote(request.targetRoot().toString()) + (restoreJob == null ? "" : " restorejob=" + quote(restoreJob));
            String command;
            List<Long> expected;
            RestorePointSelector sel = request.restorePoint();
            if (sel.isLatest()) {
                command = "restore client=" + quote(s.client()) + " fileset=" + quote(fileset) + where + " current select all done yes";
                expected = null;
            } else {
                // Bacula 9.6 ignores jobid= when fileset= is given (and asks which FileSet when it is not and there
                // are several), so a job is selected by time: the newest backup started before the second after it
                // started. What Bacula then selects is checked against the chain the job needs.
                Instant before = (sel.asOf() != null ? sel.asOf() : chosen.started()).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
                command = "restore client=" + quote(s.client()) + " fileset=" + quote(fileset) + where + " before=\""
                        + BconsoleOutput.TIME.format(before.atZone(s.zone())) + "\" select all done yes";
                expected = BconsoleOutput.jobIdList(c.bconsole().one(".bvfs_get_jobids jobid=" + chosen.id()));
                if (expected.isEmpty() || expected.get(expected.size() - 1) != chosen.id()) {
                    throw new ProviderException(Kind.FAILED, "the Bacula director gave no job chain for job " + chosen.id()
                            + " (.bvfs_get_jobids jobid=" + chosen.id() + ")");
                }
            }
            context.checkCancelled();
            context.progress().report(Progress.phase("queueing the Bacula restore of job " + chosen.id()));
            String answer = c.bconsole().one(command, s.jobTimeout());
            OptionalLong queued = BconsoleOutput.queuedJobId(answer);
            List<Long> selected = BconsoleOutput.selectedJobIds(answer);
            List<String> substituted = BconsoleOutput.substitutions(answer);
            boolean mismatch = !substituted.isEmpty() || selected.isEmpty() || selected.get(selected.size() - 1) != chosen.id()
                    || (expected != null && !selected.equals(expected));
            if (queued.isEmpty() && answer.contains("Select ")) {
                throw new ProviderException(Kind.FAILED, "bconsole asked a question rear cannot answer instead of queueing the restore ('"
                        + command + "'): " + oneLine(answer));
            }
            if (queued.isEmpty()) {
                throw new ProviderException(answer.contains("No Full backup before") ? Kind.NOT_FOUND : Kind.FAILED,
                        "the Bacula director did not queue the restore: '" + command + "' answered: " + oneLine(answer));
            }
            long jobId = queued.getAsLong();
            if (mismatch) {
                cancel(c.bconsole(), jobId, context);
                throw new ProviderException(Kind.FAILED, "the Bacula director selected "
                        + (selected.isEmpty() ? "no job" : "job(s) " + selected) + (substituted.isEmpty() ? "" : " (" + String.join("; ", substituted) + ")")
                        + " where rear expected job " + chosen.id() + "; the restore job " + jobId + " was cancelled");
            }
            context.log().info("Bacula restore job " + jobId + " queued, restoring job(s) " + selected);
            Map<String, String> end = waitFor(c.bconsole(), s, context, jobId, "restore");
            List<Diagnostic> warnings = judge(c.bconsole(), jobId, "restore into " + request.targetRoot(), end);
            RestoreResult.Builder b = RestoreResult.builder(Long.toString(chosen.id())).restorePointTime(chosen.started()).restored("/")
                    .counts(BconsoleOutput.number(end, "JobFiles"), BconsoleOutput.number(end, "JobBytes"))
                    .fact("restoreJobId", Long.toString(jobId)).fact("jobIds", selected.stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .fact("jobStatus", end.getOrDefault("JobStatus", "?")).fact("jobErrors", end.getOrDefault("JobErrors", "0"))
                    .fact("client", s.client()).fact("fileset", fileset).fact("director", d.name());
            warnings.forEach(b::warning);
            return b.build();
        }
    }

    private static String restoreJob(BaculaSettings s, Director d) {
        if (s.restoreJob() != null) {
            if (!d.restoreJobs().contains(s.restoreJob())) {
                throw new ProviderException(Kind.NOT_FOUND, "the Bacula director " + d.name() + " has no restore job '" + s.restoreJob()
                        + "' (BACULA_RESTORE_JOB); its restore jobs are " + list(d.restoreJobs()));
            }
            return s.restoreJob();
        }
        if (d.restoreJobs().isEmpty()) {
            throw new ProviderException(Kind.MISCONFIGURED, "the Bacula director " + d.name() + " has no restore job (a Job with Type = Restore)");
        }
        if (d.restoreJobs().size() > 1) {
            throw new ProviderException(Kind.MISCONFIGURED, "the Bacula director " + d.name() + " has several restore jobs, "
                    + list(d.restoreJobs()) + ": set BACULA_RESTORE_JOB to the one to use (bconsole would ask)");
        }
        return null;
    }

    private static String onlyFileset(BaculaSettings s, List<Job> points) {
        List<String> sets = points.stream().map(Job::fileset).distinct().toList();
        if (sets.isEmpty()) {
            throw new ProviderException(Kind.NOT_FOUND, "the Bacula client " + s.client() + " has no successful backup job to restore");
        }
        if (sets.size() > 1) {
            throw new ProviderException(Kind.MISCONFIGURED, "the Bacula client " + s.client() + " has backups of several FileSets, "
                    + list(sets) + ": set BACULA_FILESET to the one to restore");
        }
        return sets.get(0);
    }

    private static Job choose(RestorePointSelector sel, List<Job> points, BaculaSettings s) {
        if (points.isEmpty()) {
            throw new ProviderException(Kind.NOT_FOUND, "the Bacula client " + s.client() + " has no successful backup job"
                    + (s.fileset() == null ? "" : " of FileSet " + s.fileset()) + " to restore");
        }
        if (sel.id() != null) {
            return points.stream().filter(j -> Long.toString(j.id()).equals(sel.id())).findFirst().orElseThrow(() ->
                    new ProviderException(Kind.NOT_FOUND, "there is no successful Bacula backup job " + sel.id() + " of client " + s.client()
                            + "; its backup jobs are " + points.stream().map(j -> Long.toString(j.id())).collect(Collectors.joining(", "))));
        }
        if (sel.asOf() != null) {
            Instant t = sel.asOf();
            List<Job> before = points.stream().filter(j -> !j.started().isAfter(t)).toList();
            if (before.isEmpty()) {
                throw new ProviderException(Kind.NOT_FOUND, "the Bacula client " + s.client() + " has no backup from before " + t
                        + "; its oldest is job " + points.get(0).id() + " of " + points.get(0).started());
            }
            return before.get(before.size() - 1);
        }
        return points.get(points.size() - 1);
    }

    // ------------------------------------------------------------------------------------ verify

    /** Volume states from which Bacula can still read a job's data. */
    private static final Set<String> READABLE_VOLUMES = Set.of("Append", "Full", "Used", "Archive", "Read-Only");

    /**
     * Asks the catalog, without restoring anything, whether the restore point can be restored: the
     * client, FileSet and restore job are known; the job and the jobs it builds on
     * ({@code .bvfs_get_jobids}) still have their file records ({@code PurgedFiles: 0}) and volumes
     * ({@code list jobmedia}) in a readable state ({@code llist volume=}: Append, Full, Used, Archive,
     * Read-Only; not Purged, Recycle, Error, or disabled); and the director reaches the client's file
     * daemon ({@code status client=}). Depth {@link VerifyResult.Depth#CATALOG}: no data is read.
     */
    @Override
    public VerifyResult verify(VerifyRequest request, ProviderContext context) {
        context.checkCancelled();
        BaculaSettings s = BaculaSettings.of(context.settings());
        try (Console c = Console.open(context, s)) {
            Director d = director(c.bconsole());
            requireClient(s, d);
            requireFileset(s, d);
            restoreJob(s, d);
            List<Job> points = backups(c.bconsole(), s);
            String fileset = s.fileset() != null ? s.fileset() : onlyFileset(s, points);
            Job chosen = choose(request.restorePoint(), points.stream().filter(j -> j.fileset().equals(fileset)).toList(), s);
            context.progress().report(Progress.phase("checking Bacula job " + chosen.id() + " in the catalog"));
            List<Long> chain = BconsoleOutput.jobIdList(c.bconsole().one(".bvfs_get_jobids jobid=" + chosen.id()));
            List<Diagnostic> findings = new ArrayList<>();
            if (chain.isEmpty()) {
                chain = List.of(chosen.id());
                findings.add(Diagnostic.warning("the director gave no job chain for job " + chosen.id() + " (.bvfs_get_jobids); only the job"
                        + " itself was checked"));
            }
            List<String> commands = new ArrayList<>();
            for (long j : chain) {
                commands.add("llist jobid=" + j);
                commands.add("list jobmedia jobid=" + j);
            }
            List<String> answers = c.bconsole().session(commands);
            java.util.Set<String> volumes = new java.util.LinkedHashSet<>();
            for (int i = 0; i < chain.size(); i++) {
                long j = chain.get(i);
                List<Map<String, String>> rec = BconsoleOutput.records(answers.get(2 * i));
                if (rec.isEmpty()) {
                    findings.add(Diagnostic.error("job " + j + " (needed to restore job " + chosen.id() + ") is not in the catalog"));
                    continue;
                }
                if (BconsoleOutput.number(rec.get(0), "PurgedFiles") != 0) {
                    findings.add(Diagnostic.error("the catalog's file records of job " + j + " were pruned (PurgedFiles="
                            + rec.get(0).get("PurgedFiles") + "): a restore of job " + chosen.id() + " has nothing to select; only bextract"
                            + " (BEXTRACT_DEVICE) or bscan can read it back"));
                }
                List<String> vols = BconsoleOutput.table(answers.get(2 * i + 1)).stream().filter(r -> String.valueOf(j).equals(r.get("JobId")))
                        .map(r -> r.get("VolumeName")).filter(v -> v != null && !v.isBlank()).toList();
                if (vols.isEmpty()) {
                    findings.add(Diagnostic.error("job " + j + " has no volume in the catalog (list jobmedia jobid=" + j + ")"));
                }
                volumes.addAll(vols);
            }
            List<String> volumeCommands = new ArrayList<>();
            for (String v : volumes) {
                volumeCommands.add("llist volume=" + quote(v));
            }
            volumeCommands.add("status client=" + quote(s.client()));
            List<String> va = c.bconsole().session(volumeCommands);
            int i = 0;
            for (String v : volumes) {
                List<Map<String, String>> rec = BconsoleOutput.records(va.get(i++), "MediaId");
                String status = rec.isEmpty() ? null : rec.get(0).get("VolStatus");
                if (status == null) {
                    findings.add(Diagnostic.error("the volume " + v + " is not in the catalog"));
                } else if (!READABLE_VOLUMES.contains(status)) {
                    findings.add(Diagnostic.error("the volume " + v + " is " + status + ": Bacula will not read job data from it"));
                } else if ("0".equals(rec.get(0).get("Enabled"))) {
                    findings.add(Diagnostic.error("the volume " + v + " is disabled (Enabled: 0)"));
                }
            }
            String fd = va.get(va.size() - 1);
            if (fd.contains("Failed to connect to Client") || !fd.contains("Running Jobs:")) {
                findings.add(Diagnostic.error("the Bacula director cannot reach the file daemon " + s.client() + ": "
                        + oneLine(fd) + " — the restore needs bacula-fd running on this machine with the director's password"));
            }
            return new VerifyResult(Long.toString(chosen.id()), VerifyResult.Depth.CATALOG, findings, Map.of("jobIds",
                    chain.stream().map(String::valueOf).collect(Collectors.joining(",")), "volumes", String.join(",", volumes),
                    "client", s.client(), "fileset", fileset));
        }
    }

    // ------------------------------------------------------------------------------------ waiting

    /** Polls {@code llist jobid=N} until the job has ended; returns its last record. Cancels the job on timeout or cancellation. */
    private static Map<String, String> waitFor(Bconsole console, BaculaSettings s, ProviderContext context, long jobId, String what) {
        Instant start = context.clock().instant();
        Instant limit = start.plus(s.jobTimeout());
        String last = null;
        try {
            while (true) {
                context.checkCancelled();
                List<Map<String, String>> records = BconsoleOutput.records(console.one("llist jobid=" + jobId));
                if (records.isEmpty()) {
                    throw new ProviderException(Kind.FAILED, "the Bacula " + what + " job " + jobId + " is not in the catalog (llist jobid="
                            + jobId + " lists nothing)");
                }
                Map<String, String> r = records.get(0);
                String status = r.getOrDefault("JobStatus", "?");
                char letter = status.isEmpty() ? '?' : status.charAt(0);
                if (JobStatus.finished(letter)) {
                    context.progress().report(Progress.of("Bacula " + what + " job " + jobId + " " + JobStatus.describe(letter),
                            BconsoleOutput.number(r, "JobBytes"), BconsoleOutput.number(r, "JobFiles")));
                    return r;
                }
                String phase = "Bacula " + what + " job " + jobId + " " + JobStatus.describe(letter);
                // the file daemon's own count while the job runs (only then: asking a client the director cannot reach blocks)
                Optional<BconsoleOutput.ClientProgress> fd = letter == 'R'
                        ? BconsoleOutput.clientProgress(console.one("status client=" + quote(s.client())), jobId) : Optional.empty();
                if (fd.isPresent()) {
                    context.progress().report(new Progress(phase, fd.get().bytes(), null, fd.get().files(), fd.get().expected()));
                } else {
                    context.progress().report(Progress.of(phase, BconsoleOutput.number(r, "JobBytes"), BconsoleOutput.number(r, "JobFiles")));
                }
                if (!phase.equals(last)) {
                    context.log().info(phase);
                    last = phase;
                }
                if (!context.clock().instant().isBefore(limit)) {
                    throw new ProviderException(Kind.TIMED_OUT, "the Bacula " + what + " job " + jobId + " was still " + JobStatus.describe(letter)
                            + " after " + s.jobTimeout().toSeconds() + " s (BACULA_JOB_TIMEOUT); it was cancelled");
                }
                context.pause(s.pollInterval());
            }
        } catch (ProviderException e) {
            if (e.kind() == Kind.TIMED_OUT || e.kind() == Kind.CANCELLED) {
                cancel(console, jobId, context);
            }
            throw e;
        }
    }

    private static void cancel(Bconsole console, long jobId, ProviderContext context) {
        try {
            console.one("cancel jobid=" + jobId + " yes");
            context.log().warn("cancelled Bacula job " + jobId);
        } catch (RuntimeException e) {
            context.log().warn("could not cancel Bacula job " + jobId + ": " + e.getMessage());
        }
    }

    /** The verdict on a finished job: nothing (OK), warnings, or a FAILED exception with the job log's error lines. */
    private static List<Diagnostic> judge(Bconsole console, long jobId, String what, Map<String, String> end) {
        String status = end.getOrDefault("JobStatus", "?");
        char letter = status.isEmpty() ? '?' : status.charAt(0);
        long errors = BconsoleOutput.number(end, "JobErrors");
        JobStatus.Verdict v = JobStatus.verdict(letter, errors);
        if (v == JobStatus.Verdict.OK) {
            return List.of();
        }
        List<String> log = List.of();
        try {
            log = BconsoleOutput.errorLines(BconsoleOutput.joblog(console.one("list joblog jobid=" + jobId)));
        } catch (RuntimeException e) {
            log = List.of("(the job log could not be read: " + e.getMessage() + ")");
        }
        String lines = log.isEmpty() ? "" : ": " + String.join(" | ", log.subList(0, Math.min(6, log.size())))
                + (log.size() > 6 ? " | ... (" + (log.size() - 6) + " more)" : "");
        String msg = "Bacula " + what + " job " + jobId + " ended with JobStatus " + JobStatus.describe(letter) + " and " + errors
                + " error" + (errors == 1 ? "" : "s") + lines + "; see 'list joblog jobid=" + jobId + "' in bconsole";
        if (v == JobStatus.Verdict.WARNING) {
            return List.of(Diagnostic.warning(msg));
        }
        throw new ProviderException(Kind.FAILED, msg);
    }

    private static String oneLine(String answer) {
        String s = answer.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("+-") && !l.startsWith("|"))
                .collect(Collectors.joining(" / "));
        return s.isEmpty() ? "(nothing)" : s.length() > 600 ? s.substring(0, 600) + " ..." : s;
    }

    // ------------------------------------------------------------------------------------ console config

    /** A bconsole on the configured config file, or on a private one written for this operation. */
    static final class Console implements AutoCloseable {
        static final String PASSWORD = "BACULA_CONSOLE_PASSWORD";
        static final String DIRECTOR_NAME = "BACULA_DIRECTOR_NAME";
        static final String DIRECTOR_ADDRESS = "BACULA_DIRECTOR_ADDRESS";
        static final String DIRECTOR_PORT = "BACULA_DIRECTOR_PORT";

        private final Bconsole bconsole;
        private final Path written;

        private Console(Bconsole bconsole, Path written) {
            this.bconsole = bconsole;
            this.written = written;
        }

        Bconsole bconsole() {
            return bconsole;
        }

        /**
         * The configured {@code bconsole.conf}; when it is not there (left out of the rescue system,
         * {@code BACULA_RESCUE_CONSOLE_CONFIG=no}) a private one in the temp directory, mode 0600, made
         * from {@code BACULA_DIRECTOR_NAME/_ADDRESS/_PORT} and the console password
         * ({@code BACULA_CONSOLE_PASSWORD}, or asked).
         */
        static Console open(ProviderContext context, BaculaSettings s) {
            Path program = s.binDir().resolve("bconsole");
            Duration timeout = Duration.ofMinutes(10);
            if (Files.isReadable(s.bconsoleConf())) {
                return new Console(new Bconsole(context, program, s.bconsoleConf(), timeout), null);
            }
            ProviderSettings p = context.settings();
            Optional<String> address = p.get(DIRECTOR_ADDRESS);
            if (address.isEmpty()) {
                throw new ProviderException(Kind.MISCONFIGURED, "the bconsole configuration " + s.bconsoleConf() + " is not there and"
                        + " BACULA_DIRECTOR_ADDRESS is not set, so rear cannot reach the Bacula director");
            }
            String name = p.get(DIRECTOR_NAME).orElseThrow(() -> new ProviderException(Kind.MISCONFIGURED,
                    "BACULA_DIRECTOR_NAME is not set: bconsole needs the director's Name to talk to it"));
            String port = p.get(DIRECTOR_PORT).orElse("9101");
            String password = p.get(PASSWORD).or(() -> context.ask("Bacula console password for the director " + name + " at "
                    + address.get() + ":" + port + "?", true)).orElseThrow(() -> new ProviderException(Kind.AUTHENTICATION,
                    "the Bacula console password is needed (bconsole.conf was left out of the rescue system): set BACULA_CONSOLE_PASSWORD"
                            + " or run the recovery at a console"));
            for (String v : List.of(name, address.get(), port, password)) {
                if (v.contains("\"") || v.contains("\n") || v.contains("\\")) {
                    throw new ProviderException(Kind.MISCONFIGURED, "a Bacula director name, address, port or password cannot contain"
                            + " a double quote, backslash or line break");
                }
            }
            Path conf = context.tempDirectory().resolve("bconsole.conf");
            try {
                Files.deleteIfExists(conf);
                Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(conf, "Director {\n  Name = \"" + name + "\"\n  DIRport = " + port + "\n  Address = \"" + address.get()
                        + "\"\n  Password = \"" + password + "\"\n}\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a private bconsole configuration in " + context.tempDirectory(), e);
            }
            return new Console(new Bconsole(context, program, conf, timeout), conf);
        }

        @Override
        public void close() {
            if (written != null) {
                try {
                    Files.deleteIfExists(written);
                } catch (IOException e) {
                    // the engine deletes the temp directory anyway
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------ offline

    /** {@code bextract} from a volume when no director answers. */
    static final class Offline {
        private Offline() {}

        static RestoreResult restore(RestoreRequest request, ProviderContext context, BaculaSettings s, String why) {
            if (!request.restorePoint().isLatest()) {
                throw new ProviderException(Kind.REFUSED, "no Bacula director answers (" + why + ") and the offline restore with bextract"
                        + " replays every job on the volume, so it cannot restore " + request.restorePoint());
            }
            String volume = s.bextractVolume() == null ? "*" : s.bextractVolume();
            context.log().warn("no Bacula director answers (" + why + "); restoring offline with bextract from volume(s) " + volume
                    + " on " + s.bextractDevice());
            context.progress().report(Progress.phase("bextract from " + s.bextractDevice() + " volume(s) " + volume));
            context.checkCancelled();
            CommandSpec spec = new CommandSpec(List.of(s.binDir().resolve("bextract").toString(), "-c", s.confDir().resolve("bacula-sd.conf").toString(),
                    "-V", volume, s.bextractDevice(), request.targetRoot().toString()), s.jobTimeout(), Map.of(), Set.of(0), Set.of(), null);
            CommandResult r;
            try {
                r = context.commands().run(spec);
            } catch (CommandFailedException e) {
                String out = (e.result().stdout() + "\n" + e.result().stderr()).strip();
                List<String> lines = out.lines().filter(l -> l.contains("ERR") || l.contains("rror") || l.contains("Cannot")).limit(5).toList();
                throw new ProviderException(Kind.FAILED, "'" + spec.display() + "' failed with exit code " + e.result().exitCode()
                        + (lines.isEmpty() ? "" : ": " + String.join(" | ", lines)), e);
            }
            String out = r.stdout() + "\n" + r.stderr();
            OptionalLong files = BconsoleOutput.filesRestored(out);
            context.progress().report(Progress.of("bextract finished", 0, files.orElse(0)));
            List<String> errors = out.lines().filter(l -> l.contains("Error") || l.contains("ERR=")).toList();
            RestoreResult.Builder b = RestoreResult.builder("bextract:" + volume).restored("/").counts(files.isPresent() ? files.getAsLong() : null, null)
                    .fact("mode", "bextract").fact("volume", volume).fact("device", s.bextractDevice())
                    .warning(Diagnostic.warning("restored offline with bextract from volume(s) " + volume + " on " + s.bextractDevice()
                            + ": every job on the volume(s) was replayed oldest first, so files deleted between backups may be back"));
            if (!errors.isEmpty()) {
                b.warning(Diagnostic.warning("bextract reported " + errors.size() + " error line(s): "
                        + String.join(" | ", errors.subList(0, Math.min(5, errors.size())))));
            }
            if (files.isEmpty() || files.getAsLong() == 0) {
                throw new ProviderException(Kind.FAILED, "bextract restored no file from volume(s) " + volume + " on " + s.bextractDevice()
                        + "; it said: " + out.lines().filter(l -> !l.isBlank()).limit(5).collect(Collectors.joining(" | ")));
            }
            return b.build();
        }
    }
}
