#!/usr/bin/env bash
# Wall time of `rear savelayout` and `rear checklayout`, JVM start included, on a layout prepared
# on loop devices (GPT: ext4 + xfs + swap; DOS: ext4 + btrfs with subvolumes; a whole-disk xfs),
# compared with the time the tools themselves take when run one after the other as a shell would.
#
#   sudo bench/layout.sh [RUNS]        (default 10 runs each; needs a built tree: mvn -DskipTests package)
#
# Prints one table: median and best wall time per command. Target: checklayout under 1 s.
set -euo pipefail
runs=${1:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
rear="$here/bin/rear"
[ "$(id -u)" = 0 ] || { echo "bench/layout.sh: needs root (loop devices, mkfs, mount)" >&2; exit 4; }
for t in losetup sfdisk partx mkfs.ext4 mkfs.xfs mkfs.btrfs mkswap; do
    command -v "$t" >/dev/null || { echo "bench/layout.sh: $t is not installed" >&2; exit 4; }
done
work=$(mktemp -d /var/tmp/rear-bench.XXXXXX)
loops=()
cleanup() {
    set +e
    swapoff "${loops[0]:-none}p3" 2>/dev/null
    for m in $(awk -v w="$work" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
    for l in "${loops[@]}"; do partx -d "$l" 2>/dev/null; losetup -d "$l"; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

attach() { truncate -s "$2" "$work/$1.img"; losetup -f --show --partscan "$work/$1.img"; }
gpt=$(attach gpt 1G); loops+=("$gpt")
printf 'label: gpt\nsize=384MiB\nsize=384MiB\ntype=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F\n' | sfdisk --quiet "$gpt"; partx -a "$gpt"
dos=$(attach dos 512M); loops+=("$dos")
printf 'label: dos\nsize=128MiB\ntype=5\nsize=256MiB\n' | sfdisk --quiet "$dos"; partx -a "$dos"
whole=$(attach whole 320M); loops+=("$whole")
mkfs.ext4 -q -F "${gpt}p1"; mkfs.xfs -q -f "${gpt}p2"; mkswap -q "${gpt}p3" >/dev/null
mkfs.ext4 -q -F "${dos}p1"; mkfs.btrfs -q -f "${dos}p5"; mkfs.xfs -q -f "$whole"
mkdir -p "$work/mnt"; mount "${gpt}p1" "$work/mnt"
mkdir -p "$work/mnt/srv" "$work/mnt/boot" "$work/mnt/data" "$work/top"
mount "${gpt}p2" "$work/mnt/srv"; mount "${dos}p1" "$work/mnt/boot"; mount "$whole" "$work/mnt/data"
mount "${dos}p5" "$work/top"; btrfs -q subvolume create "$work/top/@home" >/dev/null; btrfs -q subvolume create "$work/top/@var" >/dev/null
mkdir -p "$work/mnt/home"; mount -o subvol=@home "${dos}p5" "$work/mnt/home"
swapon "${gpt}p3"

layout="$work/layout"
"$rear" savelayout --include-loop --layout-dir "$layout" >/dev/null 2>&1 || { echo "bench/layout.sh: rear savelayout failed:" >&2; "$rear" savelayout --include-loop --layout-dir "$layout"; exit 1; }

# The tools a savelayout needs, one after the other, as a shell script would run them: the floor.
tools_once() {
    lsblk -J -b -O >/dev/null; blkid -c /dev/null -o export >/dev/null || true
    findmnt -J -b --real -l -o TARGET,SOURCE,FSTYPE,OPTIONS,FSROOT >/dev/null; cat /proc/swaps >/dev/null
    for l in "${loops[@]}"; do sfdisk -J "$l" >/dev/null 2>&1 || true; done
    tune2fs -l "${gpt}p1" >/dev/null; tune2fs -l "${dos}p1" >/dev/null
    xfs_info "$work/mnt/srv" >/dev/null; xfs_info "$work/mnt/data" >/dev/null
    btrfs inspect-internal dump-super "${dos}p5" >/dev/null; btrfs subvolume list -a -p "$work/top" >/dev/null
    btrfs subvolume get-default "$work/top" >/dev/null; btrfs filesystem df -b "$work/top" >/dev/null
    ip -j addr >/dev/null; ip -j route >/dev/null; ip -6 -j route >/dev/null
}

time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
stats() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%8d %8d", m, a[1]}'; }

echo "rear layout benchmark: $runs runs each, $(nproc) cores, $(java -version 2>&1 | sed -n 1p)"
printf '%-34s %8s %8s\n' "command" "median" "best"
printf '%-34s %8s %8s\n' "" "ms" "ms"
for name in "tools alone (shell, sequential)" "rear savelayout" "rear checklayout"; do
    case "$name" in
        tools*) cmd=(tools_once) ;;
        "rear savelayout") cmd=("$rear" savelayout --include-loop --layout-dir "$layout") ;;
        "rear checklayout") cmd=("$rear" checklayout --include-loop --layout-dir "$layout") ;;
    esac
    for _ in $(seq "$runs"); do time_ms "${cmd[@]}"; done | { printf '%-34s ' "$name"; stats; echo; }
done
"$rear" checklayout --include-loop --layout-dir "$layout" >/dev/null 2>&1 && echo "checklayout verdict: unchanged (exit 0), as it must be" \
    || echo "checklayout verdict: CHANGED right after savelayout: a bug"
