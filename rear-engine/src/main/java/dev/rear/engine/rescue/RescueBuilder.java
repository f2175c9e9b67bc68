package dev.rear.engine.rescue;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.spi.ProgressSink;

/**
 * Builds the rescue system's initramfs from a {@link RescueSpec}. A missing required program, kernel,
 * module directory or JDK fails the build with a {@link RescueBuildException} that names it and the
 * package to install; nothing is written to {@link RescueSpec#outputFile()} unless the build
 * succeeds (it is written beside it and renamed).
 */
public interface RescueBuilder {

    /** Builds it; external tools ({@code jlink}, {@code depmod}, {@code ldd}) run through {@code runner}. */
    RescueImage build(RescueSpec spec, CommandRunner runner, ProgressSink progress);
}
