#!/bin/sh
# Makes the marker corpus listed in CONF (default /usr/local/share/rear-e2e/markers.conf) with the
# system's own tools (setfacl, setfattr, setcap). Run once, as root, in the installed source.
set -eu
conf=${1:-/usr/local/share/rear-e2e/markers.conf}
grep -v '^[[:space:]]*\(#\|$\)' "$conf" | while read -r kind path expected how; do
    mkdir -p "$(dirname "$path")"
    rm -f "$path"
    case $kind in
        content) sh -c "$how" > "$path" ;;
        sparse)
            size=${how%% *}; rest=${how#* }; offset=${rest%% *}; text=${rest#* }
            truncate -s "$size" "$path"
            printf '%s' "$text" | dd of="$path" bs=1 seek="$offset" conv=notrunc status=none ;;
        acl) echo "rear-e2e acl marker" > "$path"; setfacl -m "$expected" "$path" ;;
        xattr) echo "rear-e2e xattr marker" > "$path"; setfattr -n "${expected%%=*}" -v "${expected#*=}" "$path" ;;
        cap) cp /usr/bin/true "$path"; setcap "$(echo "$expected" | sed 's/=/+/')" "$path" ;;
        hardlink) rm -f "$expected"; echo "rear-e2e hardlink marker" > "$path"; ln "$path" "$expected" ;;
        setuid) cp /usr/bin/true "$path"; chown root:root "$path"; chmod "$expected" "$path" ;;
        symlink) ln -s "$expected" "$path" ;;
        fifo) mkfifo "$path" ;;
        *) echo "make-markers: unknown kind '$kind' in $conf" >&2; exit 2 ;;
    esac
done
