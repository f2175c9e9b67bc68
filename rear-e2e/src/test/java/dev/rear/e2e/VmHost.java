package dev.rear.e2e;

import dev.rear.engine.rescue.LddOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * What the VM tests need from this machine, found once: qemu, Debian's kernel with its modules, a
 * static busybox, this JDK's jmods and jlink, and the assembled rear distribution. {@link #find()}
 * aborts the test (a JUnit assumption, shown as skipped) naming what is missing and the Debian
 * package that brings it.
 */
record VmHost(Path qemu, String kernelRelease, Path kernel, Path modulesDir, Path busybox, Path jdk, Path dist, Path cacheDir) {

    static VmHost find() {
        List<String> missing = new ArrayList<>();
        Path qemu = which("qemu-system-x86_64").orElse(null);
        if (qemu == null) {
            missing.add("qemu-system-x86_64 (package qemu-system-x86)");
        }
        String release = newestKernel().orElse(null);
        if (release == null) {
            missing.add("a kernel with both /boot/vmlinuz-* and /lib/modules/*/modules.dep (package linux-image-amd64)");
        } else if (!Files.isReadable(Path.of("/boot/vmlinuz-" + release))) {
            missing.add("read access to /boot/vmlinuz-" + release + " (run as root)");
        }
        Path busybox = which("busybox").orElse(null);
        if (busybox == null) {
            missing.add("busybox (package busybox-static)");
        } else if (!isStatic(busybox)) {
            missing.add("a statically linked busybox; " + busybox + " is dynamic (package busybox-static)");
        }
        Path jdk = Path.of(System.getProperty("java.home"));
        if (!Files.isRegularFile(jdk.resolve("jmods/java.base.jmod")) || !Files.isExecutable(jdk.resolve("bin/jlink"))) {
            missing.add("jmods and jlink in " + jdk + " (package openjdk-17-jdk-headless)");
        }
        Path dist = Path.of(System.getProperty("rear.e2e.dist", "../rear-dist/target/rear")).toAbsolutePath().normalize();
        if (!Files.isExecutable(dist.resolve("bin/rear")) || !Files.isDirectory(dist.resolve("lib"))) {
            missing.add("the rear distribution in " + dist + " (mvn -pl rear-dist -am package)");
        }
        for (String tool : GuestImage.TOOLS) {
            if (which(tool).isEmpty()) {
                missing.add(tool + " (package " + GuestImage.packageOf(tool) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new TestAbortedException("the VM test cannot run here; missing: " + String.join("; ", missing));
        }
        Path cache = Path.of(System.getProperty("rear.e2e.cache", "target/vm-cache")).toAbsolutePath().normalize();
        return new VmHost(qemu, release, Path.of("/boot/vmlinuz-" + release), Path.of("/lib/modules", release), busybox, jdk, dist, cache);
    }

    private static boolean isStatic(Path program) {
        HostProcess r = HostProcess.run(Duration.ofSeconds(30), "ldd", program.toString());
        return LddOutput.isStatic(r.stdout() + r.stderr());
    }

    /** The real file behind {@code name} on the usual sbin/bin directories, symbolic links resolved. */
    static Optional<Path> which(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                try {
                    return Optional.of(p.toRealPath());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> newestKernel() {
        try (Stream<Path> s = Files.list(Path.of("/lib/modules"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(r -> Files.exists(Path.of("/boot/vmlinuz-" + r)) && Files.exists(Path.of("/lib/modules", r, "modules.dep")))
                    .max(Comparator.comparing(VmHost::versionKey));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** "6.1.0-56-amd64" → "00006.00001.00000-00056-amd64": numeric parts compare as numbers. */
    static String versionKey(String release) {
        StringBuilder b = new StringBuilder();
        for (String part : release.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)")) {
            b.append(part.chars().allMatch(Character::isDigit) ? String.format("%05d", Long.parseLong(part)) : part);
        }
        return b.toString();
    }
}
