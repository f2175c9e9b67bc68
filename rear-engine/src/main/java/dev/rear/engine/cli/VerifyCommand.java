package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.provider.EngineProviderContext;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rear verify}: read the backup end to end and check it against its manifest (the provider's verify). */
@Command(name = "verify",
        description = {"Check that the backup can be restored, without restoring it: the configured",
            "provider (BACKUP=...) reads it back (tar: every byte, against the manifest",
            "written with it) and names the first bad entry."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:the backup is good", "  2:usage error",
            "  5:the backup is damaged (the first bad entry is named), missing or unreachable, or the provider cannot verify",
            "  8:the configuration or the provider's settings are invalid", "130:interrupted (Ctrl-C)"})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Rear root;

    @Option(names = "--restore-point", paramLabel = "ID", description = "The restore point to check (default: the latest).")
    @Nullable String restorePoint;

    @Option(names = "--json", description = "Print one JSON document (progress then goes to standard error).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (root.simulating()) {
            try (ProviderRun run = ProviderRun.open(root, spec, "verify", json, false)) {
                out.println("verify (simulation): backup provider '" + run.provider.id() + "' (BACKUP=" + run.config.backup().name()
                        + ") would read " + (restorePoint == null ? "the latest restore point" : "restore point " + restorePoint)
                        + " back and check it; nothing was read");
                return ExitCode.OK.code();
            }
        }
        try (ProviderRun run = ProviderRun.open(root, spec, "verify", json, false);
             dev.rear.engine.workflow.ProviderServices services = run.startServices()) {
            if (!run.provider.capabilities().contains(Capability.VERIFY)) {
                throw ProviderException.unsupported(run.provider.id(), "verify (it cannot check a backup without restoring it)");
            }
            RestorePointSelector selector = restorePoint == null ? RestorePointSelector.latest() : RestorePointSelector.byId(restorePoint);
            long t0 = System.nanoTime();
            VerifyResult v;
            try (EngineProviderContext ctx = run.context(new ProcessCommandRunner())) {
                v = run.provider.verify(new VerifyRequest(selector), ctx);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            run.progress.finish();
            ExitCode code = v.ok() ? ExitCode.OK : ExitCode.PROVIDER_FAILURE;
            String firstBad = v.findings().stream().filter(Diagnostic::isError).findFirst().map(Diagnostic::message).orElse(null);
            if (json) {
                ObjectNode doc = JsonNodeFactory.instance.objectNode();
                doc.put("workflow", "verify").put("ok", v.ok()).put("restorePoint", v.restorePointId())
                        .put("depth", v.depth().name().toLowerCase(Locale.ROOT)).put("seconds", Math.round(seconds * 1000) / 1000.0);
                var f = doc.putArray("findings");
                v.findings().forEach(d -> f.addObject().put("severity", d.severity().name().toLowerCase(Locale.ROOT)).put("message", d.message()));
                var facts = doc.putObject("facts");
                new java.util.TreeMap<>(v.facts()).forEach(facts::put);
                doc.put("exitCode", code.code());
                Json.print(out, doc);
                return code.code();
            }
            v.findings().stream().filter(d -> !d.isError()).forEach(d -> out.println("verify: " + d.severity().name().toLowerCase(Locale.ROOT)
                    + ": " + d.message()));
            if (v.ok()) {
                out.println("verify: the backup (restore point " + v.restorePointId() + ") is good: "
                        + (v.depth() == VerifyResult.Depth.CONTENT ? "every byte read back and checked against its manifest"
                        : "the backup server confirmed it; content not read")
                        + (v.facts().containsKey("entries") ? ", " + v.facts().get("entries") + " entries" : "")
                        + String.format(Locale.ROOT, " in %.1f s", seconds));
            } else {
                run.err.println("rear: " + firstBad);
                out.println("verify: the backup (restore point " + v.restorePointId() + ") is DAMAGED: " + firstBad);
            }
            out.flush();
            return code.code();
        }
    }
}
