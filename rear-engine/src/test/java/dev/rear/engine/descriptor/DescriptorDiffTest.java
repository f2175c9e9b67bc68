package dev.rear.engine.descriptor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rear.api.descriptor.Bootloader;
import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Dns;
import dev.rear.api.descriptor.EfiBootEntry;
import dev.rear.api.descriptor.ExtParameters;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.FilesystemType;
import dev.rear.api.descriptor.Firmware;
import dev.rear.api.descriptor.Host;
import dev.rear.api.descriptor.Kernel;
import dev.rear.api.descriptor.LogicalVolume;
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
import dev.rear.api.descriptor.Route;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VfatParameters;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.engine.descriptor.DescriptorDiff.Change;
import dev.rear.engine.descriptor.DescriptorDiff.ComponentChange;
import dev.rear.engine.descriptor.DescriptorDiff.FieldChange;
import dev.rear.engine.descriptor.DescriptorDiff.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DescriptorDiffTest {

    static final String WWN_A = "0x5000c500a1b2c3d4";
    static final String WWN_B = "0x5000c500a1b2c3d5";
    static final String PARTUUID_A1 = "1c2d3e4f-0000-4000-8000-00000000a001";
    static final String PARTUUID_A2 = "1c2d3e4f-0000-4000-8000-00000000a002";
    static final String PARTUUID_B1 = "1c2d3e4f-0000-4000-8000-00000000b001";
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    // ---- fixtures -----------------------------------------------------------------------------

    static Partition partition(String disk, int number, long start, long size, String partUuid, String... flags) {
        return new Partition(number, "/dev/" + disk + number, start, size,
                "0fc63daf-8483-4772-8e79-3d69d8477de4", partUuid, null, List.of(flags), null, null);
    }

    static Disk disk(String kernelName, String wwn, String serial, String tableId, List<Partition> partitions) {
        return new Disk(kernelName, "/dev/" + kernelName, List.of("/dev/disk/by-id/wwn-" + wwn),
                107_374_182_400L, 512, 4096, "QEMU HARDDISK", serial, wwn, "sata", true,
                new PartitionTable(PartitionTableType.GPT, tableId, 2048L, 209_715_166L, partitions));
    }

    static Disk sda() {
        return disk("sda", WWN_A, "SER-A", "5b7c1e2a-1111-4d3e-9f00-0000000000aa", List.of(
                partition("sda", 1, 2048, 1_048_576, PARTUUID_A1, "esp"),
                partition("sda", 2, 1_050_624, 2_097_152, PARTUUID_A2, "lvm")));
    }

    static Disk sdb() {
        return disk("sdb", WWN_B, "SER-B", "5b7c1e2a-1111-4d3e-9f00-0000000000bb", List.of(
                partition("sdb", 1, 2048, 8_388_608, PARTUUID_B1)));
    }

    static final String VG_UUID = "Aa1Bb2-Cc3D-d4Ee-5Ff6-Gg7H-h8Ii-9Jj0Kk";
    static final String LV_ROOT_UUID = "Ll1Mm2-Nn3O-o4Pp-5Qq6-Rr7S-s8Tt-9Uu0Vv";
    static final String LV_SWAP_UUID = "Ww1Xx2-Yy3Z-z4Aa-5Bb6-Cc7D-d8Ee-9Ff0Gg";

    static LogicalVolume lv(String name, String uuid, long size) {
        return new LogicalVolume(name, uuid, size, LvSegmentType.LINEAR, null, null, null, null, null, null);
    }

    static VolumeGroup vg0(List<LogicalVolume> lvs) {
        return new VolumeGroup("vg0", VG_UUID, 4_194_304, 1_069_547_520L,
                List.of(new PhysicalVolume("/dev/sda2", "Hh1Ii2-Jj3K-k4Ll-5Mm6-Nn7O-o8Pp-9Qq0Rr", 1_071_644_672L)), lvs);
    }

    static Filesystem rootFs() {
        return new Filesystem("/dev/vg0/root", FilesystemType.EXT4, "0b9f6c3e-7d2a-4f1b-8c5d-6e7f8a9b0c1d", "root",
                List.of(new Mount("/", List.of("defaults", "errors=remount-ro"))),
                new ExtParameters(4096, 256, 16384L, 2_097_152L, 524_288L, 104_857L, List.of("has_journal", "extent"), -1, 0L, List.of()));
    }

    static Filesystem espFs() {
        return new Filesystem("/dev/sda1", FilesystemType.VFAT, "1A2B-3C4D", null,
                List.of(new Mount("/boot/efi", List.of("umask=0077"))), new VfatParameters("1A2B-3C4D", 32, 8));
    }

    static Filesystem dataFs() {
        return new Filesystem("/dev/sdb1", FilesystemType.XFS, "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "data",
                List.of(new Mount("/data", List.of("defaults"))), null);
    }

    static Host host() {
        return new Host("web1", "0123456789abcdef0123456789abcdef", "x86_64",
                new OsRelease("debian", List.of(), "12", "Debian GNU/Linux 12 (bookworm)"),
                new Kernel("6.1.0-28-amd64", "BOOT_IMAGE=/vmlinuz root=/dev/mapper/vg0-root ro quiet"),
                Firmware.UEFI, false);
    }

    static SystemDescriptor base() {
        return new SystemDescriptor(SystemDescriptor.SCHEMA, T0, host(),
                List.of(sda(), sdb()),
                List.of(),
                new Lvm(List.of(vg0(List.of(lv("root", LV_ROOT_UUID, 536_870_912L), lv("swap", LV_SWAP_UUID, 268_435_456L))))),
                List.of(),
                List.of(rootFs(), espFs(), dataFs()),
                List.of(new Swap("/dev/vg0/swap", "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d", null, null)),
                new Bootloader(BootloaderType.GRUB2_EFI, List.of(), "/dev/sda1",
                        List.of(new EfiBootEntry("0001", "debian", PARTUUID_A1, "\\EFI\\debian\\shimx64.efi", true)),
                        List.of("0001")),
                new Network(List.of(new NetworkInterface("eth0", "52:54:00:12:34:56", 1500, false,
                                List.of("192.0.2.10/24"), "virtio_net")),
                        List.of(new Route("default", "192.0.2.1", "eth0", null)),
                        new Dns(List.of("192.0.2.53"), List.of("example.org"))),
                List.of());
    }

    static SystemDescriptor with(SystemDescriptor d, List<Disk> disks) {
        return new SystemDescriptor(d.schema(), d.capturedAt(), d.host(), disks, d.raidArrays(), d.lvm(), d.encryption(),
                d.filesystems(), d.swap(), d.bootloader(), d.network(), d.excluded());
    }

    static SystemDescriptor withFilesystems(SystemDescriptor d, List<Filesystem> filesystems) {
        return new SystemDescriptor(d.schema(), d.capturedAt(), d.host(), d.disks(), d.raidArrays(), d.lvm(), d.encryption(),
                filesystems, d.swap(), d.bootloader(), d.network(), d.excluded());
    }

    static SystemDescriptor withSwap(SystemDescriptor d, List<Swap> swap) {
        return new SystemDescriptor(d.schema(), d.capturedAt(), d.host(), d.disks(), d.raidArrays(), d.lvm(), d.encryption(),
                d.filesystems(), swap, d.bootloader(), d.network(), d.excluded());
    }

    static SystemDescriptor withLvm(SystemDescriptor d, Lvm lvm) {
        return new SystemDescriptor(d.schema(), d.capturedAt(), d.host(), d.disks(), d.raidArrays(), lvm, d.encryption(),
                d.filesystems(), d.swap(), d.bootloader(), d.network(), d.excluded());
    }

    static SystemDescriptor withHost(SystemDescriptor d, Host host) {
        return new SystemDescriptor(d.schema(), d.capturedAt(), host, d.disks(), d.raidArrays(), d.lvm(), d.encryption(),
                d.filesystems(), d.swap(), d.bootloader(), d.network(), d.excluded());
    }

    /** The same disk under another kernel name, its partitions' paths following. */
    static Disk renamed(Disk d, String kernelName) {
        List<Partition> parts = d.partitionTable().partitions().stream()
                .map(p -> new Partition(p.number(), "/dev/" + kernelName + p.number(), p.startSector(), p.sizeSectors(),
                        p.type(), p.partUuid(), p.name(), p.flags(), p.attributes(), p.kind()))
                .toList();
        PartitionTable t = d.partitionTable();
        return new Disk(kernelName, "/dev/" + kernelName, d.byIdLinks(), d.sizeBytes(), d.logicalSectorSize(),
                d.physicalSectorSize(), d.model(), d.serial(), d.wwn(), d.transport(), d.rotational(),
                new PartitionTable(t.type(), t.id(), t.firstUsableLba(), t.lastUsableLba(), parts));
    }

    static Disk mapPartitions(Disk d, UnaryOperator<Partition> f) {
        PartitionTable t = d.partitionTable();
        return new Disk(d.kernelName(), d.path(), d.byIdLinks(), d.sizeBytes(), d.logicalSectorSize(),
                d.physicalSectorSize(), d.model(), d.serial(), d.wwn(), d.transport(), d.rotational(),
                new PartitionTable(t.type(), t.id(), t.firstUsableLba(), t.lastUsableLba(),
                        t.partitions().stream().map(f).toList()));
    }

    static Partition resized(Partition p, long sizeSectors) {
        return new Partition(p.number(), p.path(), p.startSector(), sizeSectors, p.type(), p.partUuid(), p.name(),
                p.flags(), p.attributes(), p.kind());
    }

    static JsonNode json(Object value) {
        return DescriptorJson.mapper().valueToTree(value);
    }

    /** {@code compare(b, a)} turned around: must equal {@code compare(a, b)}. */
    static Result mirrored(Result r) {
        List<ComponentChange> out = new ArrayList<>();
        for (ComponentChange c : r.changes()) {
            Change change = switch (c.change()) {
                case ADDED -> Change.REMOVED;
                case REMOVED -> Change.ADDED;
                case CHANGED -> Change.CHANGED;
            };
            out.add(new ComponentChange(change, c.kind(), c.newId(), c.oldId(), c.matchedBy(),
                    c.fields().stream().map(f -> new FieldChange(f.field(), f.newValue(), f.oldValue())).toList()));
        }
        out.sort(DescriptorDiff.ORDER);
        return new Result(out);
    }

    static Result compare(SystemDescriptor a, SystemDescriptor b) {
        Result r = DescriptorDiff.compare(a, b);
        assertThat(mirrored(DescriptorDiff.compare(b, a))).as("mirror").isEqualTo(r);
        return r;
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void identicalDescriptorsHaveNoDifferences() {
        Result r = compare(base(), base());
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.toText()).isEqualTo("no differences\n");
        assertThat(r.toJson().toString()).isEqualTo("{\"changes\":[],\"summary\":{\"added\":0,\"removed\":0,\"changed\":0}}");
    }

    @Test
    void capturedAtIsIgnored() {
        assertThat(compare(base(), base().withCapturedAt(T0.plusSeconds(86_400))).isEmpty()).isTrue();
    }

    @Test
    void usedSpaceIsACaptureDetailLikeCapturedAt() {
        // it changes with every write; reported, every checklayout of a live system would be a difference
        SystemDescriptor older = withFilesystems(base(), List.of(rootFs().withUsedBytes(1_000_000_000L), espFs()));
        assertThat(compare(older, withFilesystems(base(), List.of(rootFs().withUsedBytes(2_000_000_000L), espFs()))).isEmpty()).isTrue();
        assertThat(compare(older, withFilesystems(base(), List.of(rootFs(), espFs()))).isEmpty()).as("recorded, then not").isTrue();
        // the layout beside it is still compared
        Filesystem relabelled = new Filesystem(rootFs().device(), rootFs().type(), rootFs().uuid(), "other", rootFs().mounts(),
                rootFs().parameters(), 3L);
        assertThat(compare(older, withFilesystems(base(), List.of(relabelled, espFs()))).changes()).singleElement()
                .satisfies(c -> assertThat(c.fields()).extracting(FieldChange::field).containsExactly("label"));
    }

    @Test
    void resizedPartitionIsOneChangedPartition() {
        SystemDescriptor older = base();
        SystemDescriptor newer = with(older, List.of(
                mapPartitions(sda(), p -> p.number() == 2 ? resized(p, 4_194_304) : p), sdb()));

        Result r = compare(older, newer);

        assertThat(r.changes()).containsExactly(new ComponentChange(Change.CHANGED, "partition", "part:sda2", "part:sda2",
                "partUuid", List.of(new FieldChange("sizeSectors", json(2_097_152L), json(4_194_304L)))));
        assertThat(r.changes().get(0).isRename()).isFalse();
    }

    @Test
    void addedAndRemovedFilesystems() {
        SystemDescriptor older = withFilesystems(base(), List.of(rootFs(), espFs()));
        SystemDescriptor newer = base();

        Result added = compare(older, newer);
        assertThat(added.changes()).hasSize(1);
        ComponentChange c = added.changes().get(0);
        assertThat(c.change()).isEqualTo(Change.ADDED);
        assertThat(c.kind()).isEqualTo("filesystem");
        assertThat(c.oldId()).isNull();
        assertThat(c.newId()).isEqualTo("fs:/data");
        assertThat(c.matchedBy()).isNull();
        assertThat(c.fields()).extracting(FieldChange::field)
                .containsExactly("device", "label", "mounts", "type", "uuid");
        assertThat(c.fields()).allSatisfy(f -> assertThat(f.oldValue()).isNull());

        Result removed = compare(newer, older);
        assertThat(removed.changes()).extracting(ComponentChange::change, ComponentChange::oldId, ComponentChange::newId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.REMOVED, "fs:/data", null));
    }

    @Test
    void swappedKernelNamesAreTwoRenamesNotTwoChangedDisks() {
        SystemDescriptor older = base();
        SystemDescriptor newer = with(older, List.of(renamed(sdb(), "sda"), renamed(sda(), "sdb")));

        Result r = compare(older, newer);

        assertThat(r.changes()).allSatisfy(c -> {
            assertThat(c.change()).isEqualTo(Change.CHANGED);
            assertThat(c.isRename()).isTrue();
        });
        List<ComponentChange> disks = r.changes().stream().filter(c -> c.kind().equals("disk")).toList();
        assertThat(disks).extracting(ComponentChange::oldId, ComponentChange::newId, ComponentChange::matchedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("disk:sdb", "disk:sda", "wwn"),
                        org.assertj.core.groups.Tuple.tuple("disk:sda", "disk:sdb", "wwn"));
        assertThat(disks.get(1).fields()).containsExactly(
                new FieldChange("kernelName", json("sda"), json("sdb")),
                new FieldChange("path", json("/dev/sda"), json("/dev/sdb")));
        List<ComponentChange> parts = r.changes().stream().filter(c -> c.kind().equals("partition")).toList();
        assertThat(parts).extracting(ComponentChange::oldId, ComponentChange::newId, ComponentChange::matchedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("part:sdb1", "part:sda1", "partUuid"),
                        org.assertj.core.groups.Tuple.tuple("part:sda1", "part:sdb1", "partUuid"),
                        org.assertj.core.groups.Tuple.tuple("part:sda2", "part:sdb2", "partUuid"));
        assertThat(parts.get(2).fields()).containsExactly(
                new FieldChange("disk", json("disk:sda"), json("disk:sdb")),
                new FieldChange("path", json("/dev/sda2"), json("/dev/sdb2")));
        assertThat(r.changes()).hasSize(5);
    }

    @Test
    void swappedDisksWithoutWwnMatchBySerial() {
        Disk a = new Disk("sda", "/dev/sda", List.of(), 1_000_000_000L, 512, 512, null, "SER-A", null, null, null, PartitionTable.NONE);
        Disk b = new Disk("sdb", "/dev/sdb", List.of(), 2_000_000_000L, 512, 512, null, "SER-B", null, null, null, PartitionTable.NONE);
        Disk a2 = new Disk("sdb", "/dev/sdb", List.of(), 1_000_000_000L, 512, 512, null, "SER-A", null, null, null, PartitionTable.NONE);
        Disk b2 = new Disk("sda", "/dev/sda", List.of(), 2_000_000_000L, 512, 512, null, "SER-B", null, null, null, PartitionTable.NONE);

        Result r = compare(with(base(), List.of(a, b)), with(base(), List.of(b2, a2)));

        assertThat(r.changes()).extracting(ComponentChange::oldId, ComponentChange::newId, ComponentChange::matchedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("disk:sdb", "disk:sda", "serial"),
                        org.assertj.core.groups.Tuple.tuple("disk:sda", "disk:sdb", "serial"));
    }

    @Test
    void diskReplacedByOneWithAnotherWwnIsRemovedAndAdded() {
        SystemDescriptor older = base();
        Disk replacement = disk("sdb", "0x5000c500ffffffff", "SER-NEW", "5b7c1e2a-1111-4d3e-9f00-0000000000cc", List.of(
                partition("sdb", 1, 2048, 8_388_608, "1c2d3e4f-0000-4000-8000-00000000c001")));
        SystemDescriptor newer = with(older, List.of(sda(), replacement));

        Result r = compare(older, newer);

        assertThat(r.changes()).extracting(ComponentChange::change, ComponentChange::kind, ComponentChange::oldId, ComponentChange::newId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Change.ADDED, "disk", null, "disk:sdb"),
                        org.assertj.core.groups.Tuple.tuple(Change.REMOVED, "disk", "disk:sdb", null),
                        org.assertj.core.groups.Tuple.tuple(Change.ADDED, "partition", null, "part:sdb1"),
                        org.assertj.core.groups.Tuple.tuple(Change.REMOVED, "partition", "part:sdb1", null));
        assertThat(r.toText()).endsWith("0 changed, 2 added, 2 removed\n");
    }

    @Test
    void partitionsWithoutPartUuidMatchByDiskAndNumber() {
        UnaryOperator<Partition> noUuid = p -> new Partition(p.number(), p.path(), p.startSector(), p.sizeSectors(),
                p.type(), null, p.name(), p.flags(), p.attributes(), p.kind());
        SystemDescriptor older = with(base(), List.of(mapPartitions(sda(), noUuid), sdb()));
        SystemDescriptor newer = with(base(), List.of(sdb(), renamed(mapPartitions(sda(), noUuid), "sdc")));

        Result r = compare(older, newer);

        assertThat(r.changes()).extracting(ComponentChange::oldId, ComponentChange::newId, ComponentChange::matchedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("disk:sda", "disk:sdc", "wwn"),
                        org.assertj.core.groups.Tuple.tuple("part:sda1", "part:sdc1", "disk/number"),
                        org.assertj.core.groups.Tuple.tuple("part:sda2", "part:sdc2", "disk/number"));
    }

    @Test
    void renamedLogicalVolumeWithTheSameUuidIsARename() {
        SystemDescriptor older = base();
        SystemDescriptor newer = withLvm(older, new Lvm(List.of(vg0(List.of(
                lv("system", LV_ROOT_UUID, 536_870_912L), lv("swap", LV_SWAP_UUID, 268_435_456L))))));

        Result r = compare(older, newer);

        assertThat(r.changes()).containsExactly(new ComponentChange(Change.CHANGED, "lv", "lv:vg0/root", "lv:vg0/system",
                "uuid", List.of(new FieldChange("name", json("root"), json("system")))));
        assertThat(r.changes().get(0).isRename()).isTrue();
    }

    @Test
    void nestedFieldsAreReportedWithDottedPaths() {
        Host h = host();
        Host newer = new Host(h.hostname(), h.machineId(), h.arch(),
                new OsRelease("debian", List.of(), "13", h.osRelease().prettyName()), h.kernel(), h.firmware(), null);

        Result r = compare(base(), withHost(base(), newer));

        assertThat(r.changes()).containsExactly(new ComponentChange(Change.CHANGED, "host", "host", "host", "singleton",
                List.of(new FieldChange("osRelease.versionId", json("12"), json("13")),
                        new FieldChange("secureBoot", json(false), null))));
    }

    @Test
    void componentsWithAmbiguousKeysAreNotMatched() {
        Swap s1 = new Swap("/dev/sda3", null, null, 1);
        Swap s2 = new Swap("/dev/sda3", null, null, 2);
        Swap s3 = new Swap("/dev/sda3", null, null, 3);
        Result r = compare(withSwap(base(), List.of(s1, s2)), withSwap(base(), List.of(s3)));
        assertThat(r.changes()).extracting(ComponentChange::change, ComponentChange::oldId, ComponentChange::newId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Change.ADDED, null, "swap:sda3"),
                        org.assertj.core.groups.Tuple.tuple(Change.REMOVED, "swap:sda3", null),
                        org.assertj.core.groups.Tuple.tuple(Change.REMOVED, "swap:sda3", null));
    }

    @Test
    void identicalComponentsPairUpEvenWhenTheirKeysAreAmbiguous() {
        Swap s1 = new Swap("/dev/sda3", null, null, 1);
        Swap s2 = new Swap("/dev/sda3", null, null, 2);
        assertThat(compare(withSwap(base(), List.of(s1, s2, s1)), withSwap(base(), List.of(s2, s1, s1))).isEmpty()).isTrue();

        Result r = compare(withSwap(base(), List.of(s1, s2, s1)), withSwap(base(), List.of(s1)));
        assertThat(r.changes()).containsExactly(
                new ComponentChange(Change.REMOVED, "swap", "swap:sda3", null, null, List.of(
                        new FieldChange("device", json("/dev/sda3"), null), new FieldChange("priority", json(1L), null))),
                new ComponentChange(Change.REMOVED, "swap", "swap:sda3", null, null, List.of(
                        new FieldChange("device", json("/dev/sda3"), null), new FieldChange("priority", json(2L), null))));
    }

    /** A small case for the text and JSON forms. */
    static Result smallCase() {
        Disk d = disk("sda", WWN_A, null, null, List.of(partition("sda", 1, 2048, 2_097_152, PARTUUID_A1)));
        SystemDescriptor older = withSwap(withFilesystems(with(base(), List.of(d)), List.of()),
                List.of(new Swap("/dev/sda2", null, null, null)));
        Disk moved = mapPartitions(renamed(d, "sdb"), p -> resized(p, 4_194_304));
        SystemDescriptor newer = withSwap(withFilesystems(with(base(), List.of(moved)), List.of(dataFs())), List.of());
        return compare(older, newer);
    }

    @Test
    void textForm() {
        assertThat(smallCase().toText()).isEqualTo("""
                ~ disk disk:sda → disk:sdb  (renamed; matched by wwn)
                    kernelName: "sda" → "sdb"
                    path: "/dev/sda" → "/dev/sdb"
                ~ partition part:sda1 → part:sdb1  (renamed; matched by partUuid)
                    disk: "disk:sda" → "disk:sdb"
                    path: "/dev/sda1" → "/dev/sdb1"
                    sizeSectors: 2097152 → 4194304
                + filesystem fs:/data
                - swap swap:sda2
                2 changed, 1 added, 1 removed
                """);
    }

    @Test
    void textFormOfAnUnrenamedChangeAndAnAbsentValue() {
        Result r = compare(base(), withHost(base(), new Host("web1", null, "x86_64", host().osRelease(), host().kernel(),
                Firmware.UEFI, false)));
        assertThat(r.toText()).isEqualTo("""
                ~ host host
                    machineId: "0123456789abcdef0123456789abcdef" → (absent)
                1 changed, 0 added, 0 removed
                """);
    }

    @Test
    void jsonForm() throws Exception {
        JsonNode j = smallCase().toJson();

        assertThat(j.get("summary").toString()).isEqualTo("{\"added\":1,\"removed\":1,\"changed\":2}");
        assertThat(j.get("changes")).hasSize(4);
        assertThat(j.get("changes").get(0).toString()).isEqualTo("{\"change\":\"changed\",\"kind\":\"disk\","
                + "\"oldId\":\"disk:sda\",\"newId\":\"disk:sdb\",\"matchedBy\":\"wwn\",\"fields\":["
                + "{\"field\":\"kernelName\",\"old\":\"sda\",\"new\":\"sdb\"},"
                + "{\"field\":\"path\",\"old\":\"/dev/sda\",\"new\":\"/dev/sdb\"}]}");
        JsonNode added = j.get("changes").get(2);
        assertThat(added.get("change").asText()).isEqualTo("added");
        assertThat(added.get("kind").asText()).isEqualTo("filesystem");
        assertThat(added.has("oldId")).isFalse();
        assertThat(added.has("matchedBy")).isFalse();
        assertThat(added.get("newId").asText()).isEqualTo("fs:/data");
        assertThat(added.get("fields").get(0).toString()).isEqualTo("{\"field\":\"device\",\"new\":\"/dev/sdb1\"}");
        JsonNode removed = j.get("changes").get(3);
        assertThat(removed.get("change").asText()).isEqualTo("removed");
        assertThat(removed.has("newId")).isFalse();
        assertThat(removed.get("fields").get(0).toString()).isEqualTo("{\"field\":\"device\",\"old\":\"/dev/sda2\"}");
        // the document is plain JSON
        assertThat(DescriptorJson.mapper().readTree(j.toString()).toString()).isEqualTo(j.toString());
    }

    // ---- what checklayout counts ----------------------------------------------------------------

    /** The machine after a reboot in which sda and sdb came up the other way round: every path on them moved. */
    static SystemDescriptor swappedAfterReboot() {
        SystemDescriptor d = with(base(), List.of(renamed(sdb(), "sda"), renamed(sda(), "sdb")));
        d = withFilesystems(d, List.of(rootFs(),
                new Filesystem("/dev/sdb1", FilesystemType.VFAT, "1A2B-3C4D", null,
                        List.of(new Mount("/boot/efi", List.of("umask=0077"))), new VfatParameters("1A2B-3C4D", 32, 8)),
                new Filesystem("/dev/sda1", FilesystemType.XFS, "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "data",
                        List.of(new Mount("/data", List.of("defaults"))), null)));
        VolumeGroup vg = vg0(List.of(lv("root", LV_ROOT_UUID, 536_870_912L), lv("swap", LV_SWAP_UUID, 268_435_456L)));
        vg = new VolumeGroup(vg.name(), vg.uuid(), vg.extentSizeBytes(), vg.sizeBytes(),
                List.of(new PhysicalVolume("/dev/sdb2", vg.physicalVolumes().get(0).uuid(), vg.physicalVolumes().get(0).sizeBytes())),
                vg.logicalVolumes());
        d = withLvm(d, new Lvm(List.of(vg)));
        return new SystemDescriptor(d.schema(), d.capturedAt(), d.host(), d.disks(), d.raidArrays(), d.lvm(), d.encryption(),
                d.filesystems(), d.swap(), new Bootloader(BootloaderType.GRUB2_EFI, List.of(), "/dev/sdb1",
                        d.bootloader().efiEntries(), d.bootloader().bootOrder()), d.network(), d.excluded());
    }

    @Test
    void namesSwappedBetweenIdentitiesAreNoSignificantChange() {
        Result r = compare(base(), swappedAfterReboot());
        assertThat(r.isEmpty()).as("the plain diff shows the renames").isFalse();
        assertThat(r.changes()).extracting(ComponentChange::kind).contains("disk", "partition", "filesystem", "pv", "bootloader");
        assertThat(r.significant().changes()).isEmpty();
    }

    @Test
    void aRealChangeSurvivesAmongRenames() {
        SystemDescriptor newer = swappedAfterReboot();
        newer = with(newer, List.of(newer.disks().get(0), mapPartitions(newer.disks().get(1),
                p -> p.number() == 2 ? resized(p, 4_194_304) : p)));
        Result significant = compare(base(), newer).significant();
        assertThat(significant.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("partition");
            assertThat(c.fields()).containsExactly(new FieldChange("sizeSectors", json(2_097_152L), json(4_194_304L)));
        });
    }

    @Test
    void mountOptionsInAnotherOrderAreNoSignificantChange() {
        Filesystem reordered = new Filesystem(rootFs().device(), rootFs().type(), rootFs().uuid(), rootFs().label(),
                List.of(new Mount("/", List.of("errors=remount-ro", "defaults"))), rootFs().parameters());
        Filesystem changed = new Filesystem(rootFs().device(), rootFs().type(), rootFs().uuid(), rootFs().label(),
                List.of(new Mount("/", List.of("errors=remount-ro", "noatime"))), rootFs().parameters());
        assertThat(compare(base(), withFilesystems(base(), List.of(reordered, espFs(), dataFs()))).significant().isEmpty()).isTrue();
        assertThat(compare(base(), withFilesystems(base(), List.of(changed, espFs(), dataFs()))).significant().isEmpty()).isFalse();
    }
}
