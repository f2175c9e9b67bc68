package dev.rear.engine.rescue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The programs the recovery itself runs in the rescue system, with the Debian package of each: the
 * one list the rescue builder copies from and that {@code RecoveryProgramsTest} holds against what
 * the planner, the finalize steps and discovery really run, so it cannot silently rot. Providers
 * add theirs through {@code RescueRequirements.programs}, administrators through
 * {@code REQUIRED_PROGS} and {@code PROGS}.
 */
public final class RecoveryPrograms {
    private RecoveryPrograms() {}

    /**
     * One program.
     *
     * @param name          its name on {@code PATH}
     * @param debianPackage the package that installs it (for "install X" messages)
     * @param required      whether a rescue system without it cannot recover (the build fails);
     *                      otherwise it is copied when the live system has it
     * @param why           what the recovery uses it for
     */
    public record Program(String name, String debianPackage, boolean required, String why) {}

    private static final List<Program> ALL = List.of(
            // partitions and signatures
            req("sfdisk", "fdisk", "writes the partition tables"),
            req("wipefs", "util-linux", "wipes old signatures before a device is reused"),
            req("blkid", "util-linux", "probes filesystems and signatures (the steps' checks)"),
            req("partx", "util-linux", "tells the kernel about new partitions"),
            req("lsblk", "util-linux", "discovers the target disks"),
            req("findmnt", "util-linux", "discovers what is mounted"),
            req("blkdiscard", "util-linux", "discards a target before it is reused"),
            req("mount", "mount", "mounts the recreated filesystems"),
            req("umount", "mount", "unmounts them after the recovery"),
            req("losetup", "mount", "attaches image files"),
            req("swapon", "util-linux", "checks and enables swap"),
            req("swapoff", "util-linux", "disables swap"),
            req("mkswap", "util-linux", "recreates swap areas"),
            // md, LVM, device-mapper, LUKS
            req("mdadm", "mdadm", "recreates md arrays"),
            req("lvm", "lvm2", "recreates LVM physical volumes, groups and logical volumes"),
            req("pvcreate", "lvm2", "lvm command link"), req("pvs", "lvm2", "lvm command link"),
            req("pvremove", "lvm2", "lvm command link"), req("pvscan", "lvm2", "lvm command link"),
            req("vgcreate", "lvm2", "lvm command link"), req("vgs", "lvm2", "lvm command link"),
            req("vgchange", "lvm2", "lvm command link"), req("vgremove", "lvm2", "lvm command link"),
            req("vgscan", "lvm2", "lvm command link"), req("lvcreate", "lvm2", "lvm command link"),
            req("lvs", "lvm2", "lvm command link"), req("lvchange", "lvm2", "lvm command link"),
            req("lvremove", "lvm2", "lvm command link"), req("lvscan", "lvm2", "lvm command link"),
            req("dmsetup", "dmsetup", "device-mapper tables; udev's dm rules call it"),
            req("cryptsetup", "cryptsetup-bin", "recreates and opens LUKS volumes"),
            // filesystems
            req("mke2fs", "e2fsprogs", "makes ext2/3/4 filesystems"),
            req("mkfs.ext2", "e2fsprogs", "mke2fs link"), req("mkfs.ext3", "e2fsprogs", "mke2fs link"),
            req("mkfs.ext4", "e2fsprogs", "mke2fs link"),
            req("tune2fs", "e2fsprogs", "sets ext labels, UUIDs and features"),
            req("e2fsck", "e2fsprogs", "checks ext filesystems"),
            req("mkfs.xfs", "xfsprogs", "makes xfs filesystems"),
            req("xfs_admin", "xfsprogs", "sets xfs labels and UUIDs"),
            req("xfs_db", "xfsprogs", "xfs_admin runs it"),
            req("xfs_info", "xfsprogs", "reads the xfs geometry"),
            req("xfs_spaceman", "xfsprogs", "xfs_info runs it on a mounted filesystem"),
            req("mkfs.btrfs", "btrfs-progs", "makes btrfs filesystems"),
            req("btrfs", "btrfs-progs", "recreates btrfs subvolumes"),
            req("mkfs.fat", "dosfstools", "makes the EFI system partition"),
            req("mkfs.vfat", "dosfstools", "mkfs.fat link"),
            opt("fatlabel", "dosfstools", "reads and sets FAT labels"),
            // boot
            opt("grub-install", "grub2-common", "installs GRUB when the restored system has none to chroot into"),
            opt("grub-probe", "grub-common", "grub-install runs it"),
            opt("grub-mkimage", "grub-common", "grub-install runs it"),
            opt("efibootmgr", "efibootmgr", "recreates the firmware's boot entries"),
            req("chroot", "coreutils", "runs the restored system's initramfs and bootloader tools"),
            // devices, modules, network
            req("udevadm", "udev", "settles device events; also the udev daemon"),
            req("kmod", "kmod", "loads kernel modules"),
            req("modprobe", "kmod", "kmod link"), req("insmod", "kmod", "kmod link"), req("lsmod", "kmod", "kmod link"),
            req("rmmod", "kmod", "kmod link"), req("depmod", "kmod", "kmod link"),
            req("ip", "iproute2", "configures the network from the descriptor"),
            // the shell and the small tools
            req("busybox", "busybox-static", "the shell (sh), the small tools and the DHCP client (udhcpc)"),
            // remote backups
            opt("ssh", "openssh-client", "reaches sftp/ssh backup servers"),
            opt("mount.nfs", "nfs-common", "mounts nfs:// backup locations"),
            opt("mount.cifs", "cifs-utils", "mounts cifs:// backup locations"));

    /** Where {@code udevd} is on Debian; it is {@code udevadm} under another name. */
    public static final String UDEVD = "/lib/systemd/systemd-udevd";

    /**
     * The busybox applets the rescue system relies on (the engine runs {@code mkdir} and {@code dd};
     * the init, the DHCP script and the administrator use the rest). The builder installs each as a
     * link to busybox unless a real program of the same name is in the image.
     */
    public static final List<String> BUSYBOX_APPLETS = List.of("sh", "ash", "mkdir", "dd", "cat", "ls", "ln", "cp", "mv", "rm",
            "rmdir", "touch", "chmod", "chown", "echo", "printf", "test", "[", "sleep", "grep", "sed", "awk", "cut", "tr", "head",
            "tail", "wc", "sort", "uniq", "basename", "dirname", "readlink", "realpath", "find", "xargs", "ps", "kill", "dmesg",
            "poweroff", "reboot", "halt", "hostname", "uname", "udhcpc", "setsid", "cttyhack", "mknod", "sync", "df", "du", "free",
            "less", "more", "vi", "tee", "timeout", "date", "env", "true", "false", "id", "stty", "clear", "mountpoint", "tar",
            "gzip", "gunzip", "zcat", "stat", "md5sum", "sha256sum", "hexdump", "ping", "wget", "nc", "route", "ifconfig",
            "seq", "expr", "which", "yes", "fdisk");

    private static Program req(String name, String pkg, String why) {
        return new Program(name, pkg, true, why);
    }

    private static Program opt(String name, String pkg, String why) {
        return new Program(name, pkg, false, why);
    }

    /** Every program of the recovery, required first in the order above. */
    public static List<Program> all() {
        return ALL;
    }

    /** The program called {@code name}, if it is one of the recovery's. */
    public static Optional<Program> find(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        return ALL.stream().filter(p -> p.name().equals(n)).findFirst();
    }

    /** Whether the rescue system provides {@code name}: one of {@link #all()} or a busybox applet. */
    public static boolean provides(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        return find(n).isPresent() || BUSYBOX_APPLETS.contains(n);
    }

    /** The names of {@link #all()} by package, for the report. */
    public static Map<String, Set<String>> byPackage() {
        return ALL.stream().collect(Collectors.groupingBy(Program::debianPackage, LinkedHashMap::new,
                Collectors.mapping(Program::name, Collectors.toCollection(java.util.TreeSet::new))));
    }

    /** The Debian package of {@code program}: from this list, else {@code ToolPackages}, else {@code null}. */
    public static @org.jspecify.annotations.Nullable String debianPackageOf(String program) {
        return find(program).map(Program::debianPackage).orElseGet(() -> dev.rear.engine.exec.ToolPackages.debianPackageOf(program));
    }
}
