# vm-capture-lib.sh - the parts capture-vm-fixtures.sh and capture-efi-fixtures.sh share:
# pick Debian's kernel, build a throwaway initramfs (busybox-static, host binaries with their
# shared libraries, a closure of kernel modules from modules.dep), boot it in qemu under TCG with
# a time limit, read the tar the VM wrote onto its capture disk, and write the outputs as
# fixtures with .meta sidecars.
#
# Sourced, not run. Before sourcing, the caller sets
#   VMCAP_NAME    prefix of log and error lines (capture-vm-fixtures)
#   VMCAP_SCRIPT  the script as named in the 'captured-by:' line of every .meta
# and, before vmcap_write_fixtures, defines
#   vmcap_meta_tool TOOL SCENARIO RAW FIXTURE   prints the 'tool-version:' and 'package:' lines
#                        (and any other line that belongs before 'debian:'); FIXTURE is the
#                        captured file relative to RAW (<tool>/<scenario><suffix>)
# and optionally
#   vmcap_meta_extra TOOL SCENARIO RAW FIXTURE  prints lines after 'kernel:' (firmware, boot path)
#
# Inside the VM, /etc/capture/lib.sh (vmcap_install_guest_lib) gives the capture script
# 'run' (a logged set-up command), 'cap' (one captured command) and 'version'.

QEMU=${QEMU:-qemu-system-x86_64}
CAPTURE_TIMEOUT=${CAPTURE_TIMEOUT:-900}
KEEP_WORK=${KEEP_WORK:-0}
WORK=""
ROOTFS=""
QEMU_PID=""
declare -A TOOL_PATH=()
declare -A VMCAP_LIBS=()
VMCAP_MODULES=()

die() { echo "$VMCAP_NAME: $*" >&2; exit 1; }
log() { echo "$VMCAP_NAME: $*" >&2; }

# ---------------------------------------------------------------- host prerequisites

# Sets KVER (default: the newest release with both /boot/vmlinuz-* and /lib/modules/*),
# KERNEL, MODDIR and KPKG_VERSION.
vmcap_pick_kernel() {
    if [[ -z ${KVER:-} ]]; then
        KVER=$(for d in /lib/modules/*/; do
                   d=${d%/}; d=${d##*/}
                   if [[ -e /boot/vmlinuz-$d ]]; then echo "$d"; fi
               done | sort -V | tail -n 1)
    fi
    [[ -n ${KVER:-} ]] || die "no kernel with both /boot/vmlinuz-* and /lib/modules/*: install linux-image-amd64"
    KERNEL=/boot/vmlinuz-$KVER
    MODDIR=/lib/modules/$KVER
    [[ -r $KERNEL && -r $MODDIR/modules.dep ]] || die "missing $KERNEL or $MODDIR/modules.dep"
    KPKG_VERSION=$(dpkg-query -W -f '${Version}' "linux-image-$KVER" 2>/dev/null || echo unknown)
}

# Sets BUSYBOX; checks qemu and the archivers.
vmcap_check_host() {
    BUSYBOX=$(command -v busybox || true)
    [[ -n $BUSYBOX ]] || die "busybox not found: install busybox-static"
    if ldd "$BUSYBOX" >/dev/null 2>&1; then
        die "$BUSYBOX is dynamically linked: install busybox-static"
    fi
    command -v "$QEMU" >/dev/null || die "$QEMU not found: install qemu-system-x86"
    local t
    for t in cpio gzip tar timeout ldd; do command -v "$t" >/dev/null || die "$t not found"; done
    DEBIAN_RELEASE="$(cat /etc/debian_version 2>/dev/null || echo unknown)"
    if [[ -r /etc/os-release ]]; then
        DEBIAN_RELEASE="$DEBIAN_RELEASE ($(. /etc/os-release && echo "${VERSION_CODENAME:-${PRETTY_NAME:-?}}"))"
    fi
}

# vmcap_find_tools "PACKAGE HINT" TOOL...: TOOL_PATH[tool] = the resolved binary.
vmcap_find_tools() {
    local hint=$1 t p
    shift
    for t in "$@"; do
        p=$(command -v "$t" || true)
        [[ -n $p ]] || die "$t not found (packages: $hint)"
        TOOL_PATH[$t]=$(readlink -f "$p")
    done
}

# ---------------------------------------------------------------- work dir and cleanup

vmcap_cleanup() {
    local rc=$?
    if [[ -n $QEMU_PID ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
        log "stopping qemu (pid $QEMU_PID)"
        kill "$QEMU_PID" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$QEMU_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$QEMU_PID" 2>/dev/null || true
    fi
    # qemu itself, should the timeout wrapper be gone already
    if [[ -n $WORK && -s $WORK/qemu.pid ]]; then
        local qp; qp=$(cat "$WORK/qemu.pid" 2>/dev/null || true)
        if [[ -n $qp ]] && kill -0 "$qp" 2>/dev/null && grep -q qemu "/proc/$qp/cmdline" 2>/dev/null; then
            kill -9 "$qp" 2>/dev/null || true
        fi
    fi
    if [[ -n $WORK ]]; then
        if ((KEEP_WORK)); then
            log "work directory kept: $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
    exit "$rc"
}

# vmcap_start_work PREFIX: WORK=/tmp/PREFIX.XXXXXX, ROOTFS=$WORK/rootfs with busybox as /bin/sh,
# and the traps that stop qemu and remove WORK in every outcome.
vmcap_start_work() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    trap vmcap_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    ROOTFS=$WORK/rootfs
    mkdir -p "$ROOTFS"/{bin,sbin,usr/bin,usr/sbin,lib/x86_64-linux-gnu,lib64,etc/capture,proc,sys,dev,run,tmp,out,"lib/modules/$KVER"}
    cp "$BUSYBOX" "$ROOTFS/bin/busybox"
    ln -s busybox "$ROOTFS/bin/sh"
    ln -s ../bin/busybox "$ROOTFS/sbin/modprobe"
    echo "$KVER" > "$ROOTFS/etc/capture/kver"
}

# ---------------------------------------------------------------- binaries and libraries

# vmcap_add_libs BINARY: remember the shared libraries BINARY needs (see vmcap_install_libs).
vmcap_add_libs() {
    local lib
    while read -r lib; do
        if [[ -n $lib ]]; then VMCAP_LIBS[$lib]=1; fi
    done < <(ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
}

# vmcap_install_tools TOOL...: copy TOOL_PATH[tool] to /usr/sbin/TOOL (with a /sbin link) and
# remember its libraries.
vmcap_install_tools() {
    local t
    for t in "$@"; do
        cp "${TOOL_PATH[$t]}" "$ROOTFS/usr/sbin/$t"
        ln -s "../usr/sbin/$t" "$ROOTFS/sbin/$t"
        vmcap_add_libs "${TOOL_PATH[$t]}"
    done
}

# Copy every remembered library (and libgcc_s, which glibc loads on thread exit) into ROOTFS.
vmcap_install_libs() {
    local lib dest
    if [[ -e /lib/x86_64-linux-gnu/libgcc_s.so.1 ]]; then VMCAP_LIBS[/lib/x86_64-linux-gnu/libgcc_s.so.1]=1; fi
    for lib in "${!VMCAP_LIBS[@]}"; do
        dest="$ROOTFS$lib"
        mkdir -p "$(dirname "$dest")"
        cp -L "$lib" "$dest"
    done
}

# ---------------------------------------------------------------- kernel modules (closure)

# vmcap_install_modules WANTED... [-- OPTIONAL...]: the modules with everything they depend on
# (modules.dep), in load order in /etc/capture/modules.order, and a filtered modules.dep and
# modules.alias so that the kernel's own request_module (busybox modprobe) works. All must
# exist in modules.dep (a built-in module is not a module: leave it out).
vmcap_install_modules() {
    local -A path=() deps=() seen=()
    local line p name m names_re
    while IFS= read -r line; do
        p=${line%%:*}
        name=${p##*/}; name=${name%.ko*}
        path[$name]=$p
        deps[$name]=${line#*:}
    done < "$MODDIR/modules.dep"
    VMCAP_MODULES=()
    _vmcap_visit() {
        local n=$1 dep depname
        [[ -n ${path[$n]:-} ]] || die "kernel module $n not in $MODDIR/modules.dep"
        [[ -n ${seen[$n]:-} ]] && return 0
        seen[$n]=1
        for dep in ${deps[$n]}; do
            depname=${dep##*/}; depname=${depname%.ko*}
            _vmcap_visit "$depname"
        done
        VMCAP_MODULES+=("${path[$n]}")
    }
    for m in "$@"; do
        [[ $m == -- ]] && continue
        _vmcap_visit "$m"
    done
    unset -f _vmcap_visit
    : > "$ROOTFS/etc/capture/modules.order"
    for p in "${VMCAP_MODULES[@]}"; do
        mkdir -p "$ROOTFS/$MODDIR/$(dirname "$p")"
        cp "$MODDIR/$p" "$ROOTFS/$MODDIR/$p"
        echo "$p" >> "$ROOTFS/etc/capture/modules.order"
    done
    grep -F -f <(printf '%s:\n' "${VMCAP_MODULES[@]}") "$MODDIR/modules.dep" > "$ROOTFS/$MODDIR/modules.dep" || true
    names_re=$(for p in "${VMCAP_MODULES[@]}"; do n=${p##*/}; n=${n%.ko*}; echo "${n//-/_}"; done | paste -sd'|')
    grep -E " (${names_re})$" "$MODDIR/modules.alias" > "$ROOTFS/$MODDIR/modules.alias" || true
}

# ---------------------------------------------------------------- inside the VM

# /etc/capture/lib.sh for the capture script in the VM: 'run SCENARIO CMD...' runs a set-up
# command, logs it and records it for the .meta 'setup:' lines (and stops the capture if it
# fails); 'cap TOOL SCENARIO SUFFIX CMD...' keeps stdout of one command exactly as printed, with
# the command line, exit status and stderr beside it, as /out/TOOL/SCENARIO+SUFFIX;
# 'version TOOL CMD...' keeps all output of a version command for the 'tool-version:' line.
vmcap_install_guest_lib() {
    cat > "$ROOTFS/etc/capture/lib.sh" <<'EOF'
mkdir -p /out/_setup /out/_versions
quoted() { # the arguments as one shell command line: plain words as they are, others in '...'
    q=""
    for a in "$@"; do
        case $a in
            ''|*[!A-Za-z0-9_./:=,+@%-]*)
                a=$(printf '%s' "$a" | sed "s/'/'\\\\''/g"); a="'$a'" ;;
        esac
        q="$q${q:+ }$a"
    done
    printf '%s\n' "$q"
}
run() { # run <scenario> <command...>
    sc=$1; shift
    echo "+ $(quoted "$@")"
    quoted "$@" >> "/out/_setup/$sc"
    "$@" > /tmp/run.out 2>&1; rc=$?
    cat /tmp/run.out
    if [ $rc -ne 0 ]; then echo "FAILED ($rc): $(quoted "$@")"; exit 1; fi
    return 0
}
cap() { # cap <tool> <scenario> <file-suffix> <command...>: writes /out/<tool>/<scenario><suffix>
    tool=$1 sc=$2 f="$2$3"; shift 3
    mkdir -p "/out/$tool"
    echo "= $tool/$f: $(quoted "$@")"
    quoted "$@" > "/out/$tool/$f.cmd"
    echo "$sc" > "/out/$tool/$f.scenario"
    "$@" > "/out/$tool/$f" 2> "/out/$tool/$f.stderr"
    echo $? > "/out/$tool/$f.rc"
}
version() { # version <tool> <command...>: all output, stdout and stderr (mdadm uses stderr)
    t=$1; shift
    "$@" > "/out/_versions/$t" 2>&1
}
EOF
}

# ---------------------------------------------------------------- initramfs and qemu

# vmcap_pack_initramfs FILE: ROOTFS as a gzipped newc cpio.
vmcap_pack_initramfs() {
    (cd "$ROOTFS" && find . -print0 | cpio --null -o -H newc --quiet | gzip -6) > "$1"
}

# vmcap_run_qemu CONSOLE_LOG QEMU_ARGS...: run qemu (TCG) under 'timeout CAPTURE_TIMEOUT' with a
# pid file and the console on CONSOLE_LOG; sets VMCAP_ELAPSED (seconds). Dies on a time-out;
# any other exit status is returned for the caller to judge by the results.
vmcap_run_qemu() {
    local console=$1 start qrc
    shift
    start=$(date +%s)
    timeout -k 10 "$CAPTURE_TIMEOUT" "$QEMU" -accel tcg,thread=multi \
        -nodefaults -display none -no-reboot -pidfile "$WORK/qemu.pid" \
        -serial "file:$console" "$@" &
    QEMU_PID=$!
    set +e
    wait "$QEMU_PID"
    qrc=$?
    set -e
    QEMU_PID=""
    VMCAP_ELAPSED=$(($(date +%s) - start))
    log "qemu exited with $qrc after ${VMCAP_ELAPSED}s"
    if ((qrc == 124 || qrc == 137)); then
        tail -n 40 "$console" >&2 || true
        die "qemu timed out after ${CAPTURE_TIMEOUT}s"
    fi
    return 0
}

# vmcap_read_results CAPTURE_IMAGE RAW_DIR CONSOLE_LOG: unpack the tar the VM wrote; dies if
# there is none or the capture in the VM failed.
vmcap_read_results() {
    local img=$1 raw=$2 console=$3
    mkdir -p "$raw"
    if ! tar -xf "$img" -C "$raw" 2>/dev/null || [[ ! -e $raw/_capture.rc ]]; then
        tail -n 60 "$console" >&2 || true
        die "the VM wrote no results (console log above)"
    fi
    if [[ $(cat "$raw/_capture.rc") != 0 ]]; then
        tail -n 60 "$raw/_capture.log" >&2 || true
        die "the capture inside the VM failed (rc $(cat "$raw/_capture.rc"))"
    fi
}

# ---------------------------------------------------------------- fixtures

vmcap_first_line() { sed -e 's/^[[:space:]]*//' -e '/^$/d' "$1" | head -n 1; }

# vmcap_package_of TOOL: "package version" of the Debian package that ships the tool (its
# TOOL_PATH, or the usual directories; usrmerge: the old paths are tried too).
vmcap_package_of() {
    local t=$1 p owner=""
    for p in ${TOOL_PATH[$t]:-} "/sbin/$t" "/usr/sbin/$t" "/bin/$t" "/usr/bin/$t"; do
        owner=$(dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1) && [[ -n $owner ]] && break
    done
    if [[ -n $owner ]]; then
        echo "$owner $(dpkg-query -W -f '${Version}' "$owner" 2>/dev/null)"
    else
        echo unknown
    fi
}

# vmcap_remove_own_fixtures OUT_ROOT: remove the vm-* fixtures (and sidecars) whose .meta says
# they were captured by VMCAP_SCRIPT; those of the other capture scripts stay.
vmcap_remove_own_fixtures() {
    local meta stem
    shopt -s nullglob
    for meta in "$1"/*/vm-*.meta; do
        if grep -qxF "captured-by: $VMCAP_SCRIPT" "$meta"; then
            stem=${meta%.meta}
            rm -f "$stem".*
        fi
    done
    shopt -u nullglob
}

# vmcap_write_fixtures RAW_DIR OUT_ROOT: every /out/<tool>/<scenario><suffix> the VM captured
# becomes OUT_ROOT/<tool>/vm-<scenario><suffix> with the sidecar vm-<scenario><suffix-stem>.meta.
# Dies on a command that failed or printed nothing, and on two fixtures sharing a sidecar.
# Adds the number written to VMCAP_COUNT.
vmcap_write_fixtures() {
    local raw=$1 out=$2 cmdfile rel fixture tool name stem scenario rc dest vm_kernel s
    vm_kernel=$(cat "$raw/_kernel")
    VMCAP_CAPTURED_AT=${VMCAP_CAPTURED_AT:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
    while IFS= read -r -d '' cmdfile; do
        rel=${cmdfile#"$raw"/}
        fixture=${rel%.cmd}                   # <tool>/<scenario><suffix>.<ext>
        tool=${fixture%%/*}
        name="vm-${fixture#*/}"
        stem=${name%.*}
        scenario=$(cat "$raw/$fixture.scenario")
        rc=$(cat "$raw/$fixture.rc")
        [[ $rc == 0 ]] || die "'$(cat "$cmdfile")' exited with $rc: $(head -c 400 "$raw/$fixture.stderr")"
        [[ -s $raw/$fixture ]] || die "'$(cat "$cmdfile")' printed nothing"
        mkdir -p "$out/$tool"
        dest="$out/$tool/$name"
        [[ ! -e $out/$tool/$stem.meta ]] || die "two fixtures share the sidecar $tool/$stem.meta"
        cp "$raw/$fixture" "$dest"
        {
            echo "command: $(cat "$cmdfile")"
            echo "exit-status: $rc"
            vmcap_meta_tool "$tool" "$scenario" "$raw" "$fixture"
            echo "debian: $DEBIAN_RELEASE"
            echo "kernel: $vm_kernel (linux-image-$KVER $KPKG_VERSION, in qemu -accel tcg)"
            if declare -F vmcap_meta_extra >/dev/null; then vmcap_meta_extra "$tool" "$scenario" "$raw" "$fixture"; fi
            echo "captured: $VMCAP_CAPTURED_AT"
            echo "captured-by: $VMCAP_SCRIPT"
            echo "scenario: $scenario"
            if [[ -s $raw/_setup/$scenario ]]; then
                while IFS= read -r s; do echo "setup: $s"; done < "$raw/_setup/$scenario"
            fi
            if [[ -s $raw/$fixture.stderr ]]; then
                while IFS= read -r s; do echo "stderr: $s"; done < "$raw/$fixture.stderr"
            fi
        } > "$out/$tool/$stem.meta"
        VMCAP_COUNT=$((${VMCAP_COUNT:-0} + 1))
    done < <(find "$raw" -mindepth 2 -name '*.cmd' -print0 | sort -z)
}
