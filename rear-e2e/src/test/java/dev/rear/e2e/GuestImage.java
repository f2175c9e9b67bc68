package dev.rear.e2e;

import dev.rear.engine.rescue.KernelModules;
import dev.rear.engine.rescue.LddOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The initramfs the VM boots: busybox-static as the shell and the small tools; the host's own
 * storage tools with their shared libraries ({@code ldd} closure); the kernel modules for virtio,
 * md, device-mapper (crypt, thin, raid), LUKS crypto and the filesystems, with their
 * {@code modules.dep} closure; udev with the storage rules; a Java runtime linked with
 * {@code jlink}; the rear distribution as {@code /opt/rear}; the guest's {@code /init} and a
 * scenario script. Written once per content and kept in the cache directory.
 */
final class GuestImage {
    private GuestImage() {}

    /** A host program copied into the guest's /usr/sbin, with the names it is also called by there. */
    record Tool(String name, String debianPackage, List<String> aliases) {}

    static final List<Tool> TOOL_SPECS = List.of(
            new Tool("sfdisk", "fdisk", List.of()),
            new Tool("wipefs", "util-linux", List.of()),
            new Tool("blkid", "util-linux", List.of()),
            new Tool("partx", "util-linux", List.of()),
            new Tool("lsblk", "util-linux", List.of()),
            new Tool("findmnt", "util-linux", List.of()),
            new Tool("mount", "mount", List.of()),
            new Tool("umount", "mount", List.of()),
            new Tool("swapon", "util-linux", List.of()),
            new Tool("swapoff", "util-linux", List.of()),
            new Tool("mkswap", "util-linux", List.of()),
            new Tool("blkdiscard", "util-linux", List.of()),
            new Tool("mdadm", "mdadm", List.of()),
            new Tool("lvm", "lvm2", List.of("pvcreate", "pvs", "pvremove", "vgcreate", "vgs", "vgchange", "vgremove", "lvcreate", "lvs",
                    "lvchange", "lvremove", "pvscan", "vgscan", "lvscan")),
            new Tool("dmsetup", "dmsetup", List.of()),
            new Tool("cryptsetup", "cryptsetup-bin", List.of()),
            new Tool("mke2fs", "e2fsprogs", List.of("mkfs.ext2", "mkfs.ext3", "mkfs.ext4")),
            new Tool("tune2fs", "e2fsprogs", List.of()),
            new Tool("mkfs.xfs", "xfsprogs", List.of()),
            new Tool("xfs_db", "xfsprogs", List.of()),
            new Tool("xfs_spaceman", "xfsprogs", List.of()),
            new Tool("xfs_info", "xfsprogs", List.of()),
            new Tool("mkfs.btrfs", "btrfs-progs", List.of()),
            new Tool("btrfs", "btrfs-progs", List.of()),
            new Tool("mkfs.fat", "dosfstools", List.of("mkfs.vfat")),
            new Tool("efibootmgr", "efibootmgr", List.of()),
            new Tool("udevadm", "udev", List.of()),
            new Tool("ip", "iproute2", List.of()));

    static final List<String> TOOLS = TOOL_SPECS.stream().map(Tool::name).toList();

    /**
     * Loaded at boot, in dependency order (md, dm, crypt, thin, LVM raid, filesystems, code pages,
     * efivarfs: /init loads it only when the VM booted through UEFI).
     */
    static final List<String> MODULES = List.of("virtio_pci", "virtio_blk", "crc32c_generic", "libcrc32c", "md_mod", "raid1", "dm_mod",
            "dm_crypt", "dm_thin_pool", "dm_raid", "dm_mirror", "dm_snapshot", "xts", "algif_skcipher", "algif_hash", "ext4", "xfs",
            "btrfs", "fat", "vfat", "nls_cp437", "nls_ascii", "nls_iso8859_1", "nls_utf8", "efivarfs");
    /** Loaded when this kernel has them as modules (CPU-specific, or built in elsewhere). */
    static final List<String> OPTIONAL_MODULES = List.of("crc32c_intel", "aesni_intel", "sha256_ssse3");

    /** The udev rules that make /dev/disk/by-*, /dev/md/* and /dev/mapper look as on an installed system. */
    static final List<String> UDEV_RULES = List.of("01-md-raid-creating", "50-udev-default", "55-dm", "56-lvm", "60-block",
            "60-persistent-storage", "60-persistent-storage-dm", "63-md-raid-arrays", "95-dm-notify");

    /** A public test key: it protects nothing but the VM's throwaway disks. */
    static final String LUKS_TEST_KEY = "rear-e2e-luks-key-not-a-secret";

    static String packageOf(String tool) {
        return TOOL_SPECS.stream().filter(t -> t.name().equals(tool)).map(Tool::debianPackage).findFirst().orElse("?");
    }

    /**
     * The initramfs for {@code scenario} (a script under {@code guest/} in the test resources),
     * built unless the cache holds one of the same content.
     *
     * @param timeLimitSeconds how long the scenario may run inside the VM before it is stopped
     */
    static Path build(VmHost host, String scenario, int timeLimitSeconds) {
        return build(host, scenario, timeLimitSeconds, Map.of());
    }

    /**
     * As {@link #build(VmHost, String, int)}, with {@code extraFiles} (name → text) added under
     * {@code /etc/e2e/} for the scenario script.
     */
    static Path build(VmHost host, String scenario, int timeLimitSeconds, Map<String, String> extraFiles) {
        Initramfs fs = new Initramfs();
        extraFiles.forEach((name, text) -> fs.text("etc/e2e/" + name, text, 0644));
        for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "lib/x86_64-linux-gnu", "lib64", "etc/e2e/rear-config", "proc", "sys",
                "dev", "run", "tmp", "out", "mnt/local", "root", "var/lib/rear", "var/log/rear")) {
            fs.dir(d);
        }
        fs.file("bin/busybox", host.busybox(), 0755).symlink("bin/sh", "busybox");
        // /init installs busybox's applets into /bin; the udev rules also call /usr/bin/basename
        fs.symlink("usr/bin/basename", "../../bin/busybox");
        fs.text("init", resource("init"), 0755);
        fs.text("etc/e2e/scenario.sh", resource(scenario), 0644);
        fs.text("etc/e2e/time-limit", timeLimitSeconds + "\n", 0644);
        fs.text("etc/e2e/luks.key", LUKS_TEST_KEY, 0600);
        fs.text("etc/hostname", "rearvm\n", 0644);
        fs.text("etc/hosts", "127.0.0.1 localhost\n127.0.1.1 rearvm\n", 0644);
        fs.text("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
        fs.text("etc/group", "root:x:0:\ndisk:x:6:\n", 0644);
        // A fixed machine id, as an installed system has one.
        fs.text("etc/machine-id", "e2e0c0ffee0000000000000000000001\n", 0444);
        fs.text("etc/lvm/lvm.conf", """
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
        if (Files.isRegularFile(Path.of("/etc/mke2fs.conf"))) {
            fs.file("etc/mke2fs.conf", Path.of("/etc/mke2fs.conf"), 0644);
        }

        Set<Path> libs = new LinkedHashSet<>();
        for (Tool t : TOOL_SPECS) {
            Path real = VmHost.which(t.name()).orElseThrow(() -> new IllegalStateException(t.name() + " not found (package " + t.debianPackage() + ")"));
            fs.file("usr/sbin/" + t.name(), real, 0755);
            // udev rules and lvm run some of them as /sbin/NAME (95-dm-notify: /sbin/dmsetup udevcomplete)
            fs.symlink("sbin/" + t.name(), "../usr/sbin/" + t.name());
            for (String a : t.aliases()) {
                fs.symlink("usr/sbin/" + a, t.name());
                fs.symlink("sbin/" + a, "../usr/sbin/" + a);
            }
            libs.addAll(libraries(real));
        }
        // mkfs.fat converts labels through iconv (code page 850)
        Path gconv = Path.of("/usr/lib/x86_64-linux-gnu/gconv");
        for (String g : List.of("gconv-modules", "gconv-modules.cache", "IBM850.so")) {
            if (Files.isRegularFile(gconv.resolve(g))) {
                fs.file(gconv.resolve(g).toString(), gconv.resolve(g));
            }
        }
        if (Files.isDirectory(gconv.resolve("gconv-modules.d"))) {
            fs.tree(gconv.resolve("gconv-modules.d").toString(), gconv.resolve("gconv-modules.d"));
        }
        // udevd is udevadm under another name
        fs.symlink("lib/systemd/systemd-udevd", "../../usr/sbin/udevadm");
        for (String r : UDEV_RULES) {
            Path rule = Path.of("/lib/udev/rules.d", r + ".rules");
            if (!Files.isRegularFile(rule)) {
                throw new IllegalStateException(rule + " is missing (packages udev, mdadm, dmsetup, lvm2)");
            }
            fs.file("lib/udev/rules.d/" + r + ".rules", rule, 0644);
        }
        for (String helper : List.of("ata_id", "scsi_id")) {
            Path h = Path.of("/lib/udev", helper);
            if (Files.isRegularFile(h)) {
                fs.file("lib/udev/" + helper, h, 0755);
                libs.addAll(libraries(h));
            }
        }

        // Java runtime and rear
        List<String> modules = JavaRuntimeImage.modules(host.jdk(), host.dist().resolve("lib"));
        Path jre = JavaRuntimeImage.linked(host.jdk(), modules, host.cacheDir());
        fs.tree("opt/rear/jre", jre);
        fs.remove("opt/rear/jre/lib/server/classes_nocoops.jsa"); // for heaps over 32 GiB only
        fs.file("opt/rear/bin/rear", host.dist().resolve("bin/rear"), 0755);
        try (Stream<Path> s = Files.list(host.dist().resolve("lib"))) {
            // the class-data-sharing archive belongs to the JVM that built it, not to the linked one
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                fs.file("opt/rear/lib/" + jar.getFileName(), jar, 0644);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> s = Files.walk(jre)) {
            // the runtime's own libraries find each other (libjvm.so) through the launcher, not ld.so
            String own = jre.resolve("lib") + ":" + jre.resolve("lib/server");
            for (Path p : s.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".so") || p.endsWith("bin/java"))).toList()) {
                libs.addAll(libraries(p, own));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // glibc loads libgcc_s when a thread exits
        libs.add(Path.of("/lib/x86_64-linux-gnu/libgcc_s.so.1"));
        for (Path lib : libs) {
            if (lib.startsWith(jre)) {
                continue;
            }
            if (!fs.has(lib.toString())) {
                fs.file(lib.toString(), lib, 0755);
            }
        }

        // kernel modules: the closure, the load order, and a modules.dep/alias for the kernel's own requests
        KernelModules km = KernelModules.read(host.modulesDir());
        List<String> wanted = new ArrayList<>(MODULES);
        OPTIONAL_MODULES.stream().filter(km::contains).forEach(wanted::add);
        List<String> closure = km.closure(wanted);
        String mods = "lib/modules/" + host.kernelRelease() + "/";
        for (String p : closure) {
            fs.file(mods + p, host.modulesDir().resolve(p), 0644);
        }
        fs.text("etc/e2e/modules.order", String.join("\n", closure) + "\n", 0644);
        Set<String> inClosure = Set.copyOf(closure);
        Set<String> names = closure.stream().map(KernelModules::name).collect(Collectors.toSet());
        try {
            fs.text(mods + "modules.dep", Files.readAllLines(host.modulesDir().resolve("modules.dep")).stream()
                    .filter(l -> inClosure.contains(l.substring(0, Math.max(0, l.indexOf(':'))))).collect(Collectors.joining("\n", "", "\n")), 0644);
            fs.text(mods + "modules.alias", Files.readAllLines(host.modulesDir().resolve("modules.alias")).stream()
                    .filter(l -> l.startsWith("alias ") && names.contains(KernelModules.name(l.substring(l.lastIndexOf(' ') + 1))))
                    .collect(Collectors.joining("\n", "", "\n")), 0644);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + host.modulesDir() + ": " + e.getMessage(), e);
        }
        return fs.writeCached(host.cacheDir());
    }

    private static final Map<Path, List<Path>> LDD_CACHE = new LinkedHashMap<>();

    /** The shared libraries {@code program} needs, resolved to real files. */
    static List<Path> libraries(Path program) {
        return libraries(program, null);
    }

    /** The shared libraries {@code program} needs, with {@code libraryPath} searched first when not null. */
    static synchronized List<Path> libraries(Path program, @org.jspecify.annotations.Nullable String libraryPath) {
        return LDD_CACHE.computeIfAbsent(program, p -> {
            HostProcess r = HostProcess.run(Duration.ofSeconds(30), libraryPath == null ? Map.of() : Map.of("LD_LIBRARY_PATH", libraryPath),
                    "ldd", p.toString());
            if (LddOutput.isStatic(r.stdout() + r.stderr())) {
                return List.of();
            }
            if (r.exitCode() != 0) {
                // a script (xfs_info) is no dynamic executable either
                return List.of();
            }
            List<Path> out = new ArrayList<>();
            for (String lib : LddOutput.libraries(p.toString(), r.stdout())) {
                out.add(Path.of(lib));
            }
            return out;
        });
    }

    private static String resource(String name) {
        try (InputStream in = GuestImage.class.getResourceAsStream("guest/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource dev/rear/e2e/guest/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
