package dev.rear.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One qemu virtual machine under TCG (never KVM), with everything it owns in a private work
 * directory: sparse disk images, the serial console log, qemu's own output. {@link #close()} kills
 * the VM and removes the directory, in every outcome; a JVM shutdown hook does the same if the
 * test JVM is stopped first. Waits are bounded and fail with the console's last lines.
 */
final class QemuVm implements AutoCloseable {

    /** A virtio disk of the VM, in the order the guest sees them (vda, vdb, ...) and SeaBIOS tries them. */
    sealed interface Drive permits Disk, Image {
        String serial();
    }

    /** A new blank virtio disk: a sparse raw image file of {@code sizeBytes} in the work directory. */
    record Disk(String serial, long sizeBytes) implements Drive {}

    /** How the VM may use an existing {@link Image}. */
    enum Access {
        /** the guest cannot write it (a tar to read, a cached source image) */
        READ_ONLY,
        /** the guest writes into a throwaway overlay: the file itself stays as it was */
        SNAPSHOT,
        /** the guest writes the file */
        WRITE
    }

    /** An existing raw image file (or a plain file of whole sectors, like a tar) as a virtio disk. */
    record Image(Path file, String serial, Access access) implements Drive {}

    /**
     * The machine's firmware. {@link #BIOS}: SeaBIOS, qemu's default, which tries the disks in their
     * order. {@link Uefi}: OVMF from a pflash pair with the machine's own NVRAM file.
     */
    sealed interface Firmware permits Bios, Uefi {
        /** SeaBIOS. */
        Firmware BIOS = new Bios();

        /** OVMF with {@code nvram} as the machine's writable variable store. */
        static Uefi uefi(Path nvram) {
            return new Uefi(nvram);
        }
    }

    /** SeaBIOS (qemu's built-in PC BIOS): no arguments; disks are booted in their {@code bootindex} order. */
    record Bios() implements Firmware {}

    /**
     * UEFI: OVMF's code ({@link #CODE}, read-only pflash unit 0) and {@code nvram}, a writable copy of
     * {@link #VARS_TEMPLATE} (pflash unit 1) that belongs to one machine as a real board's flash does:
     * what a run writes there (grub-install's boot entry, OVMF's own boot options) is there for the
     * next run given the same file. Without {@code -kernel}, OVMF boots by the NVRAM's BootOrder (no
     * {@code bootindex} is given), so a boot entry that is missing makes the boot fail as it would on
     * the real machine. Make a new machine's file with {@link #fresh(Path)}, a throwaway copy of one
     * with {@link #snapshot(Path)}.
     */
    record Uefi(Path nvram) implements Firmware {
        /** OVMF's code for a 4 MiB flash (package ovmf), without Secure Boot. */
        static final Path CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
        /** The empty variable store matching {@link #CODE}. */
        static final Path VARS_TEMPLATE = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

        /** Skips the calling test, naming the missing firmware file and its package. */
        static void requireFirmware() {
            for (Path p : List.of(CODE, VARS_TEMPLATE)) {
                if (!Files.isReadable(p)) {
                    throw new org.opentest4j.TestAbortedException("cannot boot UEFI machines here; missing: " + p + " (package ovmf)");
                }
            }
        }

        /** A new machine's NVRAM at {@code target}: the empty variable store, copied. */
        static Uefi fresh(Path target) {
            return new Uefi(copy(VARS_TEMPLATE, target));
        }

        /** A copy of this NVRAM at {@code target}, for a run whose writes must not reach this file. */
        Uefi snapshot(Path target) {
            return new Uefi(copy(nvram, target));
        }

        private static Path copy(Path from, Path target) {
            requireFirmware();
            try {
                Files.createDirectories(target.toAbsolutePath().getParent());
                Files.copy(from, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the NVRAM " + from + " to " + target + ": " + e.getMessage(), e);
            }
        }

        List<String> args() {
            if (!Files.isRegularFile(nvram) || !Files.isWritable(nvram)) {
                throw new IllegalArgumentException("the NVRAM file " + nvram + " is missing or not writable (make one with Uefi.fresh)");
            }
            return List.of("-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + CODE,
                    "-drive", "if=pflash,format=raw,unit=1,file=" + nvram);
        }
    }

    /** Console lines carrying this are echoed on the test's output as they come, for progress. */
    static final String PROGRESS = "REAR-E2E:";

    private final Path work;
    private final Path console;
    private final List<Path> images = new ArrayList<>();
    private final Thread hook;
    private Process process;
    private java.io.@org.jspecify.annotations.Nullable OutputStream serialIn;
    private final Instant started;
    private long consoleOffset;
    private final StringBuilder pending = new StringBuilder();

    private QemuVm(Path work) {
        this.work = work;
        this.console = work.resolve("console.log");
        this.started = Instant.now();
        this.hook = new Thread(this::destroy, "qemu-cleanup-" + work.getFileName());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The emulated CPU model ({@code -Drear.e2e.cpu=...}; default {@code max}, everything TCG can emulate). */
    static final String CPU = System.getProperty("rear.e2e.cpu", "max");

    /**
     * TCG's threading ({@code -Drear.e2e.tcg=single|multi}): one host thread for all vCPUs (the
     * default), or one per vCPU. Multi-threaded TCG (qemu 7.2 here) runs code a JIT has just written
     * on one vCPU stale on another: in the drill's source VMs, jdeps and jlink died in 3 of 8 runs with
     * SIGSEGV or SIGILL (ILL_ILLOPN) at the first instructions of freshly C1-compiled methods, and
     * in none of 8 single-threaded; jlink took 71 s against 73 s.
     */
    static final String TCG_THREAD = System.getProperty("rear.e2e.tcg", "single");

    /**
     * Boots {@code kernel} with {@code initrd} and the kernel command line {@code append} on
     * {@code drives}, the first serial port logged to the work directory's {@code console.log}.
     */
    static QemuVm boot(Path qemu, Path workParent, Path kernel, Path initrd, String append, int memoryMiB, int cpus, List<? extends Drive> drives) {
        return boot(qemu, workParent, kernel, initrd, append, memoryMiB, cpus, drives, false);
    }

    /**
     * Like {@link #boot(Path, Path, Path, Path, String, int, int, List)}; with {@code interactive} the
     * first serial port is qemu's standard input and output: what the guest writes still goes to the
     * work directory's {@code console.log} (with qemu's own messages), and {@link #type(String)}
     * writes to the guest's console.
     */
    static QemuVm boot(Path qemu, Path workParent, Path kernel, Path initrd, String append, int memoryMiB, int cpus, List<? extends Drive> drives,
                       boolean interactive) {
        return boot(qemu, workParent, kernel, initrd, append, memoryMiB, cpus, drives, interactive, List.of());
    }

    /** The same with {@code extraArgs} added to qemu's command line (a NIC: {@code -nic user,model=virtio-net-pci}). */
    static QemuVm boot(Path qemu, Path workParent, Path kernel, Path initrd, String append, int memoryMiB, int cpus, List<? extends Drive> drives,
                       boolean interactive, List<String> extraArgs) {
        return boot(qemu, workParent, Firmware.BIOS, kernel, initrd, append, memoryMiB, cpus, drives, interactive, extraArgs);
    }

    /**
     * Boots {@code kernel} with {@code initrd} as above, the machine started by {@code firmware}:
     * under {@link Uefi} OVMF starts the kernel through its EFI stub (so the guest has EFI runtime
     * services and efivarfs, and writes to the machine's NVRAM file).
     */
    static QemuVm boot(Path qemu, Path workParent, Firmware firmware, Path kernel, Path initrd, String append, int memoryMiB, int cpus,
                       List<? extends Drive> drives, boolean interactive, List<String> extraArgs) {
        List<String> bootArgs = new ArrayList<>(List.of("-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", append));
        bootArgs.addAll(extraArgs);
        return start(qemu, workParent, firmware, bootArgs, memoryMiB, cpus, drives, interactive);
    }

    /**
     * Boots {@code drives} through the firmware (SeaBIOS) and the bootloader on them, as a real
     * machine does: no {@code -kernel}; the drives are tried in their order.
     */
    static QemuVm bootFirmware(Path qemu, Path workParent, int memoryMiB, int cpus, List<? extends Drive> drives) {
        return bootFirmware(qemu, workParent, Firmware.BIOS, memoryMiB, cpus, drives);
    }

    /**
     * Boots {@code drives} through {@code firmware} and the bootloader on them, as a real machine
     * does: no {@code -kernel}. SeaBIOS tries the drives in their order; OVMF follows the BootOrder
     * in the machine's NVRAM file (the entry the installer wrote), then its own boot options.
     */
    static QemuVm bootFirmware(Path qemu, Path workParent, Firmware firmware, int memoryMiB, int cpus, List<? extends Drive> drives) {
        return start(qemu, workParent, firmware, List.of(), memoryMiB, cpus, drives, false);
    }

    private static QemuVm start(Path qemu, Path workParent, List<String> bootArgs, int memoryMiB, int cpus, List<? extends Drive> drives,
                                boolean interactive) {
        return start(qemu, workParent, Firmware.BIOS, bootArgs, memoryMiB, cpus, drives, interactive);
    }

    private static QemuVm start(Path qemu, Path workParent, Firmware firmware, List<String> bootArgs, int memoryMiB, int cpus,
                                List<? extends Drive> drives, boolean interactive) {
        List<String> firmwareArgs = firmware instanceof Uefi uefi ? uefi.args() : List.of();
        Path work;
        try {
            Files.createDirectories(workParent);
            work = Files.createTempDirectory(workParent, "vm-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a work directory under " + workParent + ": " + e.getMessage(), e);
        }
        QemuVm vm = new QemuVm(work);
        try {
            List<String> argv = new ArrayList<>(List.of(qemu.toString(), "-accel", "tcg,thread=" + TCG_THREAD, "-cpu", CPU,
                    "-smp", Integer.toString(cpus), "-m", Integer.toString(memoryMiB), "-nodefaults", "-nographic", "-monitor", "none",
                    "-no-reboot", "-serial", interactive ? "stdio" : "file:" + vm.console));
            argv.addAll(firmwareArgs);
            argv.addAll(bootArgs);
            // SeaBIOS boots the drives in this order; OVMF follows its NVRAM, as a real UEFI machine
            boolean bootIndex = bootArgs.isEmpty() && firmware instanceof Bios;
            int i = 0;
            for (Drive d : drives) {
                String file;
                String access = "";
                if (d instanceof Disk blank) {
                    Path img = work.resolve("disk" + i + ".img");
                    try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                        f.setLength(blank.sizeBytes());
                    }
                    vm.images.add(img);
                    file = img.toString();
                } else {
                    Image image = (Image) d;
                    if (!Files.isRegularFile(image.file())) {
                        throw new IOException("no image file " + image.file() + " for the disk " + image.serial());
                    }
                    vm.images.add(image.file());
                    file = image.file().toString();
                    access = switch (image.access()) {
                        case READ_ONLY -> ",readonly=on";
                        case SNAPSHOT -> ",snapshot=on";
                        case WRITE -> "";
                    };
                }
                argv.addAll(List.of("-drive", "file=" + file + ",if=none,id=d" + i + ",format=raw,cache=unsafe,discard=unmap,detect-zeroes=unmap" + access,
                        "-device", "virtio-blk-pci,drive=d" + i + ",serial=" + d.serial() + (bootIndex ? ",bootindex=" + (i + 1) : "")));
                i++;
            }
            Files.createFile(vm.console);
            ProcessBuilder pb = interactive
                    ? new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(vm.console.toFile())
                    : new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(work.resolve("qemu.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            vm.process = pb.start();
            if (interactive) {
                vm.serialIn = vm.process.getOutputStream();
            }
            return vm;
        } catch (IOException | RuntimeException e) {
            vm.close();
            throw new IllegalStateException("cannot start " + qemu + ": " + e.getMessage(), e);
        }
    }

    /**
     * Boots the machine's firmware, which boots from the given media ({@code -cdrom ISO}, a raw
     * {@code -drive}, ...) instead of a {@code -kernel}: {@code firmwareArgs} select the firmware
     * (none: SeaBIOS; {@code -bios OVMF.fd}: UEFI). The first serial port is logged to
     * {@code console.log} as with {@link #boot}.
     */
    static QemuVm bootMedia(Path qemu, Path workParent, List<String> firmwareArgs, List<String> mediaArgs, int memoryMiB) {
        return bootMedia(qemu, workParent, firmwareArgs, mediaArgs, memoryMiB, false);
    }

    /** The same; with {@code interactive} the serial console is also writable ({@link #type}), as with {@link #boot}. */
    static QemuVm bootMedia(Path qemu, Path workParent, List<String> firmwareArgs, List<String> mediaArgs, int memoryMiB,
                            boolean interactive) {
        List<String> args = new ArrayList<>(firmwareArgs);
        args.addAll(mediaArgs);
        return start(qemu, workParent, args, memoryMiB, 1, List.of(), interactive);
    }

    /** The VM's work directory (removed on {@link #close()}): a place for files that live as long as the VM. */
    Path workDir() {
        return work;
    }

    /** The image file of disk {@code index}, for reading what the guest wrote. */
    Path image(int index) {
        return images.get(index);
    }

    /**
     * Moves the blank-made image of disk {@code index} out of the work directory to {@code target}
     * (kept sparse), so that {@link #close()} leaves it; only once the VM has stopped.
     */
    Path keepImage(int index, Path target) {
        if (process.isAlive()) {
            throw new IllegalStateException("the VM still runs; its disk " + index + " cannot be kept yet");
        }
        Path img = images.get(index);
        if (!img.startsWith(work)) {
            throw new IllegalArgumentException("disk " + index + " (" + img + ") is not one this VM made");
        }
        try {
            Files.createDirectories(target.getParent());
            try {
                Files.move(img, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                // another filesystem: a copy that keeps the holes
                HostProcess.run(Duration.ofMinutes(10), "cp", "--sparse=always", img.toString(), target.toString()).ok();
                Files.delete(img);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + img + " as " + target + ": " + e.getMessage(), e);
        }
        images.set(index, target);
        return target;
    }

    Duration uptime() {
        return Duration.between(started, Instant.now());
    }

    /**
     * Waits until a console line contains {@code marker} and returns that line.
     *
     * @throws AssertionError when the VM stops first, or {@code timeout} passes, with the console's tail
     */
    String await(String marker, Duration timeout) {
        return awaitLine(java.util.regex.Pattern.compile(".*" + java.util.regex.Pattern.quote(marker) + ".*", java.util.regex.Pattern.DOTALL), "'" + marker + "'", timeout).group();
    }

    /**
     * Types {@code line} and a carriage return on the guest's serial console (a VM booted
     * interactive), as someone at the console would.
     */
    void type(String line) {
        if (serialIn == null) {
            throw new IllegalStateException("this VM was not booted with an interactive serial console");
        }
        try {
            serialIn.write((line + "\r").getBytes(StandardCharsets.UTF_8));
            serialIn.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the VM's console (qemu " + (process.isAlive() ? "running" : "stopped") + "): "
                    + e.getMessage() + "\n" + tail(40), e);
        }
    }

    /**
     * Waits until a console line matches {@code pattern} (anywhere in the line) and returns the match.
     *
     * @throws AssertionError when the VM stops first, or {@code timeout} passes, with the console's tail
     */
    java.util.regex.Matcher awaitMatch(java.util.regex.Pattern pattern, Duration timeout) {
        return awaitLine(pattern, "/" + pattern + "/", timeout);
    }

    /** The one wait: console lines until one matches, the scenario's progress lines echoed; {@code what} names it in failures. */
    private java.util.regex.Matcher awaitLine(java.util.regex.Pattern pattern, String what, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            String line;
            while ((line = nextLine()) != null) {
                if (line.contains(PROGRESS)) {
                    System.out.printf("[vm %5.1fs] %s%n", uptime().toMillis() / 1000.0, line.substring(line.indexOf(PROGRESS)));
                }
                java.util.regex.Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
                if (line.contains("Kernel panic")) {
                    throw new AssertionError("the VM's kernel panicked while waiting for " + what + "\n" + tail(60));
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the VM stopped (qemu exit " + process.exitValue() + ") before " + what + " appeared\n"
                        + qemuLog() + tail(80));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + " did not appear on the VM's console within " + timeout + "\n" + tail(80));
            }
            sleep(100);
        }
    }

    /** Waits for the VM to power itself off; false when it did not within {@code timeout}. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code n} lines of the console. */
    String tail(int n) {
        try {
            List<String> lines = Files.readAllLines(console, StandardCharsets.ISO_8859_1);
            List<String> t = lines.subList(Math.max(0, lines.size() - n), lines.size());
            return "---- last " + t.size() + " lines of the VM console (" + console + ") ----\n" + String.join("\n", t).replace("\r", "")
                    + "\n---- end of console ----";
        } catch (IOException e) {
            return "(console " + console + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** The whole console log. */
    String consoleText() {
        try {
            return Files.readString(console, StandardCharsets.ISO_8859_1).replace("\r", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) destroy itself
        }
    }

    private synchronized void destroy() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (Boolean.getBoolean("rear.e2e.keep")) {
            System.err.println("rear-e2e: work directory kept (-Drear.e2e.keep): " + work);
            return;
        }
        JavaRuntimeImage.deleteTree(work);
    }

    private String qemuLog() {
        try {
            Path log = work.resolve("qemu.log");
            return Files.exists(log) ? "qemu: " + Files.readString(log).strip() + "\n" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String nextLine() {
        int nl = pending.indexOf("\n");
        if (nl < 0) {
            try (RandomAccessFile f = new RandomAccessFile(console.toFile(), "r")) {
                long len = f.length();
                if (len > consoleOffset) {
                    byte[] b = new byte[(int) Math.min(len - consoleOffset, 1 << 20)];
                    f.seek(consoleOffset);
                    f.readFully(b);
                    consoleOffset += b.length;
                    pending.append(new String(b, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the console " + console + ": " + e.getMessage(), e);
            }
            nl = pending.indexOf("\n");
            if (nl < 0) {
                return null;
            }
        }
        String line = pending.substring(0, nl).replace("\r", "");
        pending.delete(0, nl + 1);
        return line;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
