package dev.rear.engine.descriptor;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import org.jspecify.annotations.Nullable;

/** The sizes of the devices a descriptor describes: disks, partitions, md arrays, LVs, opened LUKS devices. */
public final class DeviceSizes {
    private DeviceSizes() {}

    /** The size of a described device, or {@code null} when the descriptor does not give it (an opened LUKS device: its backing device's). */
    public static @Nullable Long of(SystemDescriptor d, String device) {
        for (Disk disk : d.disks()) {
            if (disk.path().equals(device)) {
                return disk.sizeBytes();
            }
            for (Partition p : disk.partitionTable().partitions()) {
                if (p.path().equals(device)) {
                    return p.sizeSectors() * disk.logicalSectorSize();
                }
            }
        }
        for (RaidArray md : d.raidArrays()) {
            if (md.device().equals(device)) {
                return md.sizeBytes();
            }
        }
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            for (LogicalVolume lv : vg.logicalVolumes()) {
                if (vg.pathOf(lv).equals(device) || vg.mapperPathOf(lv).equals(device)) {
                    return lv.sizeBytes();
                }
            }
        }
        for (LuksDevice luks : d.encryption()) {
            if (luks.mapperPath().equals(device) && !luks.device().equals(device)) {
                return of(d, luks.device());
            }
        }
        return null;
    }
}
