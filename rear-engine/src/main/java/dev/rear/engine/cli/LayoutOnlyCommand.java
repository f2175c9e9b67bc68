package dev.rear.engine.cli;

import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.TargetDisk;
import dev.rear.engine.recover.Executor;
import dev.rear.engine.recover.ExecutorRefusedException;
import dev.rear.engine.recover.HostProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rear layoutonly}: recreates a descriptor's disk layout on target disks (ReaR's {@code layoutonly}). */
@Command(name = "layoutonly",
        description = {"Recreate a descriptor's disk layout (partitions, filesystems, swap, subvolumes, mounts) on target",
            "disks and mount it under --target-root. DESTROYS everything on the targets. Asks 'type YES' unless --yes.",
            "Every step is journaled (--journal FILE); --resume continues an interrupted or failed run from its journal:",
            "steps that ended are not run again; the interrupted or failed one is checked again (a mere blkid signature",
            "does not count: an unfinished mkfs leaves one), then run."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:the layout was recreated", "  2:usage error", "  3:the descriptor is not valid",
            "  4:a target failed the safety gate, or the run was not confirmed", "  6:a step failed (the journal names it)",
            "  7:a file could not be read or written", "  9:the journal is damaged"})
final class LayoutOnlyCommand extends PlanCommand {

    @picocli.CommandLine.ParentCommand
    @Nullable Rear parent;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--journal", paramLabel = "FILE", description = "The journal (default: /var/lib/rear/layoutonly-<time>.jsonl).")
    @Nullable Path journal;

    @Option(names = "--resume", description = "Continue the run of --journal FILE (after a crash, or after a failure once its cause is fixed).")
    boolean resume;

    @Option(names = "--target-root", paramLabel = "DIR", description = "Where the recreated filesystems are mounted (default: /mnt/local).")
    String targetRoot = "/mnt/local";

    @Override
    public Integer call() {
        if (resume && journal == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume needs --journal FILE");
        }
        HostProbe host = HostProbe.linux();
        SystemDescriptor d = DescriptorFiles.load(descriptor);
        List<TargetDisk> found = new ArrayList<>();
        for (String t : mappedTargets()) {
            OptionalLong size = host.sizeBytes(t);
            if (size.isPresent() && size.getAsLong() > 0) {
                found.add(TargetDisk.of(t, size.getAsLong()));
            }
        }
        // layoutonly ends with the mounts: the restore and the finalize steps are recover's.
        Plan plan = buildPlan(d, targetRoot, found).layoutOnly();
        PrintWriter out = spec.commandLine().getOut();
        out.print(plan.toText().replace("Nothing was written; this is a plan.\n", ""));
        out.flush();
        if (parent != null && parent.simulating()) {
            out.println("layoutonly (simulation): " + plan.steps().size() + " steps would run; nothing was touched");
            out.flush();
            return ExitCode.OK.code();
        }
        boolean confirmed = yes || dev.rear.engine.provider.Prompt.console(false).typedYes("This DESTROYS everything on the targets above.");
        Path j = journal != null ? journal : Path.of("/var/lib/rear", "layoutonly-"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(java.time.LocalDateTime.now()) + ".jsonl");
        if (!resume && j.toAbsolutePath().getParent() != null) {
            try {
                java.nio.file.Files.createDirectories(j.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot create the journal's directory " + j.toAbsolutePath().getParent()
                        + ": " + e.getMessage(), e);
            }
        }
        Executor ex = new Executor(new ProcessCommandRunner(), host, Clock.systemUTC());
        Executor.Outcome o;
        try {
            o = resume ? ex.resume(plan, DescriptorJson.sha256(d), j, confirmed)
                    : ex.run(plan, "layoutonly", DescriptorJson.sha256(d), j, confirmed);
        } catch (ExecutorRefusedException e) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, e.getMessage()
                    + (confirmed ? "" : " (give --yes to run without a terminal to ask on)"));
        }
        if (!o.ok()) {
            spec.commandLine().getErr().println("rear: " + o.message());
            out.println("layoutonly: FAILED at " + o.failedStep() + "; once its cause is fixed, --resume --journal " + j
                    + " checks that step again and continues (steps that ended are not run again)");
            out.flush();
            return ExitCode.RECOVERY_INCOMPLETE.code();
        }
        out.println("layoutonly: succeeded (" + o.message() + "); journal " + j);
        out.flush();
        return ExitCode.OK.code();
    }

}
