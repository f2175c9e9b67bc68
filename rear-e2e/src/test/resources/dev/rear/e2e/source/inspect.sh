#!/bin/sh
# Run inside a booted source by SourceSystemIT (sh run.sh OUTDIR): what the host asserts on.
out=$1
echo "REAR-E2E: inspecting $(hostname)" > /dev/console
lsblk -P -o NAME,TYPE,FSTYPE,MOUNTPOINT,LABEL > "$out/lsblk.txt" 2>&1
cat /proc/mdstat > "$out/mdstat.txt" 2>&1
lvs --noheadings --separator : -o vg_name,lv_name,lv_size --units m > "$out/lvs.txt" 2>&1
findmnt -rn -o TARGET,SOURCE,FSTYPE > "$out/findmnt.txt" 2>&1
swapon --show=NAME,TYPE --noheadings > "$out/swaps.txt" 2>&1
systemctl --failed --no-legend --plain > "$out/failed-units.txt" 2>&1
cat /proc/cmdline > "$out/cmdline.txt"
uname -r > "$out/uname.txt"
java -version > "$out/java.txt" 2>&1
rear-e2e-check-markers > "$out/markers.txt" 2>&1
echo $? > "$out/markers.rc"
