package dev.rear.engine.cli;

import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.layout.LayoutStore;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.MappingFile;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.Step;
import dev.rear.engine.plan.TargetDisk;
import dev.rear.engine.recover.Executor;
import dev.rear.engine.recover.ExecutorRefusedException;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.recover.SysBlockDisks;
import dev.rear.engine.workflow.MountOnlyPlan;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rear mountonly}: in the rescue system, mount the restored (or original) system's
 * filesystems from the descriptor under {@code /mnt/local} for repair — md arrays assembled, LUKS
 * opened, volume groups activated as needed — journaled like {@code layoutonly}. Nothing is created
 * or formatted.
 */
@Command(name = "mountonly",
        description = {"Mount this machine's filesystems as the descriptor describes them under",
            "--target-root (/mnt/local) to repair the system: md arrays are assembled, LUKS",
            "devices opened (key from --key-file or standard input) and volume groups",
            "activated as needed. Nothing is created, formatted or written (--read-only",
            "mounts read-only). Journaled; a second run skips what is mounted already.",
            "Says what it mounted and how to unmount."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:mounted (or, with -s, listed)", "  2:usage error", "  3:the descriptor is not valid",
            "  4:no descriptor, a disk cannot be mapped, a disk is in use elsewhere, or another rear runs",
            "  6:a step failed (the journal names it; what was mounted stays mounted)", "  7:a file could not be read or written"})
final class MountOnlyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Rear root;

    @Option(names = "--descriptor", paramLabel = "FILE", description = "The descriptor (default: descriptor.json in the layout directory).")
    @Nullable Path descriptor;

    @Option(names = "--layout-dir", paramLabel = "DIR", description = "The layout directory (default: /var/lib/rear/layout).")
    Path layoutDir = LayoutStore.DEFAULT_DIR;

    @Option(names = "--mapping", paramLabel = "FILE", description = "A disk_mappings file: 'original current' per line; the rest is mapped automatically.")
    @Nullable Path mapping;

    @Option(names = "--target-root", paramLabel = "DIR", description = "Where to mount (default: /mnt/local).")
    String targetRoot = "/mnt/local";

    @Option(names = "--read-only", description = "Mount read-only (and open LUKS and assemble md read-only).")
    boolean readOnly;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The LUKS key file (default: standard input).")
    @Nullable String keyFile;

    @Option(names = "--journal", paramLabel = "FILE", description = "The journal (default: a new mountonly-TIME.jsonl in "
            + RecoverCommand.JOURNAL_DIR_TEXT + ").")
    @Nullable Path journal;

    /** The host's devices and mounts. */
    HostProbe host = HostProbe.linux();
    Path sysBlock = Path.of("/sys/block");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path file = descriptor != null ? descriptor : new LayoutStore(layoutDir).descriptorFile();
        if (!Files.isRegularFile(file)) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "there is no descriptor " + file
                    + ": the rescue system carries it in " + LayoutStore.DEFAULT_DIR + "; give --descriptor FILE");
        }
        SystemDescriptor d = DescriptorFiles.load(file);
        String root = Path.of(targetRoot).toAbsolutePath().normalize().toString();
        Plan plan = MountOnlyPlan.plan(d, mapping(d), root, readOnly, keyFile);
        out.print(plan.toText().replace("Nothing was written; this is a plan.\n", "").replaceFirst("Resize:\\n  none[^\\n]*\\n", ""));
        if (root.equals("/")) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "--target-root / would mount over the running system; give a directory");
        }
        if (this.root.simulating()) {
            out.println("mountonly (simulation): " + plan.steps().size() + " steps would run; nothing was touched");
            out.flush();
            return ExitCode.OK.code();
        }
        Path j = journal != null ? ProviderRun.journalFile(journal) : ProviderRun.newJournal(RecoverCommand.JOURNAL_DIR, "mountonly");
        out.println("journal: " + j);
        out.flush();
        Executor.Outcome o;
        try {
            o = new Executor(RecoverCommand.shown(new ProcessCommandRunner(), out), host, Clock.systemUTC())
                    .run(plan, "mountonly", DescriptorJson.sha256(d), j, true);
        } catch (ExecutorRefusedException e) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, e.getMessage() + "; nothing was mounted");
        }
        List<String> mounted = new ArrayList<>();
        for (Step s : plan.steps()) {
            if (s.kind().equals("mount")) {
                String path = s.check().target();
                host.mounts().stream().filter(m -> m.mountPoint().equals(path)).reduce((a, b) -> b)
                        .ifPresent(m -> mounted.add(m.source() + " on " + path));
            }
        }
        if (!mounted.isEmpty()) {
            out.println("Mounted" + (readOnly ? " (read-only)" : "") + ":");
            mounted.forEach(m -> out.println("  " + m));
            out.println("When done: " + String.join("; ", MountOnlyPlan.undo(d, root)));
        }
        if (!o.ok()) {
            spec.commandLine().getErr().println("rear: " + o.message());
            out.println("mountonly: FAILED at step " + o.failedStep() + "; what was mounted stays mounted; once the cause is fixed,"
                    + " run it again (what is mounted is skipped); journal " + j);
            out.flush();
            return ExitCode.RECOVERY_INCOMPLETE.code();
        }
        out.println("mountonly: mounted " + mounted.size() + " filesystem(s) under " + root + (readOnly ? " read-only" : "")
                + " (" + o.message() + "); journal " + j);
        out.flush();
        return ExitCode.OK.code();
    }

    /** The mapping file's entries, the rest of the descriptor's disks mapped automatically onto this machine's. */
    private DiskMapping mapping(SystemDescriptor d) {
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
                if (disks.stream().noneMatch(x -> x.path().equals(t.path()))) {
                    disks.add(t);
                }
            }
        }
        return DiskMapping.map(d, disks, new LinkedHashMap<>(lines));
    }
}
