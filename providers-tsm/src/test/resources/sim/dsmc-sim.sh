#!/bin/bash
# A dsmc simulator for rear's tests (IBM Storage Protect backup-archive client, command line).
# Behaves as vendor-clis.md §1 documents dsmc: banner, command output, ANS messages, return codes
# (0; 4 some objects not processed; 8 warning; 12 error). Never used outside tests.
#
# Server storage: $DSMC_SIM_SERVER (the wrapper script sets it)
#   name, node, password           server name, node name, node password
#   fs/N/{name,type,lastincr}      filespace N; lastincr in epoch seconds
#   fs/N/v/EPOCH/tree/             the filespace's tree as of that incremental
#   fs/N/v/EPOCH/index             "date<TAB>size<TAB>type<TAB>path" per object: date = when that version was stored
#   client-mounts                  the client's mount points, one per line: incremental does not descend into them
#   objects/backup/index           single files backed up by 'incremental FILE...': "epoch<TAB>size<TAB>mgmtclass<TAB>path"
#   objects/archive/index          files archived by 'archive [-archmc=MC] FILE...', same columns; contents under objects/*/data/PATH
#   state/down                     the server is unreachable (ANS1017E)
#   state/expired                  the node password has expired (ANS1352E)
#   faults/<command>               a bash fragment a test writes to script a failure of one command
#                                  (restore, incremental, archive, query-backup, query-archive, query-filespace,
#                                  query-session):
#                                    FAULT_RC=4|8|12   FAULT_FILESPACE=/home (only that filespace)
#                                    FAULT_MESSAGES=( "ANS4037E ..." )   FAULT_SKIP=( /home/a/file )  (not restored)
#                                    FAULT_FAILED=N    FAULT_HANG=SECONDS (sleep first: a dsmc that hangs)
#                                    FAULT_ONCE=1      (the fault file is removed after it fired)
#                                    FAULT_SIGNAL=KILL (dsmc is killed by that signal: a killed job)
# Client side: dsm.sys/dsm.opt in $DSM_DIR; the stored password is PASSWORDDIR/TSM.KDB (its content), used
# under passwordaccess generate (which ignores -password=); passwordaccess prompt needs -password=.
# The server clock: $DSMC_SIM_NOW (epoch seconds) when set, else the real time. Dates print in $TZ.
set -u
export LC_ALL=C
S=${DSMC_SIM_SERVER:?DSMC_SIM_SERVER not set}
NOW=${DSMC_SIM_NOW:-$(date +%s)}
DSM_DIR=${DSM_DIR:-/opt/tivoli/tsm/client/ba/bin}

# ---------------------------------------------------------------- arguments
declare -A OPT=()
POS=()
PASSWORD=""
for a in "$@"; do
    if [[ $a == -* ]]; then
        k=${a%%=*}; k=${k#-}; k=${k,,}
        v=""; [[ $a == *=* ]] && v=${a#*=}
        v=${v#\"}; v=${v%\"}
        case $k in
            pas|pass|passw|passwo|passwor|password) PASSWORD=$v ;;
            date|datef|datefo|datefor|dateform|dateforma|dateformat) OPT[dateformat]=$v ;;
            time|timef|timefo|timefor|timeform|timeforma|timeformat) OPT[timeformat]=$v ;;
            pitd|pitda|pitdat|pitdate) OPT[pitdate]=$v ;;
            pitt|pitti|pittim|pittime) OPT[pittime]=$v ;;
            su|sub|subd|subdi|subdir) OPT[subdir]=${v,,} ;;
            ina|inac|inact|inacti|inactiv|inactive) OPT[inactive]=yes ;;
            snapshotr|snapshotro|snapshotroo|snapshotroot) OPT[snapshotroot]=$v ;;
            archm|archmc) OPT[archmc]=$v ;;
            *) OPT[$k]=$v ;;
        esac
    else
        POS+=("$a")
    fi
done
DATEFMT=${OPT[dateformat]:-3}

fmt_date() { # epoch -> date time in the current dateformat
    case $DATEFMT in
        1) date -d "@$1" '+%m/%d/%Y %H:%M:%S' ;;
        2) date -d "@$1" '+%d-%m-%Y %H:%M:%S' ;;
        4) date -d "@$1" '+%d.%m.%Y %H:%M:%S' ;;
        5) date -d "@$1" '+%Y.%m.%d %H:%M:%S' ;;
        *) date -d "@$1" '+%Y-%m-%d %H:%M:%S' ;;
    esac
}
parse_date() { # date in the current dateformat -> YYYY-MM-DD
    local d=$1
    case $DATEFMT in
        1) echo "${d:6:4}-${d:0:2}-${d:3:2}" ;;
        2|4) echo "${d:6:4}-${d:3:2}-${d:0:2}" ;;
        *) echo "${d:0:4}-${d:5:2}-${d:8:2}" ;;
    esac
}
commas() { printf "%'d" "$1" 2>/dev/null || echo "$1"; }
human() { # bytes -> dsmc's "2.37 GB"
    awk -v b="$1" 'BEGIN { split("B KB MB GB TB", u, " "); i = 1; while (b >= 1024 && i < 5) { b /= 1024; i++ }
                          if (i == 1) printf "%d  B", b; else printf "%.2f %s", b, u[i] }'
}

sys_option() { # first value of a dsm.sys option (case-insensitive, abbreviation-agnostic enough for the tests)
    grep -i -m1 -E "^[[:space:]]*$1[a-z]*[[:space:]]" "$DSM_DIR/dsm.sys" 2>/dev/null | awk '{ $1 = ""; sub(/^ /, ""); print }' | tr -d '"'
}

fault() { # load faults/$1 if present; sets FAULT_* ; returns 1 when none applies
    FAULT_RC=0; FAULT_MESSAGES=(); FAULT_SKIP=(); FAULT_FAILED=""; FAULT_HANG=0; FAULT_FILESPACE=""; FAULT_ONCE=""; FAULT_SIGNAL=""
    local f="$S/faults/$1"
    [ -f "$f" ] || return 1
    # shellcheck disable=SC1090
    . "$f"
    if [ -n "$FAULT_FILESPACE" ] && [ "$FAULT_FILESPACE" != "${2:-}" ]; then
        FAULT_RC=0; FAULT_MESSAGES=(); FAULT_SKIP=(); FAULT_HANG=0
        return 1
    fi
    [ -n "$FAULT_ONCE" ] && rm -f "$f"
    [ "$FAULT_HANG" -gt 0 ] && sleep "$FAULT_HANG"
    [ -n "$FAULT_SIGNAL" ] && kill -s "$FAULT_SIGNAL" $$
    return 0
}

SERVER=$(cat "$S/name" 2>/dev/null || echo SIMSERVER)
NODE=$(cat "$S/node" 2>/dev/null || hostname | tr a-z A-Z)

banner() {
    echo "IBM Storage Protect"
    echo "Command Line Backup-Archive Client Interface"
    echo "  Client Version 8, Release 1, Level 23.0"
    echo "  Client date/time: $(DATEFMT=3 fmt_date "$NOW")"
    echo "(c) Copyright by IBM Corporation and other(s) 1990, 2024. All Rights Reserved."
    echo
    echo "Node Name: $NODE"
}

session() { # connect and sign on, or exit 12 with the message dsmc prints
    banner
    if [ -e "$S/state/down" ]; then
        echo "ANS1017E Session rejected: TCP/IP connection failure."
        exit 12
    fi
    if [ -e "$S/state/expired" ]; then
        echo "ANS1352E Session rejected: Your password has expired."
        exit 12
    fi
    local want stored pwdir access
    want=$(cat "$S/password")
    access=$(sys_option passwordaccess)
    # IBM: "The password option is ignored when the passwordaccess option is set to generate."
    [ "${access,,}" == generate ] && PASSWORD=""
    if [ "${access,,}" != generate ] && [ -z "$PASSWORD" ]; then
        echo "ANS2050E IBM Storage Protect needs to prompt for the password but cannot prompt because the process is running in the background."
        exit 12
    fi
    pwdir=$(sys_option passworddir); pwdir=${pwdir:-/etc/adsm}
    stored=""; [ -f "$pwdir/TSM.KDB" ] && stored=$(cat "$pwdir/TSM.KDB")
    if [ -n "$PASSWORD" ]; then
        if [ "$PASSWORD" != "$want" ]; then
            echo "ANS1025E Session rejected: Authentication failure"
            exit 12
        fi
    elif [ -z "$stored" ]; then
        echo "ANS1503E Valid password not available for server '$SERVER'.  The administrator for your system must run IBM Storage Protect and enter the password to store it in the password file."
        exit 12
    elif [ "$stored" != "$want" ]; then
        echo "ANS1025E Session rejected: Authentication failure"
        exit 12
    fi
    echo "Session established with server $SERVER: Linux/x86_64"
    echo "  Server Version 8, Release 1, Level 21.000"
    echo "  Server date/time: $(DATEFMT=3 fmt_date "$NOW")  Last access: $(DATEFMT=3 fmt_date "$NOW")"
    echo
}

errlog() { # dsmc writes its warnings and errors to the error log too (-errorlogname, else dsm.sys errorlogname)
    local log=${OPT[errorlogname]:-$(sys_option errorlogname)}
    [ -n "$log" ] && echo "$(DATEFMT=1 fmt_date "$(date +%s)") $1" >> "$log"
}

finish() { # print the fault's messages and exit with the highest of the fault's and the command's rc
    local rc=$1
    local m
    for m in "${FAULT_MESSAGES[@]}"; do echo "$m"; [[ $m == ANS????[WES]* ]] && errlog "$m"; done
    [ "$FAULT_RC" -gt "$rc" ] && rc=$FAULT_RC
    exit "$rc"
}

# ---------------------------------------------------------------- filespaces
fs_dir() { # filespace name -> its directory, or nothing
    local d
    for d in "$S"/fs/*/; do
        [ -f "$d/name" ] && [ "$(cat "$d/name")" == "$1" ] && { echo "${d%/}"; return 0; }
    done
    return 1
}
fs_of() { # path -> the longest filespace name containing it
    local best="" d n
    for d in "$S"/fs/*/; do
        [ -f "$d/name" ] || continue
        n=$(cat "$d/name")
        if [ "$n" == "/" ] || [ "$1" == "$n" ] || [[ $1 == "$n"/* ]]; then
            [ ${#n} -gt ${#best} ] && best=$n
        fi
    done
    [ -n "$best" ] && echo "$best"
}
version_for() { # filespace dir, [epoch limit] -> newest version dir not after the limit
    local best="" v e
    for v in "$1"/v/*/; do
        [ -d "$v" ] || continue
        e=$(basename "$v")
        if [ -z "${2:-}" ] || [ "$e" -le "$2" ]; then
            if [ -z "$best" ] || [ "$e" -gt "$(basename "$best")" ]; then best=${v%/}; fi
        fi
    done
    [ -n "$best" ] && echo "$best"
}
pit_epoch() {
    [ -n "${OPT[pitdate]:-}" ] || return 1
    date -d "$(parse_date "${OPT[pitdate]}") ${OPT[pittime]:-23:59:59}" +%s
}

# ---------------------------------------------------------------- single files (rescue images)
store_object() { # kind (backup|archive), file, mgmt class -> stores a copy, prints dsmc's "Normal File-->" line
    local kind=$1 f=$2 mc=$3 size
    size=$(stat -c %s "$f")
    mkdir -p "$S/objects/$kind/data$(dirname "$f")"
    cp -- "$f" "$S/objects/$kind/data$f"
    touch "$S/objects/$kind/index"
    if [ "$kind" == backup ]; then # the new version is the active one (inactive versions are not kept here)
        awk -F'\t' -v p="$f" '$4 != p' "$S/objects/$kind/index" > "$S/objects/$kind/index.new"
        mv "$S/objects/$kind/index.new" "$S/objects/$kind/index"
    fi
    printf '%s\t%s\t%s\t%s\n' "$NOW" "$size" "$mc" "$f" >> "$S/objects/$kind/index"
    printf "Normal File-->    %12s %s [Sent]\n" "$(commas "$size")" "$f"
    OBJ_BYTES=$((OBJ_BYTES + size))
}
object_rows() { # kind, spec -> index rows whose path is the spec
    [ -f "$S/objects/$1/index" ] || return 0
    awk -F'\t' -v p="$2" '$4 == p' "$S/objects/$1/index"
}
OBJ_BYTES=0

# ---------------------------------------------------------------- commands
cmd=${POS[0]:-}
sub=${POS[1]:-}
case ${cmd,,} in
    q|qu|que|quer|query) cmd=query ;;
    res|rest|resto|restor|restore) cmd=restore ;;
    i|inc|incr|incre|increm|increme|incremen|increment|incrementa|incremental) cmd=incremental ;;
    ar|arc|arch|archi|archiv|archive) cmd=archive ;;
esac

case $cmd in
query)
    case ${sub,,} in
    se|ses|sess|sessi|sessio|session)
        session
        fault query-session || true
        echo "Server Name.............: $SERVER"
        echo "Server Type.............: Linux/x86_64"
        echo 'Archive Retain Protect..: "No"'
        echo "Server Version..........: Ver. 8, Rel. 1, Lev. 21.0"
        echo "Last Access Date........: $(DATEFMT=1 fmt_date "$NOW")"
        echo 'Delete Backup Files.....: "No"'
        echo 'Delete Archive Files....: "Yes"'
        echo 'Deduplication...........: "Server Only"'
        echo
        echo "Node Name...............: $NODE"
        echo "User Name...............: root"
        finish 0 ;;
    fi|fil|file|files|filesp|filespa|filespac|filespace)
        session
        fault query-filespace || true
        n=0
        for d in "$S"/fs/*/; do [ -f "$d/name" ] && n=$((n + 1)); done
        if [ "$n" -eq 0 ]; then
            echo "ANS1083E No files have previously been backed up."
            finish 12
        fi
        echo "  #     Last Incr Date          Type    File Space Name"
        echo "--------------------------------------------------------------------------------"
        for d in $(ls -d "$S"/fs/*/ | sort -t/ -k1 -V); do
            [ -f "$d/name" ] || continue
            num=$(basename "$d")
            li=""; [ -f "$d/lastincr" ] && li=$(fmt_date "$(cat "$d/lastincr")")
            printf "  %-5s %-23s %-7s %s\n" "$num" "$li" "$(cat "$d/type")" "$(cat "$d/name")"
        done
        finish 0 ;;
    b|ba|bac|back|backu|backup)
        session
        spec=${POS[2]:-}
        if [ -n "$(object_rows backup "$spec")" ]; then
            fault query-backup "$spec" || true
            echo "   Size      Backup Date        Mgmt Class A/I File"
            echo "   ----      -----------        ---------- --- ----"
            while IFS=$'\t' read -r date size mc path; do
                printf "%7s  %s    %-10s  A  %s\n" "$(commas "$size")" "$(fmt_date "$date")" "$mc" "$path"
            done < <(object_rows backup "$spec")
            finish 0
        fi
        dir=${spec%\*}; dir=${dir%/}; [ -z "$dir" ] && dir=/
        fsname=$(fs_of "$dir") || true
        fault query-backup "$fsname" || true
        if [ -z "$fsname" ] || ! fsd=$(fs_dir "$fsname"); then
            echo "ANS1092W No files matching search criteria were found"
            finish 8
        fi
        limit=""; limit=$(pit_epoch) || limit=""
        latest=$(version_for "$fsd" "$limit") || latest=""
        rel=${dir#"$fsname"}; rel=${rel#/}
        rows=()
        declare -A seen=()
        if [ -n "$latest" ]; then
            while IFS=$'\t' read -r date size type path; do seen["$date|$path"]=A; done < "$latest/index"
        fi
        sources=()
        if [ "${OPT[inactive]:-}" == yes ]; then
            for v in "$fsd"/v/*/; do e=$(basename "$v"); if [ -z "$limit" ] || [ "$e" -le "$limit" ]; then sources+=("${v%/}/index"); fi; done
        elif [ -n "$latest" ]; then
            sources=("$latest/index")
        fi
        declare -A printed=()
        header=0
        for idx in "${sources[@]}"; do
            while IFS=$'\t' read -r date size type path; do
                [ -z "$path" ] && continue
                if [ -n "$rel" ]; then [[ $path == "$rel"/* ]] || continue; sub_path=${path#"$rel"/}; else sub_path=$path; fi
                [ "${OPT[subdir]:-no}" == yes ] || [[ $sub_path != */* ]] || continue
                key="$date|$path"
                [ -n "${printed[$key]:-}" ] && continue
                printed[$key]=1
                ai=${seen[$key]:-I}
                if [ $header -eq 0 ]; then
                    echo "   Size      Backup Date        Mgmt Class A/I File"
                    echo "   ----      -----------        ---------- --- ----"
                    header=1
                fi
                full=${fsname%/}/$path
                printf "%7s  %s    STANDARD    %s  %s\n" "$(commas "$size")" "$(fmt_date "$date")" "$ai" "$full"
            done < "$idx"
        done
        if [ $header -eq 0 ]; then
            echo "ANS1092W No files matching search criteria were found"
            finish 8
        fi
        finish 0 ;;
    a|ar|arc|arch|archi|archiv|archive)
        session
        spec=${POS[2]:-}
        fault query-archive "$spec" || true
        if [ -z "$(object_rows archive "$spec")" ]; then
            echo "ANS1092W No files matching search criteria were found"
            finish 8
        fi
        echo "      Size  Archive Date - Time    File - Expires on - Description"
        echo "      ----  -------------------    -------------------------------"
        while IFS=$'\t' read -r date size mc path; do
            printf "%10s  %s    %s  Never Archive Date: %s  %s\n" "$(commas "$size")" "$(fmt_date "$date")" "$path" \
                "$(fmt_date "$date" | cut -d' ' -f1)" "$mc"
        done < <(object_rows archive "$spec")
        finish 0 ;;
    *)
        echo "ANS1107E Invalid option/value: '$sub'"
        exit 12 ;;
    esac ;;
restore)
    session
    src=${POS[1]:-}; dst=${POS[2]:-}
    dir=${src%\*}; dir=${dir%/}; [ -z "$dir" ] && dir=/
    fsname=$(fs_of "$dir") || true
    fault restore "$fsname" || true
    echo "Restore function invoked."
    echo
    if [ -z "$fsname" ] || ! fsd=$(fs_dir "$fsname"); then
        echo "ANS4000E Error processing '$src': file space does not exist."
        finish 12
    fi
    limit=""; limit=$(pit_epoch) || limit=""
    if ! v=$(version_for "$fsd" "$limit"); then
        echo "ANS1302E No objects on server match query"
        finish 12
    fi
    rel=${dir#"$fsname"}; rel=${rel#/}
    from="$v/tree${rel:+/$rel}"
    if [ ! -d "$from" ]; then
        echo "ANS1302E No objects on server match query"
        finish 12
    fi
    if [ "$FAULT_RC" -ge 12 ] && [ ${#FAULT_SKIP[@]} -eq 0 ]; then
        finish 12
    fi
    echo "ANS1247I Waiting for files from the server..."
    mkdir -p "$dst"
    cp -a --preserve=all "$from/." "$dst/" || { echo "ANS1228E Sending of object '$src' failed"; exit 12; }
    objects=0; bytes=0; failed=0
    for s in "${FAULT_SKIP[@]}"; do
        r=${s#"${fsname%/}"}; r=${r#/}
        [ -n "$rel" ] && r=${r#"$rel"/}
        rm -rf -- "${dst%/}/$r"
        failed=$((failed + 1))
    done
    while IFS=$'\t' read -r size path; do
        objects=$((objects + 1)); bytes=$((bytes + size))
        p=${path#./}
        printf "Restoring %10s %s --> %s [Done]\n" "$(commas "$size")" "${dir%/}/$p" "${dst%/}/$p"
    done < <(cd "$dst" && find . -mindepth 1 -printf '%s\t%p\n')
    echo
    echo "Restore processing finished."
    echo
    printf "Total number of objects restored:  %10s\n" "$(commas "$objects")"
    printf "Total number of objects failed:    %10s\n" "$(commas "${FAULT_FAILED:-$failed}")"
    printf "Total number of bytes transferred: %10s\n" "$(human "$bytes")"
    echo "Data transfer time:                      0.01 sec"
    echo "Network data transfer rate:        100,000.00 KB/sec"
    echo "Aggregate data transfer rate:       50,000.00 KB/sec"
    echo "Elapsed processing time:             00:00:01"
    rc=0; [ "$failed" -gt 0 ] && rc=4
    finish $rc ;;
incremental)
    session
    [ ${#POS[@]} -ge 2 ] || { echo "ANS1102E Excessive number of command line arguments passed to the program!"; exit 12; }
    total_rc=0
    files=0
    for target in "${POS[@]:1}"; do
        target=${target%% }
        fault incremental "$target" || true
        if [ -f "$target" ] && [ -z "${OPT[snapshotroot]:-}" ]; then
            # a single file (ReaR's result files): stored as a backup object of its own, not as a filespace tree
            [ "$files" -eq 0 ] && { echo "Incremental backup of files"; echo; }
            files=$((files + 1))
            [ "$FAULT_RC" -ge 12 ] && { for m in "${FAULT_MESSAGES[@]}"; do echo "$m"; done; total_rc=12; continue; }
            store_object backup "$target" DEFAULT
            [ "$FAULT_RC" -gt "$total_rc" ] && total_rc=$FAULT_RC
            continue
        fi
        source=${OPT[snapshotroot]:-$target}
        if [ ! -d "$source" ]; then
            echo "ANS1071E Invalid domain name entered: '$target'"
            total_rc=12; continue
        fi
        fsd=$(fs_dir "$target") || {
            n=1; while [ -e "$S/fs/$n" ]; do n=$((n + 1)); done
            fsd="$S/fs/$n"; mkdir -p "$fsd/v"
            printf '%s' "$target" > "$fsd/name"; echo EXT4 > "$fsd/type"
        }
        prev=$(version_for "$fsd") || prev=""
        new="$fsd/v/$NOW"
        rm -rf "$new"; mkdir -p "$new/tree"
        echo "Incremental backup of volume '$target'"
        cp -a --preserve=all "$source/." "$new/tree/"
        # other filespaces and the client's other mount points (client-mounts) below this one are their own volumes
        others=()
        for d in "$S"/fs/*/; do [ -f "$d/name" ] && others+=("$(cat "$d/name")"); done
        if [ -f "$S/client-mounts" ]; then while IFS= read -r m; do [ -n "$m" ] && others+=("$m"); done < "$S/client-mounts"; fi
        for n in "${others[@]}"; do
            [ "$n" == "$target" ] && continue
            if [ "$target" == "/" ] || [[ $n == "$target"/* ]]; then
                r=${n#"${target%/}"}; r=${r#/}
                [ -d "$new/tree/$r" ] && find "$new/tree/$r" -mindepth 1 -delete
            fi
        done
        declare -A olddate=() oldmeta=()
        if [ -n "$prev" ]; then
            while IFS=$'\t' read -r date size type path; do olddate["$path"]=$date; done < "$prev/index"
            while IFS=$'\t' read -r meta path; do oldmeta["$path"]=$meta; done < <(cd "$prev/tree" && find . -mindepth 1 -printf '%y %m %U %G %T@ %s %l\t%P\n')
        fi
        sent=0; sentbytes=0; inspected=0
        : > "$new/index"
        while IFS=$'\t' read -r meta path; do
            inspected=$((inspected + 1))
            type=${meta%% *}
            size=$(echo "$meta" | awk '{print $6}')
            date=$NOW
            if [ -n "${olddate[$path]:-}" ] && [ "${oldmeta[$path]:-}" == "$meta" ]; then
                if [ "$type" != f ] || cmp -s "$prev/tree/$path" "$new/tree/$path"; then date=${olddate[$path]}; fi
            fi
            if [ "$date" == "$NOW" ]; then
                sent=$((sent + 1)); sentbytes=$((sentbytes + size))
                if [ "$type" == d ]; then echo "Directory-->          $(commas "$size") ${target%/}/$path [Sent]"; else echo "Normal File-->    $(commas "$size") ${target%/}/$path [Sent]"; fi
            fi
            printf '%s\t%s\t%s\t%s\n' "$date" "$size" "$type" "$path" >> "$new/index"
        done < <(cd "$new/tree" && find . -mindepth 1 -printf '%y %m %U %G %T@ %s %l\t%P\n')
        if [ "$FAULT_RC" -ge 12 ]; then
            rm -rf "$new"
            for m in "${FAULT_MESSAGES[@]}"; do echo "$m"; done
            total_rc=12; continue
        fi
        echo "$NOW" > "$fsd/lastincr"
        echo "Successful incremental backup of '$target'"
        echo
        printf "Total number of objects inspected: %10s\n" "$(commas "$inspected")"
        printf "Total number of objects backed up: %10s\n" "$(commas "$sent")"
        printf "Total number of objects failed:    %10s\n" "${FAULT_FAILED:-0}"
        printf "Total number of bytes transferred: %10s\n" "$(human "$sentbytes")"
        for m in "${FAULT_MESSAGES[@]}"; do echo "$m"; done
        [ "$FAULT_RC" -gt "$total_rc" ] && total_rc=$FAULT_RC
    done
    if [ "$files" -gt 0 ]; then
        echo "Successful incremental backup of the $files file(s)"
        echo
        printf "Total number of objects inspected: %10s\n" "$(commas "$files")"
        printf "Total number of objects backed up: %10s\n" "$(commas "$files")"
        printf "Total number of objects failed:    %10s\n" "${FAULT_FAILED:-0}"
        printf "Total number of bytes transferred: %10s\n" "$(human "$OBJ_BYTES")"
        [ "$total_rc" -lt 12 ] && for m in "${FAULT_MESSAGES[@]}"; do echo "$m"; done
    fi
    exit $total_rc ;;
archive)
    session
    [ ${#POS[@]} -ge 2 ] || { echo "ANS1102E Excessive number of command line arguments passed to the program!"; exit 12; }
    fault archive "${POS[1]}" || true
    mc=${OPT[archmc]:-DEFAULT}
    echo "Archive function invoked."
    echo
    if [ "$FAULT_RC" -ge 12 ]; then
        finish 12
    fi
    n=0; failed=0
    for f in "${POS[@]:1}"; do
        if [ ! -f "$f" ]; then
            echo "ANS1071E Invalid domain name entered: '$f'"
            failed=$((failed + 1)); continue
        fi
        store_object archive "$f" "$mc"
        echo "Archive processing of '$f' finished without failure."
        n=$((n + 1))
    done
    echo
    printf "Total number of objects inspected: %10s\n" "$(commas $((n + failed)))"
    printf "Total number of objects archived:  %10s\n" "$(commas "$n")"
    printf "Total number of objects updated:   %10s\n" 0
    printf "Total number of objects rebound:   %10s\n" 0
    printf "Total number of objects deleted:   %10s\n" 0
    printf "Total number of objects expired:   %10s\n" 0
    printf "Total number of objects failed:    %10s\n" "$(commas "${FAULT_FAILED:-$failed}")"
    printf "Total number of bytes transferred: %10s\n" "$(human "$OBJ_BYTES")"
    rc=0; [ "$failed" -gt 0 ] && rc=12
    finish $rc ;;
*)
    banner
    echo "ANS1138E The 'dsmc ${cmd}' command must be followed by a subcommand or is not known to this simulator"
    exit 12 ;;
esac
