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
    private static final java.util.Map<Path, RescueImage> WITH_DESCRIPTOR = new java.util.HashMap<>();

    /** The RAMDISK pair carrying the saved descriptor {@code descriptor} (its network, its host name), built once per run. */
    static synchronized RescueImage ramdisk(VmHost host, Path descriptor) {
        return WITH_DESCRIPTOR.computeIfAbsent(descriptor.toAbsolutePath().normalize(), d -> {
            String name = d.getFileName().toString().replace(".json", "");
            Path dir = host.cacheDir().resolve("rescue-" + name);
            RescueSpec spec = new RescueSpec(Path.of("/"), host.kernel(), host.kernelRelease(), List.of(), List.of(), List.of(), List.of(),
                    List.of(), List.of(), RescueRequirements.none(), host.dist(), host.jdk(), d, List.of(), RescueSpec.Compression.GZIP,
                    dir.resolve("work"), host.cacheDir(), dir.resolve("initrd.gz"));
            RescueImage i = new InitramfsBuilder().build(spec, new ProcessCommandRunner(), ProgressSink.NONE);
            System.out.printf("rescue image with %s: initrd %.1f MiB (gzip), built in %.1f s%n", name, i.initrdBytes() / 1048576.0,
                    i.buildTime().toMillis() / 1000.0);
            return i;
        });
    }

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
