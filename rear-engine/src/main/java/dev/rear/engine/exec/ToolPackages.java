package dev.rear.engine.exec;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Which Debian package brings which program, for "not installed" messages. */
public final class ToolPackages {
    private ToolPackages() {}

    private static final Map<String, String> DEBIAN = Map.ofEntries(
            Map.entry("sfdisk", "fdisk"), Map.entry("sgdisk", "gdisk"), Map.entry("parted", "parted"),
            Map.entry("lsblk", "util-linux"), Map.entry("blkid", "util-linux"), Map.entry("findmnt", "util-linux"),
            Map.entry("wipefs", "util-linux"), Map.entry("mkswap", "util-linux"), Map.entry("partx", "util-linux"),
            Map.entry("swapon", "util-linux"), Map.entry("losetup", "mount"), Map.entry("mount", "mount"),
            Map.entry("umount", "mount"), Map.entry("mdadm", "mdadm"), Map.entry("lvm", "lvm2"),
            Map.entry("dmsetup", "dmsetup"), Map.entry("cryptsetup", "cryptsetup-bin"),
            Map.entry("tune2fs", "e2fsprogs"), Map.entry("mkfs.ext4", "e2fsprogs"), Map.entry("mke2fs", "e2fsprogs"),
            Map.entry("xfs_info", "xfsprogs"), Map.entry("mkfs.xfs", "xfsprogs"), Map.entry("xfs_admin", "xfsprogs"),
            Map.entry("btrfs", "btrfs-progs"), Map.entry("mkfs.btrfs", "btrfs-progs"),
            Map.entry("mkfs.vfat", "dosfstools"), Map.entry("fatlabel", "dosfstools"),
            Map.entry("efibootmgr", "efibootmgr"), Map.entry("grub-install", "grub2-common"),
            Map.entry("ip", "iproute2"), Map.entry("udevadm", "udev"), Map.entry("xorriso", "xorriso"),
            Map.entry("qemu-system-x86_64", "qemu-system-x86"), Map.entry("tar", "tar"),
            Map.entry("dsmc", "TIVsm-BA (IBM Storage Protect client)"), Map.entry("bconsole", "bacula-console"));

    /** The Debian package that installs {@code program} (a name or a path), or {@code null} when unknown. */
    public static @Nullable String debianPackageOf(String program) {
        String name = program.substring(program.lastIndexOf('/') + 1);
        return DEBIAN.get(name);
    }
}
