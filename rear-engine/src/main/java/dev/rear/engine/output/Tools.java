package dev.rear.engine.output;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The programs and GRUB platform files the outputs use, with the Debian packages that bring them,
 * and one place that runs a tool and turns its failure into an {@link OutputException} naming the
 * artifact, the tool and its stderr.
 */
final class Tools {
    private Tools() {}

    /** Program or file → the Debian package that installs it. */
    static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("xorriso", "xorriso"), Map.entry("grub-mkrescue", "grub-common"),
            Map.entry("grub-mkimage", "grub-common"), Map.entry("grub-install", "grub2-common"),
            Map.entry("mformat", "mtools"), Map.entry("mcopy", "mtools"), Map.entry("mmd", "mtools"),
            Map.entry("mkfs.fat", "dosfstools"), Map.entry("mkfs.ext4", "e2fsprogs"), Map.entry("sfdisk", "fdisk"),
            Map.entry("partx", "util-linux"), Map.entry("blkid", "util-linux"), Map.entry("wipefs", "util-linux"),
            Map.entry("mount", "mount"), Map.entry("umount", "mount"), Map.entry("mount.nfs", "nfs-common"),
            Map.entry("mount.cifs", "cifs-utils"), Map.entry("sshfs", "sshfs"),
            Map.entry("i386-pc", "grub-pc-bin"), Map.entry("x86_64-efi", "grub-efi-amd64-bin"));

    /** Where GRUB's platform directories ({@code i386-pc}, {@code x86_64-efi}) are installed. */
    static final Path GRUB_LIB = Path.of("/usr/lib/grub");

    static String packageOf(String tool) {
        return PACKAGES.getOrDefault(tool.substring(tool.lastIndexOf('/') + 1), "?");
    }

    /**
     * Fails naming every missing program (searched on {@code PATH}) and GRUB platform directory, with
     * their packages, in one message.
     */
    static void require(String artifact, List<String> programs, Path grubLib, List<String> grubPlatforms) {
        List<String> missing = new ArrayList<>();
        for (String p : programs) {
            if (which(p) == null) {
                missing.add(p + " (package " + packageOf(p) + ")");
            }
        }
        for (String platform : grubPlatforms) {
            if (!Files.isDirectory(grubLib.resolve(platform))) {
                missing.add("GRUB's " + platform + " files in " + grubLib.resolve(platform) + " (package " + packageOf(platform) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new OutputException("cannot write " + artifact + ": missing " + String.join(", ", missing)
                    + "; install them (Debian/Ubuntu: apt-get install "
                    + String.join(" ", missing.stream().map(m -> m.replaceAll(".*\\(package ([^)]+)\\)$", "$1")).distinct().toList()) + ")");
        }
    }

    /** The program on {@code PATH} (plus the sbin directories), or {@code null}. */
    static @org.jspecify.annotations.Nullable Path which(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program)) ? Path.of(program) : null;
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return Path.of(d, program);
            }
        }
        return null;
    }

    /** Runs {@code argv} for {@code artifact}; any failure becomes an {@link OutputException} naming both. */
    static CommandResult run(CommandRunner runner, String artifact, Duration timeout, String... argv) {
        return run(runner, artifact, CommandSpec.of(argv).withTimeout(timeout));
    }

    static CommandResult run(CommandRunner runner, String artifact, CommandSpec spec) {
        try {
            return runner.run(spec);
        } catch (ToolNotFoundException e) {
            throw new OutputException("cannot write " + artifact + ": '" + spec.program() + "' is not installed (package "
                    + packageOf(spec.program()) + ")", e);
        } catch (CommandFailedException e) {
            throw new OutputException("cannot write " + artifact + ": " + spec.program() + " failed (exit code "
                    + e.result().exitCode() + ")" + (e.result().stderr().isBlank() ? "" : ": " + e.result().stderrTail(8).replace('\n', ' '))
                    + " [command: " + spec.display() + "]", e);
        } catch (CommandTimeoutException e) {
            throw new OutputException("cannot write " + artifact + ": " + e.getMessage(), e);
        }
    }
}
