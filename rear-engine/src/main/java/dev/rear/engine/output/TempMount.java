package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Something mounted on a fresh directory for the length of one piece of work, and unmounted (and
 * the directory removed) in every outcome. An unmount that fails after the work succeeded is an
 * error that says the work was done and what to do; after a failed work it is added to that failure.
 */
final class TempMount {
    private TempMount() {}

    /**
     * @param what       the operation, for messages ("the copy to OUTPUT_URL=...")
     * @param tempParent where the mount point is made
     * @param prefix     the mount point's name prefix
     * @param mount      the mount argv for a mount point
     * @param unmount    the unmount argv for a mount point
     * @param done       what the work achieved, for the unmount failure ("the artifacts were copied to ...")
     * @param advice     what the administrator does about a mount left behind ("unmount it by hand")
     * @param work       the work, given the mount point
     */
    static <T> T with(CommandRunner runner, String what, Path tempParent, String prefix, Function<Path, List<String>> mount,
                      Function<Path, List<String>> unmount, Duration timeout, String done, String advice, Function<Path, T> work) {
        Path mp;
        try {
            Files.createDirectories(tempParent);
            mp = Files.createTempDirectory(tempParent, prefix);
        } catch (IOException e) {
            throw new OutputException("cannot make a mount point for " + what + " under " + tempParent + ": " + Artifacts.reason(e), e);
        }
        RuntimeException failure = null;
        boolean mounted = false;
        T result = null;
        try {
            Tools.run(runner, what, timeout, mount.apply(mp).toArray(String[]::new));
            mounted = true;
            result = work.apply(mp);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            if (mounted) {
                try {
                    Tools.run(runner, what, Duration.ofMinutes(2), unmount.apply(mp).toArray(String[]::new));
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = new OutputException(done + ", but " + mp + " could not be unmounted afterwards (" + advice + "): "
                                + e.getMessage(), e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            try {
                Files.deleteIfExists(mp);
            } catch (IOException e) {
                // still mounted (reported above) or not empty: leave it
            }
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
