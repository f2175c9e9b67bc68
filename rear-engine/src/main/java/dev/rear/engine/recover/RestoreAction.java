package dev.rear.engine.recover;

import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.OverwritePolicy;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.TargetRoots;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.Step;
import dev.rear.engine.provider.EngineProviderContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The restore step's work: the selected provider's {@link BackupProvider#restore} into the target
 * root, through a context whose commands are the step's journaled ones. On success it writes the
 * {@link Planner#RESTORE_MARKER marker} (restore point, archive hash, counts, run id) into the target
 * root, forced to disk — the step's check on a re-run or resume — and returns the result as facts:
 * {@code provider}, {@code restorePoint}, {@code restorePointTime}, {@code files}, {@code bytes},
 * {@code contentSha256}, {@code warnings} (a count) and {@code warning.N}, {@code provider.KEY} for
 * the provider's own facts. A {@link dev.rear.api.spi.ProviderException} becomes the step's failure
 * with the provider's message.
 *
 * <p>A target root that holds files when the restore starts, with no marker: during a recovery
 * ({@code resumePartial}) those are a previous, interrupted restore of the same run onto filesystems
 * this run made, so the restore runs again over them ({@link OverwritePolicy#OVERWRITE}) and says so
 * in a note and the fact {@code overwrotePartial}. Otherwise ({@code restoreonly} into a root someone
 * prepared) the provider refuses unless {@code overwrite} was asked.
 */
public final class RestoreAction implements StepAction {

    private final BackupProvider provider;
    private final Path targetRoot;
    private final RestorePointSelector restorePoint;
    private final boolean resumePartial;
    private final boolean overwrite;
    private final ProviderContexts contexts;

    /**
     * @param provider      the selected provider
     * @param targetRoot    the root to restore into (absolute)
     * @param restorePoint  which restore point (the one the pre-flight verified)
     * @param resumePartial restore over a partial restore found in the target root (recover)
     * @param overwrite     restore over whatever the target root holds (restoreonly --overwrite)
     * @param contexts      makes the provider's context around the step's journaled runner
     */
    public RestoreAction(BackupProvider provider, Path targetRoot, RestorePointSelector restorePoint, boolean resumePartial,
                         boolean overwrite, ProviderContexts contexts) {
        this.provider = provider;
        this.targetRoot = targetRoot.toAbsolutePath();
        this.restorePoint = restorePoint;
        this.resumePartial = resumePartial;
        this.overwrite = overwrite;
        this.contexts = contexts;
    }

    /** The marker file of a target root. */
    public static Path marker(Path targetRoot) {
        return targetRoot.resolve(Planner.RESTORE_MARKER.substring(1));
    }

    /**
     * The plan with its restore step's check bound to the restore point: the marker must name it, so a
     * marker restored from a backup of a system recovered before is never taken for this restore's.
     */
    public static Plan bind(Plan plan, String restorePointId) {
        List<Step> steps = plan.steps().stream().map(s -> !s.kind().equals(Planner.RESTORE_STEP) ? s
                : new Step(s.id(), s.kind(), s.description(), s.devices(), s.uses(), s.creates(), s.commands(),
                        new Check("marker", s.check().target(), Map.of("restorePoint", restorePointId)))).toList();
        return new Plan(plan.mapping(), plan.resize(), steps, plan.lower());
    }

    @Override
    public Map<String, String> run(Step step, Context context) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("provider", provider.id());
        Path marker = marker(targetRoot);
        OverwritePolicy policy = overwrite ? OverwritePolicy.OVERWRITE : OverwritePolicy.REFUSE;
        try {
            Files.deleteIfExists(marker); // a marker of another restore (restored from the backup itself) is not ours
            if (Files.isDirectory(targetRoot) && !overwrite && resumePartial) {
                Optional<Path> first = TargetRoots.firstNonDirectory(targetRoot);
                if (first.isPresent()) {
                    policy = OverwritePolicy.OVERWRITE;
                    facts.put("overwrotePartial", first.get().toString());
                    context.note("the target root " + targetRoot + " holds files of an interrupted restore (" + first.get()
                            + "); restoring everything again over them");
                }
            }
        } catch (IOException e) {
            throw new StepActionException("cannot prepare the target root " + targetRoot + ": " + e.getMessage(), e);
        }
        RestoreRequest request = RestoreRequest.everything(targetRoot).from(restorePoint).withOverwrite(policy);
        RestoreResult r;
        try (EngineProviderContext ctx = contexts.open(context.commands())) {
            r = provider.restore(request, ctx);
        } catch (RuntimeException e) {
            if (e instanceof StepActionException s) {
                throw s;
            }
            throw ProviderStepFailure.of(provider, "restore into " + targetRoot, e);
        }
        facts.put("restorePoint", r.restorePointId());
        if (r.restorePointTime() != null) {
            facts.put("restorePointTime", r.restorePointTime().toString());
        }
        facts.put("restoredPaths", String.join(" ", r.restoredPaths()));
        OutcomeFacts.put(facts, r.files(), r.bytes(), r.contentSha256(), r.warnings(), r.facts());
        writeMarker(marker, r, context.runId());
        facts.put("marker", marker.toString());
        return facts;
    }

    private static void writeMarker(Path marker, RestoreResult r, String runId) {
        StringBuilder b = new StringBuilder();
        b.append("restorePoint=").append(r.restorePointId()).append('\n');
        if (r.contentSha256() != null) {
            b.append("contentSha256=").append(r.contentSha256()).append('\n');
        }
        if (r.files() != null) {
            b.append("files=").append(r.files()).append('\n');
        }
        if (r.bytes() != null) {
            b.append("bytes=").append(r.bytes()).append('\n');
        }
        b.append("runId=").append(runId).append('\n');
        try {
            Files.createDirectories(marker.getParent());
            Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("the restore completed but its marker " + marker + " cannot be written: " + e.getMessage(), e);
        }
    }
}
