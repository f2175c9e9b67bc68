package dev.rear.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An installed e2e source system: a real Debian 12 on the layout of a {@link SourceScenario},
 * made by the installer VM ({@code guest/install-source.sh}: plain tools, nothing of rear) from
 * the {@link DebianRoot} tarball, and kept as sparse disk images in the sources cache, named by a
 * key of everything that went into it. VMs boot the images through the scenario's firmware (SeaBIOS,
 * or OVMF with the install's NVRAM file, {@link #nvram()}) and the GRUB on them as throwaway
 * snapshots ({@link QemuVm.Access#SNAPSHOT}, a copy of the NVRAM), so the cache stays as installed.
 * A scenario with LUKS keeps the key file the installer made ({@link #keyFile()}).
 *
 * <p>The drill's use: {@code SourceSystem src = SourceSystem.install(host, S2);} then
 * {@code src.run(host, CommandDisk.of(script, limit), extraDrives, outBytes, bootLimit)} boots it,
 * runs the script as root after multi-user (e.g. {@code rear mkbackup} onto an extra drive, the
 * marker checker, {@code rear savelayout}), and returns what the script left in its OUTDIR, the
 * console and the timings; the VM powers itself off and is killed and removed in every outcome.
 *
 * @param disks the installed system disks, in the order vda, vdb...
 * @param dir the cache directory of this install (disk images, the installer's output and console)
 * @param installTime how long the installer VM ran (zero when it came from the cache)
 */
record SourceSystem(SourceScenario scenario, List<Path> disks, Path dir, Duration installTime) {

    /** Upper bound for the installer inside its VM. */
    static final int INSTALL_LIMIT_SECONDS = 2400;

    /** The files the installer puts into the source (under /etc/e2e/ of its initramfs). */
    static final List<String> INSTALLED_FILES = List.of("markers.conf", "make-markers.sh", "check-markers.sh", "command.sh", "command.service");

    /** The install's NVRAM file (UEFI scenarios): the machine's variable store with the boot entry grub-install wrote. */
    Path nvram() {
        if (scenario.firmware != IsoBoot.Firmware.UEFI) {
            throw new IllegalStateException(scenario + " boots with " + scenario.firmware + ": it has no NVRAM file");
        }
        return dir.resolve(NVRAM);
    }

    /** The key file of the install's LUKS device (S3), as the installer made it: what {@code rear recover --key-file} is given. */
    Path keyFile() {
        Path key = dir.resolve(KEY_FILE);
        if (!Files.isRegularFile(key)) {
            throw new IllegalStateException("the install of " + scenario + " in " + dir + " has no LUKS key file " + KEY_FILE);
        }
        return key;
    }

    /** Names in the install's directory: the NVRAM of a UEFI machine, the LUKS key file. */
    static final String NVRAM = "nvram.fd";
    static final String KEY_FILE = "luks.key";

    /** The system disks as VM drives: {@code access} SNAPSHOT to boot them without changing the cache. */
    List<QemuVm.Drive> drives(QemuVm.Access access) {
        List<QemuVm.Drive> d = new ArrayList<>();
        for (int i = 0; i < disks.size(); i++) {
            d.add(new QemuVm.Image(disks.get(i), scenario.disks.get(i).serial(), access));
        }
        return d;
    }

    private static final Map<SourceScenario, Object> INSTALL_LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The installed source of {@code scenario}: from the cache, or installed now (under a lock). */
    static SourceSystem install(VmHost host, SourceScenario scenario) {
        Path rootTar = DebianRoot.tarball();
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : INSTALLED_FILES) {
            files.put(f, f.startsWith("command") ? guestResource(f) : DebianRoot.resource(f));
        }
        StringBuilder keyText = new StringBuilder(rootTar.getFileName() + "\n" + scenario + "\n" + scenario.disks + "\n" + host.kernelRelease()
                + "\n" + guestResource("install-source.sh") + guestResource("init"));
        files.forEach((k, v) -> keyText.append(k).append('\n').append(v));
        if (scenario.firmware == IsoBoot.Firmware.UEFI) {
            // the NVRAM is in the format of this OVMF build
            QemuVm.Uefi.requireFirmware();
            keyText.append("OVMF ").append(fileHash(QemuVm.Uefi.CODE)).append(' ').append(fileHash(QemuVm.Uefi.VARS_TEMPLATE)).append('\n');
        }
        String key = DebianRoot.sha256(keyText.toString()).substring(0, 16);
        Path sources = DebianRoot.cacheDir().resolve("sources");
        Path dir = sources.resolve(scenario + "-" + key);
        Path complete = dir.resolve("complete");
        List<Path> disks = new ArrayList<>();
        for (int i = 0; i < scenario.disks.size(); i++) {
            disks.add(dir.resolve("disk" + i + ".img"));
        }
        try {
            Files.createDirectories(sources);
            // the file lock keeps other JVMs out; a second thread of the JVM holding it would get an
            // OverlappingFileLockException, so drills running side by side queue on the monitor first
            synchronized (INSTALL_LOCKS.computeIfAbsent(scenario, s -> new Object())) {
                try (FileChannel ch = FileChannel.open(sources.resolve("." + scenario + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = ch.lock()) {
                    if (Files.isRegularFile(complete)) {
                        return new SourceSystem(scenario, disks, dir, Duration.ZERO);
                    }
                    JavaRuntimeImage.deleteTree(dir);
                    Files.createDirectories(dir);
                    Duration took = runInstaller(host, scenario, rootTar, files, dir, disks);
                    Files.writeString(complete, String.format("installed in %.0fs%n", took.toMillis() / 1000.0));
                    pruneOthers(sources, scenario, dir);
                    return new SourceSystem(scenario, disks, dir, took);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the source " + scenario + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Duration runInstaller(VmHost host, SourceScenario scenario, Path rootTar, Map<String, String> files, Path dir, List<Path> disks)
            throws IOException {
        Path initrd = GuestImage.build(host, "install-source.sh", INSTALL_LIMIT_SECONDS, files);
        // a UEFI machine's NVRAM starts empty; the installer, booted through OVMF with it, writes the boot entry
        QemuVm.Firmware firmware = scenario.firmware == IsoBoot.Firmware.UEFI ? QemuVm.Uefi.fresh(dir.resolve(NVRAM)) : QemuVm.Firmware.BIOS;
        List<QemuVm.Drive> drives = new ArrayList<>(scenario.disks);
        drives.add(new QemuVm.Image(rootTar, "e2e-root", QemuVm.Access.READ_ONLY));
        drives.add(new QemuVm.Disk("e2e-out", 64L << 20));
        int outIndex = drives.size() - 1;
        System.out.printf("rear-e2e: installing source %s (%s) with %s%n", scenario, scenario.description, rootTar.getFileName());
        try (QemuVm vm = QemuVm.boot(host.qemu(), dir.resolveSibling("vm-work"), firmware, host.kernel(), initrd,
                "console=ttyS0 rdinit=/init panic=-1 loglevel=4 e2e.scenario=" + scenario, 2048, 2, drives, false, List.of())) {
            String done = vm.await("REAR-E2E: DONE", Duration.ofSeconds(INSTALL_LIMIT_SECONDS + 120));
            boolean stopped = vm.awaitExit(Duration.ofSeconds(60));
            Duration took = vm.uptime();
            VmOutput out = VmOutput.read(vm.image(outIndex));
            out.saveAll(dir.resolve("install"));
            Files.writeString(dir.resolve("install/console.log"), vm.consoleText());
            if (!done.endsWith("rc=0")) {
                throw new AssertionError("the installer of " + scenario + " failed (" + done.substring(done.indexOf("REAR-E2E")) + ")\n"
                        + out.tail("scenario.log", 60) + "\n" + vm.tail(40));
            }
            if (!stopped) {
                throw new AssertionError("the installer VM of " + scenario + " did not power off within 60 s of its verdict\n" + vm.tail(20));
            }
            for (int i = 0; i < disks.size(); i++) {
                vm.keepImage(i, disks.get(i));
            }
            if (out.has(KEY_FILE)) {
                Path key = dir.resolve(KEY_FILE);
                Files.move(dir.resolve("install").resolve(KEY_FILE), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            System.out.printf("rear-e2e: source %s installed in %.0fs (installer VM, wall clock); phases: %s%n", scenario,
                    took.toMillis() / 1000.0, out.has("times") ? out.text("times").strip().replace('\n', ',') : "?");
            return took;
        }
    }

    /** Only the newest install of a scenario is kept: each holds gigabytes. */
    private static void pruneOthers(Path sources, SourceScenario scenario, Path keep) throws IOException {
        try (Stream<Path> s = Files.list(sources)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(scenario + "-") && !p.equals(keep)).toList()) {
                JavaRuntimeImage.deleteTree(p);
            }
        }
    }

    /** What one boot of the source left: its output disk, its console, and how long it took. */
    record Run(String doneLine, VmOutput out, String console, Duration toMultiUser, double guestUptimeAtMultiUser, Duration total) {
        /** The exit code of run.sh, from the DONE line. */
        int rc() {
            Matcher m = Pattern.compile("rc=(\\d+)").matcher(doneLine);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    /**
     * Boots the installed system through its firmware and its own GRUB (system disks as snapshots, then
     * {@code extraDrives}, the command disk and an output disk of {@code outBytes}), waits for
     * multi-user within {@code bootLimit}, lets the command unit run {@code command}, and returns
     * what came back once the VM powered off. Fails with the console's tail when it does not get there.
     * A UEFI machine boots with a throwaway copy of the install's NVRAM.
     */
    Run run(VmHost host, CommandDisk command, List<QemuVm.Drive> extraDrives, long outBytes, Duration bootLimit) {
        return runOn(host, drives(QemuVm.Access.SNAPSHOT), command, extraDrives, outBytes, bootLimit, null);
    }

    /**
     * As {@link #run(VmHost, CommandDisk, List, long, Duration)}; a UEFI machine boots with the NVRAM
     * file {@code nvram} (which the run writes, as the machine's own flash), or with a throwaway copy
     * of the install's {@link #nvram()} when it is null. BIOS machines take no NVRAM.
     */
    Run run(VmHost host, CommandDisk command, List<QemuVm.Drive> extraDrives, long outBytes, Duration bootLimit,
            @org.jspecify.annotations.Nullable Path nvram) {
        return runOn(host, drives(QemuVm.Access.SNAPSHOT), command, extraDrives, outBytes, bootLimit, nvram);
    }

    /**
     * As {@link #run(VmHost, CommandDisk, List, long, Duration, Path)}, on the system disks
     * {@code systemDrives} instead of this install's images: a recovered copy of this system, on
     * disks that may have other serials and sizes.
     */
    Run runOn(VmHost host, List<QemuVm.Drive> systemDrives, CommandDisk command, List<QemuVm.Drive> extraDrives, long outBytes,
            Duration bootLimit, @org.jspecify.annotations.Nullable Path nvram) {
        if (nvram != null && scenario.firmware != IsoBoot.Firmware.UEFI) {
            throw new IllegalArgumentException(scenario + " boots with " + scenario.firmware + ": an NVRAM file (" + nvram + ") means nothing to it");
        }
        Path work = dir.resolveSibling("vm-work");
        Path cmdImage;
        Path nvramCopy = null;
        QemuVm.Firmware firmware = QemuVm.Firmware.BIOS;
        try {
            Files.createDirectories(work);
            cmdImage = Files.createTempFile(work, "cmd-", ".tar");
            if (scenario.firmware == IsoBoot.Firmware.UEFI) {
                if (nvram != null) {
                    firmware = QemuVm.Firmware.uefi(nvram);
                } else {
                    nvramCopy = Files.createTempFile(work, "nvram-", ".fd");
                    firmware = new QemuVm.Uefi(nvram()).snapshot(nvramCopy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            command.write(cmdImage);
            List<QemuVm.Drive> drives = new ArrayList<>(systemDrives);
            drives.addAll(extraDrives);
            drives.add(new QemuVm.Image(cmdImage, "e2e-cmd", QemuVm.Access.READ_ONLY));
            drives.add(new QemuVm.Disk("e2e-out", outBytes));
            int outIndex = drives.size() - 1;
            int limit = Integer.parseInt(command.limit().strip());
            try (QemuVm vm = QemuVm.bootFirmware(host.qemu(), work, firmware, 2048, 2, drives)) {
                String up = vm.await("REAR-E2E: multi-user reached", bootLimit);
                Duration toMultiUser = vm.uptime();
                Matcher m = Pattern.compile("reached in ([0-9.]+)s").matcher(up);
                double guestUp = m.find() ? Double.parseDouble(m.group(1)) : -1;
                System.out.printf("rear-e2e: %s reached multi-user %.0fs after qemu started (guest uptime %.0fs)%n", scenario,
                        toMultiUser.toMillis() / 1000.0, guestUp);
                String done = vm.await("REAR-E2E: DONE", Duration.ofSeconds(limit + 120));
                if (!vm.awaitExit(Duration.ofSeconds(120))) {
                    System.out.println("rear-e2e: " + scenario + " did not power off within 120 s of its verdict; it is stopped");
                }
                Duration total = vm.uptime();
                VmOutput out = VmOutput.read(vm.image(outIndex));
                return new Run(done.substring(done.indexOf("REAR-E2E")), out, vm.consoleText(), toMultiUser, guestUp, total);
            }
        } finally {
            for (Path p : nvramCopy == null ? List.of(cmdImage) : List.of(cmdImage, nvramCopy)) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("rear-e2e: cannot remove " + p + ": " + e.getMessage());
                }
            }
        }
    }

    static String guestResource(String name) {
        try (InputStream in = SourceSystem.class.getResourceAsStream("guest/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource dev/rear/e2e/guest/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileHash(Path file) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(file))).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sizes of the cached images: apparent and allocated, for the report. */
    String sizes() {
        StringBuilder b = new StringBuilder();
        for (Path p : disks) {
            HostProcess r = HostProcess.run(Duration.ofSeconds(10), "du", "-h", "--apparent-size", p.toString());
            HostProcess a = HostProcess.run(Duration.ofSeconds(10), "du", "-h", p.toString());
            b.append(p.getFileName()).append(' ').append(r.stdout().split("\\s")[0]).append(" apparent, ").append(a.stdout().split("\\s")[0])
                    .append(" allocated; ");
        }
        return b.toString().strip();
    }
}
