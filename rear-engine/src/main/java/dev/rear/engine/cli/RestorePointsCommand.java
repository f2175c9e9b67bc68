package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.RestorePoint;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.provider.EngineProviderContext;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rear restorepoints}: what the configured backup can be restored to (full, incremental, differential). */
@Command(name = "restorepoints",
        description = {"List the restore points of the configured backup (BACKUP=...), oldest first:",
            "id, time, kind, what it is based on and its size. Give an id to recover,",
            "restoreonly or verify with --restore-point ID."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:listed (possibly none)", "  2:usage error",
            "  5:the backup is unreachable, or the provider cannot list restore points",
            "  8:the configuration or the provider's settings are invalid", "130:interrupted (Ctrl-C)"})
final class RestorePointsCommand implements Callable<Integer> {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    @Spec
    CommandSpec spec;

    @ParentCommand
    Rear root;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ProviderRun run = ProviderRun.open(root, spec, "restorepoints", json, false)) {
            if (!run.provider.capabilities().contains(Capability.LIST_RESTORE_POINTS)) {
                throw ProviderException.unsupported(run.provider.id(), "listing restore points");
            }
            List<RestorePoint> points;
            try (EngineProviderContext ctx = run.context(new ProcessCommandRunner())) {
                points = run.provider.listRestorePoints(ctx).stream()
                        .sorted(Comparator.comparing(RestorePoint::createdAt).thenComparing(RestorePoint::id)).toList();
            }
            run.progress.finish();
            if (json) {
                ObjectNode doc = JsonNodeFactory.instance.objectNode();
                doc.put("provider", run.provider.id());
                ArrayNode a = doc.putArray("restorePoints");
                for (RestorePoint p : points) {
                    ObjectNode o = a.addObject().put("id", p.id()).put("createdAt", p.createdAt().toString());
                    if (p.kind() != null) {
                        o.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
                    }
                    if (p.basedOn() != null) {
                        o.put("basedOn", p.basedOn());
                    }
                    if (p.bytes() != null) {
                        o.put("bytes", p.bytes());
                    }
                    o.put("description", p.description());
                }
                Json.print(out, doc);
                return ExitCode.OK.code();
            }
            if (points.isEmpty()) {
                out.println("restorepoints: backup provider '" + run.provider.id() + "' has no restore point");
                out.flush();
                return ExitCode.OK.code();
            }
            int w = Math.max(2, points.stream().mapToInt(p -> p.id().length()).max().orElse(2));
            int b = Math.max(8, points.stream().mapToInt(p -> p.basedOn() == null ? 1 : p.basedOn().length()).max().orElse(8));
            out.printf(Locale.ROOT, "%-" + w + "s  %-19s  %-12s  %-" + b + "s  %10s%n", "ID", "TIME (local)", "KIND", "BASED ON", "SIZE");
            for (RestorePoint p : points) {
                out.printf(Locale.ROOT, "%-" + w + "s  %-19s  %-12s  %-" + b + "s  %10s%n", p.id(),
                        LOCAL.format(p.createdAt().atZone(ZoneId.systemDefault())),
                        p.kind() == null ? "-" : p.kind().name().toLowerCase(Locale.ROOT),
                        p.basedOn() == null ? "-" : p.basedOn(), p.bytes() == null ? "-" : dev.rear.engine.provider.ConsoleProgress.bytes(p.bytes()));
            }
            out.println("restorepoints: " + points.size() + " restore point(s) of backup provider '" + run.provider.id()
                    + "'; the latest is " + points.get(points.size() - 1).id());
            out.flush();
            return ExitCode.OK.code();
        }
    }
}
