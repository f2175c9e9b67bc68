package dev.rear.engine.descriptor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.Bootloader;
import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.BtrfsParameters;
import dev.rear.api.descriptor.BtrfsSubvolume;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Dns;
import dev.rear.api.descriptor.DosPartitionKind;
import dev.rear.api.descriptor.EfiBootEntry;
import dev.rear.api.descriptor.Excluded;
import dev.rear.api.descriptor.ExtParameters;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.FilesystemParameters;
import dev.rear.api.descriptor.FilesystemType;
import dev.rear.api.descriptor.Firmware;
import dev.rear.api.descriptor.Host;
import dev.rear.api.descriptor.Kernel;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.LvSegmentType;
import dev.rear.api.descriptor.Lvm;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.Network;
import dev.rear.api.descriptor.NetworkInterface;
import dev.rear.api.descriptor.OsRelease;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PartitionTable;
import dev.rear.api.descriptor.PartitionTableType;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.RaidMember;
import dev.rear.api.descriptor.Route;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VfatParameters;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.api.descriptor.XfsParameters;
import dev.rear.engine.descriptor.DescriptorDiff.Change;
import dev.rear.engine.descriptor.DescriptorDiff.ComponentChange;
import dev.rear.engine.descriptor.DescriptorDiff.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Properties of {@link DescriptorDiff} (and of {@link DescriptorJson}'s canonical form) over random,
 * structurally valid descriptors. Identifiers come from small pools, so that independently drawn
 * descriptors share components and duplicates within one descriptor occur.
 */
class DescriptorDiffProperties {

    static final int TRIES = 200;

    // ---- properties of the diff ---------------------------------------------------------------

    @Property(tries = TRIES)
    void aDescriptorDoesNotDifferFromItself(@ForAll("descriptors") SystemDescriptor a) {
        assertThat(DescriptorDiff.compare(a, a).changes()).isEmpty();
        assertThat(DescriptorDiff.compare(a, a.withCapturedAt(Instant.EPOCH)).isEmpty()).isTrue();
    }

    @Property(tries = TRIES)
    void comparingTheOtherWayRoundIsTheMirrorImage(@ForAll("pairs") Tuple2<SystemDescriptor, SystemDescriptor> pair) {
        Result forward = DescriptorDiff.compare(pair.get1(), pair.get2());
        Result backward = DescriptorDiff.compare(pair.get2(), pair.get1());
        assertThat(DescriptorDiffTest.mirrored(backward)).isEqualTo(forward);
        assertWellFormed(forward);
    }

    @Property(tries = TRIES)
    void theOrderOfComponentListsDoesNotMatter(@ForAll("pairs") Tuple2<SystemDescriptor, SystemDescriptor> pair,
                                               @ForAll Random random) {
        Result expected = DescriptorDiff.compare(pair.get1(), pair.get2());
        Result shuffled = DescriptorDiff.compare(shuffle(pair.get1(), random), shuffle(pair.get2(), random));
        assertThat(shuffled).isEqualTo(expected);
        assertThat(shuffled.toText()).isEqualTo(expected.toText());
        assertThat(shuffled.toJson()).isEqualTo(expected.toJson());
    }

    @Property(tries = TRIES)
    void aJsonRoundTripChangesNothing(@ForAll("descriptors") SystemDescriptor x) {
        SystemDescriptor back = roundTrip(x);
        assertThat(DescriptorDiff.compare(x, back).isEmpty()).isTrue();
        assertThat(back).isEqualTo(x);
    }

    @Property(tries = TRIES)
    void textAndJsonAgreeWithTheChanges(@ForAll("pairs") Tuple2<SystemDescriptor, SystemDescriptor> pair) {
        Result r = DescriptorDiff.compare(pair.get1(), pair.get2());
        JsonNode j = r.toJson();
        assertThat(j.get("changes")).hasSize(r.changes().size());
        long added = r.changes().stream().filter(c -> c.change() == Change.ADDED).count();
        long removed = r.changes().stream().filter(c -> c.change() == Change.REMOVED).count();
        assertThat(j.get("summary").get("added").asLong()).isEqualTo(added);
        assertThat(j.get("summary").get("removed").asLong()).isEqualTo(removed);
        assertThat(j.get("summary").get("changed").asLong()).isEqualTo(r.changes().size() - added - removed);
        if (r.isEmpty()) {
            assertThat(r.toText()).isEqualTo("no differences\n");
        } else {
            assertThat(r.toText()).endsWith(String.format("%d changed, %d added, %d removed\n",
                    r.changes().size() - added - removed, added, removed));
        }
    }

    static void assertWellFormed(Result r) {
        List<ComponentChange> sorted = new ArrayList<>(r.changes());
        sorted.sort(DescriptorDiff.ORDER);
        assertThat(r.changes()).isEqualTo(sorted);
        for (ComponentChange c : r.changes()) {
            switch (c.change()) {
                case ADDED -> {
                    assertThat(c.oldId()).isNull();
                    assertThat(c.newId()).isNotNull();
                    assertThat(c.matchedBy()).isNull();
                    assertThat(c.fields()).allSatisfy(f -> assertThat(f.oldValue()).isNull());
                }
                case REMOVED -> {
                    assertThat(c.newId()).isNull();
                    assertThat(c.oldId()).isNotNull();
                    assertThat(c.matchedBy()).isNull();
                    assertThat(c.fields()).allSatisfy(f -> assertThat(f.newValue()).isNull());
                }
                case CHANGED -> {
                    assertThat(c.oldId()).isNotNull();
                    assertThat(c.newId()).isNotNull();
                    assertThat(c.matchedBy()).isNotNull();
                    assertThat(c.isRename() || !c.fields().isEmpty()).isTrue();
                    assertThat(c.fields()).allSatisfy(f -> assertThat(f.oldValue()).isNotEqualTo(f.newValue()));
                }
            }
        }
    }

    // ---- properties of the canonical JSON -----------------------------------------------------

    @Property(tries = TRIES)
    void canonicalBytesAreStableUnderReserialisationAndKeyOrder(@ForAll("descriptors") SystemDescriptor x,
                                                                 @ForAll Random random) {
        byte[] canonical = DescriptorJson.canonicalBytes(x);
        String sha = DescriptorJson.sha256(x);

        SystemDescriptor again = roundTrip(x);
        assertThat(DescriptorJson.canonicalBytes(again)).isEqualTo(canonical);
        assertThat(DescriptorJson.sha256(again)).isEqualTo(sha);

        SystemDescriptor fromPretty = DescriptorJson.read(DescriptorJson.prettyBytes(x), "t");
        assertThat(DescriptorJson.canonicalBytes(fromPretty)).isEqualTo(canonical);

        JsonNode shuffledTree = shuffleKeys(DescriptorJson.parseTree(canonical, "t"), random);
        assertThat(DescriptorJson.canonicalBytes(shuffledTree)).isEqualTo(canonical);
        SystemDescriptor fromShuffled = DescriptorJson.read(shuffledTree.toString(), "t");
        assertThat(fromShuffled).isEqualTo(x);
        assertThat(DescriptorJson.canonicalBytes(fromShuffled)).isEqualTo(canonical);
        assertThat(DescriptorJson.sha256(fromShuffled)).isEqualTo(sha);
    }

    static SystemDescriptor roundTrip(SystemDescriptor x) {
        return DescriptorJson.read(new String(DescriptorJson.canonicalBytes(x), UTF_8), "t");
    }

    /** The same tree with the keys of every object in a random order. */
    static JsonNode shuffleKeys(JsonNode node, Random random) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
            Collections.shuffle(entries, random);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            entries.forEach(e -> out.set(e.getKey(), shuffleKeys(e.getValue(), random)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(shuffleKeys(child, random)));
            return out;
        }
        return node;
    }

    // ---- shuffling component lists ------------------------------------------------------------

    static <T> List<T> shuffled(List<T> list, Random random) {
        List<T> out = new ArrayList<>(list);
        Collections.shuffle(out, random);
        return out;
    }

    /** The same descriptor with every list of components in a random order. */
    static SystemDescriptor shuffle(SystemDescriptor d, Random random) {
        List<Disk> disks = shuffled(d.disks().stream().map(disk -> {
            PartitionTable t = disk.partitionTable();
            return new Disk(disk.kernelName(), disk.path(), disk.byIdLinks(), disk.sizeBytes(), disk.logicalSectorSize(),
                    disk.physicalSectorSize(), disk.model(), disk.serial(), disk.wwn(), disk.transport(), disk.rotational(),
                    new PartitionTable(t.type(), t.id(), t.firstUsableLba(), t.lastUsableLba(), shuffled(t.partitions(), random)));
        }).toList(), random);
        List<VolumeGroup> vgs = shuffled(d.lvm().volumeGroups().stream().map(vg -> new VolumeGroup(vg.name(), vg.uuid(),
                vg.extentSizeBytes(), vg.sizeBytes(), shuffled(vg.physicalVolumes(), random),
                shuffled(vg.logicalVolumes(), random))).toList(), random);
        Network n = d.network();
        return new SystemDescriptor(d.schema(), d.capturedAt(), d.host(), disks, shuffled(d.raidArrays(), random),
                new Lvm(vgs), shuffled(d.encryption(), random), shuffled(d.filesystems(), random),
                shuffled(d.swap(), random), d.bootloader(),
                new Network(shuffled(n.interfaces(), random), shuffled(n.routes(), random), n.dns()),
                shuffled(d.excluded(), random));
    }

    // ---- generators ---------------------------------------------------------------------------

    @Provide
    Arbitrary<SystemDescriptor> descriptors() {
        return Arbitraries.randomValue(r -> new Gen(r).descriptor());
    }

    /** Pairs: independent descriptors, or a descriptor and a mutation of it. */
    @Provide
    Arbitrary<Tuple2<SystemDescriptor, SystemDescriptor>> pairs() {
        Arbitrary<Tuple2<SystemDescriptor, SystemDescriptor>> independent = Arbitraries.randomValue(r -> {
            Gen g = new Gen(r);
            return Tuple.of(g.descriptor(), g.descriptor());
        });
        Arbitrary<Tuple2<SystemDescriptor, SystemDescriptor>> related = Arbitraries.randomValue(r -> {
            Gen g = new Gen(r);
            SystemDescriptor a = g.descriptor();
            return Tuple.of(a, g.mutate(a));
        });
        return Arbitraries.frequencyOf(Tuple.of(1, independent), Tuple.of(3, related));
    }

    /** Random but structurally valid descriptors (their meaning is not checked). */
    static final class Gen {
        final Random r;

        Gen(Random r) {
            this.r = r;
        }

        static final List<String> KERNEL_NAMES = List.of("sda", "sdb", "sdc", "vda", "nvme0n1");
        static final List<String> WWNS = List.of("0x5000c500a1b2c3d4", "0x5000c500a1b2c3d5", "eui.0025388b91b2c3d6", "naa.600508b1001c4d2e");
        static final List<String> SERIALS = List.of("S3Z1NB0K123456", "WD-WCC4N1234567", "Z1D2ABCD", "QM00001");
        static final List<String> MOUNTPOINTS = List.of("/", "/boot", "/boot/efi", "/home", "/var", "/data", "/srv/www");
        static final List<String> DEVICES = List.of("/dev/sda1", "/dev/sda2", "/dev/sdb1", "/dev/vda3", "/dev/md0",
                "/dev/vg0/root", "/dev/vg0/home", "/dev/data/srv", "/dev/mapper/cryptroot", "/dev/nvme0n1p2");
        static final List<String> VG_NAMES = List.of("vg0", "vg1", "data");
        static final List<String> LV_NAMES = List.of("root", "home", "swap", "var", "srv", "pool");
        static final List<String> IFACES = List.of("eth0", "eth1", "enp1s0", "bond0");
        static final List<String> MACS = List.of("52:54:00:12:34:56", "52:54:00:12:34:57", "00:1b:21:aa:bb:cc");
        static final List<String> DESTINATIONS = List.of("default", "10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32");

        <T> T pick(List<T> xs) {
            return xs.get(r.nextInt(xs.size()));
        }

        <T> T pick(T a, T b) {
            return r.nextBoolean() ? a : b;
        }

        @SafeVarargs
        final <T> T pickOf(T... xs) {
            return xs[r.nextInt(xs.length)];
        }

        <T> T maybe(Supplier<T> s) {
            return r.nextInt(4) == 0 ? null : s.get();
        }

        <T> List<T> list(int max, Supplier<T> s) {
            int n = r.nextInt(max + 1);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(s.get());
            }
            return out;
        }

        String hex(int digits) {
            StringBuilder b = new StringBuilder(digits);
            for (int i = 0; i < digits; i++) {
                b.append(Character.forDigit(r.nextInt(16), 16));
            }
            return b.toString();
        }

        /** A GUID, from a small pool most of the time. */
        String guid() {
            int i = r.nextInt(8);
            if (i < 6) {
                return "1c2d3e4f-0000-4000-8000-00000000000" + i;
            }
            return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-8" + hex(3) + "-" + hex(12);
        }

        String lvmUuid() {
            String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
            int pool = r.nextInt(8);
            Random source = pool < 6 ? new Random(pool) : r;
            StringBuilder b = new StringBuilder();
            int[] groups = {6, 4, 4, 4, 4, 4, 6};
            for (int g = 0; g < groups.length; g++) {
                if (g > 0) {
                    b.append('-');
                }
                for (int i = 0; i < groups[g]; i++) {
                    b.append(alphabet.charAt(source.nextInt(alphabet.length())));
                }
            }
            return b.toString();
        }

        String mdUuid() {
            int pool = r.nextInt(4);
            return pool < 3 ? "3b4c5d6e:7f801234:56789abc:def0123" + pool : hex(8) + ":" + hex(8) + ":" + hex(8) + ":" + hex(8);
        }

        long positive(long max) {
            return 1 + (long) (r.nextDouble() * max);
        }

        SystemDescriptor descriptor() {
            return new SystemDescriptor(SystemDescriptor.SCHEMA, Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1_000_000)),
                    host(), list(3, this::disk), list(2, this::raid), new Lvm(list(2, this::vg)), list(2, this::luks),
                    list(4, this::filesystem), list(2, this::swap), bootloader(), network(), list(2, this::excluded));
        }

        Host host() {
            return new Host(pickOf("web1", "db1", "localhost"), maybe(() -> hex(32)), pickOf("x86_64", "aarch64"),
                    maybe(() -> new OsRelease(pickOf("debian", "sles", "rhel"), list(2, () -> pickOf("suse", "fedora")),
                            maybe(() -> pickOf("12", "15.5", "9.4")), maybe(() -> "Some Linux"))),
                    new Kernel(pickOf("6.1.0-28-amd64", "5.14.21-150500"), pickOf("ro quiet", "root=/dev/vg0/root")),
                    pick(Firmware.BIOS, Firmware.UEFI), maybe(r::nextBoolean));
        }

        Disk disk() {
            String name = pick(KERNEL_NAMES);
            PartitionTableType type = pickOf(PartitionTableType.GPT, PartitionTableType.DOS, PartitionTableType.NONE);
            List<Partition> parts = new ArrayList<>();
            if (type != PartitionTableType.NONE) {
                int n = r.nextInt(4);
                long start = 2048;
                for (int i = 1; i <= n; i++) {
                    long size = positive(1L << 24);
                    String sep = name.startsWith("nvme") ? "p" : "";
                    parts.add(new Partition(i, "/dev/" + name + sep + i, start, size,
                            type == PartitionTableType.GPT ? "0fc63daf-8483-4772-8e79-3d69d8477de4" : pickOf("83", "8e", "fd"),
                            maybe(this::guid), type == PartitionTableType.GPT ? maybe(() -> pickOf("root", "data")) : null,
                            list(2, () -> pickOf("boot", "esp", "lvm", "raid")), null,
                            type == PartitionTableType.DOS ? DosPartitionKind.PRIMARY : null));
                    start += size;
                }
            }
            PartitionTable table = type == PartitionTableType.NONE ? PartitionTable.NONE
                    : new PartitionTable(type, maybe(type == PartitionTableType.GPT ? this::guid : () -> "0x" + hex(8)),
                            type == PartitionTableType.GPT ? 2048L : null, type == PartitionTableType.GPT ? positive(1L << 30) : null,
                            parts);
            return new Disk(name, "/dev/" + name, list(2, () -> "/dev/disk/by-id/" + pickOf("wwn-", "ata-") + hex(6)),
                    positive(1L << 40), pick(512, 4096), pick(512, 4096), maybe(() -> pickOf("QEMU HARDDISK", "Samsung SSD")),
                    maybe(() -> pick(SERIALS)), maybe(() -> pick(WWNS)), maybe(() -> pickOf("sata", "nvme", "virtio")),
                    maybe(r::nextBoolean), table);
        }

        RaidArray raid() {
            return new RaidArray(pickOf("/dev/md0", "/dev/md1", "/dev/md/root"), maybe(() -> pickOf("host:0", "root")),
                    pickOf("raid1", "raid5", "raid0"), pickOf("1.2", "1.0"), mdUuid(), maybe(() -> 524_288L),
                    maybe(() -> "left-symmetric"), maybe(() -> "internal"), maybe(() -> positive(1L << 36)), 1 + r.nextInt(3),
                    list(3, () -> new RaidMember(pick(DEVICES), maybe(() -> r.nextInt(4)), list(2, () -> pickOf("active", "sync")))));
        }

        VolumeGroup vg() {
            return new VolumeGroup(pick(VG_NAMES), lvmUuid(), 4_194_304, positive(1L << 40),
                    list(2, () -> new PhysicalVolume(pick(DEVICES), lvmUuid(), positive(1L << 40))),
                    list(3, this::lv));
        }

        LogicalVolume lv() {
            return new LogicalVolume(pick(LV_NAMES), lvmUuid(), positive(1L << 36),
                    pickOf(LvSegmentType.LINEAR, LvSegmentType.STRIPED, LvSegmentType.THIN),
                    maybe(() -> 1 + r.nextInt(4)), maybe(() -> 65_536L), null, maybe(() -> "pool"), null, null);
        }

        LuksDevice luks() {
            return new LuksDevice(pickOf("cryptroot", "crypthome", "luks-data"), pick(DEVICES), 1 + r.nextInt(2),
                    "aes-xts-plain64", pick(256, 512), maybe(() -> "sha256"), maybe(() -> pickOf("pbkdf2", "argon2id")),
                    guid(), maybe(() -> "root"));
        }

        Filesystem filesystem() {
            FilesystemType type = pick(List.of(FilesystemType.values()));
            FilesystemParameters params = r.nextInt(3) == 0 ? null : switch (type.parametersKind()) {
                case "ext" -> new ExtParameters(4096, 256, maybe(() -> 16_384L), maybe(() -> positive(1L << 30)),
                        maybe(() -> positive(1L << 26)), maybe(() -> positive(1L << 20) - 1), list(3, () -> pickOf("has_journal", "extent", "64bit")),
                        maybe(() -> -1), maybe(() -> 0L), list(2, () -> pickOf("user_xattr", "acl")));
                case "xfs" -> new XfsParameters(4096, 512, 512, 1 + r.nextInt(8), maybe(() -> positive(1L << 20)),
                        maybe(() -> positive(1L << 16)), maybe(() -> r.nextInt(4)), maybe(() -> r.nextInt(4)),
                        maybe(r::nextBoolean), maybe(r::nextBoolean), maybe(r::nextBoolean), maybe(r::nextBoolean),
                        maybe(r::nextBoolean), maybe(r::nextBoolean));
                case "btrfs" -> new BtrfsParameters(16_384, 4096, maybe(() -> "single"), maybe(() -> "dup"),
                        list(1, () -> pick(DEVICES)),
                        list(2, () -> new BtrfsSubvolume(256 + r.nextInt(10), pickOf("@", "@/home", "@/.snapshots"),
                                maybe(() -> pick(MOUNTPOINTS)))),
                        maybe(() -> 5L), list(2, () -> pickOf("no-holes", "free-space-tree")));
                default -> new VfatParameters(pickOf("1A2B-3C4D", "ABCD-0123"), pickOf(12, 16, 32), maybe(() -> 8));
            };
            return new Filesystem(pick(DEVICES), type, maybe(() -> type == FilesystemType.VFAT ? pickOf("1A2B-3C4D", "ABCD-0123") : guid()),
                    maybe(() -> pickOf("root", "data", "EFI")),
                    list(2, () -> new Mount(pick(MOUNTPOINTS), list(2, () -> pickOf("defaults", "noatime", "subvol=@")))),
                    params);
        }

        Swap swap() {
            return new Swap(pick(DEVICES), maybe(this::guid), maybe(() -> "swap"), maybe(() -> r.nextInt(10) - 2));
        }

        Bootloader bootloader() {
            return switch (r.nextInt(3)) {
                case 0 -> Bootloader.NONE;
                case 1 -> new Bootloader(BootloaderType.GRUB2_BIOS, list(2, () -> "/dev/" + pick(KERNEL_NAMES)), null, List.of(), List.of());
                default -> new Bootloader(pick(BootloaderType.GRUB2_EFI, BootloaderType.SYSTEMD_BOOT), List.of(), maybe(() -> pick(DEVICES)),
                        list(2, () -> new EfiBootEntry(pickOf("0000", "0001", "000A"), pickOf("debian", "UEFI Shell"),
                                maybe(this::guid), maybe(() -> "\\EFI\\debian\\shimx64.efi"), r.nextBoolean())),
                        list(3, () -> pickOf("0000", "0001", "000A")));
            };
        }

        Network network() {
            return new Network(
                    list(3, this::networkInterface),
                    list(2, () -> new Route(pick(DESTINATIONS), maybe(() -> "192.0.2.1"), maybe(() -> pick(IFACES)), maybe(() -> r.nextInt(200)))),
                    maybe(() -> new Dns(list(2, () -> pickOf("192.0.2.53", "2001:db8::53")), list(2, () -> pickOf("example.org", "lan")))));
        }

        NetworkInterface networkInterface() {
            return new NetworkInterface(pick(IFACES), maybe(() -> pick(MACS)), maybe(() -> pick(1500, 9000)),
                    r.nextBoolean(), list(2, () -> pickOf("192.0.2.10/24", "2001:db8::5/64")), maybe(() -> "virtio_net"));
        }

        Excluded excluded() {
            return new Excluded(pickOf("disk:sdc", "vg:scratch", "fs:/mnt/backup"), pickOf("AUTOEXCLUDE_DISKS", "EXCLUDE_VG", "BACKUP_TARGET"),
                    maybe(() -> "left out"));
        }

        // ---- mutations: what changes between two captures of one machine ----

        <T> List<T> mutateList(List<T> xs, Supplier<T> fresh, Function<T, T> change) {
            List<T> out = new ArrayList<>();
            for (T x : xs) {
                int roll = r.nextInt(10);
                if (roll == 0) {
                    continue; // removed
                }
                out.add(roll == 1 ? change.apply(x) : x);
            }
            if (r.nextInt(4) == 0) {
                out.add(fresh.get());
            }
            return out;
        }

        SystemDescriptor mutate(SystemDescriptor d) {
            List<Disk> disks = new ArrayList<>(mutateList(d.disks(), this::disk, this::changeDisk));
            if (disks.size() >= 2 && r.nextBoolean()) {
                // the kernel swaps two names
                Disk a = disks.get(0);
                Disk b = disks.get(1);
                disks.set(0, renamed(a, b.kernelName()));
                disks.set(1, renamed(b, a.kernelName()));
            }
            List<VolumeGroup> vgs = mutateList(d.lvm().volumeGroups(), this::vg, vg -> new VolumeGroup(
                    r.nextBoolean() ? pick(VG_NAMES) : vg.name(), vg.uuid(), vg.extentSizeBytes(), positive(1L << 40),
                    mutateList(vg.physicalVolumes(), () -> new PhysicalVolume(pick(DEVICES), lvmUuid(), positive(1L << 40)),
                            pv -> new PhysicalVolume(pick(DEVICES), pv.uuid(), pv.sizeBytes())),
                    mutateList(vg.logicalVolumes(), this::lv,
                            lv -> new LogicalVolume(pick(LV_NAMES), lv.uuid(), positive(1L << 36), lv.segmentType(), lv.stripes(),
                                    lv.stripeSizeBytes(), lv.mirrors(), lv.pool(), lv.metadataSizeBytes(), lv.chunkSizeBytes()))));
            List<Filesystem> filesystems = mutateList(d.filesystems(), this::filesystem, fs -> new Filesystem(
                    r.nextBoolean() ? pick(DEVICES) : fs.device(), fs.type(), fs.uuid(), maybe(() -> "relabelled"),
                    r.nextBoolean() ? List.of(new Mount(pick(MOUNTPOINTS), List.of())) : fs.mounts(), fs.parameters()));
            Network n = d.network();
            return new SystemDescriptor(d.schema(), d.capturedAt().plusSeconds(3600),
                    r.nextInt(4) == 0 ? host() : d.host(),
                    disks,
                    mutateList(d.raidArrays(), this::raid, md -> new RaidArray(pickOf("/dev/md0", "/dev/md127"), md.name(),
                            md.level(), md.metadata(), md.uuid(), md.chunkSizeBytes(), md.layout(), md.bitmap(), md.sizeBytes(),
                            md.raidDevices(), md.members())),
                    new Lvm(vgs),
                    mutateList(d.encryption(), this::luks, l -> new LuksDevice(pickOf("cryptroot", "crypthome"), l.device(),
                            l.version(), l.cipher(), l.keySizeBits(), l.hash(), l.pbkdf(), l.uuid(), l.label())),
                    filesystems,
                    mutateList(d.swap(), this::swap, s -> new Swap(pick(DEVICES), s.uuid(), s.label(), s.priority())),
                    r.nextInt(4) == 0 ? bootloader() : d.bootloader(),
                    new Network(
                            mutateList(n.interfaces(), this::networkInterface,
                                    i -> new NetworkInterface(pick(IFACES), i.mac(), i.mtu(), !i.dhcp(), i.addresses(), i.driver())),
                            mutateList(n.routes(), () -> new Route(pick(DESTINATIONS), null, null, null),
                                    rt -> new Route(rt.destination(), maybe(() -> "192.0.2.254"), rt.device(), rt.metric())),
                            r.nextInt(4) == 0 ? new Dns(List.of("198.51.100.53"), List.of()) : n.dns()),
                    mutateList(d.excluded(), this::excluded, e -> new Excluded(e.component(), e.rule(), "changed reason")));
        }

        Disk changeDisk(Disk d) {
            PartitionTable t = d.partitionTable();
            List<Partition> parts = mutateList(t.partitions(),
                    () -> new Partition(9, d.path() + "9", 1L << 30, 2048, "83", maybe(this::guid), null, List.of(), null, null),
                    p -> new Partition(p.number(), p.path(), p.startSector(), positive(1L << 24), p.type(),
                            r.nextInt(3) == 0 ? maybe(this::guid) : p.partUuid(), p.name(), p.flags(), p.attributes(), p.kind()));
            return new Disk(d.kernelName(), d.path(), d.byIdLinks(), positive(1L << 40), d.logicalSectorSize(),
                    d.physicalSectorSize(), d.model(), r.nextInt(4) == 0 ? maybe(() -> pick(SERIALS)) : d.serial(),
                    r.nextInt(4) == 0 ? maybe(() -> pick(WWNS)) : d.wwn(), d.transport(), d.rotational(),
                    new PartitionTable(t.type(), t.id(), t.firstUsableLba(), t.lastUsableLba(), parts));
        }

        static Disk renamed(Disk d, String kernelName) {
            return DescriptorDiffTest.renamed(d, kernelName);
        }
    }
}
