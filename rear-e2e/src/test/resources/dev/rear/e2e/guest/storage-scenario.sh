# storage-scenario.sh - runs inside the rear-e2e VM (busybox sh). Builds a source layout on the
# virtio disks with the real tools (never rear's code), mounts it as a system root at /sysroot
# and runs 'rear savelayout' chrooted there (the VM's own root is the initramfs, the rescue
# system), takes it all down and wipes the disks completely, runs 'rear layoutonly' from the
# saved descriptor in the rescue system, mounts the result as the source was mounted, runs
# 'rear savelayout' again and 'rear diff'. Everything the host checks is left under /out. Each
# phase prints "REAR-E2E: phase NAME"; its duration goes to /out/times ("NAME SECONDS").
#
#   vda, vdb (GPT, same layout): 1 ESP (vfat), 2 md RAID1 member, 3 LVM PV
#   md0 = RAID1 (metadata 1.2, name rearvm:e2e0) of vda2 + vdb2 -> PV of vg0:
#       vg0/root  linear                     ext4  /
#       vg0/pool  thin pool,  vg0/thin  thin LV  ext4  /home
#       vg0/crypt linear -> LUKS2 (key file) cryptdata -> xfs  /secure
#       vg0/swap  linear                     swap
#   vda3 + vdb3 -> PVs of vg1:  vg1/mirror  raid1 LV (--type raid1 -m 1)  ext4  /srv
#   vda1 vfat /boot/efi, vdb1 vfat /boot/efi2
set -u
# Debian's static busybox runs its own applets before looking at PATH: where an applet shares a
# name with a real tool, call the real one (util-linux) by its path.
for t in mount umount swapon swapoff mkswap blkdiscard; do eval "$t() { /usr/sbin/$t \"\$@\"; }"; done
KEY=/etc/e2e/luks.key
REAR="/opt/rear/bin/rear -c /etc/e2e/rear-config"
# Class-data sharing: the distribution's archive belongs to the JVM that built it, so the first
# rear run here dumps one for the linked runtime (in /run, seen from the chroot too) and the
# others map it; under TCG that saves a good part of each start.
CDS=/run/rear-e2e.jsa
rear_cds() {
    if [ -s $CDS ]; then
        export REAR_JAVA_OPTS="-XX:SharedArchiveFile=$CDS -Xlog:cds=off -Xlog:cds+dynamic=off"
    else
        export REAR_JAVA_OPTS="-XX:ArchiveClassesAtExit=$CDS -Xlog:cds=off -Xlog:cds+dynamic=off"
    fi
    "$@"; cds_rc=$?
    unset REAR_JAVA_OPTS
    return $cds_rc
}
A=/dev/vda
B=/dev/vdb

now() { cut -d' ' -f1 /proc/uptime; }
T0=$(now)
phase() {
    t=$(now)
    if [ -n "${PHASE:-}" ]; then echo "$PHASE $(echo "$t $T0" | awk '{printf "%.2f", $1 - $2}')" >> /out/times; fi
    PHASE=$1; T0=$t
    echo "REAR-E2E: phase $1"
}
fail() { echo "REAR-E2E: FAILED in ${PHASE:-?}: $*"; exit 1; }
run() { echo "+ $*"; "$@" || fail "$* (exit $?)"; }
settle() { udevadm settle --timeout=60 || echo "udevadm settle timed out"; }
wait_for() { i=0; while [ ! -e "$1" ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done; [ -e "$1" ] || fail "$1 did not appear"; }

mount_all() { # the source's mounts under /sysroot, in the same order both times
    run mkdir -p /sysroot
    run mount /dev/vg0/root /sysroot
    run mkdir -p /sysroot/home /sysroot/secure /sysroot/srv /sysroot/boot/efi /sysroot/boot/efi2
    run mount /dev/vg0/thin /sysroot/home
    run mount /dev/mapper/cryptdata /sysroot/secure
    run mount /dev/vg1/mirror /sysroot/srv
    run mount -t vfat /dev/vda1 /sysroot/boot/efi
    run mount -t vfat /dev/vdb1 /sysroot/boot/efi2
    run swapon /dev/vg0/swap
    # The rescue system's programs and the kernel's file systems, for rear to run chrooted; none
    # of them is a real file system, so rear does not describe them.
    for d in bin sbin usr lib lib64 opt etc out proc sys dev run; do
        run mkdir -p /sysroot/$d
        run mount --bind /$d /sysroot/$d
    done
    run mkdir -p /sysroot/tmp /sysroot/var/lib/rear /sysroot/var/log/rear /sysroot/root
}
umount_all() {
    swapoff -a
    for m in $(findmnt -rn -o TARGET | grep -E '^/(sysroot|mnt/local)(/|$)' | sort -r); do run umount "$m"; done
}
in_source() { chroot /sysroot "$@"; }

# ---------------------------------------------------------------- the source, with the real tools
phase source-layout
for d in $A $B; do
    case $d in $A) n=1 ;; *) n=2 ;; esac
    printf '%s\n' "label: gpt" "label-id: 6B1E2A0$n-3C4D-4E5F-8A9B-0C1D2E3F4A5B" "first-lba: 2048" \
        "size=32MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=0E5F0$n""00-1111-4222-8333-444455556666, name=\"EFI System\"" \
        "size=560MiB, type=A19D880F-05FC-4D3B-A006-743F0F84911E, uuid=0E5F0$n""00-2222-4333-8444-555566667777, name=\"raid\"" \
        "size=96MiB, type=E6D6D379-F507-44C2-A23C-238F2A3DF928, uuid=0E5F0$n""00-3333-4444-8555-666677778888, name=\"lvm\"" \
        > /tmp/$n.sfdisk
    cat /tmp/$n.sfdisk
    sfdisk --quiet $d < /tmp/$n.sfdisk || fail "sfdisk $d"
done
settle
wait_for ${A}3; wait_for ${B}3
run mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 --bitmap=internal \
    --name=rearvm:e2e0 --uuid=3e2a1c0d:5b4f4a6e:9c8d7e6f:0a1b2c3d ${A}2 ${B}2
settle
# mdadm's own words about an array whose homehost is this machine, kept for the parser tests
mkdir -p /out/fixtures
mdadm --version > /out/fixtures/mdadm-version.txt 2>&1
mdadm --detail /dev/md0 > /out/fixtures/mdadm-detail.txt 2> /out/fixtures/mdadm-detail.stderr
mdadm --detail --export /dev/md0 > /out/fixtures/mdadm-detail-export.txt 2> /out/fixtures/mdadm-detail-export.stderr
mdadm --examine ${A}2 > /out/fixtures/mdadm-examine.txt 2> /out/fixtures/mdadm-examine.stderr
mdadm --examine --export ${A}2 > /out/fixtures/mdadm-examine-export.txt 2> /out/fixtures/mdadm-examine-export.stderr
run pvcreate --norestorefile --uuid e2eMD0-pv00-0000-0000-0000-0000-000001 /dev/md0
run pvcreate --norestorefile --uuid e2eVDA-pv00-0000-0000-0000-0000-000002 ${A}3
run pvcreate --norestorefile --uuid e2eVDB-pv00-0000-0000-0000-0000-000003 ${B}3
run vgcreate --physicalextentsize 4m vg0 /dev/md0
run vgcreate --physicalextentsize 4m vg1 ${A}3 ${B}3
run lvcreate --yes --name root --size 96m vg0
run lvcreate --yes --type thin-pool --name pool --size 64m --chunksize 64k --poolmetadatasize 4m vg0
run lvcreate --yes --name thin --virtualsize 128m --thinpool vg0/pool
run lvcreate --yes --name crypt --size 320m vg0
run lvcreate --yes --name swap --size 16m vg0
run lvcreate --yes --type raid1 --mirrors 1 --name mirror --size 32m vg1
settle
run cryptsetup luksFormat --batch-mode --type luks2 --cipher aes-xts-plain64 --key-size 512 --hash sha256 \
    --pbkdf argon2id --label e2e-crypt --uuid 7d3c2b1a-0f9e-4d8c-b7a6-958473625140 --key-file $KEY /dev/vg0/crypt
run cryptsetup open --type luks --key-file $KEY /dev/vg0/crypt cryptdata
settle
run mkfs.ext4 -q -F -L e2e-root -U 1a2b3c4d-0001-4e5f-8a9b-0c1d2e3f4a01 /dev/vg0/root
run mkfs.ext4 -q -F -L e2e-thin -U 1a2b3c4d-0002-4e5f-8a9b-0c1d2e3f4a02 /dev/vg0/thin
run mkfs.ext4 -q -F -L e2e-mirror -U 1a2b3c4d-0003-4e5f-8a9b-0c1d2e3f4a03 /dev/vg1/mirror
run mkfs.xfs -q -f -L e2e-secure -m uuid=1a2b3c4d-0004-4e5f-8a9b-0c1d2e3f4a04 /dev/mapper/cryptdata
run mkswap -L e2e-swap -U 1a2b3c4d-0005-4e5f-8a9b-0c1d2e3f4a05 /dev/vg0/swap
run mkfs.fat -i 2E2E0001 -n E2E-ESP ${A}1
run mkfs.fat -i 2E2E0002 -n E2E-ESP2 ${B}1
settle
mount_all
for d in / /home /secure /srv /boot/efi; do echo "rear e2e marker" > /sysroot$d/marker; done
sync
cat /proc/mdstat
lvs -a -o lv_name,vg_name,lv_attr,lv_size,segtype,devices
blkid | sort > /out/blkid-source.txt
lsblk -J -b -O > /out/fixtures/lsblk.json 2> /out/fixtures/lsblk.stderr
blkid -c /dev/null -o export > /out/fixtures/blkid.export 2> /out/fixtures/blkid.stderr

# ---------------------------------------------------------------- rear savelayout
phase savelayout-source
rear_cds in_source $REAR savelayout --layout-dir /out/layout1 > /out/savelayout1.out 2>&1; rc=$?
cat /out/savelayout1.out
[ $rc = 0 ] || fail "rear savelayout exited with $rc"

# ---------------------------------------------------------------- take it down and wipe the disks
phase wipe
umount_all
run cryptsetup close cryptdata
run vgchange --activate n vg0 vg1
run mdadm --stop /dev/md0
settle
for d in $A $B; do
    # zero every block (WRITE ZEROES; qemu punches holes in the image); dd where that is refused,
    # its "No space left" at the end being the end. The checks below say whether it worked.
    blkdiscard --force --zeroout $d || dd if=/dev/zero of=$d bs=1M conv=fsync 2>/dev/null
    blockdev --rereadpt $d
done
settle
for d in $A $B; do
    size=$(blockdev --getsize64 $d)
    # every byte of the first and last 8 MiB reads zero, and nothing is left for blkid to find
    [ "$(head -c 8388608 $d | tr -d '\000' | wc -c)" = 0 ] || fail "$d is not zero at its start"
    [ "$(dd if=$d bs=1M skip=$((size / 1048576 - 8)) 2>/dev/null | tr -d '\000' | wc -c)" = 0 ] || fail "$d is not zero at its end"
    blkid -p $d > /dev/null 2>&1 && fail "blkid still finds something on $d"
    [ -e ${d}1 ] && fail "${d}1 still exists"
done
ls /dev/md* /dev/mapper 2>&1
echo "wiped: $A $B"

# ---------------------------------------------------------------- rear layoutonly
phase layoutonly
rear_cds $REAR layoutonly /out/layout1/descriptor.json --target $A=$A --target $B=$B --key-file $KEY --yes \
    --journal /out/layoutonly.jsonl --target-root /mnt/local > /out/layoutonly.out 2>&1; rc=$?
cat /out/layoutonly.out
echo $rc > /out/layoutonly.rc
[ $rc = 0 ] || fail "rear layoutonly exited with $rc"
findmnt -rn -o TARGET,SOURCE,FSTYPE | grep ' ' | grep '^/mnt/local' > /out/layoutonly-mounts.txt
cat /out/layoutonly-mounts.txt

# ---------------------------------------------------------------- the result, mounted as the source was
phase savelayout-result
umount_all
mount_all
blkid | sort > /out/blkid-result.txt
rear_cds in_source $REAR savelayout --layout-dir /out/layout2 > /out/savelayout2.out 2>&1; rc=$?
cat /out/savelayout2.out
[ $rc = 0 ] || fail "the second rear savelayout exited with $rc"

phase diff
rear_cds $REAR diff /out/layout1/descriptor.json /out/layout2/descriptor.json > /out/diff.txt 2>&1
echo $? > /out/diff.rc
cat /out/diff.txt
phase end
echo "REAR-E2E: scenario complete"
exit 0
