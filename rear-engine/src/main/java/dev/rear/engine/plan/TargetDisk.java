package dev.rear.engine.plan;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A disk the layout may be recreated on, as the caller discovered it (or as a test states it).
 *
 * @param path              its kernel path ({@code /dev/sdb})
 * @param sizeBytes         its size
 * @param logicalSectorSize its logical sector size (512 or 4096)
 * @param serial            its serial number, if known
 * @param wwn               its World Wide Name, if known
 * @param model             its model, if known
 */
public record TargetDisk(String path, long sizeBytes, int logicalSectorSize, @Nullable String serial,
                         @Nullable String wwn, @Nullable String model) {
    public TargetDisk {
        Objects.requireNonNull(path, "path");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("target " + path + ": size must be positive, not " + sizeBytes);
        }
        if (logicalSectorSize <= 0) {
            throw new IllegalArgumentException("target " + path + ": sector size must be positive");
        }
    }

    /** A target known only by path and size, with 512-byte sectors. */
    public static TargetDisk of(String path, long sizeBytes) {
        return new TargetDisk(path, sizeBytes, 512, null, null, null);
    }

    public long sizeSectors() {
        return sizeBytes / logicalSectorSize;
    }
}
