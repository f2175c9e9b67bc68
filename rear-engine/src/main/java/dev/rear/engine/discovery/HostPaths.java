package dev.rear.engine.discovery;

import java.nio.file.Path;

/**
 * Where the host's {@code /sys}, {@code /proc}, {@code /dev} and {@code /etc} are: under {@code /}
 * on a live system, under a prepared tree in tests. A parameter, never a constant.
 *
 * @param root the host's root directory
 */
public record HostPaths(Path root) {

    /** The live system. */
    public static final HostPaths LIVE = new HostPaths(Path.of("/"));

    /** An absolute host path ({@code /proc/cmdline}) under the root. */
    public Path resolve(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolute);
        }
        return root.resolve(absolute.substring(1));
    }

    public Path sys() {
        return resolve("/sys");
    }

    public Path proc() {
        return resolve("/proc");
    }

    public Path dev() {
        return resolve("/dev");
    }

    public Path etc() {
        return resolve("/etc");
    }
}
