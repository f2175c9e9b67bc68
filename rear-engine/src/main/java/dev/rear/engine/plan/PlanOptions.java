package dev.rear.engine.plan;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How to plan.
 *
 * @param mode            the resize policy for targets of another size
 * @param resizeProtected whether ESP, {@code /boot}, {@code bios_grub} and swap partitions may be resized too
 * @param usedBytes       used bytes per filesystem or LV (key: device path or mountpoint); empty when unknown
 * @param keyFile         the LUKS key file given to {@code cryptsetup}, or {@code null} to read the key from
 *                        standard input (the executor prompts and feeds it; it is never stored)
 * @param targetRoot      where the recreated filesystems are mounted ({@code /mnt/local})
 */
public record PlanOptions(ResizePolicy.Mode mode, boolean resizeProtected, Map<String, Long> usedBytes,
                          @Nullable String keyFile, String targetRoot) {
    public static final PlanOptions DEFAULTS = new PlanOptions(ResizePolicy.Mode.LAST, false, Map.of(), null, "/mnt/local");

    public PlanOptions {
        Objects.requireNonNull(mode, "mode");
        usedBytes = usedBytes == null ? Map.of() : new TreeMap<>(usedBytes);
        Objects.requireNonNull(targetRoot, "targetRoot");
    }

    public PlanOptions withMode(ResizePolicy.Mode m) {
        return new PlanOptions(m, resizeProtected, usedBytes, keyFile, targetRoot);
    }

    public PlanOptions withUsed(Map<String, Long> used) {
        return new PlanOptions(mode, resizeProtected, used, keyFile, targetRoot);
    }

    public PlanOptions withResizeProtected(boolean b) {
        return new PlanOptions(mode, b, usedBytes, keyFile, targetRoot);
    }

    public PlanOptions withKeyFile(@Nullable String k) {
        return new PlanOptions(mode, resizeProtected, usedBytes, k, targetRoot);
    }
}
