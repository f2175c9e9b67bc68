package dev.rear.engine.plan;

import org.jspecify.annotations.Nullable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to tell that a step's effect is already there, as data; the executor evaluates it (never the planner).
 *
 * <p>Probes: {@code blkid} (low-level probe of {@code target}: every {@code expect} key, e.g.
 * {@code TYPE}, {@code UUID}, {@code PTUUID}, must have that value), {@code exists} ({@code target}
 * is a block device), {@code mounted} ({@code target} is a mountpoint and {@code expect.SOURCE} is
 * mounted there), {@code lvm-vg} ({@code vgs} lists VG {@code target}), {@code btrfs-subvolumes}
 * (every path in {@code expect} exists as a subvolume), {@code marker} ({@code target} is a regular file of
 * {@code key=value} lines holding every {@code expect} pair, e.g. the restore's marker naming the
 * restore point), {@code none} (cannot be told: the step always
 * runs unless the journal says it succeeded), {@code idempotent} (the step's action tells for itself
 * and changes nothing when its work is there; the executor runs it).
 */
public record Check(String probe, String target, Map<String, String> expect) {
    public Check {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(target, "target");
        expect = new TreeMap<>(expect);
    }

    public static Check blkid(String device, @Nullable String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return new Check("blkid", device, m);
    }

    public static Check none() {
        return new Check("none", "", Map.of());
    }

    public String describe() {
        return switch (probe) {
            case "none" -> "none (re-run unless the journal says it succeeded)";
            case "blkid" -> "blkid of " + target + " reports " + String.join(" ", expect.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            case "exists" -> target + " exists";
            case "mounted" -> target + " is mounted" + (expect.containsKey("SOURCE") ? " from " + expect.get("SOURCE") : "");
            case "lvm-vg" -> "vgs lists " + target;
            case "lvm-lv" -> "lvs lists " + target;
            case "marker" -> "the marker " + target + " exists" + (expect.isEmpty() ? "" : " and says " + String.join(" ",
                    expect.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            case "idempotent" -> "done by the step itself: running it again finds its work done and changes nothing"
                    + (target.isEmpty() ? "" : " (" + target + ")");
            default -> probe + " " + target + " " + expect;
        };
    }
}
