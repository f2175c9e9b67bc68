package dev.rear.engine.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandSpec;
import dev.rear.engine.exec.ProcessCommandRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Loop devices for host-tier tests, on sparse image files, with everything undone on
 * {@link #close()} in reverse order (unmount, swapoff, partition removal, detach), whatever the
 * test did. Only devices this class created are ever written to.
 *
 * <p>This host's kernel parses no partition tables on loop devices: after a table is written,
 * {@link #addPartitions} asks for the partition devices explicitly ({@code partx -a}).
 */
public final class LoopDevices implements AutoCloseable {

    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final Path dir;

    public LoopDevices(Path dir) {
        this.dir = dir;
    }

    /** Skips the calling test, with the reason printed, unless it runs as root with the tools it needs. */
    public static void assumeUsable(String... tools) {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (loop devices, mkfs, mount)");
        for (String t : tools) {
            boolean found = List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/").stream().anyMatch(d -> Files.isExecutable(Path.of(d + t)));
            assumeTrue(found, t + " is not installed");
        }
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "no /dev/loop-control: the loop driver is missing");
    }

    public CommandResult run(String... argv) {
        return runner.run(CommandSpec.of(argv).withTimeout(Duration.ofSeconds(120)));
    }

    public CommandResult runWithInput(String input, String... argv) {
        return runner.run(CommandSpec.of(argv).withTimeout(Duration.ofSeconds(120)).withStdin(input.getBytes(StandardCharsets.UTF_8)));
    }

    /** A sparse image file of {@code bytes} attached to a free loop device; returns the device path. */
    public String attach(String name, long bytes) throws IOException {
        Path img = dir.resolve(name + ".img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(bytes);
        }
        // --partscan: partx can add partitions only to a loop device attached with it.
        String dev = run("losetup", "-f", "--show", "--partscan", img.toString()).stdout().strip();
        if (!dev.matches("/dev/loop\\d+")) {
            throw new IllegalStateException("losetup printed '" + dev + "'");
        }
        undo.push(() -> quietly("losetup", "-d", dev));
        return dev;
    }

    /** Writes a partition table with {@code sfdisk} from a script, then makes the partition devices appear. */
    public void partition(String dev, String sfdiskScript) {
        runWithInput(sfdiskScript, "sfdisk", "--quiet", "--wipe", "always", dev);
        addPartitions(dev);
    }

    /** {@code partx -a}: partition devices for a table the kernel did not read itself. */
    public void addPartitions(String dev) {
        try {
            run("partx", "-a", dev);
        } catch (RuntimeException e) {
            run("partx", "-u", dev); // some partitions exist already (mounted): add the new, keep the rest
        }
        undo.push(() -> quietly("partx", "-d", dev));
        quietly("udevadm", "settle", "--timeout=10");
    }

    /** Mounts {@code dev} on {@code mountpoint} (created) with optional options. */
    public void mount(String dev, Path mountpoint, String... options) throws IOException {
        Files.createDirectories(mountpoint);
        if (options.length == 0) {
            run("mount", dev, mountpoint.toString());
        } else {
            run("mount", "-o", String.join(",", options), dev, mountpoint.toString());
        }
        undo.push(() -> quietly("umount", "-l", mountpoint.toString()));
    }

    public void swapon(String dev) {
        run("swapon", dev);
        undo.push(() -> quietly("swapoff", dev));
    }

    private void quietly(String... argv) {
        try {
            runner.run(CommandSpec.of(argv).withTimeout(Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
            // cleanup goes on; what was not undone shows up in losetup -a
        }
    }

    @Override
    public void close() {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
    }
}
