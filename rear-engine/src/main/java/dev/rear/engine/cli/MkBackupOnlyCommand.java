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
        if (root.simulating()) {
            return simulate(out);
        }
        try (ProviderRun run = ProviderRun.open(root, spec, "mkbackuponly", json, false)) {
            SystemDescriptor layout = null;
            String descriptorSha = "none";
            if (BackupWork.needsLayout(run.config, sourceRoot)) {
                layout = root.services().discovery(options.discoveryOptions(run.config)).discover().descriptor();
                descriptorSha = DescriptorJson.sha256(layout);
            }
            BackupWork work = BackupWork.of(run.config, layout, sourceRoot);
            BackupRequest request = work.request();
            Path j = journal != null ? ProviderRun.journalFile(journal) : ProviderRun.newJournal(JOURNAL_DIR, "mkbackuponly");
            if (!json) {
                out.println("mkbackuponly: " + work.describe(run));
                out.println("journal: " + j);
                out.flush();
            }
            BackupAction action = work.action(run);
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
                    BackupWork.putJson(doc, r);
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
                out.println("mkbackuponly: " + BackupWork.summary(r, seconds) + "; journal " + j);
            }
            out.flush();
            return code.code();
        }
    }

    /** What would be backed up, and how; nothing is read or written. */
    private int simulate(PrintWriter out) {
        try (ProviderRun run = ProviderRun.open(root, spec, "mkbackuponly", json, false)) {
            BackupWork work = BackupWork.of(run.config, null, sourceRoot);
            List<String> what = new ArrayList<>();
            if (BackupWork.needsLayout(run.config, sourceRoot)) {
                what.add("the mountpoints of the local filesystems (discovered when it runs)");
            }
            what.addAll(work.request().includes().stream().filter(i -> !i.equals("/") || sourceRoot != null).toList());
            out.println("mkbackuponly (simulation): backup provider '" + run.provider.id() + "' (BACKUP=" + run.config.backup().name()
                    + ") to " + run.config.shown("BACKUP_URL", run.config.backupUrl()) + " would back up " + String.join(", ", what)
                    + (sourceRoot == null ? "" : " of " + work.request().sourceRoot()) + ", less " + String.join(" ", work.request().excludes())
                    + "; journal in " + (journal != null ? journal : JOURNAL_DIR_TEXT + "/mkbackuponly-TIME.jsonl"));
            if (run.embeddedDirToMake() != null) {
                out.println("mkbackuponly (simulation): " + run.embeddedDirToMake() + " does not exist yet: the run makes it (mode 0700)");
            }
            out.println("mkbackuponly (simulation): 1 step would run; nothing was touched");
            out.flush();
            return ExitCode.OK.code();
        }
    }

    /** The mountpoints of the described filesystems, parents first. */
    static List<String> mountpoints(SystemDescriptor d) {
        return BackupWork.mountpoints(d);
    }

    /** Bytes given as text, shown with a unit; {@code ?} when unknown. */
    static String size(@Nullable String bytes) {
        return BackupWork.size(bytes);
    }
}
