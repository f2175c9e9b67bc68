#!/bin/sh
# The installer of the e2e source systems, run by /init in the installer VM. Plain tools only,
# nothing of rear: partition the blank disks of the scenario (e2e.scenario= on the kernel command
# line), make the storage stack and the filesystems, unpack the Debian root from the raw tar on the
# disk with serial "e2e-root", and configure it as a Debian installer does: fstab by UUID,
# mdadm.conf, hostname, a root password and autologin on ttyS0, GRUB on the serial console,
# update-initramfs, grub-install on every boot disk, update-grub, all in a chroot with /dev /proc
# /sys /run bound. Then the marker corpus (/etc/e2e/markers.conf) and the command unit.
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
*)
    say "unknown scenario '$scenario' (e2e.scenario= on the kernel command line: S1 or S2)"
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
inchroot rear-e2e-make-markers
phase configure
# only the modules this (virtio) machine needs: MODULES=most costs over ten minutes under TCG
sed -i 's/^MODULES=.*/MODULES=dep/' $T/etc/initramfs-tools/initramfs.conf
inchroot update-initramfs -u -k all
phase initramfs
for d in $boot_disks; do
    inchroot grub-install --target=i386-pc --recheck "$d"
done
inchroot update-grub 2>&1
phase grub
mkdir -p /out/etc
for f in fstab hostname default/grub mdadm/mdadm.conf; do
    if [ -f $T/etc/$f ]; then cp $T/etc/$f /out/etc/$(echo $f | tr / _); fi
done
cp $T/boot/grub/grub.cfg /out/grub.cfg
inchroot dpkg-query -W -f '${Package} ${Version}\n' > /out/packages.txt
(cd $T && du -sxk . ) > /out/du.txt 2>&1 || true
sync
for fs in run sys proc dev; do umount -l $T/$fs; done
umount $T/var 2>/dev/null || true
umount $T/boot 2>/dev/null || true
umount $T
if [ "$scenario" = S2 ]; then
    lvm vgchange -q -an vg0
    mdadm --stop /dev/md1 /dev/md0
fi
blkid > /out/blkid.txt
sync
phase done
say "installed $scenario"
