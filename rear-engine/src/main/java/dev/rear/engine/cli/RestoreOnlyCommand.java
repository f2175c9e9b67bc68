package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.event.StepSucceeded;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.Step;
import dev.rear.engine.recover.Executor;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.recover.RestoreAction;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rear restoreonly}: restore the backup into a target root that is already prepared and mounted (journaled). */
@Command(name = "restoreonly",
        description = {"Restore the backup through the configured backup provider (BACKUP=...) into a",
            "target root that is already prepared: filesystems made and mounted under it",
            "(e.g. by 'rear layoutonly' or by hand). Refuses a target root that holds files",
            "unless --overwrite. Journaled like recover (restoreonly-TIME.jsonl in",
            "/var/lib/rear/recovery, or --journal FILE)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:restored", "  2:usage error", "  4:the target root is not a directory",
            "  6:the restore failed (the journal names why)", "  7:a file could not be read or written",
            "  8:the configuration or the provider's settings are invalid", "130:interrupted (Ctrl-C)"})
final class RestoreOnlyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Rear root;

    @Option(names = "--target-root", paramLabel = "DIR", description = "The prepared root to restore into (default: /mnt/local).")
    Path targetRoot = Path.of("/mnt/local");

    @Option(names = "--restore-point", paramLabel = "ID", description = "The restore point to restore (default: the latest).")
    @Nullable String restorePoint;

    @Option(names = "--overwrite", description = "Restore over files the target root already holds.")
    boolean overwrite;

    @Option(names = "--journal", paramLabel = "FILE", description = "The journal (default: a new restoreonly-TIME.jsonl in "
            + RecoverCommand.JOURNAL_DIR_TEXT + ").")
    @Nullable Path journal;

    @Option(names = "--json", description = "Print one JSON document with the outcome (progress then goes to standard error).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path target = targetRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "the target root " + target
                    + " is not a directory; prepare and mount the filesystems there first (rear layoutonly)");
        }
        if (root.simulating()) {
            try (ProviderRun run = ProviderRun.open(root, spec, "restoreonly", json, false)) {
                out.println("restoreonly (simulation): backup provider '" + run.provider.id() + "' (BACKUP=" + run.config.backup().name()
                        + ") would restore " + (restorePoint == null ? "the latest restore point" : "restore point " + restorePoint) + " into "
                        + target + (overwrite ? ", over what it holds" : "") + "; nothing was touched");
                return ExitCode.OK.code();
            }
        }
        try (ProviderRun run = ProviderRun.open(root, spec, "restoreonly", json, false);
             dev.rear.engine.workflow.ProviderServices services = run.startServices()) {
            Path j = journal != null ? ProviderRun.journalFile(journal) : ProviderRun.newJournal(RecoverCommand.JOURNAL_DIR, "restoreonly");
            Step step = new Step(Planner.RESTORE_STEP, Planner.RESTORE_STEP, "restore the backup into " + target + " through backup provider '"
                    + run.provider.id() + "'", List.of(), List.of(), List.of(Planner.RESTORED), List.of(), Check.none());
            Plan plan = new Plan(new DiskMapping(List.of()), new ResizePolicy.Result(List.of(), Map.of(), List.of()), List.of(step), Map.of());
            RestorePointSelector selector = restorePoint == null ? RestorePointSelector.latest() : RestorePointSelector.byId(restorePoint);
            RestoreAction action = new RestoreAction(run.provider, target, selector, false, overwrite, run::context);
            if (!json) {
                out.println("restoreonly: backup provider '" + run.provider.id() + "' restores " + selector + " into " + target);
                out.println("journal: " + j);
                out.flush();
            }
            Executor.Outcome o = new Executor(new ProcessCommandRunner(), HostProbe.linux(), Clock.systemUTC())
                    .withAction(Planner.RESTORE_STEP, (st, ctx) -> {
                        Map<String, String> f = new java.util.LinkedHashMap<>(action.run(st, ctx));
                        f.putAll(services.facts());
                        return f;
                    })
                    .withNotes(line -> run.err.println("rear: " + line))
                    .run(plan, "restoreonly", "none", j, true);
            run.progress.finish();
            Map<String, String> facts = o.ok() ? facts(j) : Map.of();
            ExitCode code = o.ok() ? ExitCode.OK : run.interrupted() ? ExitCode.INTERRUPTED : ExitCode.RECOVERY_INCOMPLETE;
            if (json) {
                ObjectNode doc = JsonNodeFactory.instance.objectNode();
                doc.put("workflow", "restoreonly").put("verdict", o.verdict().name().toLowerCase(java.util.Locale.ROOT))
                        .put("message", o.message()).put("journal", j.toString()).put("targetRoot", target.toString()).put("exitCode", code.code());
                ObjectNode f = doc.putObject("facts");
                facts.forEach(f::put);
                Json.print(out, doc);
            }
            if (!o.ok()) {
                run.err.println("rear: " + o.message());
                run.err.flush();
                if (!json) {
                    out.println("restoreonly: FAILED; journal " + j);
                }
            } else if (!json) {
                out.println("restoreonly: restored " + facts.getOrDefault("files", "?") + " files, "
                        + MkBackupOnlyCommand.size(facts.get("bytes")) + " of restore point " + facts.getOrDefault("restorePoint", "?")
                        + " into " + target + " (" + facts.getOrDefault("warnings", "0") + " warnings); journal " + j);
            }
            out.flush();
            return code.code();
        }
    }

    /** The facts of the journal's succeeded step. */
    static Map<String, String> facts(Path journal) {
        return facts(journal, Planner.RESTORE_STEP);
    }

    /** The facts the journal's step {@code stepId} succeeded with; empty when it did not (or was skipped). */
    static Map<String, String> facts(Path journal, String stepId) {
        return JournalReader.read(journal).events().stream()
                .filter(StepSucceeded.class::isInstance).map(StepSucceeded.class::cast).filter(s -> s.stepId().equals(stepId))
                .reduce((a, b) -> b).map(StepSucceeded::facts).orElse(Map.of());
    }
}
