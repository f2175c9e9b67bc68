package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.engine.recover.HostProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A disk for {@code OUTPUT=USB}: its partition devices, the labels on them, and the safety rules
 * that keep {@code rear format} and the USB output off the system disk and off anything in use.
 */
public final class UsbDisk {

    /** ReaR's {@code USB_DEVICE_FILESYSTEM_LABEL}: the label of the partition holding the rescue system. */
    public static final String DATA_LABEL = "REAR-000";
    /** ReaR's label of the EFI system partition of a USB disk. */
    public static final String EFI_LABEL = "REAR-EFI";

    private static final int MAX_PARTITIONS = 4;

    private final String device;
    private final HostProbe host;
    private final CommandRunner runner;

    /**
     * @param device the whole disk ({@code /dev/sdb}, a {@code /dev/disk/by-id} link, a loop device);
     *               links are resolved
     */
    public UsbDisk(String device, HostProbe host, CommandRunner runner) {
        this.device = resolve(device);
        this.host = host;
        this.runner = runner;
    }

    private static String resolve(String device) {
        try {
            return Path.of(device).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return device;
        }
    }

    public String device() {
        return device;
    }

    /** Partition {@code n} of the disk: {@code sdb1}, but {@code loop0p1}, {@code nvme0n1p1}, {@code mmcblk0p1}. */
    public static String partition(String disk, int n) {
        return disk + (Character.isDigit(disk.charAt(disk.length() - 1)) ? "p" : "") + n;
    }

    /**
     * Why the disk must not be written to, or empty when it may be: not a block device, the system
     * disk (it holds {@code /}, {@code /boot}, {@code /usr} or {@code /var}), something on it is
     * mounted, or a swap area on it is in use.
     *
     * @param allowMountedData whether a mount of the REAR-000 partition itself is fine (the USB
     *                         output mounts it again; {@code format} never allows it)
     */
    public List<String> problems(boolean allowMountedData, List<String> activeSwaps) {
        List<String> out = new ArrayList<>();
        if (!host.isBlockDevice(device)) {
            out.add(device + " is not a block device");
            return out;
        }
        Optional<String> mm = host.majorMinor(device);
        Pattern part = Pattern.compile(Pattern.quote(device) + "p?[0-9]+");
        for (HostProbe.Mount m : host.mounts()) {
            if (!m.source().startsWith("/dev/") && !m.majorMinor().matches("\\d+:\\d+")) {
                continue;
            }
            Set<String> under = host.underlyingDisks(m.source());
            boolean on = m.source().equals(device) || part.matcher(m.source()).matches() || under.contains(device)
                    || (mm.isPresent() && mm.get().equals(m.majorMinor()));
            if (!on) {
                continue;
            }
            if (Set.of("/", "/boot", "/boot/efi", "/usr", "/var").contains(m.mountPoint())) {
                out.add(device + " is the system disk: " + m.source() + " is mounted on " + m.mountPoint());
            } else if (!allowMountedData) {
                out.add(device + " is in use: " + m.source() + " is mounted on " + m.mountPoint() + " (unmount it first)");
            }
        }
        for (String swap : activeSwaps) {
            if (swap.equals(device) || part.matcher(swap).matches() || host.underlyingDisks(swap).contains(device)) {
                out.add(device + " is in use: swap on " + swap + " is active (swapoff it first)");
            }
        }
        return out;
    }

    /** The devices of the active swap areas, from {@code /proc/swaps}. */
    public static List<String> activeSwaps() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/swaps"))) {
                if (line.startsWith("/")) {
                    out.add(line.split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            // no /proc/swaps: no swap
        }
        return out;
    }

    /**
     * Makes the kernel show the partitions of the table on the disk: {@code partx -u} updates those it
     * knows, {@code partx -a} adds the rest (exit 1 when all are there). A loop device's partitions
     * appear only this way; a real disk has them already, and both commands change nothing.
     */
    public void showPartitions(String artifact) {
        Tools.run(runner, artifact, CommandSpec.of("partx", "-u", device).withTimeout(Duration.ofSeconds(60)).alsoOk(1));
        Tools.run(runner, artifact, CommandSpec.of("partx", "-a", device).withTimeout(Duration.ofSeconds(60)).alsoOk(1));
    }

    /** Waits (at most {@code timeout}) until partition {@code n}'s device exists; whether it does. */
    public boolean awaitPartition(int n, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        String p = partition(device, n);
        while (!host.isBlockDevice(p)) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** {@code blkid -o export} of each partition device present: partition → (LABEL, TYPE, ...). */
    public Map<String, Map<String, String>> partitionSignatures(String artifact) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int n = 1; n <= MAX_PARTITIONS; n++) {
            String p = partition(device, n);
            if (!host.isBlockDevice(p)) {
                continue;
            }
            String text = Tools.run(runner, artifact, CommandSpec.of("blkid", "-p", "-o", "export", p).alsoOk(2)).stdout();
            out.put(p, parseExport(text));
        }
        return out;
    }

    /** {@code KEY=value} lines of {@code blkid -o export}. */
    static Map<String, String> parseExport(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return m;
    }

    /** The partition with filesystem label {@code label} (and type {@code type} when given), if any. */
    public static @Nullable String withLabel(Map<String, Map<String, String>> signatures, String label, @Nullable String type) {
        for (Map.Entry<String, Map<String, String>> e : signatures.entrySet()) {
            if (label.equals(e.getValue().get("LABEL")) && (type == null || type.equals(e.getValue().get("TYPE")))) {
                return e.getKey();
            }
        }
        return null;
    }
}
