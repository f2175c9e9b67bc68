package dev.rear.engine.workflow;

import dev.rear.engine.plan.Step;
import dev.rear.engine.recover.StepAction;
import dev.rear.engine.recover.StepActionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The recovery's record goes with the recovered system, as ReaR's wrapup copies its log to
 * {@code /mnt/local/var/log/rear/}: before the final unmount, the run's journal (up to that step)
 * and the run's log are copied to {@code TARGET_ROOT/var/log/rear/recover/}, then the unmount runs.
 * Decorates the {@code unmount} step's action; its facts say what was copied where.
 */
public final class JournalCopy implements StepAction {

    /** Where, below the target root, the copies go. */
    public static final String DIR = "var/log/rear/recover";

    private final Path targetRoot;
    private final @Nullable Path runLog;
    private final StepAction unmount;

    /**
     * @param targetRoot the restored system's root ({@code /mnt/local})
     * @param runLog     this run's log file, or null when it has none
     * @param unmount    the unmount action that runs afterwards
     */
    public JournalCopy(Path targetRoot, @Nullable Path runLog, StepAction unmount) {
        this.targetRoot = targetRoot;
        this.runLog = runLog;
        this.unmount = unmount;
    }

    @Override
    public Map<String, String> run(Step step, Context context) {
        Map<String, String> facts = new LinkedHashMap<>(copy(context.journal()));
        facts.putAll(unmount.run(step, context));
        return facts;
    }

    /** Copies the journal and the log; the facts name the copies. */
    Map<String, String> copy(Path journal) {
        Path dir = targetRoot.resolve(DIR);
        Map<String, String> facts = new LinkedHashMap<>();
        try {
            if (!Files.isDirectory(targetRoot, LinkOption.NOFOLLOW_LINKS)) {
                throw new StepActionException("cannot copy the journal into the recovered system: " + targetRoot + " is not a directory");
            }
            Files.createDirectories(dir);
            Path j = dir.resolve(journal.getFileName().toString());
            Files.copy(journal, j, StandardCopyOption.REPLACE_EXISTING);
            facts.put("journalCopy", j.toString());
            if (runLog != null && Files.isRegularFile(runLog)) {
                Path l = dir.resolve(runLog.getFileName().toString());
                Files.copy(runLog, l, StandardCopyOption.REPLACE_EXISTING);
                facts.put("logCopy", l.toString());
            }
        } catch (IOException e) {
            throw new StepActionException("cannot copy the journal " + journal + " into the recovered system's " + dir + ": " + e.getMessage()
                    + "; everything stays mounted: copy it by hand, then resume", e);
        }
        return facts;
    }

    /** The paths the copies of {@code journal} and {@code log} get under {@code targetRoot}. */
    public static List<Path> copies(Path targetRoot, Path journal, @Nullable Path log) {
        Path dir = targetRoot.resolve(DIR);
        return log == null ? List.of(dir.resolve(journal.getFileName().toString()))
                : List.of(dir.resolve(journal.getFileName().toString()), dir.resolve(log.getFileName().toString()));
    }
}
