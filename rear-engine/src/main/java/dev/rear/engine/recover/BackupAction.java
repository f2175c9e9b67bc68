package dev.rear.engine.recover;

import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.Step;
import dev.rear.engine.provider.EngineProviderContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The backup step's work: the provider's {@link BackupProvider#backup} through a context whose
 * commands are the step's journaled ones. Its facts are the backup journal's record of what was
 * written: {@code provider}, {@code restorePoint}, {@code kind}, {@code createdAt}, {@code volume.N}
 * (each archive, manifest or vendor volume written), {@code files}, {@code bytes},
 * {@code contentSha256}, {@code manifestSha256}, {@code warnings} and {@code warning.N},
 * {@code provider.KEY}. A failed or interrupted backup ends its journal with {@code step.failed}, so
 * it can never be taken for a good one.
 */
public final class BackupAction implements StepAction {

    /** The id and kind of the backup step. */
    public static final String STEP = "backup";

    private final BackupProvider provider;
    private final BackupRequest request;
    private final ProviderContexts contexts;
    private @Nullable BackupResult result;

    public BackupAction(BackupProvider provider, BackupRequest request, ProviderContexts contexts) {
        this.provider = provider;
        this.request = request;
        this.contexts = contexts;
    }

    /** A plan of one backup step (no disks, nothing mapped) for the executor to journal. */
    public static Plan plan(BackupProvider provider, BackupRequest request) {
        Step s = new Step(STEP, STEP, "back up " + String.join(" ", request.includes()) + " of " + request.sourceRoot()
                + " through backup provider '" + provider.id() + "'", List.of(), List.of(), List.of(), List.of(), Check.none());
        return new Plan(new DiskMapping(List.of()), new ResizePolicy.Result(List.of(), Map.of(), List.of()), List.of(s), Map.of());
    }

    /** The result of the backup, once it succeeded. */
    public @Nullable BackupResult result() {
        return result;
    }

    @Override
    public Map<String, String> run(Step step, Context context) {
        BackupResult r;
        try (EngineProviderContext ctx = contexts.open(context.commands())) {
            r = provider.backup(request, ctx);
        } catch (RuntimeException e) {
            if (e instanceof StepActionException s) {
                throw s;
            }
            throw ProviderStepFailure.of(provider, "backup", e);
        }
        result = r;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("provider", provider.id());
        facts.put("restorePoint", r.restorePointId());
        facts.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (r.basedOn() != null) {
            facts.put("basedOn", r.basedOn());
        }
        facts.put("createdAt", r.createdAt().toString());
        int v = 1;
        for (String w : r.written()) {
            facts.put("volume." + v++, w);
        }
        if (r.manifestSha256() != null) {
            facts.put("manifestSha256", r.manifestSha256());
        }
        OutcomeFacts.put(facts, r.files(), r.bytes(), r.contentSha256(), r.warnings(), r.facts());
        return facts;
    }
}
