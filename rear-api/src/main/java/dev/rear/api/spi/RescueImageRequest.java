package dev.rear.api.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link BackupProvider#storeRescueImage} is asked to store: the files the output wrote.
 *
 * <p><b>Experimental</b> (since 1.1).
 *
 * @param artifacts the files the output wrote (the ISO, or kernel and initramfs, ...), absolute,
 *                  in the output's order; never empty
 * @param outputDir the directory the output wrote them to ({@code ISO_DIR}), named in messages
 * @since 1.1
 */
public record RescueImageRequest(List<Path> artifacts, Path outputDir) {

    public RescueImageRequest {
        artifacts = List.copyOf(artifacts);
        Objects.requireNonNull(outputDir, "outputDir");
        if (artifacts.isEmpty()) {
            throw new IllegalArgumentException("there is no rescue image to store: the output named no file");
        }
        for (Path a : artifacts) {
            if (!a.isAbsolute()) {
                throw new IllegalArgumentException("an artifact is an absolute path, not '" + a + "'");
            }
        }
    }
}
