package dev.rear.api.descriptor;

/**
 * The textual forms the descriptor accepts, shared by the records' constraints and documented in
 * the JSON Schema ({@code descriptors/schema/descriptor-v1.schema.json}), which says the same.
 *
 * @since 0.1
 */
public final class Patterns {
    private Patterns() {}

    /** An RFC 4122 GUID in either case, as GPT, LUKS, ext4, xfs and btrfs print them. */
    public static final String GUID = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";
    /** A PARTUUID: a GUID on GPT, {@code <disk id>-<partition number>} on a DOS table ({@code 8e1c5f2a-01}). */
    public static final String PARTUUID = "^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9a-f]{8}-[0-9a-f]{2})$";
    /** A DOS disk identifier as sfdisk prints it: {@code 0x8e1c5f2a}. */
    public static final String DOS_DISK_ID = "^0x[0-9a-f]{8}$";
    /** A DOS partition type code as sfdisk prints it, without {@code 0x}: {@code 83}, {@code 8e}, {@code 5}. */
    public static final String DOS_TYPE = "^[0-9a-f]{1,2}$";
    /** An md array UUID as mdadm prints it: four groups of eight hex digits separated by colons. */
    public static final String MD_UUID = "^[0-9a-f]{8}(:[0-9a-f]{8}){3}$";
    /** An LVM UUID: 32 characters from [0-9A-Za-z] grouped 6-4-4-4-4-4-6. */
    public static final String LVM_UUID = "^[0-9A-Za-z]{6}(-[0-9A-Za-z]{4}){5}-[0-9A-Za-z]{6}$";
    /** A filesystem or swap UUID: a GUID, or a FAT volume id ({@code 1A2B-3C4D}). */
    public static final String FS_UUID = "^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-F]{4}-[0-9A-F]{4})$";
    /** A FAT volume id as blkid prints it: {@code 1A2B-3C4D}. */
    public static final String VFAT_VOLUME_ID = "^[0-9A-F]{4}-[0-9A-F]{4}$";
    /** A device node path under {@code /dev}. */
    public static final String DEVICE_PATH = "^/dev/[A-Za-z0-9._+:@-]+(/[A-Za-z0-9._+:@-]+)*$";
    /** An absolute, normalised mount point: {@code /}, {@code /var/log}; no trailing slash, no {@code .} or {@code ..}. */
    public static final String MOUNTPOINT = "^/$|^(/(?!\\.{1,2}(/|$))[^/\\x00]+)+$";
    /** A kernel block device name: {@code sda}, {@code nvme0n1}, {@code vda}, {@code mmcblk0}. */
    public static final String KERNEL_NAME = "^[A-Za-z0-9._+:-]+$";
    /** An Ethernet (or InfiniBand) hardware address in lower case. */
    public static final String MAC = "^[0-9a-f]{2}(:[0-9a-f]{2}){5,19}$";
    /** A {@code /etc/machine-id}: 32 lower-case hex digits. */
    public static final String MACHINE_ID = "^[0-9a-f]{32}$";
    /** An IPv4 or IPv6 address with prefix length: {@code 192.0.2.10/24}, {@code 2001:db8::5/64}. */
    public static final String CIDR = "^([0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}|[0-9A-Fa-f:.]+/[0-9]{1,3})$";
    /** An IPv4 or IPv6 address without prefix. */
    public static final String IP = "^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$";
    /** An EFI boot entry number: four hex digits. */
    public static final String EFI_BOOT_NUMBER = "^[0-9A-F]{4}$";
    /** An LVM volume group or logical volume name (lvm(8): [a-zA-Z0-9+_.-], not starting with a hyphen). */
    public static final String LVM_NAME = "^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$";
}
