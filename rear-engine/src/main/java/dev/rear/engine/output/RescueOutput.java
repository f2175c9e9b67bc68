package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.engine.rescue.RescueImage;

/**
 * Writes a rescue image in one of ReaR's {@code OUTPUT} forms (RAMDISK, ISO, PXE, USB) and copies
 * the result to {@code OUTPUT_URL}. External tools ({@code xorriso}, {@code grub-mkimage},
 * {@code grub-install}, ...) run through the given runner.
 */
public interface RescueOutput {

    /** Writes {@code image} as {@code request} asks; throws {@link OutputException} naming what failed. */
    OutputResult write(RescueImage image, OutputRequest request, CommandRunner runner);
}
