package dev.rear.engine.descriptor;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.NetworkInterface;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import java.util.ArrayList;
import java.util.List;

/** The ids of every component a descriptor describes, in document order. */
public final class ComponentIds {
    private ComponentIds() {}

    public static List<String> of(SystemDescriptor d) {
        List<String> ids = new ArrayList<>();
        for (Disk disk : d.disks()) {
            ids.add(disk.id());
            for (Partition p : disk.partitionTable().partitions()) {
                ids.add(p.id());
            }
        }
        for (RaidArray md : d.raidArrays()) {
            ids.add(md.id());
        }
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            ids.add(vg.id());
            for (PhysicalVolume pv : vg.physicalVolumes()) {
                ids.add(pv.id());
            }
            vg.logicalVolumes().forEach(lv -> ids.add(vg.idOf(lv)));
        }
        for (LuksDevice luks : d.encryption()) {
            ids.add(luks.id());
        }
        for (Filesystem fs : d.filesystems()) {
            ids.add(fs.id());
        }
        for (Swap s : d.swap()) {
            ids.add(s.id());
        }
        for (NetworkInterface nic : d.network().interfaces()) {
            ids.add(nic.id());
        }
        return ids;
    }
}
