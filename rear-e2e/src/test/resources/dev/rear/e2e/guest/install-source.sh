#!/bin/sh
# The installer of the e2e source systems, run by /init in the installer VM. Plain tools only,
# nothing of rear: partition the blank disks of the scenario (e2e.scenario= on the kernel command
# line), make the storage stack and the filesystems, unpack the Debian root from the raw tar on the
# disk with serial "e2e-root", and configure it as a Debian installer does: fstab by UUID,
# mdadm.conf or crypttab, hostname, a root password and autologin on ttyS0, GRUB on the serial
# console, update-initramfs, grub-install on every boot disk (BIOS) or into the ESP with its boot
# entry in the machine's NVRAM (UEFI: this VM is booted through OVMF with that NVRAM file),
# update-grub, all in a chroot with /dev /proc /sys /run bound. Then the marker corpus
# (/etc/e2e/markers.conf) and the command unit.
set -eu
say() { echo "REAR-E2E: $*"; }
t0=$(cut -d' ' -f1 /proc/uptime)
phase() { say "install phase $1 at $(cut -d' ' -f1 /proc/uptime)s"; echo "$1 $(cut -d' ' -f1 /proc/uptime)" >> /out/times; }
scenario=$(sed -n 's/.*e2e\.scenario=\([A-Za-z0-9]*\).*/\1/p' /proc/cmdline)
disk() { # the device of the virtio disk with serial $1
    for s in /sys/block/vd*/serial; do
        if [ "$(cat "$s")" = "$1" ]; then echo "/dev/$(basename "$(dirname "$s")")"; return 0; fi
    done
    echo "REAR-E2E: no disk with serial $1" >&2; return 1
}
A=$(disk src-a)
rootdisk=$(disk e2e-root)
T=/mnt/target
mkdir -p $T
say "installing $scenario: system disk(s) $A ${B:-}, Debian root on $rootdisk"
phase start

case $scenario in
S1)
    hostname=s1src
    # msdos label: ext4 root (bootable) and a swap partition
    sfdisk --quiet "$A" <<PARTS
label: dos
start=2048, size=3584MiB, type=83, bootable
type=82
PARTS
    udevadm settle
    mkfs.ext4 -q -L s1-root "${A}1"
    mkswap -L s1-swap "${A}2" > /dev/null
    mount "${A}1" $T
    root_dev=${A}1 swap_dev=${A}2 boot_disks=$A
    ;;
S2)
    hostname=s2src
    B=$(disk src-b)
    # GPT on both disks: bios_grub, a RAID member for /boot, a RAID member for LVM
    for d in "$A" "$B"; do
        sfdisk --quiet "$d" <<PARTS
label: gpt
start=2048, size=1MiB, type=21686148-6449-6E6F-744E-656564454649, name=bios_grub
size=512MiB, type=A19D880F-05FC-4D3B-A006-743F0F84911E, name=boot
type=A19D880F-05FC-4D3B-A006-743F0F84911E, name=system
PARTS
    done
    udevadm settle
    # named 0 and 1 as debian-installer names them, so that they come up as md0 and md1;
    # the disks are blank (all zeroes): both halves of each mirror are alike already
    mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 --homehost=$hostname --name=0 --assume-clean "${A}2" "${B}2"
    mdadm --create /dev/md1 --run --level=1 --raid-devices=2 --metadata=1.2 --homehost=$hostname --name=1 --assume-clean "${A}3" "${B}3"
    udevadm settle
    lvm pvcreate -q /dev/md1
    lvm vgcreate -q vg0 /dev/md1
    lvm lvcreate -q -y -L 2304M -n root vg0
    lvm lvcreate -q -y -L 768M -n var vg0
    lvm lvcreate -q -y -L 256M -n swap vg0
    udevadm settle
    mkfs.ext4 -q -L s2-boot /dev/md0
    mkfs.ext4 -q -L s2-root /dev/vg0/root
    mkfs.xfs -q -L s2-var /dev/vg0/var
    mkswap -L s2-swap /dev/vg0/swap > /dev/null
    mount /dev/vg0/root $T
    mkdir -p $T/boot $T/var
    mount /dev/md0 $T/boot
    mount /dev/vg0/var $T/var
    root_dev=/dev/vg0/root swap_dev=/dev/vg0/swap boot_disks="$A $B"
    ;;
S3)
    hostname=s3src
    if [ ! -d /sys/firmware/efi/efivars ] || ! grep -q efivarfs /proc/mounts; then
        say "S3 is a UEFI install: this VM must be booted through OVMF (no /sys/firmware/efi/efivars here)"
        exit 3
    fi
    # GPT as debian-installer makes it for UEFI with encrypted LVM: ESP, /boot, LUKS; plus btrfs for /home
    sfdisk --quiet "$A" <<PARTS
label: gpt
start=2048, size=256MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=EFI
size=512MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=boot
size=2560MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=crypt
type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=home
PARTS
    udevadm settle
    mkfs.fat -F 32 -n S3-ESP "${A}1" > /dev/null
    mkfs.ext4 -q -L s3-boot "${A}2"
    # the LUKS key: a passphrase-less key file of 512 random bytes; /out/luks.key goes back to the host
    (umask 077 && dd if=/dev/urandom of=/out/luks.key bs=512 count=1 2> /dev/null)
    # LUKS2 with argon2id as Debian formats it, but at a fixed small cost (4 passes over 64 MiB, one
    # thread) instead of a benchmark on this emulated CPU: opening stays quick and alike under TCG
    cryptsetup luksFormat --batch-mode --type luks2 --label s3-crypt --pbkdf argon2id --pbkdf-memory 65536 \
        --pbkdf-parallel 1 --pbkdf-force-iterations 4 --key-file /out/luks.key "${A}3"
    cryptsetup open --allow-discards --key-file /out/luks.key "${A}3" vda3_crypt
    udevadm settle
    lvm pvcreate -q /dev/mapper/vda3_crypt
    lvm vgcreate -q vg0 /dev/mapper/vda3_crypt
    lvm lvcreate -q -y -L 2240M -n root vg0
    lvm lvcreate -q -y -l 100%FREE -n swap vg0
    udevadm settle
    mkfs.ext4 -q -L s3-root /dev/vg0/root
    mkswap -L s3-swap /dev/vg0/swap > /dev/null
    # btrfs: the top level holds the subvolume @home (mounted as /home) and, nested in it, @home/snapshots
    mkfs.btrfs -q -L s3-home "${A}4"
    mkdir -p /mnt/btrfs
    mount -t btrfs "${A}4" /mnt/btrfs
    btrfs subvolume create /mnt/btrfs/@home
    btrfs subvolume create /mnt/btrfs/@home/snapshots
    umount /mnt/btrfs
    mount /dev/vg0/root $T
    mkdir -p $T/boot $T/home
    mount "${A}2" $T/boot
    mkdir -p $T/boot/efi
    mount -t vfat "${A}1" $T/boot/efi
    mount -t btrfs -o subvol=@home "${A}4" $T/home
    root_dev=/dev/vg0/root swap_dev=/dev/vg0/swap boot_disks=$A
    ;;
*)
    say "unknown scenario '$scenario' (e2e.scenario= on the kernel command line: S1, S2 or S3)"
    exit 2
    ;;
esac
phase layout

tar -xf "$rootdisk" -C $T
phase unpack

uuid() { blkid -s UUID -o value "$1"; }
{
    echo "# /etc/fstab: static file system information (written by the rear-e2e installer)"
    echo "# <file system> <mount point> <type> <options> <dump> <pass>"
    echo "UUID=$(uuid $root_dev) / ext4 errors=remount-ro 0 1"
    if [ "$scenario" = S2 ]; then
        echo "UUID=$(uuid /dev/md0) /boot ext4 defaults 0 2"
        echo "UUID=$(uuid /dev/vg0/var) /var xfs defaults 0 2"
    fi
    if [ "$scenario" = S3 ]; then
        echo "UUID=$(uuid ${A}2) /boot ext4 defaults 0 2"
        echo "UUID=$(uuid ${A}1) /boot/efi vfat umask=0077 0 1"
        echo "UUID=$(uuid ${A}4) /home btrfs defaults,subvol=@home 0 0"
    fi
    echo "UUID=$(uuid $swap_dev) none swap sw 0 0"
} > $T/etc/fstab
echo $hostname > $T/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' $hostname > $T/etc/hosts
cat > $T/etc/default/grub <<'GRUB'
# written by the rear-e2e installer, as grub-pc's template with a serial console
GRUB_DEFAULT=0
GRUB_TIMEOUT=1
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_CMDLINE_LINUX="console=ttyS0,115200"
GRUB_TERMINAL="serial console"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB
mkdir -p $T/etc/systemd/system/serial-getty@ttyS0.service.d
cat > $T/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf <<'UNIT'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 - $TERM
UNIT
put() { cp "$2" "$3" && chmod "$1" "$3"; } # MODE SOURCE TARGET (busybox has no install)
# the command unit: after multi-user, runs run.sh from the disk with serial e2e-cmd
put 0755 /etc/e2e/command.sh $T/usr/local/sbin/rear-e2e-command
put 0644 /etc/e2e/command.service $T/etc/systemd/system/rear-e2e-command.service
mkdir -p $T/etc/systemd/system/multi-user.target.wants $T/usr/local/share/rear-e2e
ln -sf /etc/systemd/system/rear-e2e-command.service $T/etc/systemd/system/multi-user.target.wants/rear-e2e-command.service
put 0644 /etc/e2e/markers.conf $T/usr/local/share/rear-e2e/markers.conf
put 0755 /etc/e2e/make-markers.sh $T/usr/local/sbin/rear-e2e-make-markers
put 0755 /etc/e2e/check-markers.sh $T/usr/local/sbin/rear-e2e-check-markers
# a fresh machine id, as the first boot of an installed system would make it
cat /proc/sys/kernel/random/uuid | tr -d '-' > $T/etc/machine-id

for fs in dev proc sys run; do mount --bind /$fs $T/$fs; done
inchroot() { chroot $T /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME=/root DEBIAN_FRONTEND=noninteractive "$@"; }
echo root:rear | inchroot chpasswd
if [ "$scenario" = S2 ]; then
    inchroot /usr/share/mdadm/mkconf > $T/etc/mdadm/mdadm.conf
fi
if [ "$scenario" = S3 ]; then
    # the root's LUKS device is opened by the key file, which the initramfs carries (KEYFILE_PATTERN,
    # readable by root only: UMASK=0077), so the system boots unattended
    mkdir -p $T/etc/keys
    chmod 0700 $T/etc/keys
    put 0400 /out/luks.key $T/etc/keys/root.key
    echo "vda3_crypt UUID=$(uuid ${A}3) /etc/keys/root.key luks,discard" > $T/etc/crypttab
    echo 'KEYFILE_PATTERN="/etc/keys/*.key"' >> $T/etc/cryptsetup-initramfs/conf-hook
    echo 'UMASK=0077' >> $T/etc/initramfs-tools/initramfs.conf
    # grub-install writes the boot entry through efivarfs (the bind of /sys does not carry it)
    mount -t efivarfs efivarfs $T/sys/firmware/efi/efivars
    # some content in the btrfs /home and its nested subvolume
    printf 'rear-e2e on btrfs @home\n' > $T/home/e2e-home.txt
    printf 'rear-e2e on btrfs @home/snapshots\n' > $T/home/snapshots/e2e-snap.txt
fi
inchroot rear-e2e-make-markers
phase configure
# only the modules this (virtio) machine needs: MODULES=most costs over ten minutes under TCG
sed -i 's/^MODULES=.*/MODULES=dep/' $T/etc/initramfs-tools/initramfs.conf
inchroot update-initramfs -u -k all
phase initramfs
if [ "$scenario" = S3 ]; then
    # no removable-media fallback (\EFI\BOOT\BOOTX64.EFI), as a real install: the entry lives in the NVRAM
    inchroot grub-install --target=x86_64-efi --efi-directory=/boot/efi --bootloader-id=debian
    efibootmgr -v > /out/efibootmgr.txt 2>&1
else
    for d in $boot_disks; do
        inchroot grub-install --target=i386-pc --recheck "$d"
    done
fi
inchroot update-grub 2>&1
phase grub
mkdir -p /out/etc
for f in fstab hostname default/grub mdadm/mdadm.conf crypttab; do
    if [ -f $T/etc/$f ]; then cp $T/etc/$f /out/etc/$(echo $f | tr / _); fi
done
cp $T/boot/grub/grub.cfg /out/grub.cfg
inchroot dpkg-query -W -f '${Package} ${Version}\n' > /out/packages.txt
(cd $T && du -sxk . ) > /out/du.txt 2>&1 || true
if [ "$scenario" = S3 ]; then
    (cd $T/boot/efi && find .) > /out/esp.txt
    inchroot lsinitramfs /boot/initrd.img-"$(ls $T/lib/modules | head -n 1)" | grep -E 'cryptroot|keyfiles' > /out/initramfs-crypt.txt || true
    umount $T/sys/firmware/efi/efivars
fi
sync
for fs in run sys proc dev; do umount -l $T/$fs; done
umount $T/var 2>/dev/null || true
umount $T/home 2>/dev/null || true
umount $T/boot/efi 2>/dev/null || true
umount $T/boot 2>/dev/null || true
umount $T
if [ "$scenario" = S2 ]; then
    lvm vgchange -q -an vg0
    mdadm --stop /dev/md1 /dev/md0
fi
if [ "$scenario" = S3 ]; then
    lvm vgchange -q -an vg0
    cryptsetup close vda3_crypt
fi
blkid > /out/blkid.txt
sync
phase done
say "installed $scenario"
