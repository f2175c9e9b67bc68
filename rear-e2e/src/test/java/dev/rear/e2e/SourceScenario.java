package dev.rear.e2e;

import java.util.List;

/**
 * The layouts of the e2e source systems (issue 7), as {@code guest/install-source.sh} makes them
 * on the scenario's blank disks. Each disk is a sparse image; the serials are what the installer
 * and the drill find them by.
 */
enum SourceScenario {
    /** BIOS, msdos label, one disk: ext4 root (vda1, bootable) + swap partition (vda2). */
    S1("s1src", IsoBoot.Firmware.BIOS, "BIOS, msdos, one disk: ext4 root + swap partition", List.of(new QemuVm.Disk("src-a", 4L << 30))),
    /**
     * BIOS, GPT with bios_grub, two disks: md0 RAID1 (vda2+vdb2) for /boot (ext4), md1 RAID1
     * (vda3+vdb3) as the PV of vg0 with root (ext4), var (xfs, /var) and swap; GRUB on both disks.
     */
    S2("s2src", IsoBoot.Firmware.BIOS, "BIOS, GPT + bios_grub, two disks: md RAID1 /boot ext4, md RAID1 under LVM (root ext4, /var xfs, swap LV)",
            List.of(new QemuVm.Disk("src-a", 4L << 30), new QemuVm.Disk("src-b", 4L << 30))),
    /**
     * UEFI (OVMF, the machine's own NVRAM), GPT, one disk: ESP vfat (vda1, /boot/efi), /boot ext4
     * (vda2), LUKS2 (vda3, opened as vda3_crypt by a key file in the initramfs) as the PV of vg0 with
     * root (ext4) and swap, btrfs (vda4) with the subvolume {@code @home} mounted as /home and the
     * nested subvolume {@code @home/snapshots}; GRUB for EFI with its boot entry in the NVRAM only.
     */
    S3("s3src", IsoBoot.Firmware.UEFI, "UEFI, GPT, one disk: ESP vfat, /boot ext4, LUKS2 (key file) under LVM (root ext4, swap LV), "
            + "btrfs /home with subvolumes", List.of(new QemuVm.Disk("src-a", 4L << 30)));

    final String hostname;
    /** The firmware the machine boots with: SeaBIOS, or OVMF with the install's NVRAM file. */
    final IsoBoot.Firmware firmware;
    final String description;
    /** The system disks, in the order the installed system has them (vda, vdb). */
    final List<QemuVm.Disk> disks;

    SourceScenario(String hostname, IsoBoot.Firmware firmware, String description, List<QemuVm.Disk> disks) {
        this.hostname = hostname;
        this.firmware = firmware;
        this.description = description;
        this.disks = disks;
    }
}
