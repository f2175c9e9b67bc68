package dev.rear.engine.output;

import dev.rear.engine.config.OutputMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to write the bootable form of a rescue image.
 *
 * @param method     ReaR's {@code OUTPUT}
 * @param outputDir  the local directory the artifacts are written to ({@code ISO_DIR}, default
 *                   {@code /var/lib/rear/output})
 * @param outputUrl  ReaR's {@code OUTPUT_URL} the artifacts are copied to afterwards, or {@code null}
 * @param hostname   the live system's host name (artifact names, boot menu title)
 * @param isoPrefix  ReaR's {@code ISO_PREFIX} (default {@code rear-HOSTNAME})
 * @param volumeId   the ISO volume id / USB label ({@code RELAXRECOVER} / {@code REAR-000} in ReaR)
 * @param cmdline    extra kernel arguments for every boot entry (e.g. {@code console=ttyS0,115200})
 * @param usbDevice  for {@code OUTPUT=USB}: the block device (or image file, in tests) prepared by
 *                   the {@code format} workflow; {@code null} otherwise
 */
public record OutputRequest(OutputMethod method, Path outputDir, @Nullable String outputUrl, String hostname, String isoPrefix,
                            String volumeId, List<String> cmdline, @Nullable Path usbDevice) {
    public OutputRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(outputDir, "outputDir");
        cmdline = List.copyOf(cmdline);
    }
}
