package dev.rear.e2e;

import dev.rear.api.spi.ProgressSink;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.rescue.InitramfsBuilder;
import dev.rear.engine.rescue.RescueImage;
import dev.rear.engine.rescue.RescueSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The rescue system the VM tests boot: built from this machine by rear's own {@link InitramfsBuilder}
 * once per test run (the first test that asks builds it; the Java runtime is cached across runs) into
 * the harness's cache directory ({@code rear-e2e/target/vm-cache/rescue}).
 */
final class RescueImages {
    private RescueImages() {}

    private static RescueImage image;

    /** The RAMDISK pair (kernel and initrd) of this machine, built now unless this run built it already. */
    static synchronized RescueImage ramdisk(VmHost host) {
        if (image == null) {
            Path dir = host.cacheDir().resolve("rescue");
            RescueSpec spec = new RescueSpec(Path.of("/"), host.kernel(), host.kernelRelease(), List.of(), List.of(), List.of(), List.of(),
                    List.of(), List.of(), RescueRequirements.none(), host.dist(), host.jdk(), null, List.of(), RescueSpec.Compression.ZSTD,
                    dir.resolve("work"), host.cacheDir(), dir.resolve("initrd.zst"));
            image = new InitramfsBuilder().build(spec, new ProcessCommandRunner(), ProgressSink.NONE);
            System.out.printf("rescue image: initrd %.1f MiB (zstd), tree %.1f MiB, %d entries, %d modules, %d programs, built in %.1f s%n",
                    image.initrdBytes() / 1048576.0, image.treeBytes() / 1048576.0, image.entries(), image.modules().size(),
                    image.programs().size(), image.buildTime().toMillis() / 1000.0);
        }
        return image;
    }
}
