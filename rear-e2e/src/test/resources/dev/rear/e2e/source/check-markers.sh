#!/bin/sh
# Verifies the marker corpus listed in CONF (default /usr/local/share/rear-e2e/markers.conf):
# one line "MARKER OK|FAIL KIND PATH [why]" per item, then "MARKERS: VERDICT OK n/n" or
# "MARKERS: VERDICT FAIL k of n failed". Exit 0 only when every item is as listed.
conf=${1:-/usr/local/share/rear-e2e/markers.conf}
if [ ! -r "$conf" ]; then
    echo "MARKERS: VERDICT FAIL cannot read $conf"
    exit 2
fi
n=0 failed=0
report() { # STATUS KIND PATH WHY
    n=$((n + 1))
    if [ "$1" = OK ]; then echo "MARKER OK $2 $3"; else failed=$((failed + 1)); echo "MARKER FAIL $2 $3: $4"; fi
}
items=$(grep -v '^[[:space:]]*\(#\|$\)' "$conf")
old_ifs=$IFS
IFS='
'
for line in $items; do
    IFS=$old_ifs
    set -f; set -- $line; set +f
    kind=$1 path=$2 expected=${3:-}
    shift 3 2>/dev/null || shift $#
    how="$*"
    why=""
    if [ "$kind" != symlink ] && [ "$kind" != fifo ] && [ ! -f "$path" ]; then
        why="missing (or not a regular file)"
    else
        case $kind in
            content)
                got=$(sha256sum < "$path" | cut -d' ' -f1)
                [ "$got" = "$expected" ] || why="sha256 $got, expected $expected" ;;
            sparse)
                size=$1
                got=$(sha256sum < "$path" | cut -d' ' -f1)
                set -- $(stat -c '%s %b %B' "$path")
                alloc=$(($2 * $3))
                if [ "$got" != "$expected" ]; then why="sha256 $got, expected $expected"
                elif [ "$1" != "$size" ]; then why="size $1, expected $size"
                elif [ "$alloc" -gt 1048576 ]; then why="not sparse: $alloc bytes allocated for $1"
                fi ;;
            acl)
                getfacl -c --absolute-names "$path" 2>/dev/null | grep -qx "$expected" \
                    || why="ACL has no $expected: $(getfacl -c --absolute-names "$path" 2>&1 | tr '\n' ' ')" ;;
            xattr)
                got=$(getfattr --absolute-names --only-values -n "${expected%%=*}" "$path" 2>&1)
                [ "$got" = "${expected#*=}" ] || why="${expected%%=*} is '$got', expected '${expected#*=}'" ;;
            cap)
                got=$(getcap "$path" 2>&1)
                [ "$got" = "$path $expected" ] || why="getcap says '$got', expected '$expected'" ;;
            hardlink)
                a=$(stat -c '%i %h' "$path" 2>&1) b=$(stat -c '%i %h' "$expected" 2>&1)
                [ "$a" = "$b" ] && [ "${a#* }" = 2 ] || why="inode/links $a and $b ($expected), expected one inode with 2 links" ;;
            setuid)
                got=$(stat -c '%a %U' "$path")
                [ "$got" = "$expected root" ] || why="mode/owner $got, expected $expected root" ;;
            symlink)
                got=$(readlink "$path")
                [ -L "$path" ] && [ "$got" = "$expected" ] || why="not a symlink to $expected (readlink: '$got')" ;;
            fifo)
                [ -p "$path" ] || why="not a fifo" ;;
            *) why="unknown kind" ;;
        esac
    fi
    if [ -z "$why" ]; then report OK "$kind" "$path"; else report FAIL "$kind" "$path" "$why"; fi
done
IFS=$old_ifs
if [ "$n" -eq 0 ]; then
    echo "MARKERS: VERDICT FAIL no items in $conf"
    exit 2
elif [ "$failed" -eq 0 ]; then
    echo "MARKERS: VERDICT OK $n/$n"
else
    echo "MARKERS: VERDICT FAIL $failed of $n failed"
    exit 1
fi
