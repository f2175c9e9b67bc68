#!/bin/sh
# Makes the Debian 12 root of the e2e source systems with debootstrap, as a plain tar.
# Usage: debootstrap.sh MIRROR PACKAGES(comma-separated) WORKDIR OUTPUT.tar
# Runs as root on the host; nothing of rear is involved. The root gets no configuration of a
# particular machine: the installer VM writes fstab, hostname, GRUB and the initramfs.
set -eu
mirror=$1 packages=$2 work=$3 out=$4
root=$work/root
mkdir -p "$root"
export LC_ALL=C DEBIAN_FRONTEND=noninteractive
debootstrap --variant=minbase --components=main --include="$packages" bookworm "$root" "$mirror"
# no device or machine of the build host stays in the root
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root/etc/hostname" "$root/etc/mdadm/mdadm.conf"
printf 'deb %s bookworm main\n' "$mirror" > "$root/etc/apt/sources.list"
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/tmp/* "$root"/var/log/*.log
tar --numeric-owner --xattrs --xattrs-include='*' --acls -cf "$out.part" -C "$root" .
mv "$out.part" "$out"
