package dev.rear.engine.plan;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The sample descriptors in {@code descriptors/samples/}. */
final class Samples {
    static final Path DIR = Path.of("..", "descriptors", "samples");

    private Samples() {}

    static List<Path> all() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SystemDescriptor load(String name) {
        return DescriptorFiles.load(DIR.resolve(name));
    }

    /** Targets {@code /dev/vdX} of the originals' sizes, in descriptor order, without identity. */
    static List<TargetDisk> sameSizeTargets(SystemDescriptor d) {
        char c = 'b';
        List<TargetDisk> out = new java.util.ArrayList<>();
        for (Disk disk : d.disks()) {
            out.add(new TargetDisk("/dev/vd" + c++, disk.sizeBytes(), disk.logicalSectorSize(), null, null, null));
        }
        return out;
    }
}
