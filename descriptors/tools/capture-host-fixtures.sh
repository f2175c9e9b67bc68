#!/usr/bin/env bash
# capture-host-fixtures.sh - capture real tool output as parser fixtures, on loop devices.
#
# Usage (as root, on a Debian host with loop, ext4, xfs and btrfs in the kernel):
#
#   descriptors/tools/capture-host-fixtures.sh [OUTPUT_DIR]
#
# OUTPUT_DIR defaults to rear-engine/src/test/resources/fixtures of this checkout. Every fixture
# is written as <OUTPUT_DIR>/<tool>/<scenario>.<ext>, exactly as the tool printed it, with a
# <scenario>.meta sidecar: the exact command, the tool's version line, its Debian package, the
# Debian release, the kernel release and the time of capture.
#
# What it builds (all on image files under $REAR_CAPTURE_WORK, default /var/tmp/rear-capture,
# attached with `losetup -f --show`; no other block device is ever written):
#   (a) a 2 GiB GPT image: ESP-typed vfat, ext4, xfs, swap; known disk GUID, PARTUUIDs, UUIDs, labels
#   (b) a 1 GiB DOS image: bootable primary ext3, extended, logical ext4, logical btrfs
#   (c) a 1 GiB btrfs with subvolumes @, @home, @var, @/.snapshots and the snapshot
#       @/.snapshots/1/snapshot, which is made the default subvolume
#   (d) a 1 GiB whole-disk xfs (no partition table) on a loop device with 4096-byte sectors
# and mounts them under $REAR_CAPTURE_WORK/mnt in a private mount namespace (so that nothing stays
# mounted on the host even if this script is killed), activates the swap partition and a swap
# file, builds a throw-away network namespace with a veth pair, static and dynamic addresses and
# routes, captures, and then takes everything down again (trap on EXIT, INT and TERM).
#
# The kernel here has no partition table parsers: tables are written to the image file before it
# is attached, and `partx -a` creates the /dev/loopNpM nodes. The loop device must still be
# attached with --partscan: without it the kernel marks the disk as one that cannot have
# partitions and partx fails with "error adding partitions".
#
# Read-only queries of the machine itself: lsblk, blkid, findmnt, ip, /etc/os-release,
# /proc/cmdline, /etc/resolv.conf.

set -euo pipefail

if [[ -z ${REAR_CAPTURE_IN_NAMESPACE:-} ]]; then
    if [[ $(id -u) -ne 0 ]]; then
        echo "capture-host-fixtures: must run as root (it creates loop devices and mounts)" >&2
        exit 4
    fi
    # A private mount namespace: the mounts below are invisible to the host and vanish with us.
    export REAR_CAPTURE_IN_NAMESPACE=1
    exec unshare --mount --propagation private -- bash "${BASH_SOURCE[0]}" "$@"
fi

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
OUT=${1:-$REPO/rear-engine/src/test/resources/fixtures}
WORK=${REAR_CAPTURE_WORK:-/var/tmp/rear-capture}
MNT=$WORK/mnt

# --- what the script sets (also recorded in fixtures/README.md) -----------------------------------
GPT_DISK_GUID=52454152-0000-4000-8000-000000000000
GPT_P1_UUID=52454152-0000-4000-8000-000000000001
GPT_P2_UUID=52454152-0000-4000-8000-000000000002
GPT_P3_UUID=52454152-0000-4000-8000-000000000003
GPT_P4_UUID=52454152-0000-4000-8000-000000000004
GPT_EMPTY_GUID=52454152-0000-4000-8000-0000000000ee
ESP_VOLUME_ID=52454152            # vfat volume id, shown as 5245-4152
ESP_LABEL=REAR-ESP
EXT4_UUID=52454152-e4e4-4e4e-8e4e-000000000002
EXT4_LABEL=rear-root
XFS_UUID=52454152-5f5f-4f5f-8f5f-000000000003
XFS_LABEL=rear-data
SWAP_UUID=52454152-5a5a-4a5a-8a5a-000000000004
SWAP_LABEL=rear-swap
DOS_DISK_ID=0x52454152
EXT3_UUID=52454152-e3e3-4e3e-8e3e-000000000101
EXT3_LABEL=rear-boot
DOS_EXT4_UUID=52454152-e4e4-4e4e-8e4e-000000000105
DOS_EXT4_LABEL='rear logical'     # a space: escaping in blkid, lsblk and findmnt output
DOS_BTRFS_UUID=52454152-b7b7-4b7b-8b7b-000000000106
DOS_BTRFS_LABEL=rear-dosbtrfs
BTRFS_UUID=52454152-b7f5-4b7f-8b7f-0000000000b0
BTRFS_LABEL=rear-btrfs
WHOLE_XFS_UUID=52454152-5f5f-4f5f-8f5f-0000000000d0
WHOLE_XFS_LABEL=rear-whole
SWAPFILE_UUID=52454152-5a5a-4a5a-8a5a-0000000000f0
SWAPFILE_LABEL=rear-swapfile

# --- state for the cleanup -------------------------------------------------------------------------
LOOPS=()      # loop devices we attached, in order
MOUNTS=()     # mount points we mounted, in order
SWAPS=()      # swap areas we activated
CREATED_WORK=0

log() { printf 'capture-host-fixtures: %s\n' "$*" >&2; }

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    local i
    for ((i = ${#SWAPS[@]} - 1; i >= 0; i--)); do
        swapoff -- "${SWAPS[i]}" || log "could not swapoff ${SWAPS[i]}"
    done
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        umount -- "${MOUNTS[i]}" || umount -l -- "${MOUNTS[i]}" || log "could not unmount ${MOUNTS[i]}"
    done
    for ((i = ${#LOOPS[@]} - 1; i >= 0; i--)); do
        losetup -d "${LOOPS[i]}" || log "could not detach ${LOOPS[i]}"
    done
    if [[ $CREATED_WORK -eq 1 ]]; then
        rm -rf --one-file-system -- "$WORK"
    fi
    if [[ $rc -eq 0 ]]; then log "done; fixtures in $OUT"; else log "FAILED (exit $rc); everything taken down"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null || { log "missing command: $c"; exit 4; }
    done
}
need lsblk sfdisk blkid findmnt partx losetup mkswap swapon swapoff tune2fs mkfs.ext3 mkfs.ext4 \
    mkfs.vfat mkfs.xfs xfs_info mkfs.btrfs btrfs ip unshare truncate fallocate dpkg-query

# A loop device we attached, or one of its partitions; refuse anything else before writing to it.
mine() {
    local dev=$1 l
    for l in "${LOOPS[@]}"; do
        if [[ $dev == "$l" || $dev =~ ^${l}p[0-9]+$ ]]; then return 0; fi
    done
    log "refusing to write to $dev: not a loop device this script attached (${LOOPS[*]})"
    exit 70
}

# attach VAR IMAGE [losetup options...]: attaches IMAGE to a free loop device, remembers it for the
# cleanup and sets VAR to its name. (Not "$(attach ...)": a subshell could not record it.)
attach() {
    local var=$1 img=$2 dev
    shift 2
    dev=$(losetup -f --show "$@" -- "$img")
    [[ $dev =~ ^/dev/loop[0-9]+$ ]] || { log "losetup printed '$dev'"; exit 70; }
    LOOPS+=("$dev")
    printf -v "$var" '%s' "$dev"
}

# partitions DEV COUNT: create the partition nodes of DEV with partx and wait for them.
partitions() {
    local dev=$1 count=$2 n tries
    mine "$dev"
    partx -a "$dev"
    for ((n = 1; n <= count; n++)); do
        for ((tries = 0; tries < 50; tries++)); do
            [[ -b ${dev}p$n ]] && break
            sleep 0.1
        done
    done
}

# The last partition number may be > count (DOS logicals are 5 and 6); wait for a given node.
wait_node() {
    local tries
    for ((tries = 0; tries < 50; tries++)); do
        [[ -b $1 ]] && return 0
        sleep 0.1
    done
    log "$1 did not appear"
    exit 70
}

do_mount() { # do_mount DIR mount-args...
    local dir=$1
    shift
    mkdir -p -- "$dir"
    mount "$@" "$dir"
    MOUNTS+=("$dir")
}

# --- metadata of a capture ---------------------------------------------------------------------------
DEBIAN="$(cat /etc/debian_version) ($(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-unknown}"))"
KERNEL=$(uname -r)

first_line() { printf '%s' "${1%%$'\n'*}"; }

# version_of TOOL: the tool's own version line.
version_of() {
    local out
    case $1 in
        lsblk | sfdisk | blkid | findmnt) out=$("$1" --version 2>&1) ;;
        tune2fs) out="tune2fs from e2fsprogs $(dpkg-query -W -f='${Version}' e2fsprogs) (tune2fs has no version option; its -l output starts with its version)" ;;
        xfs_info) out=$(xfs_info -V 2>&1) ;;
        btrfs) out=$(btrfs --version 2>&1) ;;
        ip) out=$(ip -V 2>&1) ;;
        cat) out=$(cat --version 2>&1) ;;
        *) out="unknown" ;;
    esac
    first_line "$out"
}

# package_of TOOL: the Debian package and version that installed it.
package_of() {
    local p r c o
    p=$(command -v "$1") || { printf 'unknown'; return; }
    r=$(readlink -f "$p")
    for c in "$p" "$r" "${p#/usr}" "${r#/usr}"; do
        if o=$(dpkg-query -S "$c" 2>/dev/null); then
            o=${o%%:*}
            printf '%s %s' "$o" "$(dpkg-query -W -f='${Version}' "$o")"
            return
        fi
    done
    printf 'unknown'
}

# capture TOOL-DIR FILE NOTE -- COMMAND...: run COMMAND, keep its standard output byte for byte.
# Exit status 0 is required, except that blkid's 2 ("nothing found") is kept and recorded.
capture() {
    local dir=$1 file=$2 note=$3
    shift 4 # the "--"
    local path=$OUT/$dir/$file rc=0 tool=$1
    mkdir -p -- "$OUT/$dir"
    "$@" >"$path" || rc=$?
    if [[ $rc -ne 0 && ! ($tool == blkid && $rc -eq 2) ]]; then
        log "command failed with exit $rc: $*"
        exit "$rc"
    fi
    local cmd
    cmd=$(printf '%q ' "$@")
    {
        printf 'command: %s\n' "${cmd% }"
        printf 'exit-status: %s\n' "$rc"
        printf 'tool-version: %s\n' "$(version_of "$tool")"
        printf 'package: %s\n' "$(package_of "$tool")"
        printf 'debian: %s\n' "$DEBIAN"
        printf 'kernel: %s\n' "$KERNEL"
        printf 'captured: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        printf 'captured-by: descriptors/tools/capture-host-fixtures.sh\n'
        printf 'devices: %s\n' "$DEVICES"
        printf 'note: %s\n' "$note"
    } >"$OUT/$dir/${file%.*}.meta"
    log "captured $dir/$file"
}

# --- build ---------------------------------------------------------------------------------------------
if ! mkdir -- "$WORK" 2>/dev/null; then
    log "$WORK exists (an earlier run still there?); remove it or set REAR_CAPTURE_WORK"
    exit 4
fi
CREATED_WORK=1
mkdir -p -- "$OUT" "$MNT"

# (a) GPT, 2 GiB. The table goes into the image file before it is attached.
truncate -s 2G "$WORK/gpt.img"
sfdisk --quiet --no-reread --no-tell-kernel "$WORK/gpt.img" <<EOF
label: gpt
label-id: $GPT_DISK_GUID
unit: sectors
first-lba: 2048

start=2048, size=256MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$GPT_P1_UUID, name="EFI System Partition", attrs="RequiredPartition"
size=800MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=$GPT_P2_UUID, name="rear root", attrs="LegacyBIOSBootable GUID:63"
size=600MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=$GPT_P3_UUID, name="rear data"
type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, uuid=$GPT_P4_UUID, name="rear swap"
EOF
attach GPT "$WORK/gpt.img" --partscan
partitions "$GPT" 4
mine "${GPT}p1" && mkfs.vfat -F 32 -n "$ESP_LABEL" -i "$ESP_VOLUME_ID" "${GPT}p1" >/dev/null
mine "${GPT}p2" && mkfs.ext4 -q -F -L "$EXT4_LABEL" -U "$EXT4_UUID" -i 32768 -I 256 -m 1 "${GPT}p2"
mine "${GPT}p2" && tune2fs -c 25 -i 2w "${GPT}p2" >/dev/null
mine "${GPT}p3" && mkfs.xfs -q -f -L "$XFS_LABEL" -m uuid="$XFS_UUID" "${GPT}p3"
mine "${GPT}p4" && mkswap -L "$SWAP_LABEL" -U "$SWAP_UUID" "${GPT}p4" >/dev/null

# (b) DOS, 1 GiB: primary (bootable), extended, two logicals.
truncate -s 1G "$WORK/dos.img"
sfdisk --quiet --no-reread --no-tell-kernel "$WORK/dos.img" <<EOF
label: dos
label-id: $DOS_DISK_ID
unit: sectors

start=2048, size=256MiB, type=83, bootable
type=5
size=300MiB, type=83
type=83
EOF
attach DOS "$WORK/dos.img" --partscan
partitions "$DOS" 2
wait_node "${DOS}p5"
wait_node "${DOS}p6"
mine "${DOS}p1" && mkfs.ext3 -q -F -b 1024 -L "$EXT3_LABEL" -U "$EXT3_UUID" "${DOS}p1"
mine "${DOS}p5" && mkfs.ext4 -q -F -L "$DOS_EXT4_LABEL" -U "$DOS_EXT4_UUID" "${DOS}p5"
mine "${DOS}p6" && mkfs.btrfs -q -f -L "$DOS_BTRFS_LABEL" -U "$DOS_BTRFS_UUID" "${DOS}p6" >/dev/null

# (c) btrfs with subvolumes, 1 GiB, no partition table.
truncate -s 1G "$WORK/btrfs.img"
attach BTR "$WORK/btrfs.img"
mine "$BTR" && mkfs.btrfs -q -f -L "$BTRFS_LABEL" -U "$BTRFS_UUID" -d single -m dup "$BTR" >/dev/null

# (d) whole-disk xfs with a stripe geometry, on a loop device with 4096-byte logical sectors.
truncate -s 1G "$WORK/whole-xfs.img"
attach XFSD "$WORK/whole-xfs.img" --sector-size 4096
mine "$XFSD" && mkfs.xfs -q -f -L "$WHOLE_XFS_LABEL" -m uuid="$WHOLE_XFS_UUID" -d su=64k,sw=4 "$XFSD"

DEVICES="gpt=$GPT dos=$DOS btrfs=$BTR whole-xfs=$XFSD"
log "devices: $DEVICES"

# --- mount, subvolumes, swap ------------------------------------------------------------------------
do_mount "$MNT/gpt-root" -t ext4 "${GPT}p2"
do_mount "$MNT/gpt-data" -t xfs "${GPT}p3"
do_mount "$MNT/dos logical" -t ext4 "${DOS}p5"
do_mount "$MNT/whole-xfs" -t xfs "$XFSD"
do_mount "$MNT/btrfs-top" -t btrfs -o subvolid=5 "$BTR"

T=$MNT/btrfs-top
capture btrfs host-get-default-initial.txt "before set-default: the top level (5) is the default" \
    -- btrfs subvolume get-default "$T"
btrfs subvolume create "$T/@" >/dev/null
btrfs subvolume create "$T/@home" >/dev/null
btrfs subvolume create "$T/@var" >/dev/null
btrfs subvolume create "$T/@/.snapshots" >/dev/null
mkdir -p "$T/@/.snapshots/1" "$T/@/etc" "$T/@home/user"
printf 'rear fixture\n' >"$T/@/etc/hostname"
head -c 4M /dev/urandom >"$T/@home/user/data.bin"
btrfs subvolume snapshot "$T/@" "$T/@/.snapshots/1/snapshot" >/dev/null
SNAP_ID=$(btrfs inspect-internal rootid "$T/@/.snapshots/1/snapshot")
btrfs subvolume set-default "$SNAP_ID" "$T"
sync
do_mount "$MNT/btrfs-home" -t btrfs -o subvol=@home "$BTR"
do_mount "$MNT/btrfs-default" -t btrfs "$BTR"

# A swap file whose path has a space ("dos logical"): /proc/swaps escapes it as \040.
SWAPFILE="$MNT/dos logical/swap file"
fallocate -l 64M "$SWAPFILE"
chmod 600 "$SWAPFILE"
mkswap -L "$SWAPFILE_LABEL" -U "$SWAPFILE_UUID" "$SWAPFILE" >/dev/null
swapon -p 5 "${GPT}p4"
SWAPS+=("${GPT}p4")
swapon "$SWAPFILE"
SWAPS+=("$SWAPFILE")

# --- capture: block devices --------------------------------------------------------------------------
capture lsblk host-loops.json "the four loop devices of this script, with their partitions; no udev on this host" \
    -- lsblk -J -b -O "$GPT" "$DOS" "$BTR" "$XFSD"
capture lsblk host-machine.json "the whole machine while the loop devices are attached and mounted; no udev on this host" \
    -- lsblk -J -b -O
capture lsblk host-vda.json "the VM's own disk: a whole-disk ext4, no partition table; no udev on this host" \
    -- lsblk -J -b -O /dev/vda

capture sfdisk host-gpt.json "GPT image (a)" -- sfdisk -J "$GPT"
capture sfdisk host-dos.json "DOS image (b)" -- sfdisk -J "$DOS"
# An empty GPT, read from an image file: sfdisk then leaves out "partitions" altogether.
truncate -s 100M "$WORK/empty-gpt.img"
printf 'label: gpt\nlabel-id: %s\n' "$GPT_EMPTY_GUID" | sfdisk --quiet "$WORK/empty-gpt.img"
capture sfdisk host-empty-gpt.json "a GPT without partitions, on an image file (not a block device)" \
    -- sfdisk -J "$WORK/empty-gpt.img"

blkid_pair() { # blkid_pair SCENARIO DEVICE NOTE
    capture blkid "host-$1.export" "$3" -- blkid -o export "$2"
    capture blkid "host-$1-probe.export" "$3 (low-level probe)" -- blkid -p -o export "$2"
}
blkid_pair gpt-esp "${GPT}p1" "GPT p1: ESP type, vfat"
blkid_pair gpt-root "${GPT}p2" "GPT p2: ext4"
blkid_pair gpt-data "${GPT}p3" "GPT p3: xfs"
blkid_pair gpt-swap "${GPT}p4" "GPT p4: swap, active"
blkid_pair gpt-disk "$GPT" "GPT image, the whole disk"
blkid_pair dos-boot "${DOS}p1" "DOS p1: primary, bootable, ext3 with 1 KiB blocks"
blkid_pair dos-extended "${DOS}p2" "DOS p2: the extended partition"
blkid_pair dos-logical-ext4 "${DOS}p5" "DOS p5: logical, ext4, label with a space"
blkid_pair dos-logical-btrfs "${DOS}p6" "DOS p6: logical, btrfs"
blkid_pair btrfs "$BTR" "btrfs with subvolumes, whole loop device"
blkid_pair whole-xfs "$XFSD" "whole-disk xfs, 4096-byte sectors"
blkid_pair swapfile "$SWAPFILE" "a swap file (not a block device), active"
capture blkid host-all.export "every device of this script in one call: entries separated by blank lines" \
    -- blkid -o export "$GPT" "${GPT}p1" "${GPT}p2" "${GPT}p3" "${GPT}p4" "$DOS" "${DOS}p1" "${DOS}p2" \
    "${DOS}p5" "${DOS}p6" "$BTR" "$XFSD"
# The VM's own disk, read-only. Where the sandbox refuses to open /dev/vda (EPERM), blkid prints
# nothing and still exits 0 (blkid -p says "Operation not permitted" and exits 2): kept as it is,
# the case of "empty output is not an answer".
capture blkid host-vda.export "the VM's own disk (read-only query)" -- blkid -o export /dev/vda

# --- capture: mounts, swap ---------------------------------------------------------------------------
capture findmnt host-tree.json "real file systems as a tree (this script's private mount namespace: the host's plus ours)" \
    -- findmnt -J -b --real
capture findmnt host-real-list.json "real file systems only, as a list, with FSROOT, UUID and LABEL" \
    -- findmnt -J -b --real -l -o TARGET,SOURCE,FSTYPE,OPTIONS,FSROOT,MAJ:MIN,UUID,LABEL
capture proc-swaps host.txt "swap partition (swapon -p 5) and a swap file in a directory with a space (priority chosen by the kernel)" \
    -- cat /proc/swaps

# --- capture: file system details ---------------------------------------------------------------------
capture tune2fs host-gpt-root-ext4.txt "ext4, -i 32768 -I 256 -m 1, then tune2fs -c 25 -i 2w" -- tune2fs -l "${GPT}p2"
capture tune2fs host-dos-boot-ext3.txt "ext3 with 1 KiB blocks" -- tune2fs -l "${DOS}p1"
capture tune2fs host-dos-logical-ext4.txt "ext4 with mke2fs defaults, label with a space" -- tune2fs -l "${DOS}p5"
capture xfs_info host-gpt-data.txt "xfs with mkfs.xfs defaults, mounted" -- xfs_info "$MNT/gpt-data"
capture xfs_info host-whole-disk-4k.txt "whole-disk xfs, 4096-byte sectors, su=64k,sw=4, mounted" -- xfs_info "$MNT/whole-xfs"

capture btrfs host-get-default.txt "after set-default to @/.snapshots/1/snapshot" -- btrfs subvolume get-default "$T"
capture btrfs host-subvolume-list.txt "listed from the top-level mount (subvolid=5)" -- btrfs subvolume list -p "$T"
capture btrfs host-subvolume-list-all.txt "listed with -a from the @home mount" \
    -- btrfs subvolume list -a -p "$MNT/btrfs-home"
capture btrfs host-subvolume-list-uuids.txt "with generation, parent, uuids and otime" \
    -- btrfs subvolume list -p -c -u -q -R "$T"
capture btrfs host-subvolume-list-only-below.txt "-o: only the subvolumes below the path, from the default mount" \
    -- btrfs subvolume list -o "$T/@"
capture btrfs host-dump-super.txt "superblock of the subvolume file system (header part, no -f)" \
    -- btrfs inspect-internal dump-super "$BTR"
capture btrfs host-dump-super-dos.txt "superblock of the btrfs on DOS p6 (mkfs.btrfs defaults, not mounted)" \
    -- btrfs inspect-internal dump-super "${DOS}p6"
capture btrfs host-filesystem-df.txt "human units" -- btrfs filesystem df "$T"
capture btrfs host-filesystem-df-bytes.txt "-b: bytes" -- btrfs filesystem df -b "$T"
capture btrfs host-filesystem-show.txt "every btrfs the kernel knows, two here" -- btrfs filesystem show
capture btrfs host-filesystem-show-raw.txt "one file system, --raw bytes" -- btrfs filesystem show --raw "$T"

# --- capture: network -------------------------------------------------------------------------------
capture ip host-addr.json "this VM: loopback, two ifb, eth0 (static)" -- ip -j addr
capture ip host-route.json "this VM" -- ip -j route
capture ip host-route6.json "this VM" -- ip -6 -j route

# A throw-away network namespace: a veth pair with fixed MACs and MTU 9000, a static and a dynamic
# (finite lifetime: what a DHCP client sets) IPv4 address, IPv6 addresses, gateway routes with
# metrics. It disappears with the unshare process; the host's network is not touched.
NETNS_SETUP='ip link set lo up
ip link add v0 address 02:00:00:00:00:10 mtu 9000 type veth peer name v1 address 02:00:00:00:00:11 mtu 9000
ip link set v0 up
ip link set v1 up
ip addr add 192.168.77.10/24 dev v0
ip addr add 192.168.77.20/24 dev v0 valid_lft 3600 preferred_lft 1800
ip -6 addr add fd00:77::10/64 dev v0 nodad
ip -6 addr add fd00:77::20/64 dev v0 nodad valid_lft 7200 preferred_lft 3600
ip route add default via 192.168.77.1 dev v0 proto dhcp metric 100
ip route add 10.20.0.0/16 via 192.168.77.254 dev v0 metric 200
ip -6 route add default via fd00:77::1 dev v0 metric 1024'
NETNS_NOTE="in a new network namespace (unshare --net) set up by: ${NETNS_SETUP//$'\n'/; }"
export OUT DEVICES DEBIAN KERNEL NETNS_NOTE
unshare --net -- bash -euo pipefail -c "$(declare -f log first_line version_of package_of capture)
$NETNS_SETUP
capture ip netns-addr.json \"\$NETNS_NOTE\" -- ip -j addr
capture ip netns-route.json \"\$NETNS_NOTE\" -- ip -j route
capture ip netns-route6.json \"\$NETNS_NOTE\" -- ip -6 -j route"

# --- capture: files -----------------------------------------------------------------------------------
capture os-release host.txt "this VM" -- cat /etc/os-release
# /proc/cmdline is read by discovery as it is; this sandbox's own is not kept as a fixture.
capture resolv-conf host.txt "this VM" -- cat /etc/resolv.conf

# efibootmgr -v: not captured; this VM boots by BIOS (no /sys/firmware/efi) and has no efibootmgr.
