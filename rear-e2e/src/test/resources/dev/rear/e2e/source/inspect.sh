#!/bin/sh
# Run inside a booted source by SourceSystemIT (sh run.sh OUTDIR): what the host asserts on.
out=$1
echo "REAR-E2E: inspecting $(hostname)" > /dev/console
lsblk -P -o NAME,TYPE,FSTYPE,MOUNTPOINT,LABEL > "$out/lsblk.txt" 2>&1
cat /proc/mdstat > "$out/mdstat.txt" 2>&1
lvs --noheadings --separator : -o vg_name,lv_name,lv_size --units m > "$out/lvs.txt" 2>&1
findmnt -rn -o TARGET,SOURCE,FSTYPE > "$out/findmnt.txt" 2>&1
swapon --show=NAME,TYPE --noheadings > "$out/swaps.txt" 2>&1
systemctl --failed --no-legend --plain > "$out/failed-units.txt" 2>&1
cat /proc/cmdline > "$out/cmdline.txt"
uname -r > "$out/uname.txt"
java -version > "$out/java.txt" 2>&1
rear-e2e-check-markers > "$out/markers.txt" 2>&1
echo $? > "$out/markers.rc"
lsblk -f -P -o NAME,FSTYPE,FSVER,LABEL,MOUNTPOINT > "$out/lsblk-f.txt" 2>&1
for m in $(dmsetup ls --target crypt 2>/dev/null | cut -f1); do
    cryptsetup status "$m" > "$out/cryptsetup-status-$m.txt" 2>&1
    echo "$m" >> "$out/crypt-mappings.txt"
done
if findmnt -n -t btrfs /home > /dev/null; then
    btrfs subvolume list /home > "$out/btrfs-subvolumes.txt" 2>&1
    findmnt -n -o SOURCE,FSTYPE,OPTIONS /home > "$out/home-mount.txt" 2>&1
    sha256sum /home/e2e-home.txt /home/snapshots/e2e-snap.txt > "$out/home-files.txt" 2>&1
fi
if [ -d /sys/firmware/efi ]; then
    efibootmgr -v > "$out/efibootmgr.txt" 2>&1
    cat /etc/crypttab > "$out/crypttab.txt" 2>&1
    lsinitramfs "/boot/initrd.img-$(uname -r)" 2>&1 | grep -E 'cryptroot/(crypttab|keyfiles)' > "$out/initramfs-crypt.txt"
fi
