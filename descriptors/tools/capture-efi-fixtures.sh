#!/usr/bin/env bash
# capture-efi-fixtures.sh - capture the real output of efibootmgr (and of what tells a UEFI
# system from a BIOS one: /sys/firmware/efi, the SecureBoot variable) in a throwaway qemu VM
# (TCG) with UEFI firmware (OVMF), and write them as test fixtures with a .meta sidecar each.
#
# Why a VM: the build host boots by BIOS and has no /sys/firmware/efi. This boots Debian's
# kernel under OVMF with an initramfs holding busybox-static and the host's own efibootmgr,
# sfdisk, mkfs.fat, blkid and coreutils od/ls/cat (the shared parts are vm-capture-lib.sh, also
# used by capture-vm-fixtures.sh). Three boots, each writing a tar of its outputs onto a raw
# capture disk and powering off:
#
#   1. install   OVMF_CODE.fd + a copy of OVMF_VARS.fd, kernel given by -kernel/-initrd. Records
#                the boot entries OVMF made by itself; makes a GPT with an ESP on two disks;
#                creates boot entries as installers do (shim, grub, systemd-boot, the second
#                disk's ESP, and the kernel's own EFI stub copied onto the ESP with its command
#                line as UCS-2 optional data); sets BootOrder, one inactive entry, BootNext and
#                Timeout; records efibootmgr again, and blkid of both ESPs.
#   2. rebooted  the same disks and variable store, without -kernel: the firmware boots
#                BootNext (the EFI stub entry), so BootCurrent is set; records efibootmgr.
#   3. secureboot  OVMF_CODE_4M.secboot.fd (q35 with SMM) with a fresh copy of
#                OVMF_VARS_4M.ms.fd (Microsoft keys enrolled, Secure Boot on), kernel given by
#                -kernel (OVMF still starts the Debian kernel given this way); records the
#                SecureBoot and SetupMode variables (1 and 0; boot 1 has them too, as 0 and 1).
#                The 2 MiB OVMF_CODE.secboot.fd of Debian 12 hangs under TCG before printing
#                anything, hence the 4 MiB pair here.
#
# The VM has a virtio NIC without any network behind it (so that OVMF makes its PXE/HTTP boot
# entries); nothing leaves the machine. Nothing on the host is written but files under a
# private temporary directory and the fixture tree. About a minute on a 2-core machine
# (the boots take about 11, 11 and 21 s under TCG).
#
# Usage:
#   descriptors/tools/capture-efi-fixtures.sh [--install-deps] [--out DIR] [--keep-work]
#
#   --install-deps  apt-get install the packages this needs (qemu-system-x86, ovmf, efibootmgr,
#                   linux-image-amd64, busybox-static, dosfstools, fdisk, util-linux, cpio);
#                   run 'apt-get update' first yourself
#   --out DIR       fixture root (default: rear-engine/src/test/resources/fixtures of this repo)
#   --keep-work     keep the temporary directory (initramfs, varstore, console logs, raw capture)
#
# Environment: KVER (kernel release under /lib/modules, default: newest with a /boot/vmlinuz),
#   CAPTURE_TIMEOUT (seconds each boot may take, default 600), QEMU (default qemu-system-x86_64),
#   OVMF_DIR (default /usr/share/OVMF).
set -euo pipefail

VMCAP_NAME=capture-efi-fixtures
VMCAP_SCRIPT=descriptors/tools/capture-efi-fixtures.sh
CAPTURE_TIMEOUT=${CAPTURE_TIMEOUT:-600}
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=vm-capture-lib.sh
. "$REPO_ROOT/descriptors/tools/vm-capture-lib.sh"
OUT_ROOT="$REPO_ROOT/rear-engine/src/test/resources/fixtures"
OVMF_DIR=${OVMF_DIR:-/usr/share/OVMF}
INSTALL_DEPS=0
# The MAC of the VM's NIC (locally administered qemu range), printed in the PXE entries.
readonly NIC_MAC=52:54:00:52:45:41

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
        qemu-system-x86 ovmf efibootmgr linux-image-amd64 busybox-static dosfstools fdisk \
        util-linux coreutils cpio kmod gzip tar
fi

# ---------------------------------------------------------------- host prerequisites
vmcap_pick_kernel
vmcap_check_host
OVMF_CODE=$OVMF_DIR/OVMF_CODE.fd
OVMF_VARS=$OVMF_DIR/OVMF_VARS.fd
OVMF_CODE_SECBOOT=$OVMF_DIR/OVMF_CODE_4M.secboot.fd
OVMF_VARS_MS=$OVMF_DIR/OVMF_VARS_4M.ms.fd
for f in "$OVMF_CODE" "$OVMF_VARS" "$OVMF_CODE_SECBOOT" "$OVMF_VARS_MS"; do
    [[ -r $f ]] || die "$f missing: install ovmf"
done
OVMF_VERSION="$(dpkg -S "$OVMF_CODE" 2>/dev/null | cut -d: -f1 | head -n 1)"
OVMF_VERSION="${OVMF_VERSION:-unknown} $(dpkg-query -W -f '${Version}' "${OVMF_VERSION:-ovmf}" 2>/dev/null || echo unknown)"
QEMU_VERSION=$("$QEMU" -version | head -n 1)

# Tools copied into the VM, by the name they are run with there.
TOOLS=(efibootmgr sfdisk mkfs.fat blkid)
vmcap_find_tools "efibootmgr fdisk dosfstools util-linux" "${TOOLS[@]}"
# coreutils' od, ls and cat (what discovery meets on an installed system) in /usr/bin. Busybox's
# shell runs its own applets of these names first, so the capture calls them as /usr/bin/NAME.
COREUTILS=(od ls cat)
vmcap_find_tools coreutils "${COREUTILS[@]}"

# ---------------------------------------------------------------- work dir and initramfs
vmcap_start_work rear-eficap
mkdir -p "$ROOTFS"/{boot/efi,root}
vmcap_install_tools "${TOOLS[@]}"
for t in "${COREUTILS[@]}"; do
    cp "${TOOL_PATH[$t]}" "$ROOTFS/usr/bin/$t"
    vmcap_add_libs "${TOOL_PATH[$t]}"
done
# mkfs.fat converts labels through iconv (codepage 850)
GCONV=/usr/lib/x86_64-linux-gnu/gconv
if [[ -d $GCONV ]]; then
    mkdir -p "$ROOTFS$GCONV"
    cp -a "$GCONV"/gconv-modules* "$GCONV"/IBM850.so "$ROOTFS$GCONV/" 2>/dev/null || true
fi
vmcap_install_libs
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$ROOTFS/etc/passwd"
printf 'root:x:0:\ndisk:x:6:\n' > "$ROOTFS/etc/group"
# efivarfs is a module in Debian's kernel; vfat with the code pages its mount defaults to.
vmcap_install_modules virtio_pci virtio_blk efivarfs fat vfat nls_cp437 nls_ascii nls_utf8 nls_iso8859-1

cat > "$ROOTFS/init" <<'EOF'
#!/bin/sh
# PID 1 of the capture VM: mount, load modules and efivarfs, run the capture of this boot
# (rear_phase= on the command line) with a time limit, write the results as a tar stream onto
# /dev/vdd, power off (in every outcome).
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
export LC_ALL=C TZ=UTC HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /run/blkid
KVER=$(cat /etc/capture/kver)
PHASE=$(sed -n 's/.*rear_phase=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "capture-efi: kernel $(uname -r), phase '$PHASE', loading modules"
while read -r m; do
    out=$(insmod "/lib/modules/$KVER/$m" 2>&1) || case $out in
        *"File exists"*) ;;
        *) echo "capture-efi: insmod $m: $out" ;;
    esac
done < /etc/capture/modules.order
i=0
while [ ! -b /dev/vdd ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
ls /dev/vd* | tr '\n' ' '; echo
if [ -d /sys/firmware/efi/efivars ]; then
    mount -t efivarfs efivarfs /sys/firmware/efi/efivars || echo "capture-efi: cannot mount efivarfs"
fi
if [ ! -b /dev/vdd ]; then
    echo "capture-efi: the virtio disks did not appear" > /out/_capture.log
    echo 99 > /out/_capture.rc
elif [ ! -d /sys/firmware/efi ]; then
    echo "capture-efi: not booted by UEFI (no /sys/firmware/efi)" > /out/_capture.log
    echo 98 > /out/_capture.rc
elif [ -z "$PHASE" ] || [ ! -e "/etc/capture/$PHASE.sh" ]; then
    echo "capture-efi: no capture for phase '$PHASE' (kernel command line: $(cat /proc/cmdline))" > /out/_capture.log
    echo 97 > /out/_capture.rc
else
    timeout 300 sh "/etc/capture/$PHASE.sh" > /out/_capture.log 2>&1
    echo $? > /out/_capture.rc
fi
echo "capture-efi: capture finished with rc $(cat /out/_capture.rc)"
tail -n 40 /out/_capture.log
umount /boot/efi 2>/dev/null
(cd /out && tar -cf /dev/vdd .) && sync && echo "capture-efi: results written"
poweroff -f
EOF
chmod 755 "$ROOTFS/init"

vmcap_install_guest_lib

# Versions and kernel, in every boot.
cat > "$ROOTFS/etc/capture/common.sh" <<'EOF'
set -u
. /etc/capture/lib.sh
version efibootmgr efibootmgr --version
version blkid blkid --version
version od /usr/bin/od --version
version ls /usr/bin/ls --version
version cat /usr/bin/cat --version
uname -r > /out/_kernel
echo "kernel command line: $(cat /proc/cmdline)"
EFI_GLOBAL=8be4df61-93ca-11d2-aa0d-00e098032b8c
SECUREBOOT=/sys/firmware/efi/efivars/SecureBoot-$EFI_GLOBAL
SETUPMODE=/sys/firmware/efi/efivars/SetupMode-$EFI_GLOBAL
# The number of the entry labelled $1, from the plain list (efibootmgr 17 prints "BootXXXX* label";
# 18 adds a TAB and the device path, cut off here).
entry() { efibootmgr | cut -f1 | sed -n "s/^Boot\([0-9A-F]\{4\}\)[* ] $1\$/\1/p" | head -n 1; }
EOF

# Boot 1: what OVMF made, the disks, the entries.
cat > "$ROOTFS/etc/capture/install.sh" <<'EOF'
. /etc/capture/common.sh

# ------------------------------------------------ what the firmware made by itself
cap efibootmgr ovmf-firmware .txt efibootmgr
cap efibootmgr ovmf-firmware -verbose.txt efibootmgr -v
cap sys-firmware-efi ovmf-firmware -ls.txt /usr/bin/ls /sys/firmware/efi
cap sys-firmware-efi ovmf-firmware -efivars.txt /usr/bin/ls /sys/firmware/efi/efivars
cap sys-firmware-efi ovmf-firmware -fw-platform-size.txt /usr/bin/cat /sys/firmware/efi/fw_platform_size
if [ -e "$SECUREBOOT" ]; then
    cap sys-firmware-efi ovmf-firmware -secureboot.txt /usr/bin/od -An -tx1 "$SECUREBOOT"
    cap sys-firmware-efi ovmf-firmware -setupmode.txt /usr/bin/od -An -tx1 "$SETUPMODE"
else
    echo "no SecureBoot variable (firmware without Secure Boot)"
fi

# ------------------------------------------------ two disks, an ESP on each
ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
LINUX_TYPE=0FC63DAF-8483-4772-8E79-3D69D8477DE4
cat > /tmp/vda.sfdisk <<SFD
label: gpt
label-id: E5A1B0C7-0000-4E5F-9A0B-0000000000DA
first-lba: 2048
start=2048, size=100MiB, type=$ESP_TYPE, uuid=E5A1B0C7-0001-4E5F-9A0B-00000000DA01, name="EFI System Partition"
type=$LINUX_TYPE, uuid=E5A1B0C7-0002-4E5F-9A0B-00000000DA02, name="root"
SFD
cat > /tmp/vdb.sfdisk <<SFD
label: gpt
label-id: E5A1B0C7-0000-4E5F-9A0B-0000000000DB
first-lba: 2048
start=2048, size=64MiB, type=$ESP_TYPE, uuid=E5A1B0C7-0001-4E5F-9A0B-00000000DB01, name="EFI System Partition"
type=$LINUX_TYPE, uuid=E5A1B0C7-0002-4E5F-9A0B-00000000DB02, name="data"
SFD
partition() { # partition <scenario> <disk>: sfdisk from /tmp/<disk>.sfdisk, logged as a here-document
    { echo "sfdisk /dev/$2 <<EOF"; cat "/tmp/$2.sfdisk"; echo "EOF"; } >> "/out/_setup/$1"
    echo "+ sfdisk /dev/$2"
    sfdisk "/dev/$2" < "/tmp/$2.sfdisk" || { echo "FAILED: sfdisk /dev/$2"; exit 1; }
    i=0; while [ ! -b "/dev/${2}2" ] && [ $i -lt 20 ]; do sleep 1; i=$((i + 1)); done
}
partition ovmf-esp vda
partition ovmf-esp2 vdb
run ovmf-esp mkfs.fat -F 32 -i EF1DA001 -n ESP /dev/vda1
head -n 1 /tmp/run.out > /out/_versions/mkfs.fat
run ovmf-esp2 mkfs.fat -F 32 -i EF1DB001 -n ESP2 /dev/vdb1
cap blkid ovmf-esp .export blkid -o export /dev/vda1
cap blkid ovmf-esp2 .export blkid -o export /dev/vdb1

# The kernel and this initramfs onto the ESP (from the payload disk), for the EFI stub entry.
run ovmf-installed mount -t vfat /dev/vda1 /boot/efi
run ovmf-installed mkdir -p /boot/efi/EFI/rear
run ovmf-installed tar -xf /dev/vdc -C /boot/efi/EFI/rear
ls -l /boot/efi/EFI/rear

# ------------------------------------------------ boot entries, as installers make them
# grub-install on Debian with shim; grub alone; bootctl install; the second disk's ESP (a mirrored
# /boot/efi); an EFI stub entry with the kernel command line as UCS-2 optional data.
run ovmf-installed efibootmgr -c -d /dev/vda -p 1 -L debian -l '\EFI\debian\shimx64.efi'
run ovmf-installed efibootmgr -c -d /dev/vda -p 1 -L debian-grub -l '\EFI\debian\grubx64.efi'
run ovmf-installed efibootmgr -c -d /dev/vda -p 1 -L 'Linux Boot Manager' -l '\EFI\systemd\systemd-bootx64.efi'
run ovmf-installed efibootmgr -c -d /dev/vdb -p 1 -L 'debian (disk 2)' -l '\EFI\debian\shimx64.efi'
run ovmf-installed efibootmgr -c -d /dev/vda -p 1 -L 'rear EFI stub' -l '\EFI\rear\vmlinuz.efi' \
    -u 'initrd=\EFI\rear\initrd.gz console=ttyS0 rdinit=/init rear_phase=rebooted panic=1 loglevel=4'
DEBIAN=$(entry debian)
GRUB=$(entry debian-grub)
SDBOOT=$(entry 'Linux Boot Manager')
DISK2=$(entry 'debian (disk 2)')
STUB=$(entry 'rear EFI stub')
echo "entries: debian=$DEBIAN debian-grub=$GRUB systemd-boot=$SDBOOT disk2=$DISK2 stub=$STUB"
for n in "$DEBIAN" "$GRUB" "$SDBOOT" "$DISK2" "$STUB"; do
    [ -n "$n" ] || { echo "FAILED: an entry just created is not in the list"; exit 1; }
done
FIRMWARE_ORDER=$(sed -n 's/^BootOrder: //p' /out/efibootmgr/ovmf-firmware.txt)
# The stub entry stays out of BootOrder: it is booted once, through BootNext.
run ovmf-installed efibootmgr -o "$DEBIAN,$DISK2,$GRUB,$SDBOOT${FIRMWARE_ORDER:+,$FIRMWARE_ORDER}"
run ovmf-installed efibootmgr -b "$GRUB" -A
run ovmf-installed efibootmgr -n "$STUB"
run ovmf-installed efibootmgr -t 3
run ovmf-installed umount /boot/efi
cat /out/_setup/ovmf-esp /out/_setup/ovmf-esp2 /out/_setup/ovmf-installed > /tmp/setup
mv /tmp/setup /out/_setup/ovmf-installed

cap efibootmgr ovmf-installed .txt efibootmgr
cap efibootmgr ovmf-installed -verbose.txt efibootmgr -v
cap efibootmgr ovmf-installed -unicode-verbose.txt efibootmgr -u -v
echo "capture complete"
exit 0
EOF

# Boot 2: booted by the firmware through BootNext.
cat > "$ROOTFS/etc/capture/rebooted.sh" <<'EOF'
. /etc/capture/common.sh
cap efibootmgr ovmf-rebooted .txt efibootmgr
cap efibootmgr ovmf-rebooted -verbose.txt efibootmgr -v
cap efibootmgr ovmf-rebooted -unicode-verbose.txt efibootmgr -u -v
echo "capture complete"
exit 0
EOF

# Boot 3: Secure Boot on, Microsoft keys.
cat > "$ROOTFS/etc/capture/secureboot.sh" <<'EOF'
. /etc/capture/common.sh
cap sys-firmware-efi ovmf-secureboot -efivars.txt /usr/bin/ls /sys/firmware/efi/efivars
cap sys-firmware-efi ovmf-secureboot -secureboot.txt /usr/bin/od -An -tx1 "$SECUREBOOT"
cap sys-firmware-efi ovmf-secureboot -setupmode.txt /usr/bin/od -An -tx1 "$SETUPMODE"
cap efibootmgr ovmf-secureboot -verbose.txt efibootmgr -v
echo "capture complete"
exit 0
EOF

vmcap_pack_initramfs "$WORK/initramfs.gz"
log "initramfs: $(du -h "$WORK/initramfs.gz" | cut -f1), kernel $KVER, ${#VMCAP_MODULES[@]} modules, $OVMF_VERSION"

# The payload disk: a tar of the kernel and the initramfs, which boot 1 unpacks onto the ESP.
mkdir -p "$WORK/payload"
cp "$KERNEL" "$WORK/payload/vmlinuz.efi"
cp "$WORK/initramfs.gz" "$WORK/payload/initrd.gz"
tar -cf "$WORK/payload.img" -C "$WORK/payload" vmlinuz.efi initrd.gz

# ---------------------------------------------------------------- the boots
# boot NAME CODE VARS SECURE DISK_A DISK_B [KERNEL_APPEND]: one qemu run with the disks
# vda=DISK_A vdb=DISK_B vdc=payload vdd=a fresh capture disk; results unpacked in $WORK/raw-NAME.
boot() {
    local name=$1 code=$2 vars=$3 secure=$4 disk_a=$5 disk_b=$6 append=${7:-} machine=q35
    local args=()
    if ((secure)); then
        machine=q35,smm=on
        args+=(-global driver=cfi.pflash01,property=secure,value=on)
    fi
    truncate -s 32M "$WORK/capture-$name.img"
    args+=(-machine "$machine" -cpu max -smp 2 -m 1024
        -drive "if=pflash,format=raw,readonly=on,file=$code"
        -drive "if=pflash,format=raw,file=$vars"
        -device "virtio-net-pci,mac=$NIC_MAC,romfile="
        -drive "file=$disk_a,if=virtio,format=raw,cache=unsafe"
        -drive "file=$disk_b,if=virtio,format=raw,cache=unsafe"
        -drive "file=$WORK/payload.img,if=virtio,format=raw,readonly=on"
        -drive "file=$WORK/capture-$name.img,if=virtio,format=raw,cache=unsafe")
    if [[ -n $append ]]; then
        args+=(-kernel "$KERNEL" -initrd "$WORK/initramfs.gz" -append "$append")
    fi
    log "boot '$name' (TCG), console: $WORK/console-$name.log"
    vmcap_run_qemu "$WORK/console-$name.log" "${args[@]}"
    vmcap_read_results "$WORK/capture-$name.img" "$WORK/raw-$name" "$WORK/console-$name.log"
    ELAPSED[$name]=$VMCAP_ELAPSED
}
declare -A ELAPSED=()
APPEND="console=ttyS0 rdinit=/init panic=1 loglevel=4"

truncate -s 256M "$WORK/vda.img"
truncate -s 128M "$WORK/vdb.img"
cp "$OVMF_VARS" "$WORK/OVMF_VARS.fd"
boot install "$OVMF_CODE" "$WORK/OVMF_VARS.fd" 0 "$WORK/vda.img" "$WORK/vdb.img" "$APPEND rear_phase=install"
boot rebooted "$OVMF_CODE" "$WORK/OVMF_VARS.fd" 0 "$WORK/vda.img" "$WORK/vdb.img"

truncate -s 256M "$WORK/blank-a.img"
truncate -s 128M "$WORK/blank-b.img"
cp "$OVMF_VARS_MS" "$WORK/OVMF_VARS_4M.ms.fd"
boot secureboot "$OVMF_CODE_SECBOOT" "$WORK/OVMF_VARS_4M.ms.fd" 1 "$WORK/blank-a.img" "$WORK/blank-b.img" \
    "$APPEND rear_phase=secureboot"

# The rebooted boot's set-up is boot 1's, then the power cycle.
{
    cat "$WORK/raw-install/_setup/ovmf-installed"
    echo "# power off; qemu started again with the same disks and OVMF_VARS copy, without -kernel"
} > "$WORK/raw-rebooted/_setup/ovmf-rebooted"

# ---------------------------------------------------------------- fixtures
# The lines of each .meta between 'exit-status:' and 'debian:'. The sys-firmware-efi files are
# made by coreutils (ls, cat, od): the version of the command that ran.
vmcap_meta_tool() {
    local tool=$1 scenario=$2 raw=$3 fixture=$4 word=$1 lib libs=""
    if [[ $tool == sys-firmware-efi ]]; then
        word=$(awk '{print $1; exit}' "$raw/$fixture.cmd")
        word=${word##*/}
    fi
    echo "tool-version: $(vmcap_first_line "$raw/_versions/$word")"
    echo "package: $(vmcap_package_of "$word")"
    if [[ $tool == efibootmgr ]]; then
        for lib in libefivar1 libefiboot1; do
            libs="$libs${libs:+, }$lib $(dpkg-query -W -f '${Version}' "$lib" 2>/dev/null || echo unknown)"
        done
        echo "libraries: $libs"
    fi
    if [[ $scenario == ovmf-esp* ]]; then
        echo "created-with: $(vmcap_first_line "$raw/_versions/mkfs.fat") ($(vmcap_package_of mkfs.fat))"
    fi
}
# After 'kernel:': the firmware and how the kernel was started.
vmcap_meta_extra() {
    local raw=$3 machine=q35
    case ${raw##*/raw-} in
        install)
            echo "firmware: $OVMF_VERSION, OVMF_CODE.fd with a copy of OVMF_VARS.fd (fresh at this boot)"
            echo "boot: qemu -kernel/-initrd (OVMF's QEMU kernel loader, not a boot entry)" ;;
        rebooted)
            echo "firmware: $OVMF_VERSION, OVMF_CODE.fd with the OVMF_VARS.fd copy of the install boot"
            echo "boot: by the firmware, BootNext = the 'rear EFI stub' entry (the kernel's EFI stub on the ESP)" ;;
        secureboot)
            machine=q35,smm=on
            echo "firmware: $OVMF_VERSION, OVMF_CODE_4M.secboot.fd with a fresh copy of OVMF_VARS_4M.ms.fd (Microsoft keys, Secure Boot on)"
            echo "boot: qemu -kernel/-initrd (OVMF's QEMU kernel loader, not a boot entry)" ;;
    esac
    echo "machine: $QEMU_VERSION, -machine $machine, virtio disks vda vdb (ESPs) vdc (payload) vdd (capture), virtio-net $NIC_MAC without a network"
}

# Only the vm-* files this script wrote before (by their .meta) are replaced.
vmcap_remove_own_fixtures "$OUT_ROOT"
VMCAP_COUNT=0
for b in install rebooted secureboot; do
    vmcap_write_fixtures "$WORK/raw-$b" "$OUT_ROOT"
done
log "wrote $VMCAP_COUNT fixtures (+ .meta) under $OUT_ROOT; the boots took ${ELAPSED[install]}s, ${ELAPSED[rebooted]}s, ${ELAPSED[secureboot]}s"
