#!/usr/bin/env bash
# capture-vm-fixtures.sh - capture the real output of mdadm, lvm, cryptsetup, blkid, lsblk,
# sfdisk and dmsetup for md RAID, LVM (linear, striped, thin, raid1), LUKS1/LUKS2 and vfat,
# inside a throwaway qemu VM (TCG) running Debian's kernel, and write them as test fixtures
# with a .meta sidecar each.
#
# Why a VM: the build host's kernel has no md, no device-mapper and no vfat. The VM boots
# Debian's linux-image-amd64 with an initramfs holding busybox-static and the host's own
# mdadm/lvm/cryptsetup/util-linux binaries and systemd-udevd with the storage rules (so that
# lsblk and blkid see what they see on an installed system), builds the layouts on sparse image
# files attached as virtio disks, runs the tools, writes a tar of the outputs onto a raw
# "capture" disk and powers off. It takes about 30 s on a 2-core machine under TCG. Nothing on the host is written but files
# under a private temporary directory and the fixture tree. The parts it shares with
# capture-efi-fixtures.sh (kernel, initramfs, modules, qemu, .meta sidecars) are in vm-capture-lib.sh.
#
# Usage:
#   descriptors/tools/capture-vm-fixtures.sh [--install-deps] [--out DIR] [--keep-work]
#
#   --install-deps  apt-get install the packages this needs (qemu-system-x86, linux-image-amd64,
#                   busybox-static, mdadm, lvm2, dmsetup, cryptsetup-bin, dosfstools, util-linux,
#                   fdisk, udev, cpio, kmod); run 'apt-get update' first yourself
#   --out DIR       fixture root (default: rear-engine/src/test/resources/fixtures of this repo)
#   --keep-work     keep the temporary directory (initramfs, console log, raw capture)
#
# Environment: KVER (kernel release under /lib/modules, default: newest with a /boot/vmlinuz),
#   CAPTURE_TIMEOUT (seconds qemu may run, default 900), QEMU (default qemu-system-x86_64).
#
# The LUKS passphrase is a fixed, public test string, put in a file inside the initramfs only.
# No command that prints key material is run; the script refuses fixtures that contain the
# passphrase, a crypt target line, or a dumped volume key.
set -euo pipefail

VMCAP_NAME=capture-vm-fixtures
VMCAP_SCRIPT=descriptors/tools/capture-vm-fixtures.sh
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=vm-capture-lib.sh
. "$REPO_ROOT/descriptors/tools/vm-capture-lib.sh"
OUT_ROOT="$REPO_ROOT/rear-engine/src/test/resources/fixtures"
INSTALL_DEPS=0
# A public test passphrase: it protects nothing, and the fixture check below refuses to write
# any file that contains it.
readonly TEST_PASSPHRASE='rear-fixture-passphrase-not-a-secret'

while (($#)); do
    case $1 in
        --install-deps) INSTALL_DEPS=1 ;;
        --out) shift; OUT_ROOT=${1:?--out needs a directory} ;;
        --keep-work) KEEP_WORK=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done

[[ $(id -u) -eq 0 ]] || die "run as root (the initramfs must hold root-owned device tools)"

if ((INSTALL_DEPS)); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        qemu-system-x86 linux-image-amd64 busybox-static mdadm lvm2 dmsetup cryptsetup-bin \
        dosfstools util-linux fdisk udev cpio kmod gzip tar
fi

# ---------------------------------------------------------------- host prerequisites
vmcap_pick_kernel
vmcap_check_host

# Tools copied into the VM, by the name they are run with there.
TOOLS=(mdadm lvm cryptsetup mkfs.fat blkid lsblk sfdisk wipefs dmsetup)
vmcap_find_tools "mdadm lvm2 cryptsetup-bin dosfstools util-linux fdisk" "${TOOLS[@]}"

# ---------------------------------------------------------------- work dir and cleanup
vmcap_start_work rear-vmcap
mkdir -p "$ROOTFS"/{etc/lvm,boot/efi}

# ---------------------------------------------------------------- binaries and libraries
vmcap_install_tools "${TOOLS[@]}"
# mkfs.fat converts labels through iconv (codepage 850)
GCONV=/usr/lib/x86_64-linux-gnu/gconv
if [[ -d $GCONV ]]; then
    mkdir -p "$ROOTFS$GCONV"
    cp -a "$GCONV"/gconv-modules* "$GCONV"/IBM850.so "$ROOTFS$GCONV/" 2>/dev/null || true
fi

# udev, so that lsblk, blkid and /dev/disk/by-* look as on an installed system: udevd (one
# binary with udevadm) and the storage rules only. Left out on purpose: 64-md-raid-assembly
# (incremental assembly) and 69-lvm (autoactivation), which would act on the disks by themselves.
UDEVADM=$(readlink -f "$(command -v udevadm || echo /bin/udevadm)")
[[ -x $UDEVADM ]] || die "udevadm not found: install udev"
cp "$UDEVADM" "$ROOTFS/bin/udevadm"
vmcap_add_libs "$UDEVADM"
mkdir -p "$ROOTFS/lib/systemd" "$ROOTFS/lib/udev/rules.d" "$ROOTFS/etc/udev"
ln -s ../../bin/udevadm "$ROOTFS/lib/systemd/systemd-udevd"
UDEV_RULES=(01-md-raid-creating 50-udev-default 55-dm 56-lvm 60-block 60-persistent-storage
    60-persistent-storage-dm 63-md-raid-arrays 95-dm-notify)
for r in "${UDEV_RULES[@]}"; do
    [[ -e /lib/udev/rules.d/$r.rules ]] || die "/lib/udev/rules.d/$r.rules missing (packages udev, mdadm, dmsetup, lvm2)"
    cp "/lib/udev/rules.d/$r.rules" "$ROOTFS/lib/udev/rules.d/"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$ROOTFS/etc/passwd"
printf 'root:x:0:\ndisk:x:6:\n' > "$ROOTFS/etc/group"

# LVM dispatches on argv[0]
for l in pvcreate vgcreate lvcreate pvs vgs lvs vgchange lvchange pvscan vgscan; do
    ln -s lvm "$ROOTFS/usr/sbin/$l"
done
ln -s mkfs.fat "$ROOTFS/usr/sbin/mkfs.vfat"
vmcap_install_libs

# ---------------------------------------------------------------- kernel modules (closure)
vmcap_install_modules \
    virtio_pci virtio_blk \
    crc32c_generic libcrc32c \
    md-mod raid1 raid456 \
    dm-mod dm-crypt dm-thin-pool dm-raid dm-snapshot dm-mirror \
    xts algif_skcipher algif_hash \
    fat vfat nls_cp437 nls_ascii nls_utf8 nls_iso8859-1 \
    -- crc32c-intel aesni-intel   # need CPU features; failures are logged only

# ---------------------------------------------------------------- configuration in the VM
printf '%s' "$TEST_PASSPHRASE" > "$ROOTFS/etc/capture/test.passphrase"
chmod 600 "$ROOTFS/etc/capture/test.passphrase"

# No dmeventd, no thin_check binary, no devices file in the VM.
cat > "$ROOTFS/etc/lvm/lvm.conf" <<'EOF'
devices {
    use_devicesfile = 0
}
activation {
    monitoring = 0
}
global {
    thin_check_executable = ""
    thin_repair_executable = ""
    thin_dump_executable = ""
}
EOF

cat > "$ROOTFS/init" <<'EOF'
#!/bin/sh
# PID 1 of the capture VM: mount, load modules, run the capture with a time limit, write the
# results as a tar stream onto /dev/vda, power off (in every outcome).
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
export LC_ALL=C TZ=UTC LVM_SUPPRESS_FD_WARNINGS=1 HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/shm /dev/pts /run/cryptsetup /run/lock/lvm /run/lvm /run/blkid /run/udev /root
KVER=$(cat /etc/capture/kver)
echo "capture-vm: kernel $(uname -r), loading modules"
while read -r m; do
    out=$(insmod "/lib/modules/$KVER/$m" 2>&1) || case $out in
        *"File exists"*) ;;
        *) echo "capture-vm: insmod $m: $out" ;;
    esac
done < /etc/capture/modules.order
i=0
while [ ! -b /dev/vdm ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
ls /dev/vd* | tr '\n' ' '; echo
/lib/systemd/systemd-udevd --daemon --resolve-names=early
udevadm trigger --type=subsystems --action=add
udevadm trigger --type=devices --action=add
udevadm settle --timeout=60 || echo "capture-vm: udevadm settle timed out"
if [ -b /dev/vdm ]; then
    timeout 600 sh /etc/capture/capture.sh > /out/_capture.log 2>&1
    echo $? > /out/_capture.rc
else
    echo "capture-vm: the virtio disks did not appear" > /out/_capture.log
    echo 99 > /out/_capture.rc
fi
echo "capture-vm: capture finished with rc $(cat /out/_capture.rc)"
tail -n 30 /out/_capture.log
umount /boot/efi 2>/dev/null
udevadm control --exit 2>/dev/null
(cd /out && tar -cf /dev/vda .) && sync && echo "capture-vm: results written"
poweroff -f
EOF
chmod 755 "$ROOTFS/init"

# The capture proper. Each 'cap' runs one command and keeps stdout exactly as printed, with
# the command line, exit status and stderr beside it; 'run' runs a set-up command and logs it
# per scenario, for the .meta sidecars (both from vm-capture-lib.sh).
vmcap_install_guest_lib
cat > "$ROOTFS/etc/capture/capture.sh" <<'EOF'
set -u
PASS=/etc/capture/test.passphrase
. /etc/capture/lib.sh
settle() { udevadm settle --timeout=60 || echo "udevadm settle timed out"; }
wait_md() { # wait_md <md device>: until no resync/recovery runs, at most 180 s
    i=0
    while grep -qE 'resync|recovery' /proc/mdstat && [ $i -lt 180 ]; do sleep 1; i=$((i + 1)); done
    cat /proc/mdstat
}

version mdadm mdadm --version
version lvm lvm version
version cryptsetup cryptsetup --version
version blkid blkid --version
version lsblk lsblk --version
version sfdisk sfdisk --version
version dmsetup dmsetup --version
version mdstat uname -r
uname -r > /out/_kernel

# ------------------------------------------------ md RAID
run raid1-bitmap mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 \
    --bitmap=internal --name=raid1boot --homehost=capturevm \
    --uuid=3f6a2c1e:8b7d4e90:a1c2d3e4:f5061728 /dev/vdb /dev/vdc
run raid5-spare mdadm --create /dev/md1 --run --level=5 --raid-devices=3 --spare-devices=1 \
    --chunk=512 --metadata=1.2 --name=raid5data --homehost=capturevm \
    --uuid=0badc0de:cafe4e11:8e5a1d00:5ca1ab1e /dev/vdd /dev/vde /dev/vdf /dev/vdg
run raid1-degraded mdadm --create /dev/md2 --run --level=1 --raid-devices=2 --metadata=1.2 \
    --name=raid1degraded --homehost=capturevm \
    --uuid=d15ea5ed:0dd0b1e5:feedface:00c0ffee /dev/vdh missing
wait_md
settle
cat /out/_setup/raid1-bitmap /out/_setup/raid5-spare /out/_setup/raid1-degraded > /out/_setup/three-arrays
cap mdadm raid1-bitmap -detail-export.txt mdadm --detail --export /dev/md0
cap mdadm raid1-bitmap -detail.txt mdadm --detail /dev/md0
cap mdadm raid1-bitmap -examine-export.txt mdadm --examine --export /dev/vdb
cap mdadm raid1-bitmap -examine.txt mdadm --examine /dev/vdb
cap mdadm raid5-spare -detail-export.txt mdadm --detail --export /dev/md1
cap mdadm raid5-spare -detail.txt mdadm --detail /dev/md1
cap mdadm raid5-spare -examine-export.txt mdadm --examine --export /dev/vde
cap mdadm raid5-spare -examine.txt mdadm --examine /dev/vde
cap mdadm raid5-spare -examine-spare-export.txt mdadm --examine --export /dev/vdg
cap mdadm raid5-spare -examine-spare.txt mdadm --examine /dev/vdg
cap mdadm raid1-degraded -detail-export.txt mdadm --detail --export /dev/md2
cap mdadm raid1-degraded -detail.txt mdadm --detail /dev/md2
cap mdadm raid1-degraded -examine-export.txt mdadm --examine --export /dev/vdh
cap mdadm raid1-degraded -examine.txt mdadm --examine /dev/vdh
cap mdadm three-arrays -detail-scan-verbose.txt mdadm --detail --scan --verbose
cap mdstat three-arrays .txt cat /proc/mdstat

# ------------------------------------------------ LVM
run vg-mixed pvcreate --norestorefile --uuid rearPV-vdi0-0000-0000-0000-0000-000001 /dev/vdi
run vg-mixed pvcreate --norestorefile --uuid rearPV-vdj0-0000-0000-0000-0000-000002 /dev/vdj
run vg-mixed vgcreate --physicalextentsize 4m vg0 /dev/vdi /dev/vdj
run vg-mixed lvcreate --yes --name linear --size 32m vg0 /dev/vdi
run vg-mixed lvcreate --yes --name striped --stripes 2 --stripesize 64k --size 32m vg0
run vg-mixed lvcreate --yes --type thin-pool --name pool --size 64m --chunksize 128k \
    --poolmetadatasize 4m vg0
run vg-mixed lvcreate --yes --name thin1 --virtualsize 48m --thinpool vg0/pool
run vg-mixed lvcreate --yes --name thin2 --virtualsize 256m --thinpool vg0/pool
run vg-mixed lvcreate --yes --type raid1 --mirrors 1 --name mirrored --size 16m vg0
i=0
while [ $i -lt 120 ]; do
    s=$(lvs --noheadings -o sync_percent vg0/mirrored | tr -d ' ')
    [ "$s" = "100.00" ] && break
    sleep 1; i=$((i + 1))
done
echo "raid1 LV sync: $s after $i s"
settle
# lvs cannot mix PV columns with LV/segment columns; the PVs are in pvs.json and fullreport.
FULL=vg_name,vg_uuid,vg_extent_size,vg_size,vg_free
FULL=$FULL,lv_name,lv_full_name,lv_uuid,lv_size,lv_attr,lv_layout,lv_role,lv_parent,pool_lv
FULL=$FULL,data_lv,metadata_lv,lv_metadata_size,segtype,stripes,data_stripes,stripe_size
FULL=$FULL,chunk_size,region_size,data_copies,seg_start,seg_size,devices
cap lvm vg-mixed -fullreport.json lvm fullreport --all --reportformat json --units b --nosuffix \
    --configreport vg -o vg_name,vg_uuid,vg_attr,vg_extent_size,vg_extent_count,vg_size,vg_free,pv_count,lv_count \
    --configreport pv -o pv_name,pv_uuid,vg_name,dev_size,pv_size,pe_start,pv_pe_count,pv_pe_alloc_count \
    --configreport lv -o lv_name,lv_full_name,lv_uuid,lv_size,lv_attr,lv_layout,lv_role,lv_parent,pool_lv,data_lv,metadata_lv,lv_metadata_size,lv_path,lv_dm_path \
    --configreport seg -o lv_name,segtype,seg_start,seg_size,stripes,data_stripes,stripe_size,chunk_size,region_size,data_copies,devices \
    --configreport pvseg -o pv_name,pvseg_start,pvseg_size,lv_name
cap lvm vg-mixed -fullreport-default.json lvm fullreport --reportformat json --units b --nosuffix
cap lvm vg-mixed -lvs-all.json lvs -a --reportformat json --units b --nosuffix -o $FULL
cap lvm vg-mixed -lvs.json lvs --reportformat json --units b --nosuffix \
    -o vg_name,lv_name,lv_uuid,lv_size,lv_attr,lv_layout,lv_role,segtype,stripes,stripe_size,pool_lv,lv_metadata_size,chunk_size,data_copies
cap lvm vg-mixed -pvs.json pvs --reportformat json --units b --nosuffix \
    -o pv_name,pv_uuid,pv_size,dev_size,pe_start,vg_name,vg_uuid
cap lvm vg-mixed -vgs.json vgs --reportformat json --units b --nosuffix \
    -o vg_name,vg_uuid,vg_extent_size,vg_extent_count,vg_size,vg_free,pv_count,lv_count
# The device-mapper tables of the LVM devices, captured before any crypt mapping exists so
# that no key can appear in them.
cap dmsetup vg-mixed -table.txt dmsetup table

# ------------------------------------------------ LUKS
run luks2 cryptsetup luksFormat --batch-mode --type luks2 --cipher aes-xts-plain64 --key-size 512 \
    --hash sha256 --pbkdf argon2id --pbkdf-memory 32768 --pbkdf-parallel 1 \
    --pbkdf-force-iterations 4 --label rear-luks2 --subsystem rear-test \
    --uuid 5e1f0c2a-7b3d-4c8e-9f10-a2b3c4d5e6f7 --key-file $PASS /dev/vdk
run luks2 cryptsetup luksAddKey --batch-mode --key-file $PASS --key-slot 3 --pbkdf pbkdf2 \
    --hash sha512 --pbkdf-force-iterations 1000 /dev/vdk $PASS
run luks2 cryptsetup open --key-file $PASS /dev/vdk cryptroot
run luks1 cryptsetup luksFormat --batch-mode --type luks1 --cipher aes-xts-plain64 --key-size 512 \
    --hash sha256 --pbkdf-force-iterations 1000 \
    --uuid 0e7e1c5a-1111-4a2b-8c3d-4e5f60718293 --key-file $PASS /dev/vdl
run luks1 cryptsetup open --key-file $PASS /dev/vdl cryptold
settle
cap cryptsetup luks2 -luksdump.txt cryptsetup luksDump /dev/vdk
cap cryptsetup luks2 -luksdump-json.json cryptsetup luksDump --dump-json-metadata /dev/vdk
cap cryptsetup luks2 -status.txt cryptsetup status cryptroot
cap cryptsetup luks1 -luksdump.txt cryptsetup luksDump /dev/vdl
cap cryptsetup luks1 -status.txt cryptsetup status cryptold

# ------------------------------------------------ vfat on a GPT disk
cat > /tmp/vdm.sfdisk <<'SFD'
label: gpt
label-id: 4C2B9E71-3A5D-4F08-9E6B-1D2C3B4A5F60
first-lba: 2048
start=2048, size=100MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=9A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9, name="EFI System"
size=40MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, uuid=0F1E2D3C-4B5A-4697-8877-665544332211, name="fat16 data"
SFD
for sc in vfat-gpt vfat-fat32 vfat-fat16; do
    echo "sfdisk /dev/vdm <<EOF" >> /out/_setup/$sc
    cat /tmp/vdm.sfdisk >> /out/_setup/$sc
    echo "EOF" >> /out/_setup/$sc
done
sfdisk /dev/vdm < /tmp/vdm.sfdisk || { echo "sfdisk failed"; exit 1; }
i=0; while [ ! -b /dev/vdm2 ] && [ $i -lt 20 ]; do sleep 1; i=$((i + 1)); done
run vfat-fat32 mkfs.fat -F 32 -i 1234ABCD -n REAR-ESP /dev/vdm1
head -n 1 /tmp/run.out > /out/_versions/mkfs.fat
run vfat-fat16 mkfs.fat -F 16 -i 0BADF00D -n REARFAT16 /dev/vdm2
run vfat-fat32 mount -t vfat /dev/vdm1 /boot/efi
settle
cap sfdisk vfat-gpt .json sfdisk -J /dev/vdm
cap blkid vfat-fat32 .export blkid -o export /dev/vdm1
cap blkid vfat-fat32 -probe.export blkid -p -o export /dev/vdm1
cap blkid vfat-fat16 .export blkid -o export /dev/vdm2
cap blkid vfat-fat16 -probe.export blkid -p -o export /dev/vdm2
cap blkid luks2 -probe.export blkid -p -o export /dev/vdk
cap blkid raid1-bitmap -member-probe.export blkid -p -o export /dev/vdb

# ------------------------------------------------ the whole VM
for sc in three-arrays vg-mixed luks2 luks1 vfat-gpt vfat-fat32 vfat-fat16; do
    [ "$sc" = three-arrays ] || cat /out/_setup/$sc
done > /out/_setup/machine
cat /out/_setup/three-arrays /out/_setup/machine > /tmp/machine && mv /tmp/machine /out/_setup/machine
cap blkid machine .export blkid -o export
cap lsblk machine .json lsblk -J -b -O
cap mdstat machine .txt cat /proc/mdstat
echo "capture complete"
exit 0
EOF

# ---------------------------------------------------------------- initramfs and disks
vmcap_pack_initramfs "$WORK/initramfs.gz"
log "initramfs: $(du -h "$WORK/initramfs.gz" | cut -f1), kernel $KVER, ${#VMCAP_MODULES[@]} modules"

# virtio disks in order: vda capture, vdb..vdm scenario disks (sizes in MiB)
DISK_NAMES=(vda vdb vdc vdd vde vdf vdg vdh vdi vdj vdk vdl vdm)
DISK_SIZES=(32  64  64  64  64  64  64  64  256 256 64  32  160)
DRIVES=()
for i in "${!DISK_NAMES[@]}"; do
    img="$WORK/${DISK_NAMES[$i]}.img"
    truncate -s "${DISK_SIZES[$i]}M" "$img"
    DRIVES+=(-drive "file=$img,if=virtio,format=raw,cache=unsafe")
done

# ---------------------------------------------------------------- run the VM
log "booting qemu (TCG; about half a minute on 2 cores), console: $WORK/console.log"
vmcap_run_qemu "$WORK/console.log" -cpu max -smp 2 -m 1024 \
    -kernel "$KERNEL" -initrd "$WORK/initramfs.gz" \
    -append "console=ttyS0 rdinit=/init panic=1 loglevel=4 quiet" \
    "${DRIVES[@]}"

# ---------------------------------------------------------------- read the results
RAW=$WORK/raw
vmcap_read_results "$WORK/vda.img" "$RAW" "$WORK/console.log"

# Refuse secrets before writing anything.
if grep -rlF -- "$TEST_PASSPHRASE" "$RAW" >/dev/null 2>&1; then
    die "a captured file contains the test passphrase: $(grep -rlF -- "$TEST_PASSPHRASE" "$RAW" | head -n 3)"
fi
if grep -rlE '(^| )crypt ' "$RAW/dmsetup" >/dev/null 2>&1; then
    die "a dmsetup table contains a crypt target (keys must never be captured)"
fi
if grep -rliE 'MK dump|Volume key:|master key:' "$RAW" >/dev/null 2>&1; then
    die "a captured file looks like a volume-key dump"
fi

# The lines of each .meta between 'exit-status:' and 'debian:'.
vmcap_meta_tool() {
    local tool=$1 scenario=$2 raw=$3
    echo "tool-version: $(vmcap_first_line "$raw/_versions/$tool")"
    if [[ $tool == mdstat ]]; then
        echo "package: linux-image-$KVER $KPKG_VERSION"
    else
        echo "package: $(vmcap_package_of "$tool")"
    fi
    if [[ $scenario == vfat-* ]]; then
        echo "created-with: $(vmcap_first_line "$raw/_versions/mkfs.fat") ($(vmcap_package_of mkfs.fat))"
    fi
}

# Fixture names: vm-<scenario>[-<variant>].<ext>, sidecar vm-<scenario>[-<variant>].meta
# (the name without its extension). The vm-* files this script wrote before (by their .meta)
# are removed first; other fixtures (host captures, capture-efi-fixtures.sh) are left alone.
vmcap_remove_own_fixtures "$OUT_ROOT"
VMCAP_COUNT=0
vmcap_write_fixtures "$RAW" "$OUT_ROOT"

if grep -rlF -- "$TEST_PASSPHRASE" "$OUT_ROOT" >/dev/null 2>&1; then
    die "a fixture under $OUT_ROOT contains the test passphrase: $(grep -rlF -- "$TEST_PASSPHRASE" "$OUT_ROOT" | head -n 3)"
fi
log "wrote $VMCAP_COUNT fixtures (+ .meta) under $OUT_ROOT; the VM ran ${VMCAP_ELAPSED}s"
