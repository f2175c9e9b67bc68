package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.descriptor.BtrfsParameters;
import dev.rear.api.descriptor.BtrfsSubvolume;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.testing.RearRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/** Rediscovers recreated disks and compares them with the original descriptor field by field. */
final class Recreated {
    private Recreated() {}

    /** Where a partition is expected instead of its original place (a resize). */
    record Placement(long startSector, long sizeSectors) { }

    /** {@code rear savelayout} of this machine now, the loop devices {@code mine} included. */
    static SystemDescriptor rediscover(Path tmp, String name, List<String> mine) {
        Path dir = tmp.resolve(name);
        RearRun again = RearRun.withoutConfig(tmp, LayoutOnlyIT.savelayout(dir, mine));
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        return DescriptorFiles.load(dir.resolve("descriptor.json"));
    }

    /**
     * Every mapped disk of {@code r} equals its original in {@code d}: table type and id, partitions'
     * numbers, starts, sizes, types, kinds, names and PARTUUIDs (except the partitions of
     * {@code moved}, which must be exactly there), and every filesystem's type, UUID, label, btrfs
     * subvolumes and default subvolume, and mountpoints under {@code targetRoot}.
     *
     * @param sizes the expected size in bytes of each target disk
     */
    static void assertEqual(SystemDescriptor d, SystemDescriptor r, Map<String, String> map, Map<String, Long> sizes,
                            Map<String, Placement> moved, Path targetRoot) {
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, String> e : map.entrySet()) {
            Disk o = disk(d, e.getKey());
            Disk n = disk(r, e.getValue());
            String where = e.getKey() + " -> " + e.getValue();
            soft.assertThat(n.sizeBytes()).as(where + " size").isEqualTo(sizes.getOrDefault(e.getValue(), o.sizeBytes()));
            soft.assertThat(n.partitionTable().type()).as(where + " table type").isEqualTo(o.partitionTable().type());
            soft.assertThat(n.partitionTable().id()).as(where + " table id").isEqualTo(o.partitionTable().id());
            List<Partition> op = o.partitionTable().partitions();
            List<Partition> np = n.partitionTable().partitions();
            soft.assertThat(np).as(where + " numbers").extracting(Partition::number).isEqualTo(op.stream().map(Partition::number).toList());
            soft.assertThat(np).as(where + " starts").extracting(Partition::startSector).isEqualTo(op.stream()
                    .map(p -> moved.containsKey(p.path()) ? moved.get(p.path()).startSector() : p.startSector()).toList());
            soft.assertThat(np).as(where + " sizes").extracting(Partition::sizeSectors).isEqualTo(op.stream()
                    .map(p -> moved.containsKey(p.path()) ? moved.get(p.path()).sizeSectors() : p.sizeSectors()).toList());
            soft.assertThat(np).as(where + " types").extracting(Partition::type).isEqualTo(op.stream().map(Partition::type).toList());
            soft.assertThat(np).as(where + " kinds").extracting(Partition::kind).isEqualTo(op.stream().map(Partition::kind).toList());
            soft.assertThat(np).as(where + " names").extracting(Partition::name).isEqualTo(op.stream().map(Partition::name).toList());
            soft.assertThat(np).as(where + " PARTUUIDs").extracting(Partition::partUuid).isEqualTo(op.stream().map(Partition::partUuid).toList());
            for (Partition p : op) {
                String np2 = e.getValue() + "p" + p.number();
                d.filesystems().stream().filter(f -> f.device().equals(p.path())).findFirst().ifPresent(f -> {
                    Filesystem nf = fs(r, np2);
                    soft.assertThat(nf.type()).as(np2 + " type").isEqualTo(f.type());
                    soft.assertThat(nf.uuid()).as(np2 + " UUID").isEqualTo(f.uuid());
                    soft.assertThat(nf.label()).as(np2 + " label").isEqualTo(f.label());
                    if (f.parameters() instanceof BtrfsParameters ob) {
                        BtrfsParameters nb = (BtrfsParameters) nf.parameters();
                        soft.assertThat(nb.subvolumes()).as(np2 + " subvolumes").extracting(BtrfsSubvolume::path)
                                .containsExactlyInAnyOrderElementsOf(ob.subvolumes().stream().map(BtrfsSubvolume::path).toList());
                        soft.assertThat(defaultPath(nb)).as(np2 + " default subvolume").isEqualTo(defaultPath(ob));
                    }
                    soft.assertThat(nf.mounts()).as(np2 + " mounts").extracting(m -> m.mountpoint()).containsAll(f.mounts().stream()
                            .map(m -> m.mountpoint().equals("/") ? targetRoot.toString() : targetRoot + m.mountpoint()).toList());
                });
                d.swap().stream().filter(s -> s.device().equals(p.path())).findFirst().ifPresent(s -> {
                    var ns = r.swap().stream().filter(x -> x.device().equals(np2)).findFirst();
                    // Swap not in use is not in /proc/swaps: blkid's view is what the descriptor has then.
                    ns.ifPresent(x -> soft.assertThat(x.uuid()).as(np2 + " swap UUID").isEqualTo(s.uuid()));
                });
            }
        }
        soft.assertAll();
    }

    private static String defaultPath(BtrfsParameters b) {
        return b.subvolumes().stream().filter(s -> Long.valueOf(s.id()).equals(b.defaultSubvolumeId()))
                .map(BtrfsSubvolume::path).findFirst().orElse(null);
    }

    static Disk disk(SystemDescriptor d, String path) {
        return LayoutOnlyIT.disk(d, path);
    }

    static Filesystem fs(SystemDescriptor d, String device) {
        return LayoutOnlyIT.fs(d, device);
    }
}
