package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.engine.config.BackupType;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.recover.BackupAction;
import dev.rear.engine.recover.Executor;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.provider.ConsoleProgress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rear mkbackuponly}: back up this system through the configured provider, journaled. */
@Command(name = "mkbackuponly",
        description = {"Back up this system through the configured backup provider (BACKUP=..., e.g.",
            "NETFS to BACKUP_URL), without making a rescue system. What is backed up: the",
            "mountpoints of the local filesystems discovery finds (each without crossing",
            "into other filesystems) plus BACKUP_PROG_INCLUDE, less BACKUP_PROG_EXCLUDE and",
            "EXCLUDE_MOUNTPOINTS; with --source-root DIR, the tree under DIR as if it were",
            "/. Journaled (run started, the step with every volume written, completed with",
            "the manifest hash) in /var/lib/rear/journal/mkbackuponly-TIME.jsonl or",
            "--journal FILE: an interrupted backup ends its journal as failed and can never",
            "be taken for a good one."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:backed up", "  2:usage error", "  4:--source-root is not a directory",
            "  5:the backup failed (the journal says why)", "  7:a file could not be read or written",
            "  8:the configuration or the provider's settings are invalid", "130:interrupted (Ctrl-C)"})
final class MkBackupOnlyCommand implements Callable<Integer> {

    static final Path JOURNAL_DIR = Path.of("/var/lib/rear/journal");
    static final String JOURNAL_DIR_TEXT = "/var/lib/rear/journal";

    @Spec
    CommandSpec spec;

    @ParentCommand
    Rear root;

    @Mixin
    LayoutOptions options;

    @Option(names = "--source-root", paramLabel = "DIR", description = "Back up the tree under DIR (a mounted snapshot) as if it were /.")
    @Nullable Path sourceRoot;

    @Option(names = "--journal", paramLabel = "FILE", description = "The backup journal (default: a new mkbackuponly-TIME.jsonl in "
            + JOURNAL_DIR_TEXT + ").")
    @Nullable Path journal;

    @Option(names = "--json", description = "Print one JSON document with the outcome (progress then goes to standard error).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (sourceRoot != null && !Files.isDirectory(sourceRoot, LinkOption.NOFOLLOW_LINKS)) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "--source-root " + sourceRoot + " is not a directory");
        }
        try (ProviderRun run = ProviderRun.open(root, spec, "mkbackuponly", json, false)) {
            List<String> includes = new ArrayList<>();
            String descriptorSha = "none";
            if (sourceRoot != null) {
                includes.add("/");
            } else if (!run.config.backupOnlyInclude()) {
                SystemDescriptor d = root.services().discovery(options.discoveryOptions(run.config)).discover().descriptor();
                descriptorSha = DescriptorJson.sha256(d);
                includes.addAll(mountpoints(d));
            }
            run.config.backupProgInclude().stream().filter(i -> !includes.contains(i)).forEach(includes::add);
            if (includes.isEmpty()) {
                includes.add("/");
            }
            List<String> excludes = new ArrayList<>(run.config.backupProgExclude());
            run.config.excludeMountpoints().forEach(m -> excludes.add(m.replaceAll("/+$", "") + "/*"));
            BackupKind kind = run.config.backupType() == BackupType.INCREMENTAL ? BackupKind.INCREMENTAL
                    : run.config.backupType() == BackupType.DIFFERENTIAL ? BackupKind.DIFFERENTIAL : BackupKind.FULL;
            BackupRequest request = new BackupRequest(kind, sourceRoot == null ? Path.of("/") : sourceRoot.toAbsolutePath(), includes,
                    excludes, null);
            Path j = journal != null ? ProviderRun.journalFile(journal) : ProviderRun.newJournal(JOURNAL_DIR, "mkbackuponly");
            if (!json) {
                out.println("mkbackuponly: backup provider '" + run.provider.id() + "' (BACKUP=" + run.config.backup().name() + ") backs up "
                        + String.join(" ", includes) + (sourceRoot == null ? "" : " of " + request.sourceRoot()));
                out.println("journal: " + j);
                out.flush();
            }
            BackupAction action = new BackupAction(run.provider, request, run::context);
            Plan plan = BackupAction.plan(run.provider, request);
            long t0 = System.nanoTime();
            Executor.Outcome o = new Executor(new ProcessCommandRunner(), HostProbe.linux(), Clock.systemUTC())
                    .withAction(BackupAction.STEP, action)
                    .withNotes(line -> run.err.println("rear: " + line))
                    .run(plan, "mkbackuponly", descriptorSha, j, true);
            double seconds = (System.nanoTime() - t0) / 1e9;
            run.progress.finish();
            BackupResult r = action.result();
            ExitCode code = o.ok() ? ExitCode.OK : run.interrupted() ? ExitCode.INTERRUPTED : ExitCode.PROVIDER_FAILURE;
            if (json) {
                ObjectNode doc = JsonNodeFactory.instance.objectNode();
                doc.put("workflow", "mkbackuponly").put("verdict", o.verdict().name().toLowerCase(Locale.ROOT)).put("message", o.message())
                        .put("journal", j.toString()).put("seconds", Math.round(seconds * 1000) / 1000.0).put("exitCode", code.code());
                if (r != null) {
                    doc.put("restorePoint", r.restorePointId());
                    if (r.files() != null) {
                        doc.put("files", r.files());
                    }
                    if (r.bytes() != null) {
                        doc.put("bytes", r.bytes());
                    }
                    doc.put("contentSha256", r.contentSha256()).put("manifestSha256", r.manifestSha256());
                    var w = doc.putArray("written");
                    r.written().forEach(w::add);
                    var warn = doc.putArray("warnings");
                    r.warnings().forEach(x -> warn.add(x.message()));
                }
                Json.print(out, doc);
            }
            if (!o.ok() || r == null) {
                run.err.println("rear: " + o.message());
                run.err.flush();
                if (!json) {
                    out.println("mkbackuponly: FAILED; no backup was made (journal " + j + ")");
                }
            } else if (!json) {
                out.println("mkbackuponly: backed up " + (r.files() == null ? "?" : String.format(Locale.ROOT, "%,d", r.files())) + " files, "
                        + size(r.bytes() == null ? null : r.bytes().toString()) + " in " + String.format(Locale.ROOT, "%.1f s", seconds)
                        + (r.bytes() == null || seconds <= 0 ? "" : " (" + ConsoleProgress.bytes((long) (r.bytes() / seconds)) + "/s)")
                        + " to " + String.join(", ", r.written()) + (r.manifestSha256() == null ? "" : "; manifest sha256 " + r.manifestSha256())
                        + (r.warnings().isEmpty() ? "" : "; " + r.warnings().size() + " warnings") + "; journal " + j);
            }
            out.flush();
            return code.code();
        }
    }

    /** The mountpoints of the described filesystems, parents first. */
    static List<String> mountpoints(SystemDescriptor d) {
        TreeSet<String> mps = new TreeSet<>();
        for (Filesystem f : d.filesystems()) {
            for (Mount m : f.mounts()) {
                mps.add(m.mountpoint());
            }
        }
        return new ArrayList<>(mps);
    }

    /** Bytes given as text, shown with a unit; {@code ?} when unknown. */
    static String size(@Nullable String bytes) {
        if (bytes == null) {
            return "? bytes";
        }
        try {
            return ConsoleProgress.bytes(Long.parseLong(bytes));
        } catch (NumberFormatException e) {
            return bytes + " bytes";
        }
    }

}
