package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.Violation;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rear validate FILE...}: schema and rule check of descriptor files, every violation with its JSON path. */
@Command(name = "validate",
        description = {"Check descriptor files against the schema and every rule.", "",
            "Checks JSON syntax, the schema version, the JSON Schema, and every rule (overlapping",
            "partitions, dangling references, sizes that do not fit, duplicates, ...). Each",
            "violation is printed with its JSON path and the name of the rule it breaks."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:every file is a valid descriptor", "  3:a file is not a valid descriptor", "  7:a file could not be read"})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Descriptor files (JSON).")
    List<Path> files;

    @Option(names = "--json", description = "Print one JSON document for scripts instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        int valid = 0;
        int invalid = 0;
        int unreadable = 0;
        for (Path file : files) {
            ObjectNode r = results.addObject().put("file", file.toString());
            DescriptorFiles.Checked c;
            try {
                c = DescriptorFiles.check(file);
            } catch (UncheckedIOException e) {
                unreadable++;
                r.put("valid", false).put("error", e.getMessage());
                if (!json) {
                    out.println(file + ": UNREADABLE: " + e.getMessage());
                }
                continue;
            }
            r.put("valid", c.valid());
            if (c.sha256() != null) {
                r.put("sha256", c.sha256());
            }
            if (c.error() != null) {
                r.put("error", c.error());
            }
            ArrayNode vs = r.putArray("violations");
            for (Violation v : c.violations()) {
                vs.addObject().put("path", v.path()).put("rule", v.rule()).put("message", v.message());
            }
            if (c.valid()) {
                valid++;
                if (!json) {
                    out.println(file + ": valid (sha256:" + c.sha256() + ")");
                }
            } else {
                invalid++;
                if (!json) {
                    int n = c.violations().size();
                    out.println(file + ": INVALID" + (c.error() != null ? ": " + c.error()
                            : ", " + n + (n == 1 ? " violation" : " violations")));
                    if (c.error() == null) {
                        c.violations().forEach(v -> out.println("  " + v));
                    }
                }
            }
        }
        String verdict = "rear validate: " + valid + " valid, " + invalid + " invalid"
                + (unreadable > 0 ? ", " + unreadable + " unreadable" : "");
        ExitCode code = unreadable > 0 ? ExitCode.IO_ERROR : invalid > 0 ? ExitCode.DESCRIPTOR_INVALID : ExitCode.OK;
        if (json) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.set("files", results);
            doc.put("valid", valid).put("invalid", invalid).put("unreadable", unreadable).put("exitCode", code.code());
            Json.print(out, doc);
        } else {
            out.println(verdict);
        }
        return code.code();
    }
}
