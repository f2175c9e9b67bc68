package dev.rear.api.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The target-root check every provider makes before restoring, so all of them refuse the same
 * things with the same words.
 *
 * <p>A target root counts as <em>empty</em> when it holds nothing but directories: the mount
 * points and {@code lost+found} of the filesystems a recovery has just made. Anything else —
 * a regular file, a symbolic link, a device node, a socket — makes it non-empty.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public final class TargetRoots {
    private TargetRoots() {}

    /**
     * The first entry under {@code root} that is not a directory, in a depth-first walk that does
     * not follow symbolic links.
     *
     * @param root an existing directory
     * @return that entry, or empty when the root holds only directories
     * @throws UncheckedIOException when the tree cannot be read
     */
    public static Optional<Path> firstNonDirectory(Path root) {
        Path[] found = {null};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isDirectory()) {
                        return FileVisitResult.CONTINUE;
                    }
                    found[0] = file;
                    return FileVisitResult.TERMINATE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the target root " + root + ": " + e.getMessage(), e);
        }
        return Optional.ofNullable(found[0]);
    }

    /**
     * Refuses a target root a restore must not write into.
     *
     * @param root   the target root
     * @param policy the request's overwrite policy
     * @throws ProviderException of kind {@link ProviderException.Kind#REFUSED} when {@code root} is
     *     not an existing directory (or is a symbolic link), or holds a file and {@code policy} is
     *     {@link OverwritePolicy#REFUSE}
     */
    public static void requireRestorable(Path root, OverwritePolicy policy) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new ProviderException(ProviderException.Kind.REFUSED, "the target root " + root
                    + (Files.isSymbolicLink(root) ? " is a symbolic link" : Files.exists(root) ? " is not a directory" : " does not exist")
                    + "; nothing was restored");
        }
        if (policy == OverwritePolicy.OVERWRITE) {
            return;
        }
        firstNonDirectory(root).ifPresent(f -> {
            throw new ProviderException(ProviderException.Kind.REFUSED, "the target root " + root
                    + " is not empty (it holds " + f + "); nothing was restored. Restore into an empty root, or ask"
                    + " explicitly to overwrite");
        });
    }
}
