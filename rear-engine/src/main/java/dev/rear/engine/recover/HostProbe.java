package dev.rear.engine.recover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the executor asks the host about devices and mounts; a test states the answers.
 */
public interface HostProbe {

    /** One line of /proc/self/mountinfo: the mountpoint and the source device. */
    record Mount(String mountPoint, String source, String majorMinor) {}

    boolean isBlockDevice(String path);

    /** The size of a block device, empty when it cannot be read. */
    OptionalLong sizeBytes(String path);

    /** The major:minor of a block device, empty when unknown. */
    java.util.Optional<String> majorMinor(String path);

    List<Mount> mounts();

    /**
     * The whole disks a device sits on, as {@code /dev/NAME} (a partition's disk, a mapper's slaves'
     * disks, recursively); empty when unknown or not a block device.
     */
    default java.util.Set<String> underlyingDisks(String device) {
        return java.util.Set.of();
    }

    /**
     * The mounts that sit on {@code disk}: the disk or one of its partitions mounted, the same
     * major:minor, or a device built on it (md, dm, LVM) mounted. What a recovery must not write to.
     */
    default List<Mount> mountsOn(String disk) {
        java.util.regex.Pattern part = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(disk) + "p?[0-9]+");
        java.util.Optional<String> mm = majorMinor(disk);
        java.util.Set<String> disks = underlyingDisks(disk);
        List<Mount> on = new java.util.ArrayList<>();
        for (Mount m : mounts()) {
            java.util.Set<String> under = underlyingDisks(m.source());
            if (m.source().equals(disk) || part.matcher(m.source()).matches() || (mm.isPresent() && mm.get().equals(m.majorMinor()))
                    || under.contains(disk) || disks.stream().anyMatch(under::contains)) {
                on.add(m);
            }
        }
        return on;
    }

    /** The host itself: /sys, /proc/self/mountinfo. */
    static HostProbe linux() {
        return new HostProbe() {
            @Override
            public boolean isBlockDevice(String path) {
                try {
                    return Files.exists(Path.of(path)) && "b".equals(fileType(path));
                } catch (RuntimeException e) {
                    return false;
                }
            }

            @Override
            public OptionalLong sizeBytes(String path) {
                try {
                    Path real = Path.of(path).toRealPath();
                    Path sys = Path.of("/sys/class/block", real.getFileName().toString(), "size");
                    return OptionalLong.of(Long.parseLong(Files.readString(sys).strip()) * 512L);
                } catch (IOException | RuntimeException e) {
                    return OptionalLong.empty();
                }
            }

            @Override
            public java.util.Optional<String> majorMinor(String path) {
                try {
                    Path real = Path.of(path).toRealPath();
                    Path sys = Path.of("/sys/class/block", real.getFileName().toString(), "dev");
                    return java.util.Optional.of(Files.readString(sys).strip());
                } catch (IOException | RuntimeException e) {
                    return java.util.Optional.empty();
                }
            }

            @Override
            public List<Mount> mounts() {
                try {
                    List<Mount> out = new ArrayList<>();
                    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                        String[] f = line.split(" ");
                        int dash = List.of(f).indexOf("-");
                        if (f.length < 5 || dash < 0 || dash + 2 >= f.length) {
                            continue;
                        }
                        out.add(new Mount(unescape(f[4]), unescape(f[dash + 2]), f[2]));
                    }
                    return out;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
                }
            }

            @Override
            public java.util.Set<String> underlyingDisks(String device) {
                java.util.Set<String> out = new java.util.TreeSet<>();
                try {
                    if (!device.startsWith("/dev/") || !Files.exists(Path.of(device))) {
                        return out;
                    }
                    walk(Path.of(device).toRealPath().getFileName().toString(), out, 0);
                } catch (IOException | RuntimeException e) {
                    return out;
                }
                return out;
            }

            private void walk(String name, java.util.Set<String> out, int depth) throws IOException {
                if (depth > 16) {
                    return;
                }
                Path sys = Path.of("/sys/class/block", name);
                if (!Files.exists(sys)) {
                    return;
                }
                if (Files.exists(sys.resolve("partition"))) {
                    out.add("/dev/" + sys.toRealPath().getParent().getFileName());
                    return;
                }
                Path slaves = sys.resolve("slaves");
                List<String> lower = new ArrayList<>();
                if (Files.isDirectory(slaves)) {
                    try (var st = Files.list(slaves)) {
                        st.forEach(x -> lower.add(x.getFileName().toString()));
                    }
                }
                if (lower.isEmpty()) {
                    out.add("/dev/" + name);
                }
                for (String l : lower) {
                    walk(l, out, depth + 1);
                }
            }

            private String fileType(String path) {
                try {
                    Object mode = Files.getAttribute(Path.of(path), "unix:mode");
                    int m = (Integer) mode;
                    return (m & 0170000) == 0060000 ? "b" : "-";
                } catch (IOException | UnsupportedOperationException e) {
                    return "-";
                }
            }
        };
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
