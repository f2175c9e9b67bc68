package dev.rear.engine.workflow;

import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.engine.config.ConfigException;
import dev.rear.engine.config.ConfigValue;
import dev.rear.engine.config.RearConfig;
import dev.rear.engine.rescue.RescueBuildException;
import dev.rear.engine.rescue.RescueSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The {@link RescueSpec} {@code mkrescue} hands the rescue builder, filled from the configuration as
 * ReaR reads it — {@code KERNEL_FILE}, {@code KERNEL_VERSION}, {@code MODULES}, {@code FIRMWARE_FILES},
 * {@code COPY_AS_IS}, {@code COPY_AS_IS_EXCLUDE}, {@code REQUIRED_PROGS}, {@code PROGS},
 * {@code REAR_INITRD_COMPRESSION} — the provider's requirements and the saved descriptor.
 *
 * <p>Where rear departs from ReaR's defaults, for a rescue system that boots on firmware with limits
 * (ReaR users hit initrds of hundreds of MB, rear/rear#2386, #2869):
 * <ul>
 *   <li>{@code MODULES} left at ReaR's default {@code all_modules} means rear's own set (storage, md,
 *       dm, filesystems, network, plus the provider's); set in a file, {@code all_modules},
 *       {@code loaded_modules}, {@code no_modules} and names mean what they mean in ReaR.</li>
 *   <li>{@code FIRMWARE_FILES} empty (the default) means no firmware; ReaR copies all of it.</li>
 *   <li>ReaR's default {@code REQUIRED_PROGS} serve ReaR's bash scripts, which rear's rescue system
 *       does not run: left at the default they are copied when present, not required. Required are
 *       the programs a recovery of <em>this</em> layout runs (its filesystems' mkfs, mdadm, lvm,
 *       cryptsetup, GRUB, ...), those of every recovery (sfdisk, wipefs, blkid, mount, ...), and
 *       {@code REQUIRED_PROGS} set in a file. The rest of the recovery tools are copied when present.</li>
 *   <li>{@code KERNEL_FILE} set without {@code KERNEL_VERSION}: the release is read from the kernel
 *       image, so the modules match the kernel that boots.</li>
 * </ul>
 * {@code COPY_AS_IS} entries that do not exist are left out (and said); the backup directory of a
 * {@code file://} {@code BACKUP_URL}, the output directory, the build's work directory and the cache
 * are always excluded (with the embedded default the backup is under {@code /var/lib/rear}, which
 * {@code COPY_AS_IS} copies).
 */
public final class RescueSpecs {
    private RescueSpecs() {}

    /** Programs every recovery runs. */
    static final List<String> CORE = List.of("bash", "sh", "mount", "umount", "mkdir", "chroot", "blkid", "lsblk", "findmnt", "wipefs",
            "dd", "sfdisk", "partx", "udevadm", "modprobe", "ip");
    /** The other recovery tools, copied when present (for a layout other than the saved one, and for repair). */
    static final List<String> RECOVERY_TOOLS = List.of("mkfs.ext2", "mkfs.ext3", "mkfs.ext4", "tune2fs", "e2fsck", "mkfs.xfs",
            "xfs_admin", "xfs_repair", "mkfs.btrfs", "btrfs", "mkfs.vfat", "fatlabel", "mkswap", "swapon", "mdadm", "lvm", "pvcreate",
            "vgcreate", "lvcreate", "vgchange", "vgs", "lvs", "cryptsetup", "dmsetup", "parted", "sgdisk", "grub-install",
            "efibootmgr", "kmod", "depmod", "insmod", "lsmod", "fsck", "sync", "less");

    /**
     * What the spec is made from.
     *
     * @param config         the configuration
     * @param hostRoot       the live system's root ({@code /}); kernel, modules and COPY_AS_IS are read under it
     * @param provider       the selected provider's requirements
     * @param descriptor     the saved descriptor file, or null
     * @param layout         that descriptor (what the recovery of this machine needs), or null
     * @param distribution   rear's distribution directory ({@code bin/rear}, {@code lib/})
     * @param javaHome       the JDK whose jlink and jmods make the runtime
     * @param workDir        the build's scratch directory
     * @param cacheDir       the cache between builds, or null
     * @param outputFile     where the initramfs goes
     */
    public record Inputs(RearConfig config, Path hostRoot, RescueRequirements provider, @Nullable Path descriptor,
                         @Nullable SystemDescriptor layout, Path distribution, Path javaHome, Path workDir, @Nullable Path cacheDir,
                         Path outputFile) {}

    /**
     * The spec and what to tell about it.
     *
     * @param spec    the spec
     * @param notes   decisions worth a line in the report (defaults rear departs from, entries left out)
     * @param secrets names of the secrets the rescue system must not carry: the provider's secret files,
     *                directories and variables, and the configuration's secret variables that have a value
     */
    public record Result(RescueSpec spec, List<String> notes, List<String> secrets) {}

    /**
     * Builds the spec.
     *
     * @throws RescueBuildException when the kernel or its modules are missing (naming the package)
     * @throws ConfigException      for a {@code REAR_INITRD_COMPRESSION} rear cannot make
     */
    public static Result build(Inputs in) {
        RearConfig c = in.config();
        List<String> notes = new ArrayList<>();
        Kernel k = kernel(c, in.hostRoot());
        requireKernel(c, in.hostRoot(), k);
        List<String> modules = modules(c, in.hostRoot(), k.release(), notes);
        if (!(c.isSetByFile("MODULES") && c.modules().contains("no_modules")) && !Files.isDirectory(under(in.hostRoot(), "/lib/modules/" + k.release()))) {
            throw new RescueBuildException("there are no modules for kernel " + k.release() + " in /lib/modules/" + k.release()
                    + " (Debian installs them with the package linux-image-" + k.release() + "); set KERNEL_VERSION (and KERNEL_FILE)"
                    + " to a kernel this machine has, or MODULES=( no_modules )");
        }
        List<String> firmware = List.of();
        if (c.isSetByFile("FIRMWARE_FILES") && !c.firmwareFiles().isEmpty() && !List.of("no").equals(c.firmwareFiles())) {
            firmware = c.firmwareFiles();
        } else {
            notes.add("FIRMWARE_FILES: no firmware (ReaR copies all of it; set FIRMWARE_FILES to the files a NIC or controller needs)");
        }
        Set<String> required = new LinkedHashSet<>(CORE);
        if (in.layout() != null) {
            required.addAll(neededBy(in.layout()));
        }
        Set<String> optional = new LinkedHashSet<>();
        if (c.isSetByFile("REQUIRED_PROGS")) {
            required.addAll(c.requiredProgs());
        } else {
            optional.addAll(c.requiredProgs());
            notes.add("REQUIRED_PROGS: ReaR's default list is copied where present, not required (rear's rescue system does not run"
                    + " ReaR's scripts); required are the programs a recovery of this layout runs");
        }
        String method = c.backup().name();
        c.value("REQUIRED_PROGS_" + method).ifPresent(v -> required.addAll(nonEmpty(v)));
        optional.addAll(c.progs());
        c.value("PROGS_" + method).ifPresent(v -> optional.addAll(nonEmpty(v)));
        optional.addAll(RECOVERY_TOOLS);
        optional.removeAll(required);

        List<String> copy = new ArrayList<>();
        for (String p : c.copyAsIs()) {
            String plain = p.replaceAll("/+$", "");
            if (plain.isEmpty() || plain.contains("*") || Files.exists(under(in.hostRoot(), plain))) {
                copy.add(p);
            } else {
                notes.add("COPY_AS_IS: " + p + " does not exist on this machine; left out");
            }
        }
        Set<String> exclude = new LinkedHashSet<>(c.copyAsIsExclude());
        String backupDir = fileUrlPath(c.backupUrl());
        if (backupDir != null) {
            exclude.add(backupDir);
        }
        exclude.add(c.isoDir().toString());
        // every run's work directory, not only this one's: a failed run keeps its own (with its initramfs) for a look
        Path workBase = in.workDir().getParent();
        exclude.add((workBase != null ? workBase : in.workDir()).toString());
        if (in.cacheDir() != null) {
            exclude.add(in.cacheDir().toString());
        }

        List<String> secrets = new ArrayList<>(in.provider().secretItems());
        c.withPrefix("").forEach((name, value) -> {
            if (c.isSecret(name) && value.elements().stream().anyMatch(e -> !e.isEmpty()) && !secrets.contains(name)) {
                secrets.add(name);
            }
        });

        RescueSpec spec = new RescueSpec(in.hostRoot(), k.file(), k.release(), modules, firmware, List.copyOf(required),
                List.copyOf(optional), copy, List.copyOf(exclude), in.provider(), in.distribution(), in.javaHome(), in.descriptor(),
                c.files(), compression(c), in.workDir(), in.cacheDir(), in.outputFile());
        return new Result(spec, List.copyOf(notes), List.copyOf(secrets));
    }

    /** The kernel to boot and its release. */
    public record Kernel(Path file, String release, String how) {}

    /**
     * {@code KERNEL_FILE}, else {@code /boot/vmlinuz-KERNEL_VERSION}; the release is {@code KERNEL_VERSION}
     * when a file sets it, else that of {@code KERNEL_FILE}'s image, else the running kernel's.
     */
    public static Kernel kernel(RearConfig c, Path hostRoot) {
        String release = c.kernelVersion();
        if (!c.kernelFile().isEmpty()) {
            Path f = Path.of(c.kernelFile());
            if (!c.isSetByFile("KERNEL_VERSION")) {
                String fromImage = KernelImage.release(under(hostRoot, c.kernelFile())).orElse(null);
                if (fromImage != null) {
                    return new Kernel(f, fromImage, "KERNEL_FILE; release " + fromImage + " read from the image");
                }
            }
            return new Kernel(f, release, "KERNEL_FILE, KERNEL_VERSION=" + release);
        }
        return new Kernel(Path.of("/boot/vmlinuz-" + release), release, c.isSetByFile("KERNEL_VERSION")
                ? "KERNEL_VERSION=" + release : "the running kernel, uname -r " + release);
    }

    /** The kernel must be there; else which package brings it, or which kernels this machine has. */
    static void requireKernel(RearConfig c, Path hostRoot, Kernel k) {
        if (Files.isRegularFile(under(hostRoot, k.file().toString()))) {
            return;
        }
        throw new RescueBuildException(missingKernel(c, hostRoot, k));
    }

    /** Why the kernel is missing and what to do, in one sentence. */
    public static String missingKernel(RearConfig c, Path hostRoot, Kernel k) {
        List<String> found = installedKernels(hostRoot);
        String what = c.kernelFile().isEmpty() ? "the rescue system's kernel " + k.file() + " (" + k.how() + ") does not exist"
                : "KERNEL_FILE=" + c.kernelFile() + " does not exist";
        String fix = found.isEmpty()
                ? "; install a kernel (Debian: apt-get install linux-image-amd64, or linux-image-" + k.release() + " for this release)"
                : "; this machine has " + String.join(", ", found) + ": set KERNEL_FILE=" + found.get(found.size() - 1)
                + " in /etc/rear/local.conf, or install linux-image-" + k.release() + " (Debian)";
        return what + fix;
    }

    /** The {@code /boot/vmlinuz-*} files under the host root, sorted. */
    public static List<String> installedKernels(Path hostRoot) {
        Path boot = under(hostRoot, "/boot");
        try (Stream<Path> s = Files.list(boot)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vmlinuz-")).sorted().map(n -> "/boot/" + n).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static List<String> modules(RearConfig c, Path hostRoot, String release, List<String> notes) {
        if (!c.isSetByFile("MODULES")) {
            notes.add("MODULES: rear's set (storage, md, dm, filesystems, network, and the provider's), not ReaR's default all_modules");
            return List.of();
        }
        List<String> m = c.modules();
        Set<String> out = new LinkedHashSet<>();
        for (String x : m) {
            switch (x) {
                case "no_modules" -> notes.add("MODULES=( no_modules ): no modules beyond rear's storage set");
                case "all_modules" -> {
                    List<String> all = allModules(hostRoot, release);
                    out.addAll(all);
                    notes.add("MODULES=( all_modules ): every module of " + release + " (" + all.size() + "); the image gets large");
                }
                case "loaded_modules" -> out.addAll(loadedModules(hostRoot));
                default -> out.add(x);
            }
        }
        return List.copyOf(out);
    }

    /** The names of the modules under {@code /lib/modules/RELEASE}. */
    static List<String> allModules(Path hostRoot, String release) {
        Path dir = under(hostRoot, "/lib/modules/" + release);
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches(".*\\.ko(\\.(xz|zst|gz))?"))
                    .forEach(n -> names.add(n.substring(0, n.indexOf(".ko"))));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.copyOf(names);
    }

    /** The modules loaded now ({@code /proc/modules}, first column). */
    static List<String> loadedModules(Path hostRoot) {
        try {
            return Files.readAllLines(under(hostRoot, "/proc/modules")).stream().map(l -> l.split(" ", 2)[0]).filter(n -> !n.isEmpty()).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The programs a recovery of {@code d} runs besides {@link #CORE}. */
    public static List<String> neededBy(SystemDescriptor d) {
        Set<String> out = new LinkedHashSet<>();
        for (Filesystem f : d.filesystems()) {
            switch (f.type()) {
                case EXT2, EXT3, EXT4 -> {
                    out.add("mkfs." + f.type().name().toLowerCase(Locale.ROOT));
                    out.add("tune2fs");
                }
                case XFS -> out.add("mkfs.xfs");
                case BTRFS -> {
                    out.add("mkfs.btrfs");
                    out.add("btrfs");
                }
                case VFAT -> out.add("mkfs.vfat");
                default -> { }
            }
        }
        if (!d.swap().isEmpty()) {
            out.add("mkswap");
        }
        if (!d.raidArrays().isEmpty()) {
            out.add("mdadm");
        }
        if (!d.lvm().volumeGroups().isEmpty()) {
            out.addAll(List.of("lvm", "pvcreate", "vgcreate", "lvcreate", "vgchange", "vgs", "lvs"));
        }
        if (!d.encryption().isEmpty()) {
            out.add("cryptsetup");
        }
        BootloaderType b = d.bootloader().type();
        if (b == BootloaderType.GRUB2_BIOS || b == BootloaderType.GRUB2_EFI) {
            out.add("grub-install");
        }
        if (b == BootloaderType.GRUB2_EFI || b == BootloaderType.SYSTEMD_BOOT) {
            out.add("efibootmgr");
        }
        return List.copyOf(out);
    }

    /** The initramfs's file name for the configured compression: {@code initrd.cpio.zst}, {@code initrd.cgz} (ReaR's), {@code initrd.cpio}. */
    public static String initrdName(RearConfig c) {
        return switch (compression(c)) {
            case ZSTD -> "initrd.cpio.zst";
            case GZIP -> "initrd.cgz";
            case NONE -> "initrd.cpio";
        };
    }

    /** {@code REAR_INITRD_COMPRESSION}: empty or zstd, gzip (ReaR's fast, best), none. */
    static RescueSpec.Compression compression(RearConfig c) {
        String v = c.value("REAR_INITRD_COMPRESSION").map(ConfigValue::text).orElse("").strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "zstd" -> RescueSpec.Compression.ZSTD;
            case "gzip", "fast", "best" -> RescueSpec.Compression.GZIP;
            case "none", "no" -> RescueSpec.Compression.NONE;
            default -> throw new ConfigException(c.files().isEmpty() ? "rear defaults" : c.files().get(c.files().size() - 1).toString(),
                    "REAR_INITRD_COMPRESSION=" + v + " is not a compression rear makes: write zstd (the default), gzip (ReaR's fast and best"
                    + " are gzip) or none; ReaR's lz4 and lzma are not supported");
        };
    }

    /** The local directory of a {@code file:///path} URL, else null. */
    static @Nullable String fileUrlPath(String url) {
        if (url != null && url.startsWith("file:///")) {
            String p = url.substring("file://".length()).replaceAll("/+$", "");
            return p.isEmpty() ? null : p;
        }
        return null;
    }

    private static List<String> nonEmpty(ConfigValue v) {
        return v.elements().stream().filter(e -> !e.isBlank()).toList();
    }

    /** A live path under the host root. */
    static Path under(Path hostRoot, String livePath) {
        String rel = livePath.replaceFirst("^/+", "");
        return rel.isEmpty() ? hostRoot : hostRoot.resolve(rel);
    }
}
