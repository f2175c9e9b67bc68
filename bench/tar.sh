#!/usr/bin/env bash
# rear's tar provider against GNU tar, one run each on the same generated tree of about 2 GB
# (60,000 small files, 1,500 medium ones, four large ones, four sparse 1 GiB files with 32 MiB of
# data each; text-like, machine-code-like and incompressible content; see TarBench.java):
#
#   backup   rear (zstd, default level 3, one worker per CPU)
#            tar -cpf - | gzip                     (ReaR's default BACKUP_PROG_COMPRESS_OPTIONS=--gzip)
#            tar -I 'zstd -T0' -cpf                (GNU tar with multi-threaded zstd, level 3)
#   restore  rear's restore of its archive, tar -xzpf of the gzip archive, tar -I zstd -xpf of the zstd one
#
#   sudo bench/tar.sh [WORKDIR]     (WORKDIR default: a new directory in /var/tmp, removed afterwards;
#                                    needs about 13 GB free there; builds providers-tar offline first)
#
# GNU tar gets ReaR's options (--sparse --one-file-system --xattrs --xattrs-include=security.capability
# --xattrs-include=security.selinux --acls); rear keeps all xattrs, ACLs and hashes every file for its
# manifest. The page cache is dropped before every run when root can (echo 3 > /proc/sys/vm/drop_caches);
# the JVM's start is included in rear's times. MB = 10^6 bytes of file data (the tree's data bytes,
# holes not counted), the same for every row, so MB/s ratios are time ratios.
#
# rear runs here with -XX:+UseSerialGC as bin/rear does, but NOT with bin/rear's -XX:TieredStopAtLevel=1:
# C1 alone has no SHA-256 intrinsic, which makes hashing about 20x slower (measured 20-29 s per GiB against
# 1.1-1.3 s with C2 on this machine), so a backup launched through bin/rear with that flag would be far
# slower than the figures here.
#
# Targets on a 2-CPU machine: rear backup >= 2x tar|gzip and not slower than tar --zstd -T0 at no
# larger size; rear restore not slower than tar -x.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
for t in tar gzip zstd java mvn; do
    command -v "$t" >/dev/null || { echo "bench/tar.sh: $t is not installed" >&2; exit 4; }
done

echo "building providers-tar (offline) ..." >&2
cp_line=$(cd "$here" && mvn -B -o -q -pl providers-tar -am test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec \
    -Dexec.executable=echo -Dexec.classpathScope=test "-Dexec.args=CP=%classpath" | grep '^CP=.*providers-tar/target/test-classes' | tail -1)
[ -n "$cp_line" ] || { echo "bench/tar.sh: could not build providers-tar or get its test class path" >&2; exit 4; }
cp=${cp_line#CP=}
bench() { java -XX:+UseSerialGC -cp "$cp" dev.rear.provider.tar.TarBench "$@"; } # as bin/rear, but with C2 (see below)

if [ $# -ge 1 ]; then
    work=$1; mkdir -p "$work"; keep=yes
else
    work=$(mktemp -d /var/tmp/rear-bench-tar.XXXXXX); keep=no
fi
cleanup() { [ "$keep" = yes ] || rm -rf "$work"; }
trap cleanup EXIT INT TERM

if [ -w /proc/sys/vm/drop_caches ]; then
    drop_note="page cache dropped before each run"
    drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
else
    drop_note="page cache NOT dropped (not root: /proc/sys/vm/drop_caches is not writable), so reads may come from memory"
    drop() { sync; }
fi

tar_opts=(--sparse --one-file-system --xattrs --xattrs-include=security.capability --xattrs-include=security.selinux --acls)
src=$work/src
if [ -f "$work/src.done" ]; then
    gen=$(cat "$work/src.done") # a kept WORKDIR: the same tree again
else
    echo "generating the tree in $src ..." >&2
    rm -rf "$src"
    gen=$(bench generate "$src")
    echo "$gen" > "$work/src.done"
fi
data_bytes=$(awk '{print $2}' <<<"$gen")
entries=$(awk '{print $4}' <<<"$gen")

declare -A secs size
timed() { # name command...
    local name=$1; shift
    drop
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >"$work/$name.out" 2>&1 || { echo "bench/tar.sh: $name failed:" >&2; cat "$work/$name.out" >&2; exit 1; }
    t1=$(date +%s.%N)
    secs[$name]=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
    echo "  $name: ${secs[$name]} s" >&2
}
count() { find "$1" -mindepth 1 | wc -l; }

echo "backups ..." >&2
rm -rf "$work/rear" "$work/gnu.tar.gz" "$work/gnu.tar.zst" "$work"/r-*
timed rear-backup bench backup "$src" "$work/rear"
size[rear-backup]=$(stat -c %s "$work/rear/bench/backup.tar.zst")
timed tar-gzip bash -c 'cd "$1" && tar "${@:3}" -cpf - . | gzip > "$2"' _ "$src" "$work/gnu.tar.gz" "${tar_opts[@]}"
size[tar-gzip]=$(stat -c %s "$work/gnu.tar.gz")
timed tar-zstd bash -c 'cd "$1" && tar "${@:3}" -I "zstd -T0" -cpf "$2" .' _ "$src" "$work/gnu.tar.zst" "${tar_opts[@]}"
size[tar-zstd]=$(stat -c %s "$work/gnu.tar.zst")

echo "restores ..." >&2
want=$(count "$src")
restore_check() {
    local got; got=$(count "$1")
    [ "$got" = "$want" ] || { echo "bench/tar.sh: $2 restored $got entries, the tree has $want" >&2; exit 1; }
}
# each restore into a new directory, all removed only at the end: creating files where many were just
# deleted is several times slower on ext4, which would favour whichever run came first
mkdir -p "$work/r-rear" "$work/r-gzip" "$work/r-zstd"
timed rear-restore bench restore "$work/rear" "$work/r-rear"
restore_check "$work/r-rear" rear-restore
timed tar-x-gzip tar --xattrs --xattrs-include='*' --acls -xzpf "$work/gnu.tar.gz" -C "$work/r-gzip"
restore_check "$work/r-gzip" tar-x-gzip
timed tar-x-zstd tar --xattrs --xattrs-include='*' --acls -I 'zstd -T0' -xpf "$work/gnu.tar.zst" -C "$work/r-zstd"
restore_check "$work/r-zstd" tar-x-zstd
rm -rf "$work/r-rear" "$work/r-gzip" "$work/r-zstd"

mbs() { awk -v b="$data_bytes" -v s="$1" 'BEGIN{printf "%.1f", b/1e6/s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", b/a}'; }
echo
echo "rear tar provider vs GNU tar — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tree: $entries entries, $(awk -v b="$data_bytes" 'BEGIN{printf "%.0f", b/1e6}') MB of file data; $drop_note"
echo
printf '%-34s %8s %9s %12s %10s\n' "run" "seconds" "MB/s" "archive MB" "of data"
row() { printf '%-34s %8s %9s %12s %10s\n' "$1" "${secs[$2]}" "$(mbs "${secs[$2]}")" "${3:-}" "${4:-}"; }
for r in rear-backup tar-gzip tar-zstd; do
    label=$r; [ $r = rear-backup ] && label="rear backup (zstd -3, $(nproc) workers)"
    [ $r = tar-gzip ] && label="tar -cpf - | gzip"; [ $r = tar-zstd ] && label="tar -I 'zstd -T0' -cpf"
    row "$label" "$r" "$(awk -v s="${size[$r]}" 'BEGIN{printf "%.1f", s/1e6}')" "$(awk -v s="${size[$r]}" -v b="$data_bytes" 'BEGIN{printf "%.1f%%", 100*s/b}')"
done
row "rear restore" rear-restore
row "tar -xzpf (gzip archive)" tar-x-gzip
row "tar -I zstd -xpf (zstd archive)" tar-x-zstd
echo
echo "backup:  rear is $(ratio "${secs[rear-backup]}" "${secs[tar-gzip]}") as fast as tar|gzip (target >= 2x), $(ratio "${secs[rear-backup]}" "${secs[tar-zstd]}") as fast as tar --zstd -T0 (target >= 1x);" \
     "archive $(ratio "${size[tar-zstd]}" "${size[rear-backup]}") the size of tar --zstd's (target <= 1x)"
echo "restore: rear is $(ratio "${secs[rear-restore]}" "${secs[tar-x-zstd]}") as fast as tar -x of the zstd archive, $(ratio "${secs[rear-restore]}" "${secs[tar-x-gzip]}") as fast as tar -x of the gzip archive (target >= 1x)"
