package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.event.PlannedStep;
import dev.rear.engine.journal.Journal;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.journal.RunState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rear journal FILE}: verify a run's journal and show where the run stands. */
@Command(name = "journal", description = {"Verify a journal and show the run it records.", "",
    "Checks every line, the sequence and the hash chain (a torn last line from a crash is",
    "forgiven and reported), then lists the plan's steps with their status and the verdict."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:the journal is intact", "  7:it cannot be read", "  9:it is damaged or was changed (the line is named)"})
final class JournalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The journal.")
    Path file;

    @Option(names = "--json", description = "Print the run's state as JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        Journal j = JournalReader.read(file);
        RunState s = j.state();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("file", file.toString()).put("entries", j.entries().size()).put("tornTail", j.tornTail());
            if (s.run() != null) {
                doc.put("runId", s.run().runId()).put("workflow", s.run().workflow()).put("descriptorSha256", s.run().descriptorSha256());
            }
            ArrayNode res = doc.putArray("resumed");
            s.resumed().forEach(r -> {
                ObjectNode x = res.addObject().put("after", r.after().name().toLowerCase(java.util.Locale.ROOT));
                if (r.stepId() != null) {
                    x.put("step", r.stepId());
                }
            });
            ArrayNode steps = doc.putArray("steps");
            s.steps().forEach((id, st) -> steps.addObject().put("id", id).put("status", st.name().toLowerCase(java.util.Locale.ROOT)));
            if (s.running() != null) {
                doc.put("interruptedStep", s.running());
            }
            if (s.finished() != null) {
                doc.put("verdict", s.finished().verdict().name().toLowerCase(java.util.Locale.ROOT)).put("message", s.finished().message());
            }
            Json.print(out, doc);
            return ExitCode.OK.code();
        }
        if (s.run() != null) {
            out.println("run " + s.run().runId() + " (" + s.run().workflow() + ") of descriptor sha256:" + s.run().descriptorSha256());
            s.run().mapping().forEach((from, to) -> out.println("  " + from + " -> " + to));
            for (PlannedStep p : s.run().plan()) {
                out.printf("  %-10s %s  %s%n", s.steps().get(p.id()).name().toLowerCase(java.util.Locale.ROOT), p.id(), p.description());
            }
        }
        s.resumed().forEach(r -> out.println("resumed after a " + r.after().name().toLowerCase(java.util.Locale.ROOT)
                + (r.stepId() == null ? "" : " in step " + r.stepId())));
        if (s.running() != null) {
            out.println("interrupted in step " + s.running() + ": it is checked again on --resume");
        }
        if (s.finished() != null) {
            out.println("verdict: " + s.finished().verdict().name().toLowerCase(java.util.Locale.ROOT) + ": " + s.finished().message());
        }
        out.println("rear journal: " + j.entries().size() + " entries, chain intact"
                + (j.tornTail() ? "; a torn last line (cut by a crash) was left out" : ""));
        return ExitCode.OK.code();
    }
}
