package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.RearException;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueImageRequest;
import dev.rear.api.spi.RescueImageResult;
import dev.rear.engine.output.OutputResult;
import dev.rear.engine.provider.EngineProviderContext;
import dev.rear.engine.recover.StepAction;
import dev.rear.engine.recover.StepActionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code store} step of {@code mkrescue}/{@code mkbackup}: after the output, the backup provider
 * keeps the rescue image too ({@link Capability#STORE_RESCUE_IMAGE}, e.g. TSM's
 * {@code TSM_RESULT_FILE_PATH}), when it declares the capability and its settings ask for it. A
 * failure leaves the image where the output wrote it and says so.
 */
final class RescueImageStore {

    /** The step's id (and kind). */
    static final String STEP = "store";

    private final BackupProvider provider;
    private @Nullable RescueImageResult result;

    private RescueImageStore(BackupProvider provider) {
        this.provider = provider;
    }

    /** The step when the provider declares the capability and its settings ask for it, else null. */
    static @Nullable RescueImageStore of(BackupProvider provider, ProviderSettings settings) {
        return provider.capabilities().contains(Capability.STORE_RESCUE_IMAGE) && provider.storesRescueImage(settings)
                ? new RescueImageStore(provider) : null;
    }

    /** The step's description in the plan and the journal. */
    String describe() {
        return "store the rescue image through backup provider '" + provider.id() + "'";
    }

    /** Runs the provider on what the output wrote; the facts journal where it went. */
    Map<String, String> run(StepAction.Context ctx, @Nullable OutputResult output, Path outputDir, ProviderRun run) {
        if (output == null || output.artifacts().isEmpty()) {
            throw new StepActionException("there is no rescue image to store (the output step wrote no file in this process)");
        }
        List<Path> artifacts = output.artifacts().stream().map(Path::toAbsolutePath).toList();
        RescueImageResult r;
        try (EngineProviderContext pc = run.context(ctx.commands())) {
            r = provider.storeRescueImage(new RescueImageRequest(artifacts, outputDir.toAbsolutePath()), pc);
        } catch (RuntimeException e) {
            String where = "the rescue image stays in " + outputDir;
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            String kept = msg.contains(outputDir.toString()) ? "" : "; " + where + " ("
                    + String.join(", ", artifacts.stream().map(Path::toString).toList()) + ")";
            if (e instanceof ProviderException p) {
                throw new StepActionException("backup provider '" + provider.id() + "' could not store the rescue image ("
                        + p.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): " + msg + kept, e);
            }
            if (e instanceof RearException || e instanceof java.io.UncheckedIOException) {
                throw new StepActionException("backup provider '" + provider.id() + "' could not store the rescue image: " + msg + kept, e);
            }
            throw new StepActionException("backup provider '" + provider.id() + "' failed unexpectedly storing the rescue image (a bug in"
                    + " the provider): " + e + kept, e);
        }
        result = r;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("provider", provider.id());
        int i = 1;
        for (String s : r.stored()) {
            facts.put("stored." + i++, s);
        }
        i = 1;
        for (Path p : r.removed()) {
            facts.put("removed." + i++, p.toString());
        }
        i = 1;
        for (Diagnostic w : r.warnings()) {
            facts.put("warning." + i++, w.message());
        }
        r.facts().forEach((k, v) -> facts.put("provider." + k, v));
        return facts;
    }

    /** The result, once the step succeeded. */
    @Nullable RescueImageResult result() {
        return result;
    }

    /** The report's lines. */
    void print(PrintWriter out) {
        RescueImageResult r = result;
        if (r == null) {
            return;
        }
        out.println("Stored by backup provider '" + provider.id() + "':");
        r.stored().forEach(s -> out.println("  " + s));
        r.removed().forEach(p -> out.println("  removed " + p + " (the backup product holds it)"));
        r.warnings().forEach(w -> out.println("  warning: " + w.message()));
    }

    /** The JSON report's {@code rescueImageStored} object. */
    void putJson(ObjectNode doc) {
        RescueImageResult r = result;
        if (r == null) {
            return;
        }
        ObjectNode o = doc.putObject("rescueImageStored");
        o.put("provider", provider.id());
        ArrayNode stored = o.putArray("stored");
        r.stored().forEach(stored::add);
        ArrayNode removed = o.putArray("removed");
        r.removed().forEach(p -> removed.add(p.toString()));
        ArrayNode warnings = o.putArray("warnings");
        r.warnings().forEach(w -> warnings.add(w.message()));
        ObjectNode facts = o.putObject("facts");
        r.facts().forEach(facts::put);
    }
}
