#!/bin/sh
# rear-e2e-command: the e2e harness's way into an installed source system. After multi-user it
# reads the tar on the disk with serial "e2e-cmd" (run.sh, any files it needs, optionally
# time-limit and no-poweroff), runs "sh run.sh OUTDIR" there, writes OUTDIR as a tar onto the
# disk with serial "e2e-out" and powers off. Without a command disk it only says it is up.
say() { echo "REAR-E2E: $*"; }
up=$(cut -d' ' -f1 /proc/uptime)
say "multi-user reached in ${up}s ($(systemctl show -P ActiveState multi-user.target))"
cmd="" out=""
for s in /sys/block/vd*/serial; do
    case "$(cat "$s" 2>/dev/null)" in
        e2e-cmd) cmd=/dev/$(basename "$(dirname "$s")") ;;
        e2e-out) out=/dev/$(basename "$(dirname "$s")") ;;
    esac
done
if [ -z "$cmd" ]; then
    say "no command disk"
    exit 0
fi
work=/run/rear-e2e
rm -rf $work
mkdir -p $work/cmd $work/out
tar -xf "$cmd" -C $work/cmd
echo "$up" > $work/out/multi-user-uptime
limit=$(cat $work/cmd/time-limit 2>/dev/null || echo 1800)
say "running run.sh (time limit ${limit}s)"
(cd $work/cmd && timeout "$limit" sh ./run.sh $work/out > $work/out/run.log 2>&1; echo $? > $work/out/run.rc)
rc=$(cat $work/out/run.rc)
journalctl -b --no-pager > $work/out/journal.txt 2>&1
if [ -n "$out" ] && (cd $work/out && tar -cf "$out" .) && sync; then
    say "results written to $out"
else
    say "could not write the results (output disk: ${out:-none})"
fi
say "DONE rc=$rc"
[ -e $work/cmd/no-poweroff ] || systemctl --no-block poweroff
