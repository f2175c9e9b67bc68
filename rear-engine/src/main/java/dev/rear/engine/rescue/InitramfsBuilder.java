package dev.rear.engine.rescue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.NetworkInterface;
import dev.rear.api.descriptor.Route;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.spi.Progress;
import dev.rear.api.spi.ProgressSink;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.engine.config.ConfigException;
import dev.rear.engine.config.SecretFreeConfig;
import dev.rear.engine.descriptor.DescriptorFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The rescue builder of this machine's kind of Linux: a newc cpio initramfs holding a merged-{@code /usr}
 * root ({@code /bin}, {@code /sbin}, {@code /lib}, {@code /lib64} link into {@code /usr}), the
 * recovery's programs ({@link RecoveryPrograms}) and the provider's with their shared-library closure
 * ({@code ldd}), busybox for the shell and small tools, udev with the storage rules, the kernel modules
 * for storage, md, dm, LUKS, filesystems and network with their {@code modules.dep} closure and a
 * fresh {@code depmod}, a Java runtime linked with {@code jlink}, the rear distribution as
 * {@code /opt/rear}, the descriptor, the configuration with its secrets blanked, {@code COPY_AS_IS}
 * without private keys or provider secrets, and {@code /init}.
 */
public final class InitramfsBuilder implements RescueBuilder {

    /** Storage drivers: virtio, SCSI disks and CD-ROMs, SATA, NVMe, USB storage and host controllers. */
    public static final List<String> STORAGE_MODULES = List.of("virtio_pci", "virtio_blk", "virtio_scsi", "sd_mod", "sr_mod", "ahci",
            "ata_piix", "nvme", "usb_storage", "uas", "xhci_pci", "xhci_hcd", "ehci_pci", "ehci_hcd", "ohci_pci", "uhci_hcd",
            "mptspi", "vmw_pvscsi", "hv_storvsc", "megaraid_sas", "mpt3sas", "scsi_mod");
    /** Loaded at boot whatever the hardware: the disk and CD-ROM drivers above every controller, packet sockets for DHCP. */
    static final List<String> ALWAYS_LOADED = List.of("sd_mod", "sr_mod", "af_packet", "scsi_mod");
    /** md: the personalities. */
    public static final List<String> MD_MODULES = List.of("md_mod", "linear", "raid0", "raid1", "raid10", "raid456");
    /** device-mapper: LVM, LUKS, thin pools, mirrors, snapshots, dm-raid. */
    public static final List<String> DM_MODULES = List.of("dm_mod", "dm_crypt", "dm_thin_pool", "dm_mirror", "dm_snapshot", "dm_raid",
            "dm_zero");
    /** What LUKS needs from the crypto API (the accelerated variants only where this kernel has them). */
    public static final List<String> CRYPTO_MODULES = List.of("xts", "aes_generic", "aesni_intel", "sha256_generic", "sha256_ssse3",
            "sha512_generic", "cbc", "ecb", "essiv", "algif_skcipher", "algif_hash", "crc32c_generic", "crc32c_intel", "libcrc32c");
    /**
     * Filesystems, their code pages, isofs for the ISO output, loop, and efivarfs (the EFI boot
     * entries a UEFI recovery writes with efibootmgr). Network filesystems (nfs,
     * cifs: 8 MiB with sunrpc) come from the provider's kernel modules or {@code MODULES}.
     */
    public static final List<String> FILESYSTEM_MODULES = List.of("ext4", "xfs", "btrfs", "vfat", "fat", "nls_cp437", "nls_ascii",
            "nls_iso8859_1", "nls_utf8", "isofs", "loop", "efivarfs");
    /** Network drivers commonly met in servers and virtual machines. */
    public static final List<String> NETWORK_MODULES = List.of("virtio_net", "e1000", "e1000e", "igb", "ixgbe", "i40e", "bnx2",
            "tg3", "r8169", "vmxnet3", "hv_netvsc", "af_packet");

    /** The udev rules for storage: device names and links, md, dm, LVM, drivers by alias. */
    static final List<String> UDEV_RULES = List.of("01-md-raid-creating.rules", "50-udev-default.rules", "55-dm.rules",
            "56-lvm.rules", "60-block.rules", "60-persistent-storage.rules", "60-persistent-storage-dm.rules", "63-md-raid-arrays.rules",
            "64-btrfs.rules", "69-lvm.rules", "80-drivers.rules", "95-dm-notify.rules");
    static final List<String> UDEV_HELPERS = List.of("ata_id", "scsi_id", "cdrom_id");

    private static final List<String> PATH_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final String ARCH_LIBS = "/usr/lib/x86_64-linux-gnu";

    public InitramfsBuilder() {}

    @Override
    public RescueImage build(RescueSpec spec, CommandRunner runner, ProgressSink progress) {
        Instant start = Instant.now();
        try {
            return new Build(spec, runner, progress).run(start);
        } catch (IOException e) {
            throw new RescueBuildException("cannot build the rescue system: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new RescueBuildException("cannot build the rescue system: " + e.getCause().getMessage(), e);
        }
    }

    /** One build's state. */
    private static final class Build {
        private final RescueSpec spec;
        private final CommandRunner runner;
        private final ProgressSink progress;
        private final RescueTree tree = new RescueTree();
        private final Set<String> programs = new TreeSet<>();
        private final Set<Path> libraryQueue = new LinkedHashSet<>();
        private final Map<Path, List<String>> lddCache = new HashMap<>();
        private final List<RescueImage.LeftOut> leftOut = new ArrayList<>();
        private final List<PathMatcher> excludes = new ArrayList<>();
        private final Map<String, String> secretPaths = new LinkedHashMap<>();
        private String libraryPath = "";

        Build(RescueSpec spec, CommandRunner runner, ProgressSink progress) {
            this.spec = spec;
            this.runner = runner;
            this.progress = progress;
        }

        RescueImage run(Instant start) throws IOException {
            if (!Files.isRegularFile(spec.kernelFile())) {
                throw new RescueBuildException("the kernel " + spec.kernelFile() + " (KERNEL_FILE) does not exist: install linux-image-amd64"
                        + " or set KERNEL_FILE");
            }
            Path modulesDir = live("/lib/modules/" + spec.kernelRelease());
            if (!Files.isRegularFile(modulesDir.resolve("modules.dep"))) {
                throw new RescueBuildException("no kernel modules for " + spec.kernelRelease() + " in " + modulesDir
                        + " (KERNEL_VERSION): install linux-image-" + spec.kernelRelease() + " or set KERNEL_VERSION");
            }
            JavaRuntime.check(spec.javaHome());
            Files.createDirectories(spec.workDir());
            RescueRequirements provider = spec.provider();
            libraryPath = String.join(":", provider.libraryDirectories());
            for (String g : spec.copyAsIsExclude()) {
                excludes.add(glob(g));
            }
            for (String g : provider.excludes()) {
                excludes.add(glob(g));
            }
            for (RescueRequirements.RescuePath p : provider.files()) {
                if (p.secret()) {
                    secretPaths.put(p.path(), p.note() == null ? "provider secret" : "provider secret: " + p.note());
                }
            }
            for (RescueRequirements.RescuePath p : provider.directories()) {
                if (p.secret()) {
                    secretPaths.put(p.path(), p.note() == null ? "provider secret" : "provider secret: " + p.note());
                }
            }

            progress.report(Progress.phase("rescue: base"));
            base();
            progress.report(Progress.phase("rescue: programs"));
            programs(provider);
            progress.report(Progress.phase("rescue: kernel modules"));
            List<String> modules = modules(modulesDir, provider);
            firmware();
            progress.report(Progress.phase("rescue: Java runtime"));
            java();
            progress.report(Progress.phase("rescue: configuration"));
            configuration(provider);
            libraries();
            progress.report(Progress.phase("rescue: writing the initramfs"));
            long treeBytes = tree.contentBytes();
            write();
            long initrdBytes = Files.size(spec.outputFile());
            return new RescueImage(spec.kernelFile(), spec.outputFile(), spec.kernelRelease(), initrdBytes, treeBytes, tree.entries(),
                    Duration.between(start, Instant.now()), modules, List.copyOf(programs), leftOut, List.of());
        }

        // ------------------------------------------------------------ base layout and /init

        private void base() throws IOException {
            for (String d : List.of("usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "etc", "proc", "sys", "dev", "run", "tmp", "root",
                    "mnt/local", "var/lib/rear", "var/log/rear", "var/tmp", "etc/rear", "etc/rear-rescue", "usr/share/rear")) {
                tree.dir(d);
            }
            tree.dir("tmp", 01777);
            tree.dir("root", 0700);
            for (String l : List.of("bin", "sbin", "lib", "lib64")) {
                tree.symlink(l, "usr/" + l);
            }
            tree.symlink("var/run", "../run");
            tree.text("init", resource("init"), 0755);
            tree.text("usr/share/rear/udhcpc.script", resource("udhcpc.script"), 0755);
            tree.text("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
            tree.text("etc/group", "root:x:0:\ntty:x:5:\ndisk:x:6:\n", 0644);
            tree.text("etc/shadow", "root::19000:0:99999:7:::\n", 0600);
            tree.text("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n", 0644);
            tree.text("etc/profile", "export PATH=/opt/rear/bin:/usr/sbin:/usr/bin:/sbin:/bin\nexport PS1='RESCUE \\h:\\w # '\n", 0644);
            tree.text("etc/fstab", "# rear rescue system: nothing is mounted from here\n", 0644);
            tree.text("etc/mtab", "", 0644).remove("etc/mtab").symlink("etc/mtab", "/proc/self/mounts");
            tree.text("etc/rear-rescue/built", "built " + java.time.format.DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS)) + "\n", 0644);
            // LVM in the rescue system: no devices file of the live system, no monitoring daemon
            tree.text("etc/lvm/lvm.conf", """
                    devices {
                        use_devicesfile = 0
                    }
                    activation {
                        monitoring = 0
                    }
                    global {
                        thin_check_executable = ""
                        thin_repair_executable = ""
                        thin_dump_executable = ""
                    }
                    """, 0644);
            for (String f : List.of("/etc/mke2fs.conf", "/etc/services", "/etc/protocols", "/etc/ethertypes", "/etc/udev/udev.conf")) {
                if (Files.isRegularFile(live(f))) {
                    tree.file(f, live(f), 0644);
                }
            }
        }

        // ------------------------------------------------------------ programs and libraries

        private void programs(RescueRequirements provider) throws IOException {
            Map<String, String> required = new LinkedHashMap<>();
            Map<String, String> optional = new LinkedHashMap<>();
            for (RecoveryPrograms.Program p : RecoveryPrograms.all()) {
                (p.required() ? required : optional).put(p.name(), p.debianPackage());
            }
            for (String p : spec.requiredPrograms()) {
                required.putIfAbsent(p, RecoveryPrograms.debianPackageOf(p));
            }
            for (String p : provider.programs()) {
                required.putIfAbsent(p, RecoveryPrograms.debianPackageOf(p));
            }
            for (String p : spec.optionalPrograms()) {
                if (!required.containsKey(p)) {
                    optional.putIfAbsent(p, RecoveryPrograms.debianPackageOf(p));
                }
            }
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, String> e : required.entrySet()) {
                Path found = which(e.getKey());
                if (found == null) {
                    missing.add(e.getKey() + (e.getValue() == null ? "" : " (package " + e.getValue() + ")"));
                } else {
                    program(found);
                }
            }
            if (!missing.isEmpty()) {
                throw new RescueBuildException("the rescue system needs programs this machine does not have: " + String.join(", ", missing)
                        + "; install them (or drop them from REQUIRED_PROGS)");
            }
            for (String name : optional.keySet()) {
                Path found = which(name);
                if (found != null) {
                    program(found);
                }
            }
            Path udevd = live(RecoveryPrograms.UDEVD);
            if (Files.exists(udevd)) {
                addLive(RecoveryPrograms.UDEVD);
            }
            // busybox's applets for whatever no real program provides
            Path busybox = which("busybox");
            Set<String> applets = new TreeSet<>();
            CommandResult list = runner.run(CommandSpec.of(busybox.toString(), "--list"));
            list.stdout().lines().map(String::strip).forEach(applets::add);
            String bb = guestPath(busybox);
            for (String a : RecoveryPrograms.BUSYBOX_APPLETS) {
                if (!applets.contains(a)) {
                    if (a.equals("sh")) {
                        throw new RescueBuildException(busybox + " has no sh applet: install busybox-static");
                    }
                    continue;
                }
                if (!programs.contains(a) && !tree.has("usr/bin/" + a) && !tree.has("usr/sbin/" + a)) {
                    tree.symlink("usr/bin/" + a, "/" + bb);
                    programs.add(a);
                }
            }
            // udev's helpers and the storage rules
            for (String h : UDEV_HELPERS) {
                if (Files.isRegularFile(live("/lib/udev/" + h))) {
                    program(live("/lib/udev/" + h));
                }
            }
            for (String r : UDEV_RULES) {
                String p = "/lib/udev/rules.d/" + r;
                if (Files.isRegularFile(live(p))) {
                    addLive(p);
                }
            }
            // mkfs.fat converts labels through iconv: glibc's gconv for the DOS code pages
            String gconv = ARCH_LIBS + "/gconv";
            for (String g : List.of("gconv-modules", "gconv-modules.cache", "IBM850.so", "IBM437.so")) {
                if (Files.isRegularFile(live(gconv + "/" + g))) {
                    addLive(gconv + "/" + g);
                }
            }
            if (Files.isDirectory(live(gconv + "/gconv-modules.d"))) {
                try (Stream<Path> s = Files.list(live(gconv + "/gconv-modules.d"))) {
                    for (Path p : s.sorted().toList()) {
                        addLive("/" + spec.hostRoot().relativize(p));
                    }
                }
            }
            // glibc loads libgcc_s when a thread is cancelled or exits
            for (String g : List.of(ARCH_LIBS + "/libgcc_s.so.1", "/lib/x86_64-linux-gnu/libgcc_s.so.1")) {
                if (Files.exists(live(g))) {
                    libraryQueue.add(live(g));
                    break;
                }
            }
            // GRUB's platform files, so grub-install works from the rescue system
            if (programs.contains("grub-install")) {
                for (String platform : grubPlatforms()) {
                    if (Files.isDirectory(live(platform))) {
                        tree.tree(guestPath(live(platform)), live(platform), p -> true);
                    }
                }
            }
        }

        /**
         * GRUB's platform directories for the saved bootloader (11 MiB each): BIOS or EFI; both when
         * there is no descriptor or it names neither.
         */
        private List<String> grubPlatforms() {
            String bios = "/usr/lib/grub/i386-pc";
            String efi = "/usr/lib/grub/x86_64-efi";
            if (spec.descriptor() == null) {
                return List.of(bios, efi);
            }
            return switch (DescriptorFiles.load(spec.descriptor()).bootloader().type()) {
                case GRUB2_BIOS -> List.of(bios);
                case GRUB2_EFI -> List.of(efi);
                default -> List.of(bios, efi);
            };
        }

        /** A program: the file (and the links to it), and its libraries queued. */
        private void program(Path livePath) throws IOException {
            Path real = addLive("/" + spec.hostRoot().relativize(livePath));
            programs.add(livePath.getFileName().toString());
            queueLibraries(real, libraryPath);
        }

        private void queueLibraries(Path real, String extraLibraryPath) {
            if (!isElf(real)) {
                return;
            }
            List<String> libs = lddCache.computeIfAbsent(real, p -> {
                CommandSpec c = CommandSpec.of("ldd", p.toString()).alsoOk(1);
                if (!extraLibraryPath.isEmpty()) {
                    c = c.withEnv(Map.of("LD_LIBRARY_PATH", extraLibraryPath));
                }
                CommandResult r = runner.run(c);
                String out = r.stdout() + r.stderr();
                if (LddOutput.isStatic(out)) {
                    return List.of();
                }
                try {
                    return LddOutput.libraries(p.toString(), r.stdout());
                } catch (IllegalStateException e) {
                    throw new RescueBuildException(e.getMessage() + ": install the package that provides it, or add its directory to the"
                            + " provider's library directories", e);
                }
            });
            for (String l : libs) {
                libraryQueue.add(live(l));
            }
        }

        private void libraries() throws IOException {
            for (Path lib : libraryQueue) {
                addLive("/" + spec.hostRoot().relativize(lib));
            }
        }

        private @Nullable Path which(String name) {
            if (name.contains("/")) {
                Path p = live(name);
                return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
            }
            for (String d : PATH_DIRS) {
                Path p = live(d + "/" + name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
            return null;
        }

        // ------------------------------------------------------------ kernel modules and firmware

        private List<String> modules(Path modulesDir, RescueRequirements provider) throws IOException {
            KernelModules km = KernelModules.read(modulesDir);
            List<String> wanted = new ArrayList<>();
            for (List<String> set : List.of(STORAGE_MODULES, MD_MODULES, DM_MODULES, CRYPTO_MODULES, FILESYSTEM_MODULES, NETWORK_MODULES)) {
                for (String m : set) {
                    if (km.contains(m)) {
                        wanted.add(m);
                    }
                }
            }
            // the saved NICs' drivers, when this kernel has them as modules
            if (spec.descriptor() != null) {
                for (NetworkInterface i : DescriptorFiles.load(spec.descriptor()).network().interfaces()) {
                    if (i.driver() != null && km.contains(i.driver())) {
                        wanted.add(i.driver());
                    }
                }
            }
            List<String> asked = new ArrayList<>(spec.modules());
            asked.addAll(provider.kernelModules());
            List<String> unknown = new ArrayList<>();
            for (String m : asked) {
                if (km.contains(m) || km.isBuiltin(m)) {
                    wanted.add(m);
                } else {
                    unknown.add(m);
                }
            }
            if (!unknown.isEmpty()) {
                throw new RescueBuildException("kernel " + spec.kernelRelease() + " has no module " + String.join(", ", unknown)
                        + " (MODULES or the provider's kernel modules): check the names with 'modinfo NAME'");
            }
            List<String> closure = km.closure(wanted);
            String dir = "/lib/modules/" + spec.kernelRelease();
            // depmod for exactly these modules, in a staging copy of links to them
            Path stage = Files.createTempDirectory(spec.workDir(), "depmod-");
            try {
                Path stagedDir = stage.resolve("lib/modules/" + spec.kernelRelease());
                for (String rel : closure) {
                    addLive(dir + "/" + rel);
                    Path link = stagedDir.resolve(rel);
                    Files.createDirectories(link.getParent());
                    Files.createSymbolicLink(link, modulesDir.resolve(rel).toRealPath());
                }
                for (String f : List.of("modules.order", "modules.builtin", "modules.builtin.modinfo")) {
                    if (Files.isRegularFile(modulesDir.resolve(f))) {
                        Files.createDirectories(stagedDir);
                        Files.copy(modulesDir.resolve(f), stagedDir.resolve(f));
                        addLive(dir + "/" + f);
                    }
                }
                runner.run(CommandSpec.of("depmod", "-b", stage.toString(), spec.kernelRelease()).withTimeout(Duration.ofMinutes(2)));
                String guestDir = guestPath(modulesDir);
                try (Stream<Path> s = Files.list(stagedDir)) {
                    for (Path p : s.sorted().toList()) {
                        String n = p.getFileName().toString();
                        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && n.startsWith("modules.") && !tree.has(guestDir + "/" + n)) {
                            tree.bytes(guestDir + "/" + n, Files.readAllBytes(p), 0644);
                        }
                    }
                }
            } finally {
                JavaRuntime.deleteTree(stage);
            }
            List<String> names = new ArrayList<>();
            closure.forEach(p -> names.add(KernelModules.name(p)));
            // /init loads what is not hardware (md, dm, crypto, filesystems, disks and CD-ROMs of any
            // controller) and what was asked for; udev loads the drivers of the hardware it finds by
            // their aliases, so a driver for absent hardware is carried but not forced in
            Set<String> hardware = new java.util.HashSet<>(STORAGE_MODULES);
            hardware.addAll(NETWORK_MODULES);
            hardware.removeAll(ALWAYS_LOADED);
            Set<String> askedNames = new java.util.HashSet<>(asked.stream().map(m -> m.replace('-', '_')).toList());
            List<String> load = new ArrayList<>(new LinkedHashSet<>(wanted.stream().map(m -> m.replace('-', '_'))
                    .filter(m -> km.contains(m) && (!hardware.contains(m) || askedNames.contains(m))).toList()));
            tree.text("etc/rear-rescue/modules", String.join("\n", load) + "\n", 0644);
            return List.copyOf(names);
        }

        private void firmware() throws IOException {
            for (String f : spec.firmwareFiles()) {
                for (Path p : expand(f)) {
                    if (Files.isDirectory(p)) {
                        tree.tree(guestPath(p), p, x -> true);
                    } else {
                        addLive("/" + spec.hostRoot().relativize(p));
                    }
                }
            }
        }

        // ------------------------------------------------------------ Java and rear

        private void java() throws IOException {
            List<Path> jars = JavaRuntime.jars(spec.distribution());
            List<String> modules = JavaRuntime.modules(spec.javaHome(), jars, runner, spec.cacheDir());
            Path jre = JavaRuntime.linked(spec.javaHome(), modules, runner, spec.cacheDir(), spec.workDir());
            tree.tree("opt/rear/jre", jre, p -> !p.getFileName().toString().equals("classes_nocoops.jsa")
                    && !JavaRuntime.GUI_LIBRARIES.contains(p.getFileName().toString()));
            String own = jre.resolve("lib") + ":" + jre.resolve("lib/server");
            try (Stream<Path> s = Files.walk(jre)) {
                for (Path p : s.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".so") || p.endsWith("bin/java"))
                        && !JavaRuntime.GUI_LIBRARIES.contains(p.getFileName().toString())).toList()) {
                    queueLibraries(p, own);
                }
            }
            libraryQueue.removeIf(p -> p.startsWith(jre));
            for (Path j : jars) {
                jarNatives(j, own);
            }
            Path rear = spec.distribution().resolve("bin/rear");
            if (!Files.isRegularFile(rear)) {
                throw new RescueBuildException("the rear distribution " + spec.distribution() + " has no bin/rear");
            }
            tree.file("opt/rear/bin/rear", rear, 0755);
            for (Path j : jars) {
                tree.file("opt/rear/lib/" + j.getFileName(), j, 0644);
            }
            tree.symlink("usr/sbin/rear", "/opt/rear/bin/rear");
            programs.add("rear");
        }

        /**
         * The native libraries a jar carries for this machine (zstd-jni's {@code linux/amd64/}, JNA's
         * {@code com/sun/jna/linux-x86-64/}) are unpacked and loaded at run time, so the shared
         * libraries they need must be in the rescue system too: without libpthread there, a restore
         * of a zstd archive failed in the rescue system while every host-side test passed.
         */
        private void jarNatives(Path jar, String libraryPath) throws IOException {
            String arch = System.getProperty("os.arch");
            List<String> dirs = switch (arch) {
                case "amd64", "x86_64" -> List.of("linux/amd64/", "linux-x86-64/");
                case "aarch64" -> List.of("linux/aarch64/", "linux-aarch64/");
                default -> List.of("linux/" + arch + "/", "linux-" + arch + "/");
            };
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
                    String n = e.getName();
                    if (e.isDirectory() || !n.endsWith(".so") || dirs.stream().noneMatch(n::contains)) {
                        continue;
                    }
                    Path out = Files.createDirectories(spec.workDir().resolve("jar-natives").resolve(jar.getFileName().toString()))
                            .resolve(n.replace('/', '_'));
                    try (java.io.InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    queueLibraries(out, libraryPath);
                }
            }
        }

        // ------------------------------------------------------------ configuration, descriptor, COPY_AS_IS

        private void configuration(RescueRequirements provider) throws IOException {
            SystemDescriptor descriptor = null;
            if (spec.descriptor() != null) {
                descriptor = DescriptorFiles.load(spec.descriptor());
                tree.file("var/lib/rear/layout/descriptor.json", spec.descriptor(), 0600);
            }
            tree.text("etc/hostname", (descriptor != null ? descriptor.host().hostname() : "rescue") + "\n", 0644);
            tree.text("etc/hosts", "127.0.0.1 localhost\n", 0644);
            tree.text("etc/rear-rescue/network", networkFile(descriptor), 0644);
            for (Path f : spec.configFiles()) {
                String text = Files.readString(f);
                SecretFreeConfig.Result r;
                try {
                    r = SecretFreeConfig.render(f.toString(), text);
                } catch (ConfigException e) {
                    throw new RescueBuildException("the configuration file " + f + " cannot be carried into the rescue system: " + e.getMessage(), e);
                }
                for (SecretFreeConfig.Blanked b : r.blanked()) {
                    leftOut.add(new RescueImage.LeftOut(f + ":" + b.line() + " " + b.name(), "secret value blanked in the rescue system's copy"));
                }
                tree.text("etc/rear/" + f.getFileName(), r.text(), 0600);
            }
            StringBuilder env = new StringBuilder();
            for (RescueRequirements.RescueVariable v : provider.environment()) {
                if (v.secret()) {
                    leftOut.add(new RescueImage.LeftOut(v.name(), "secret variable of the provider: the recovery asks for it"));
                } else {
                    env.append("export ").append(v.name()).append("='").append(v.value().replace("'", "'\\''")).append("'\n");
                }
            }
            if (!provider.libraryDirectories().isEmpty()) {
                env.append("export LD_LIBRARY_PATH='").append(String.join(":", provider.libraryDirectories())).append("'\n");
            }
            tree.text("etc/rear-rescue/environment", env.toString(), 0644);
            users(provider);
            for (String s : secretPaths.keySet()) {
                leftOut.add(new RescueImage.LeftOut(s, secretPaths.get(s)));
            }
            List<String> copy = new ArrayList<>(spec.copyAsIs());
            provider.files().stream().filter(p -> !p.secret()).forEach(p -> copy.add(p.path()));
            provider.directories().stream().filter(p -> !p.secret()).forEach(p -> copy.add(p.path()));
            for (String c : copy) {
                List<Path> found = expand(c);
                for (Path p : found) {
                    copyAsIs(p);
                }
            }
        }

        private void users(RescueRequirements provider) throws IOException {
            if (provider.users().isEmpty() && provider.groups().isEmpty()) {
                return;
            }
            StringBuilder passwd = new StringBuilder("root:x:0:0:root:/root:/bin/sh\n");
            StringBuilder group = new StringBuilder("root:x:0:\ntty:x:5:\ndisk:x:6:\n");
            Set<String> gids = new TreeSet<>();
            if (Files.isRegularFile(live("/etc/passwd"))) {
                for (String l : Files.readAllLines(live("/etc/passwd"))) {
                    String[] f = l.split(":", -1);
                    if (f.length >= 7 && provider.users().contains(f[0]) && !f[0].equals("root")) {
                        passwd.append(f[0]).append(":x:").append(String.join(":", List.of(f).subList(2, 7))).append('\n');
                        gids.add(f[3]);
                    }
                }
            }
            if (Files.isRegularFile(live("/etc/group"))) {
                for (String l : Files.readAllLines(live("/etc/group"))) {
                    String[] f = l.split(":", -1);
                    if (f.length >= 4 && (provider.groups().contains(f[0]) || gids.contains(f[2])) && !Set.of("root", "tty", "disk").contains(f[0])) {
                        group.append(f[0]).append(":x:").append(f[2]).append(':').append(f[3]).append('\n');
                    }
                }
            }
            tree.remove("etc/passwd").text("etc/passwd", passwd.toString(), 0644);
            tree.remove("etc/group").text("etc/group", group.toString(), 0644);
        }

        /** One COPY_AS_IS path (a file or a whole directory), filtered. */
        private void copyAsIs(Path p) throws IOException {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                if (!keep(p)) {
                    return;
                }
                String g = guestPath(p);
                tree.dir(g);
                try (Stream<Path> s = Files.list(p)) {
                    for (Path c : s.sorted().toList()) {
                        copyAsIs(c);
                    }
                }
            } else if (Files.isSymbolicLink(p)) {
                if (keep(p)) {
                    tree.symlink(guestPath(p.getParent()) + "/" + p.getFileName(), Files.readSymbolicLink(p).toString());
                }
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && keep(p)) {
                String g = guestPath(p.getParent()) + "/" + p.getFileName();
                if (p.toString().endsWith(".conf") && g.startsWith("etc/rear/")) {
                    SecretFreeConfig.Result r;
                    try {
                        r = SecretFreeConfig.render(p.toString(), Files.readString(p));
                    } catch (ConfigException e) {
                        leftOut.add(new RescueImage.LeftOut(p.toString(), "not a valid configuration, so its secrets cannot be told apart: "
                                + e.getMessage()));
                        return;
                    }
                    r.blanked().forEach(b -> leftOut.add(new RescueImage.LeftOut(p + ":" + b.line() + " " + b.name(),
                            "secret value blanked in the rescue system's copy")));
                    if (!tree.has(g)) {
                        tree.text(g, r.text(), 0600);
                    }
                } else if (!tree.has(g)) {
                    tree.file(g, p, (int) (Files.isExecutable(p) ? 0755 : 0644) & (isPrivate(p) ? 0700 : 0777));
                }
            }
        }

        /** Whether a live path may go into the rescue system; when not, why is noted in {@link #leftOut}. */
        private boolean keep(Path p) throws IOException {
            String abs = "/" + spec.hostRoot().relativize(p);
            for (Map.Entry<String, String> s : secretPaths.entrySet()) {
                if (abs.equals(s.getKey()) || abs.startsWith(s.getKey().endsWith("/") ? s.getKey() : s.getKey() + "/")) {
                    return false; // listed once, as the provider's secret
                }
            }
            for (PathMatcher m : excludes) {
                if (m.matches(Path.of(abs))) {
                    leftOut.add(new RescueImage.LeftOut(abs, "COPY_AS_IS_EXCLUDE"));
                    return false;
                }
            }
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) <= PrivateKeys.MAX_KEY_BYTES
                    && PrivateKeys.classify(p) == PrivateKeys.Kind.UNPROTECTED) {
                leftOut.add(new RescueImage.LeftOut(abs, "private key without passphrase"));
                return false;
            }
            return true;
        }

        private static boolean isPrivate(Path p) {
            try {
                return !Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
            } catch (IOException | UnsupportedOperationException e) {
                return true;
            }
        }

        // ------------------------------------------------------------ live paths

        /** {@code /etc/x} of the live system: under {@code hostRoot}. */
        private Path live(String path) {
            return spec.hostRoot().resolve(path.replaceFirst("^/+", ""));
        }

        /**
         * The rescue tree's path of a live path: its directory with symbolic links resolved, relative
         * to the host root, with {@code /bin}, {@code /sbin}, {@code /lib}, {@code /lib64} folded into
         * {@code /usr} as the tree's root links do.
         */
        private String guestPath(Path livePath) throws IOException {
            Path parent = livePath.getParent();
            Path realParent = parent == null ? spec.hostRoot() : parent.toRealPath();
            Path root = spec.hostRoot().toRealPath();
            if (!realParent.startsWith(root)) {
                throw new RescueBuildException(livePath + " leads outside " + spec.hostRoot());
            }
            String rel = root.relativize(realParent).toString();
            String name = livePath.getFileName() == null ? "" : livePath.getFileName().toString();
            String g = rel.isEmpty() ? name : rel + "/" + name;
            for (String top : List.of("bin", "sbin", "lib", "lib64")) {
                if (g.equals(top) || g.startsWith(top + "/")) {
                    return "usr/" + g;
                }
            }
            return g;
        }

        /**
         * Adds the live file {@code path} (absolute, read under the host root) to the tree; a symbolic
         * link is added as a link to the tree's path of its target, and the target is added too.
         * Returns the real live file.
         */
        private Path addLive(String path) throws IOException {
            Path p = live(path);
            for (int hops = 0; hops < 40; hops++) {
                String g = guestPath(p);
                if (Files.isSymbolicLink(p)) {
                    Path t = Files.readSymbolicLink(p);
                    Path target = t.isAbsolute() ? live(t.toString()) : p.getParent().resolve(t);
                    target = target.normalize();
                    String tg = guestPath(target);
                    if (!tree.has(g)) {
                        tree.symlink(g, "/" + tg);
                    }
                    p = target;
                    continue;
                }
                if (!Files.isRegularFile(p)) {
                    throw new RescueBuildException(path + " is not a file on this machine (" + p + ")");
                }
                if (!tree.has(g)) {
                    tree.file(g, p);
                }
                return p;
            }
            throw new RescueBuildException("too many symbolic links from " + path);
        }

        /** A path or glob of the live system, expanded (absent paths give nothing). */
        private List<Path> expand(String pattern) throws IOException {
            if (!pattern.matches(".*[*?\\[].*")) {
                Path p = live(pattern);
                return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? List.of(p) : List.of();
            }
            String fixed = pattern.substring(0, pattern.lastIndexOf('/', pattern.indexOf(pattern.replaceAll("^[^*?\\[]*", "").charAt(0))) + 1);
            Path base = live(fixed);
            if (!Files.isDirectory(base)) {
                return List.of();
            }
            PathMatcher m = glob(pattern);
            try (Stream<Path> s = Files.walk(base)) {
                return s.filter(p -> m.matches(Path.of("/" + spec.hostRoot().relativize(p)))).sorted().toList();
            }
        }

        private static PathMatcher glob(String g) {
            return FileSystems.getDefault().getPathMatcher("glob:" + (g.startsWith("/") ? g : "**/" + g));
        }

        // ------------------------------------------------------------ writing

        private void write() throws IOException {
            Path out = spec.outputFile().toAbsolutePath();
            Files.createDirectories(out.getParent());
            Path tmp = Files.createTempFile(out.getParent(), "." + out.getFileName() + "-", ".part");
            try {
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                     OutputStream c = compressor(file)) {
                    tree.writeCpio(c);
                }
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        private OutputStream compressor(OutputStream file) throws IOException {
            return switch (spec.compression()) {
                case GZIP -> new GZIPOutputStream(file, 1 << 16);
                case ZSTD -> {
                    ZstdOutputStream z = new ZstdOutputStream(file, ZSTD_LEVEL);
                    z.setWorkers(Math.max(1, Runtime.getRuntime().availableProcessors()));
                    z.setChecksum(true);
                    yield z;
                }
                case NONE -> new java.io.FilterOutputStream(file) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }
                };
            };
        }
    }

    /**
     * The saved network for /init, one item a line: {@code iface NAME MAC|- static|dhcp MTU|-},
     * {@code addr NAME CIDR}, {@code route DEST GATEWAY|- DEVICE|-}, {@code dns IP}, {@code search DOMAINS}.
     * /init finds each interface by its MAC address (names differ on other hardware), else by name.
     */
    static String networkFile(@Nullable SystemDescriptor d) {
        StringBuilder b = new StringBuilder("# the saved system's network, for the rescue system's /init (rear.net=dhcp|none overrides)\n");
        if (d == null) {
            return b.toString();
        }
        for (NetworkInterface i : d.network().interfaces()) {
            if (i.name().equals("lo")) {
                continue;
            }
            b.append("iface ").append(i.name()).append(' ').append(i.mac() == null ? "-" : i.mac().toLowerCase(java.util.Locale.ROOT))
                    .append(' ').append(i.dhcp() ? "dhcp" : "static").append(' ').append(i.mtu() == null ? "-" : i.mtu()).append('\n');
            for (String a : i.addresses()) {
                b.append("addr ").append(i.name()).append(' ').append(a).append('\n');
            }
        }
        for (Route r : d.network().routes()) {
            b.append("route ").append(r.destination()).append(' ').append(r.gateway() == null ? "-" : r.gateway()).append(' ')
                    .append(r.device() == null ? "-" : r.device()).append('\n');
        }
        d.network().dns().nameservers().forEach(n -> b.append("dns ").append(n).append('\n'));
        if (!d.network().dns().search().isEmpty()) {
            b.append("search ").append(String.join(" ", d.network().dns().search())).append('\n');
        }
        return b.toString();
    }

    /** zstd's level: a good ratio at a speed that keeps the build well under a minute. */
    static final int ZSTD_LEVEL = 9;

    private static boolean isElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    static String resource(String name) {
        try (InputStream in = InitramfsBuilder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from rear-engine");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
