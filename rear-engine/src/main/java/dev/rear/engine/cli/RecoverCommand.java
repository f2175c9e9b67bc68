package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.RestorePoint;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.layout.LayoutStore;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.MappingFile;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanOptions;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.TargetDisk;
import dev.rear.engine.provider.EngineProviderContext;
import dev.rear.engine.recover.Executor;
import dev.rear.engine.recover.ExecutorRefusedException;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.recover.RestoreAction;
import dev.rear.engine.recover.SysBlockDisks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rear recover}: in the rescue system, the whole recovery — pre-flight (provider settings,
 * backup reachable and verified), plan (disk mapping, resize), confirmation, then the journaled run:
 * layout, restore through the provider, finalize. {@code --resume} continues an interrupted run;
 * {@code -s} shows the steps and touches nothing.
 */
@Command(name = "recover",
        description = {"Recover this machine: recreate the disk layout of the saved descriptor on the",
            "target disks, restore the backup into it through the configured backup",
            "provider (BACKUP=...), and finalize it. Before any disk is touched: the",
            "provider's settings are checked, and the backup is read back and verified",
            "where the provider can (a damaged backup stops the recovery, naming the first",
            "bad entry). Then the plan is printed and 'type YES' asked for, unless --yes or",
            "'unattended' on the kernel command line. Every step is journaled under",
            "/var/lib/rear/recovery (recover-TIME.jsonl); --resume continues a run that was",
            "cut off (power loss, crash, kill) or that stopped at a failed step once its",
            "cause is fixed: steps done are not done again, the interrupted or failed one",
            "is checked first, and no confirmation is asked again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:recovered (or, with -s, the steps were listed)", "  2:usage error", "  3:the descriptor is not valid",
            "  4:pre-flight failed (backup damaged or missing, a target failed the safety gate, not confirmed)",
            "  5:the backup provider failed before anything was written", "  6:a step failed (the journal names it); once the cause is fixed, recover --resume continues",
            "  7:a file could not be read or written", "  8:the configuration or the provider's settings are invalid",
            "  9:the journal is damaged", "130:interrupted (Ctrl-C)"})
final class RecoverCommand implements Callable<Integer> {

    static final Path JOURNAL_DIR = Path.of("/var/lib/rear/recovery");
    static final String JOURNAL_DIR_TEXT = "/var/lib/rear/recovery";

    @Spec
    CommandSpec spec;

    @ParentCommand
    Rear root;

    @Option(names = "--descriptor", paramLabel = "FILE", description = "The descriptor to recover (default: descriptor.json in the layout directory).")
    @Nullable Path descriptor;

    @Option(names = "--layout-dir", paramLabel = "DIR", description = "The layout directory (default: /var/lib/rear/layout).")
    Path layoutDir = LayoutStore.DEFAULT_DIR;

    @Option(names = "--mapping", paramLabel = "FILE", description = "A disk_mappings file: 'original target' per line; the rest is mapped automatically.")
    @Nullable Path mapping;

    @Option(names = "--resize", paramLabel = "last|proportional", description = "Resize policy for targets of another size (default: last).")
    String resize = "last";

    @Option(names = "--used", paramLabel = "DEV|MOUNTPOINT=BYTES", description = "Used space of a filesystem or LV, allowing it to shrink"
            + " onto a smaller target; wins over the figure recorded at capture time (as for 'rear plan').")
    List<String> used = new ArrayList<>();

    @Option(names = "--key-file", paramLabel = "FILE", description = "The LUKS key file (default: the key is asked for).")
    @Nullable String keyFile;

    @Option(names = "--target-root", paramLabel = "DIR", description = "Where the recreated filesystems are mounted and restored (default: /mnt/local).")
    String targetRoot = PlanOptions.DEFAULTS.targetRoot();

    @Option(names = "--journal", paramLabel = "FILE", description = "The journal (default: a new recover-TIME.jsonl in " + JOURNAL_DIR_TEXT
            + "; with --resume the newest there).")
    @Nullable Path journal;

    @Option(names = "--restore-point", paramLabel = "ID", description = "The restore point to recover (see 'rear restorepoints'; default: the latest).")
    @Nullable String restorePoint;

    @Option(names = "--resume", description = "Continue the run of the journal that was cut off or stopped at a failed step (confirmed when it started).")
    boolean resume;

    @Option(names = "--yes", description = "Do not ask for confirmation (unattended).")
    boolean yes;

    @Option(names = "--json", description = "Print one JSON document with the outcome (progress then goes to standard error).")
    boolean json;

    /** The host's block devices and mounts; tests need none, this workflow runs as root on real disks. */
    HostProbe host = HostProbe.linux();
    Path sysBlock = Path.of("/sys/block");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path descriptorFile = descriptor != null ? descriptor : new LayoutStore(layoutDir).descriptorFile();
        if (!Files.isRegularFile(descriptorFile)) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "there is no descriptor " + descriptorFile
                    + ": run 'rear savelayout' (or mkrescue) on the live system, or give --descriptor FILE");
        }
        SystemDescriptor d = DescriptorFiles.load(descriptorFile);
        String sha = DescriptorJson.sha256(d);
        boolean unattended = yes || kernelSaysUnattended();
        Plan plan = plan(d);
        if (root.simulating()) {
            try (ProviderRun run = ProviderRun.open(root, spec, "recover", json, true)) {
                return simulate(out, plan, run);
            }
        }
        try (ProviderRun run = ProviderRun.open(root, spec, "recover", json, unattended);
             dev.rear.engine.workflow.ProviderServices services = run.startServices()) {
            if (!json) {
                out.println("recover: backup provider '" + run.provider.id() + "' (BACKUP=" + run.config.backup().name() + ")");
                out.flush();
            }
            PreFlight pre = preFlight(run);
            if (!json) {
                out.println("pre-flight: " + pre.summary());
                out.flush();
            }
            if (pre.restorePointId() != null) {
                plan = RestoreAction.bind(plan, pre.restorePointId());
            }
            if (!json) {
                out.print(plan.toText().replace("Nothing was written; this is a plan.\n", ""));
                out.flush();
            }
            Path j = journalPath();
            boolean confirmed = resume || unattended || dev.rear.engine.provider.Prompt.console(false).typedYes("This DESTROYS everything on the target disks above, then restores the backup.");
            RestoreAction restore = new RestoreAction(run.provider, Path.of(targetRoot), pre.selector(), true, false, run::context);
            Executor ex = new Executor(shown(new ProcessCommandRunner(), json ? null : out), host, Clock.systemUTC())
                    .withAction(Planner.RESTORE_STEP, (step, ctx) -> {
                        Map<String, String> facts = new LinkedHashMap<>(restore.run(step, ctx));
                        facts.putAll(services.facts());
                        return facts;
                    })
                    .withNotes(line -> {
                        run.err.println("rear: " + line);
                        run.err.flush();
                    });
            // The finalize steps (config rewrites, initramfs, bootloader, EFI entries, verify, unmount).
            ex = dev.rear.engine.recover.finalize.FinalizeActions.register(ex,
                    withJournalCopy(dev.rear.engine.recover.finalize.FinalizeActions.forPlan(d, plan, targetRoot)));
            if (!json) {
                out.println("journal: " + j);
                out.flush();
            }
            Executor.Outcome o;
            try {
                o = resume ? ex.resume(plan, sha, j, confirmed) : ex.run(plan, "recover", sha, j, confirmed);
            } catch (ExecutorRefusedException e) {
                throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, e.getMessage()
                        + (confirmed ? "" : " (give --yes to run without a terminal to ask on)") + "; nothing was written");
            }
            run.progress.finish();
            return verdict(out, run, o, j, pre);
        }
    }

    /**
     * The finalize actions, the unmount first copying the journal and the run log into the recovered
     * system's {@code var/log/rear/recover/} ({@link dev.rear.engine.workflow.JournalCopy}).
     */
    Map<String, dev.rear.engine.recover.StepAction> withJournalCopy(Map<String, dev.rear.engine.recover.StepAction> actions) {
        Map<String, dev.rear.engine.recover.StepAction> m = new java.util.TreeMap<>(actions);
        dev.rear.engine.recover.StepAction unmount = m.get("unmount");
        if (unmount != null) {
            m.put("unmount", new dev.rear.engine.workflow.JournalCopy(Path.of(targetRoot), root.services().runLog(), unmount));
        }
        return m;
    }

    /** What the pre-flight found: the restore point to restore and a line for the administrator. */
    record PreFlight(@Nullable String restorePointId, String summary) {
        RestorePointSelector selector() {
            return restorePointId == null ? RestorePointSelector.latest() : RestorePointSelector.byId(restorePointId);
        }
    }

    /**
     * The backup is there and restorable, before any disk is touched: verified end to end where the
     * provider can, else at least listed; anything wrong ends the recovery here.
     */
    private PreFlight preFlight(ProviderRun run) {
        var caps = run.provider.capabilities();
        try (EngineProviderContext ctx = run.context(new ProcessCommandRunner())) {
            if (caps.contains(Capability.VERIFY)) {
                VerifyResult v = run.provider.verify(new VerifyRequest(restorePoint == null ? RestorePointSelector.latest()
                        : RestorePointSelector.byId(restorePoint)), ctx);
                run.progress.finish();
                if (!v.ok()) {
                    String first = v.findings().stream().filter(Diagnostic::isError).findFirst().map(Diagnostic::message).orElse("?");
                    throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "pre-flight: the backup (restore point "
                            + v.restorePointId() + ") cannot be restored: " + first + "; nothing was written to any disk");
                }
                return new PreFlight(v.restorePointId(), "backup verified (" + depth(v.depth()) + "): restore point " + v.restorePointId()
                        + facts(v.facts()));
            }
            if (caps.contains(Capability.LIST_RESTORE_POINTS)) {
                List<RestorePoint> points = run.provider.listRestorePoints(ctx);
                if (points.isEmpty()) {
                    throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "pre-flight: backup provider '" + run.provider.id()
                            + "' has no restore point for this machine; nothing was written to any disk");
                }
                RestorePoint latest = restorePoint == null ? points.get(points.size() - 1) : points.stream()
                        .filter(p -> p.id().equals(restorePoint)).findFirst().orElseThrow(() -> new Rear.ExitException(
                                ExitCode.PRECONDITION_FAILED, "pre-flight: backup provider '" + run.provider.id() + "' has no restore point "
                                + restorePoint + " (it has " + String.join(", ", points.stream().map(RestorePoint::id).toList())
                                + "); nothing was written to any disk"));
                return new PreFlight(latest.id(), "backup reachable: restore point " + latest.id() + " of " + latest.createdAt()
                        + " (provider '" + run.provider.id() + "' cannot verify content before restoring)");
            }
            return new PreFlight(restorePoint, "backup provider '" + run.provider.id()
                    + "' can neither verify nor list its backups: the backup is first read when restoring");
        } catch (ProviderException e) {
            throw new Rear.ExitException(e.kind() == ProviderException.Kind.CANCELLED ? ExitCode.INTERRUPTED : ExitCode.PROVIDER_FAILURE,
                    "pre-flight: backup provider '" + run.provider.id() + "' could not check the backup ("
                    + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "): " + e.getMessage()
                    + "; nothing was written to any disk");
        }
    }

    private static String depth(VerifyResult.Depth depth) {
        return depth == VerifyResult.Depth.CONTENT ? "every byte read back and checked against the manifest"
                : "the backup server confirmed the restore point; content not read";
    }

    private static String facts(Map<String, String> facts) {
        return facts.isEmpty() ? "" : ", " + String.join(", ", new java.util.TreeMap<>(facts).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    /** The plan: mapping file entries, the rest mapped automatically onto this machine's disks. */
    Plan plan(SystemDescriptor d) {
        Map<String, String> lines = mapping == null ? Map.of() : MappingFile.read(mapping);
        List<TargetDisk> disks = new ArrayList<>();
        for (String t : lines.values()) {
            OptionalLong size = host.sizeBytes(t);
            if (size.isPresent() && size.getAsLong() > 0) {
                disks.add(TargetDisk.of(t, size.getAsLong()));
            }
        }
        if (lines.size() < d.disks().size()) {
            for (TargetDisk t : SysBlockDisks.read(sysBlock)) {
                if (disks.stream().anyMatch(x -> x.path().equals(t.path()))) {
                    continue;
                }
                String busy = inUse(t.path());
                if (busy != null) {
                    // the rescue medium, the backup disk, the journal's disk: never a candidate for a layout
                    (spec == null ? new PrintWriter(System.err, true) : spec.commandLine().getErr())
                            .println("rear: " + t.path() + " is not a candidate target: " + busy);
                    continue;
                }
                disks.add(t);
            }
        }
        ResizePolicy.Mode mode;
        try {
            mode = ResizePolicy.Mode.parse(resize);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PlanOptions options = new PlanOptions(mode, false, PlanCommand.usedBytes(spec, used), keyFile, targetRoot);
        return Planner.plan(d, DiskMapping.map(d, disks, new LinkedHashMap<>(lines)), options);
    }

    /** Why {@code disk} is in use (a filesystem on it or on what is built on it is mounted), or null. */
    private @Nullable String inUse(String disk) {
        return host.mountsOn(disk).stream().findFirst().map(m -> m.source() + " is mounted on " + m.mountPoint()).orElse(null);
    }

    /** The steps, and the provider whose settings were checked; no backup is read, no disk touched. */
    private int simulate(PrintWriter out, Plan plan, ProviderRun run) {
        String provider = "backup provider '" + run.provider.id() + "' (BACKUP=" + run.config.backup().name() + "), settings valid; "
                + (run.provider.capabilities().contains(Capability.VERIFY) ? "the backup is verified end to end"
                : "the backup is checked as far as the provider can") + " before any disk is touched";
        if (json) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("workflow", "recover").put("simulation", true).put("provider", run.provider.id()).put("preflight", provider);
            doc.set("plan", plan.toJson());
            Json.print(out, doc);
            return ExitCode.OK.code();
        }
        out.println("recover: " + provider);
        out.print(plan.toText().replace("Nothing was written; this is a plan.\n", ""));
        out.println("recover (simulation): " + plan.steps().size() + " steps would run; nothing was touched and no backup was read");
        out.flush();
        return ExitCode.OK.code();
    }

    private Path journalPath() {
        if (journal != null) {
            return resume ? journal.toAbsolutePath() : ProviderRun.journalFile(journal);
        }
        if (!resume) {
            return ProviderRun.newJournal(JOURNAL_DIR, "recover");
        }
        try (Stream<Path> s = Files.list(JOURNAL_DIR)) {
            return s.filter(p -> p.getFileName().toString().matches("recover-.*\\.jsonl")).max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "--resume: there is no recover-*.jsonl in "
                            + JOURNAL_DIR + "; give --journal FILE"));
        } catch (IOException e) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "--resume: cannot read " + JOURNAL_DIR + " (" + e.getMessage()
                    + "); give --journal FILE");
        }
    }

    private int verdict(PrintWriter out, ProviderRun run, Executor.Outcome o, Path j, PreFlight pre) {
        ExitCode code = o.ok() ? ExitCode.OK : run.interrupted() ? ExitCode.INTERRUPTED : ExitCode.RECOVERY_INCOMPLETE;
        if (json) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("workflow", "recover").put("verdict", o.verdict().name().toLowerCase(java.util.Locale.ROOT))
                    .put("message", o.message()).put("journal", j.toString()).put("ran", o.ran()).put("skipped", o.skipped())
                    .put("exitCode", code.code()).put("preflight", pre.summary());
            if (pre.restorePointId() != null) {
                doc.put("restorePoint", pre.restorePointId());
            }
            if (o.failedStep() != null) {
                doc.put("failedStep", o.failedStep());
            }
            ObjectNode restored = doc.putObject("restore");
            RestoreOnlyCommand.facts(j, Planner.RESTORE_STEP).forEach(restored::put);
            Json.print(out, doc);
            if (!o.ok()) {
                run.err.println("rear: " + o.message());
            }
            return code.code();
        }
        if (!o.ok()) {
            run.err.println("rear: " + o.message());
            run.err.flush();
            out.println("recover: FAILED at step " + o.failedStep() + " (journal " + j + "); once its cause is fixed, 'rear recover"
                    + " --resume --journal " + j + "' continues from that step (nothing done before it is done again)");
        } else {
            Map<String, String> restored = RestoreOnlyCommand.facts(j, Planner.RESTORE_STEP);
            out.println("recover: succeeded (" + o.message() + ")" + (restored.isEmpty() ? "" : "; restored "
                    + restored.getOrDefault("files", "?") + " files, " + MkBackupOnlyCommand.size(restored.get("bytes"))
                    + " of restore point " + restored.getOrDefault("restorePoint", "?")) + "; journal " + j);
        }
        out.flush();
        return code.code();
    }

    /**
     * The runner, showing the administrator each command a step runs ({@code $ wipefs --all --force /dev/sdb}) as it
     * starts; the executor's read-only probes (blkid, vgs, lvs) are not shown. {@code out} null: nothing shown.
     */
    static dev.rear.api.command.CommandRunner shown(dev.rear.api.command.CommandRunner runner, @Nullable PrintWriter out) {
        if (out == null) {
            return runner;
        }
        return spec -> {
            String program = spec.argv().get(0);
            if (!List.of("blkid", "vgs", "lvs").contains(program)) {
                out.println("  $ " + spec.display());
                out.flush();
            }
            return runner.run(spec);
        };
    }

    private static boolean kernelSaysUnattended() {
        try {
            return List.of(Files.readString(Path.of("/proc/cmdline")).strip().split("\\s+")).contains("unattended");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

}
