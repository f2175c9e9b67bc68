package dev.rear.engine.output;

import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.rescue.RescueImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Small stand-ins of a rescue image for tests that do not boot it: two files with known bytes. */
final class TestImages {
    private TestImages() {}

    static RescueImage image(Path dir) throws IOException {
        Path kernel = Files.write(dir.resolve("vmlinuz"), "KERNEL-BYTES".getBytes());
        Path initrd = Files.write(dir.resolve("initrd.cgz"), "INITRD-BYTES".getBytes());
        return new RescueImage(kernel, initrd, "6.1.0-test-amd64", 12, 100, 3, Duration.ofSeconds(1), List.of(), List.of(), List.of(),
                List.of("console=ttyS0,115200"));
    }

    static OutputRequest request(OutputMethod method, Path outputDir, @Nullable String url) {
        return new OutputRequest(method, outputDir, url, "web1", "rear-web1", "RELAXRECOVER", List.of("quiet"), null);
    }
}
