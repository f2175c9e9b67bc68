package dev.rear.engine.cli;

import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorDiff;
import dev.rear.engine.descriptor.DescriptorFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rear diff OLD NEW}: what changed between two descriptors, component by component. */
@Command(name = "diff",
        description = {"Show what changed between two descriptors.", "",
            "Lists components added, removed and changed, field by field. Components are matched",
            "by identity (WWN, serial, UUID) before kernel",
            "names, so disks that swapped names (sda <-> sdb) show as renames. capturedAt is ignored."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:no differences", "  1:differences found", "  3:a file is not a valid descriptor",
            "  7:a file could not be read"})
final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The earlier descriptor.")
    Path older;

    @Parameters(index = "1", paramLabel = "NEW", description = "The later descriptor.")
    Path newer;

    @Option(names = "--json", description = "Print the changes as one JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() {
        SystemDescriptor a = load(older);
        SystemDescriptor b = load(newer);
        DescriptorDiff.Result diff = DescriptorDiff.compare(a, b);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, diff.toJson());
        } else {
            out.print(diff.toText());
            if (!diff.toText().endsWith("\n")) {
                out.println();
            }
        }
        return diff.isEmpty() ? ExitCode.OK.code() : ExitCode.DIFFERENCES.code();
    }

    /**
     * A descriptor that cannot be bound is refused; one that binds but breaks rules is compared
     * all the same (that is often why one diffs it), with a warning naming the rules.
     */
    private SystemDescriptor load(Path file) {
        DescriptorFiles.Checked c = DescriptorFiles.check(file);
        if (c.descriptor() == null) {
            throw DescriptorFiles.invalid(c);
        }
        if (!c.violations().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("rear: warning: " + file + " breaks " + c.violations().size() + " rule(s), first "
                    + c.violations().get(0) + "; 'rear validate " + file + "' lists them all");
        }
        return c.descriptor();
    }
}
