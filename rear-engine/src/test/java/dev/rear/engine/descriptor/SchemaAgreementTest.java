package dev.rear.engine.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON Schema ({@code descriptors/schema/descriptor-v1.schema.json}) and the records of
 * {@code dev.rear.api.descriptor} (read by {@link DescriptorJson}, checked by Bean Validation) say
 * the same thing.
 *
 * <p>Rich descriptors built from the records conform to the schema and read back equal. Every
 * mutation of them — a property removed, a value of the wrong JSON type, an unknown property, a
 * negative or too large integer, a string of the wrong form, an empty string, a {@code null} — is
 * refused by both sides or by neither, and the schema names the place of the mutation. Rules
 * between fields (a GPT id that must be a GUID, a parameters kind that must go with the filesystem
 * type) are on neither side: the engine's semantic rules check them ({@link
 * #theRulesBetweenFieldsAreTheValidatorsOnBothSides}).
 */
class SchemaAgreementTest {

    private static final Validator BEAN_VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    // ---------------------------------------------------------------- descriptors built from the records

    private static final String ESP = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
    private static final String LINUX_RAID = "a19d880f-05fc-4d3b-a006-743f0f84911e";
    private static final String LINUX_FS = "0fc63daf-8483-4772-8e79-3d69d8477de4";
    private static final String BIOS_BOOT = "21686148-6449-6e6f-744e-656564454649";

    /** UEFI, two GPT disks in md raid1, LUKS2 on the array, LVM with a thin pool, every filesystem kind. */
    static SystemDescriptor uefiServer() {
        Host host = new Host("db1.example.org", "0123456789abcdef0123456789abcdef", "x86_64",
                new OsRelease("debian", List.of(), "12", "Debian GNU/Linux 12 (bookworm)"),
                new Kernel("6.1.0-28-amd64", "BOOT_IMAGE=/vmlinuz-6.1.0-28-amd64 root=/dev/mapper/vg0-root ro quiet"),
                Firmware.UEFI, Boolean.TRUE);
        List<Disk> disks = new ArrayList<>();
        for (String name : List.of("sda", "sdb")) {
            String suffix = name.equals("sda") ? "a" : "b";
            disks.add(new Disk(name, "/dev/" + name,
                    List.of("/dev/disk/by-id/ata-SAMSUNG_MZ7LH960_S45NNA0M12345" + suffix, "/dev/disk/by-id/wwn-0x5002538e4012345" + suffix),
                    960_197_124_096L, 512, 4096, "SAMSUNG MZ7LH960HAJR-00005", "S45NNA0M12345" + suffix,
                    "0x5002538e4012345" + suffix, "sata", Boolean.FALSE,
                    new PartitionTable(PartitionTableType.GPT, "5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f405" + suffix, 34L, 1_875_385_974L, List.of(
                            new Partition(1, "/dev/" + name + "1", 2048, 1_048_576, ESP,
                                    "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4" + suffix, "EFI System", List.of("boot", "esp"), null, null),
                            new Partition(2, "/dev/" + name + "2", 1_050_624, 1_874_333_696L, LINUX_RAID,
                                    "8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5" + suffix, "raid", List.of("raid"),
                                    "LegacyBIOSBootable GUID:63", null)))));
        }
        disks.add(new Disk("nvme0n1", "/dev/nvme0n1", List.of(), 2_000_398_934_016L, 512, 512,
                "Samsung SSD 980 PRO 2TB", "S6B0NL0T123456", "eui.002538b111b22c33", "nvme", Boolean.FALSE, PartitionTable.NONE));
        disks.add(new Disk("sdc", "/dev/sdc", List.of(), 4_000_787_030_016L, 512, 4096, null, null, null, "sas", Boolean.TRUE,
                new PartitionTable(PartitionTableType.DOS, "0x8e1c5f2a", null, null, List.of(
                        new Partition(1, "/dev/sdc1", 2048, 2_097_152, "83", "8e1c5f2a-01", null, List.of(), null, DosPartitionKind.PRIMARY),
                        new Partition(2, "/dev/sdc2", 2_099_200, 7_811_473_408L, "5", "8e1c5f2a-02", null, List.of(), null, DosPartitionKind.EXTENDED),
                        new Partition(5, "/dev/sdc5", 2_101_248, 7_811_471_360L, "8e", "8e1c5f2a-05", null, List.of("lvm"), null, DosPartitionKind.LOGICAL)))));
        RaidArray md0 = new RaidArray("/dev/md0", "db1:0", "raid1", "1.2", "3f1a2b4c:5d6e7f80:91a2b3c4:d5e6f708", null, null,
                "internal", 959_529_484_288L, 2, List.of(
                        new RaidMember("/dev/sda2", 0, List.of("active", "sync")),
                        new RaidMember("/dev/sdb2", 1, List.of("active", "sync", "writemostly"))));
        LuksDevice luks = new LuksDevice("cryptpv", "/dev/md0", 2, "aes-xts-plain64", 512, "sha256", "argon2id",
                "6f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0", "db1-pv");
        Lvm lvm = new Lvm(List.of(
                new VolumeGroup("vg0", "Jw3hKs-0aBc-1dEf-2gHi-3jKl-4mNo-5pQrSt", 4_194_304, 959_512_707_072L,
                        List.of(new PhysicalVolume("/dev/mapper/cryptpv", "Ab12Cd-34Ef-56Gh-78Ij-90Kl-12Mn-34OpQr", 959_512_707_072L)),
                        List.of(
                                new LogicalVolume("root", "Zz11Yy-22Xx-33Ww-44Vv-55Uu-66Tt-77SsRr", 53_687_091_200L, LvSegmentType.LINEAR,
                                        null, null, null, null, null, null),
                                new LogicalVolume("swap", "Qq11Pp-22Oo-33Nn-44Mm-55Ll-66Kk-77JjIi", 8_589_934_592L, LvSegmentType.STRIPED,
                                        2, 65_536L, null, null, null, null),
                                new LogicalVolume("pool0", "Hh11Gg-22Ff-33Ee-44Dd-55Cc-66Bb-77AaZz", 536_870_912_000L, LvSegmentType.THIN_POOL,
                                        null, null, null, null, 1_073_741_824L, 65_536L),
                                new LogicalVolume("data", "Mm11Nn-22Oo-33Pp-44Qq-55Rr-66Ss-77TtUu", 1_099_511_627_776L, LvSegmentType.THIN,
                                        null, null, null, "pool0", null, null),
                                new LogicalVolume("mirror", "Aa11Bb-22Cc-33Dd-44Ee-55Ff-66Gg-77HhIi", 10_737_418_240L, LvSegmentType.RAID1,
                                        null, null, 2, null, null, null))),
                new VolumeGroup("scratch-vg", "Kk11Ll-22Mm-33Nn-44Oo-55Pp-66Qq-77RrSs", 4_194_304, 4_000_000_000_000L,
                        List.of(new PhysicalVolume("/dev/sdc5", "Tt11Uu-22Vv-33Ww-44Xx-55Yy-66Zz-77AaBb", 3_999_000_000_000L)),
                        List.of())));
        List<Filesystem> filesystems = List.of(
                new Filesystem("/dev/sda1", FilesystemType.VFAT, "1A2B-3C4D", "EFI",
                        List.of(new Mount("/boot/efi", List.of("umask=0077", "shortname=winnt"))),
                        new VfatParameters("1A2B-3C4D", 32, 8)),
                new Filesystem("/dev/vg0/root", FilesystemType.EXT4, "4f3e2d1c-0b9a-4887-a665-544332211000", "root",
                        List.of(new Mount("/", List.of("errors=remount-ro"))),
                        new ExtParameters(4096, 256, 16_384L, 13_107_200L, 3_276_800L, 655_360L,
                                List.of("has_journal", "ext_attr", "resize_inode", "dir_index", "filetype", "extent", "64bit",
                                        "flex_bg", "sparse_super", "large_file", "huge_file", "dir_nlink", "extra_isize", "metadata_csum"),
                                -1, 0L, List.of("user_xattr", "acl")), 1_181_116_006L),
                new Filesystem("/dev/vg0/data", FilesystemType.XFS, "7d6c5b4a-3928-4716-a5f4-e3d2c1b0a998", null,
                        List.of(new Mount("/srv", List.of("defaults", "noatime"))),
                        new XfsParameters(4096, 512, 512, 4, 67_108_864L, 131_072L, 0, 0, true, true, true, true, false, true)),
                new Filesystem("/dev/nvme0n1", FilesystemType.BTRFS, "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", "fast",
                        List.of(new Mount("/home", List.of("subvol=@home", "compress=zstd:3")),
                                new Mount("/var/lib/docker", List.of("subvol=@docker"))),
                        new BtrfsParameters(16_384, 4096, "single", "dup", List.of("/dev/sdc1"), List.of(
                                new BtrfsSubvolume(256, "@home", "/home"),
                                new BtrfsSubvolume(257, "@docker", "/var/lib/docker"),
                                new BtrfsSubvolume(258, "@home/.snapshots", null)), 5L, List.of("no-holes", "free-space-tree"))),
                new Filesystem("/dev/sdc1", FilesystemType.EXT2, null, null, List.of(), null));
        List<Swap> swap = List.of(new Swap("/dev/vg0/swap", "0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d", "swap", -2));
        Bootloader bootloader = new Bootloader(BootloaderType.GRUB2_EFI, List.of(), "/dev/sda1", List.of(
                new EfiBootEntry("0001", "debian", "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4a", "\\EFI\\debian\\shimx64.efi", true),
                new EfiBootEntry("0002", "debian (sdb)", "9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4b", "\\EFI\\debian\\shimx64.efi", true),
                new EfiBootEntry("000A", "UEFI PXEv4 (MAC:525400123456)", null, null, false)),
                List.of("0001", "0002", "000A"));
        Network network = new Network(
                List.of(new NetworkInterface("eno1", "52:54:00:12:34:56", 9000, false,
                                List.of("192.0.2.10/24", "2001:db8::10/64"), "igb"),
                        new NetworkInterface("eno2", "52:54:00:12:34:57", null, true, List.of(), "igb")),
                List.of(new Route("default", "192.0.2.1", "eno1", 100),
                        new Route("10.0.0.0/8", "192.0.2.254", "eno1", null),
                        new Route("2001:db8:1::/48", "2001:db8::1", "eno1", 0)),
                new Dns(List.of("192.0.2.53", "2001:db8::53"), List.of("example.org", "corp.example.org")));
        List<Excluded> excluded = List.of(
                new Excluded("disk:sdd", "AUTOEXCLUDE_USB", "a USB stick is not part of the machine"),
                new Excluded("fs:/mnt/backup", "BACKUP_TARGET", null));
        return new SystemDescriptor(SystemDescriptor.SCHEMA, Instant.parse("2026-11-26T12:00:00.123456789Z"), host, disks,
                List.of(md0), lvm, List.of(luks), filesystems, swap, bootloader, network, excluded);
    }

    /** BIOS, a DOS disk with GRUB in the MBR, md raid5 with a spare, LUKS1, no LVM, DHCP only. */
    static SystemDescriptor biosRaid5() {
        Host host = new Host("legacy", null, "i686", null, new Kernel("5.10.0-33-686-pae", ""), Firmware.BIOS, null);
        List<Disk> disks = new ArrayList<>();
        disks.add(new Disk("sda", "/dev/sda", List.of(), 500_107_862_016L, 512, 512, "WDC WD5000AAKX", null, null, "sata", Boolean.TRUE,
                new PartitionTable(PartitionTableType.DOS, "0x0001b2c3", null, null, List.of(
                        new Partition(1, "/dev/sda1", 2048, 999_424, "83", "0001b2c3-01", null, List.of("boot"), null, DosPartitionKind.PRIMARY),
                        new Partition(2, "/dev/sda2", 1_001_472, 975_769_600L, "fd", null, null, List.of("raid"), null, DosPartitionKind.PRIMARY)))));
        for (String name : List.of("sdb", "sdc", "sdd")) {
            disks.add(new Disk(name, "/dev/" + name, List.of(), 500_107_862_016L, 512, 512, null, null, null, null, null,
                    new PartitionTable(PartitionTableType.GPT, null, null, null, List.of(
                            new Partition(1, "/dev/" + name + "1", 2048, 2048, BIOS_BOOT, null, null, List.of("bios_grub"), null, null),
                            new Partition(2, "/dev/" + name + "2", 4096, 976_764_928L, LINUX_FS, null, null, List.of(), null, null)))));
        }
        RaidArray md = new RaidArray("/dev/md/data", null, "raid5", "0.90", "0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9", 524_288L,
                "left-symmetric", "none", 1_000_204_886_016L, 3, List.of(
                        new RaidMember("/dev/sda2", 0, List.of("active")),
                        new RaidMember("/dev/sdb2", 1, List.of("active")),
                        new RaidMember("/dev/sdc2", 2, List.of("active")),
                        new RaidMember("/dev/sdd2", null, List.of("spare"))));
        LuksDevice luks = new LuksDevice("data_crypt", "/dev/md/data", 1, "aes-cbc-essiv:sha256", 256, "sha1", "pbkdf2",
                "ABCDEF01-2345-6789-ABCD-EF0123456789", null);
        List<Filesystem> filesystems = List.of(
                new Filesystem("/dev/sda1", FilesystemType.EXT3, "12345678-9abc-4def-8123-456789abcdef", "boot",
                        List.of(new Mount("/", List.of())), new ExtParameters(1024, 128, null, null, null, 0L, List.of(), null, null, List.of())),
                new Filesystem("/dev/mapper/data_crypt", FilesystemType.XFS, null, null, List.of(new Mount("/data", List.of())),
                        new XfsParameters(4096, 4096, 512, 32, null, null, null, null, null, null, null, null, null, null)));
        Bootloader bootloader = new Bootloader(BootloaderType.GRUB2_BIOS, List.of("/dev/sda", "/dev/sdb"), null, List.of(), List.of());
        Network network = new Network(List.of(new NetworkInterface("eth0", null, null, true, List.of(), null)), List.of(), Dns.EMPTY);
        return new SystemDescriptor(SystemDescriptor.SCHEMA, Instant.parse("2024-02-29T23:59:59Z"), host, disks, List.of(md), Lvm.EMPTY,
                List.of(luks), filesystems, List.of(), bootloader, network, List.of());
    }

    /** Only what is required. */
    static SystemDescriptor minimal() {
        return new SystemDescriptor(SystemDescriptor.SCHEMA, Instant.parse("2000-01-01T00:00:00Z"),
                new Host("h", null, "aarch64", null, new Kernel("6.12.0", "quiet"), Firmware.UEFI, null),
                List.of(), List.of(), null, List.of(), List.of(), List.of(), null, null, List.of());
    }

    static Stream<Arguments> descriptors() {
        return Stream.of(
                Arguments.of("uefiServer", uefiServer()),
                Arguments.of("biosRaid5", biosRaid5()),
                Arguments.of("minimal", minimal()));
    }

    // ---------------------------------------------------------------- valid descriptors

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    void aDescriptorMadeFromTheRecordsConformsToTheSchemaAndReadsBackEqual(String name, SystemDescriptor descriptor) {
        JsonNode tree = DescriptorJson.toTree(descriptor);

        assertThat(DescriptorSchema.validate(tree)).as("schema violations of %s", name).isEmpty();
        SystemDescriptor back = DescriptorJson.bind(tree, name);
        assertThat(back).isEqualTo(descriptor);
        assertThat(BEAN_VALIDATOR.validate(back)).as("bean violations of %s", name).isEmpty();
    }

    @Test
    void theSchemaIsOnTheClasspathAndDeclaresItsDialectAndId() {
        JsonNode schema = DescriptorSchema.schemaNode();
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo(DescriptorSchema.ID);
        assertThat(DescriptorSchema.resourceName()).isEqualTo("dev/rear/descriptors/schema/descriptor-v1.schema.json");
        assertThat(schema.path("$defs").path("SystemDescriptor").path("properties").path("schema").path("const").asText())
                .isEqualTo(SystemDescriptor.SCHEMA);
    }

    @Test
    void everyRecordHasADefinitionWithExactlyItsComponentsAndItsRequiredOnes() {
        JsonNode defs = DescriptorSchema.schemaNode().path("$defs");
        for (Class<?> type : recordTypes()) {
            JsonNode def = defs.path(type.getSimpleName());
            assertThat(def.isObject()).as("$defs/%s", type.getSimpleName()).isTrue();
            List<String> components = Stream.of(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toList());
            List<String> required = Stream.of(type.getRecordComponents())
                    .filter(c -> {
                        JsonProperty p = fieldAnnotation(type, c.getName());
                        return p != null && p.required();
                    })
                    .map(c -> c.getName()).collect(Collectors.toList());
            if (FilesystemParameters.class.isAssignableFrom(type)) {
                components.add(0, "kind");
                required.add(0, "kind");
            }
            List<String> properties = new ArrayList<>();
            def.path("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(properties).as("properties of %s", type.getSimpleName()).containsExactlyElementsOf(components);
            assertThat(def.path("additionalProperties").asBoolean(true)).as("additionalProperties of %s", type.getSimpleName()).isFalse();
            List<String> schemaRequired = new ArrayList<>();
            def.path("required").forEach(r -> schemaRequired.add(r.asText()));
            // @NotEmpty lists are required too: absent is empty, and empty is refused.
            assertThat(schemaRequired).as("required of %s", type.getSimpleName())
                    .containsAll(required)
                    .allMatch(r -> required.contains(r) || isNotEmptyList(type, r));
        }
    }

    private static @Nullable JsonProperty fieldAnnotation(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name).getAnnotation(JsonProperty.class);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isNotEmptyList(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name).isAnnotationPresent(jakarta.validation.constraints.NotEmpty.class);
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static List<Class<?>> recordTypes() {
        return List.of(SystemDescriptor.class, Host.class, OsRelease.class, Kernel.class, Disk.class, PartitionTable.class,
                Partition.class, RaidArray.class, RaidMember.class, Lvm.class, VolumeGroup.class, PhysicalVolume.class,
                LogicalVolume.class, LuksDevice.class, Filesystem.class, Mount.class, ExtParameters.class, XfsParameters.class,
                BtrfsParameters.class, BtrfsSubvolume.class, VfatParameters.class, Swap.class, Bootloader.class,
                EfiBootEntry.class, Network.class, NetworkInterface.class, Route.class, Dns.class, Excluded.class);
    }

    // ---------------------------------------------------------------- mutations

    /** What a mutation does, and what both sides must then say. */
    enum Mutation {
        /** (a) Each property of each object removed; where the schema requires it, both refuse; else both take it. */
        REMOVE_PROPERTY(Expect.AGREE, Set.of("required")),
        /** (b) Each value replaced by one of another JSON type (and integers by a fraction). */
        WRONG_TYPE(Expect.BOTH_REFUSE, Set.of("type", "enum", "const")),
        /** (c) An unknown property added to each object. */
        UNKNOWN_PROPERTY(Expect.BOTH_REFUSE, Set.of("additionalProperties")),
        /** (d) Each integer set to -1; refused where there is a minimum above it. */
        MINUS_ONE(Expect.AGREE, Set.of("minimum", "exclusiveMinimum", "enum")),
        /** Each integer set to 2^31: refused for int components (and small maxima), taken for long ones. */
        ABOVE_INT32(Expect.AGREE, Set.of("maximum", "enum")),
        /** Each integer set to 2^63: no component takes it. */
        ABOVE_INT64(Expect.BOTH_REFUSE, Set.of("maximum", "enum")),
        /** (e) Each string replaced by "not valid!": refused where there is a form (pattern, enum, const). */
        INVALID_STRING(Expect.AGREE, Set.of("pattern", "enum", "const")),
        /** Each string emptied: refused where a form or non-blank text is required. */
        EMPTY_STRING(Expect.AGREE, Set.of("pattern", "enum", "const", "minLength")),
        /** Each value replaced by null: an optional value is left out, never null. */
        NULL_VALUE(Expect.BOTH_REFUSE, Set.of("type", "enum", "const"));

        final Expect expect;
        final Set<String> rules;

        Mutation(Expect expect, Set<String> rules) {
            this.expect = expect;
            this.rules = rules;
        }
    }

    enum Expect { BOTH_REFUSE, AGREE }

    /** A mutated document; {@code path} is where the change is, as a JSON path. */
    record Mutant(String path, String change, JsonNode document) {}

    /** Each descriptor with each mutation that finds something to change in it. */
    static Stream<Arguments> mutationsOfDescriptors() {
        return descriptors().flatMap(d -> Stream.of(Mutation.values())
                .filter(m -> !mutants(DescriptorJson.toTree((SystemDescriptor) d.get()[1]), m).isEmpty())
                .map(m -> Arguments.of(d.get()[0], d.get()[1], m)));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("mutationsOfDescriptors")
    void everyMutationIsRefusedByBothSidesOrByNeither(String name, SystemDescriptor descriptor, Mutation mutation) {
        JsonNode tree = DescriptorJson.toTree(descriptor);
        List<Mutant> mutants = mutants(tree, mutation);
        assertThat(mutants).as("mutants").isNotEmpty();

        List<String> disagreements = new ArrayList<>();
        int refused = 0;
        for (Mutant m : mutants) {
            List<Violation> schema = DescriptorSchema.validate(m.document());
            @Nullable String records = recordsRefusal(m.document());
            String seen = m.change() + " at " + m.path() + "\n    schema:  " + schema + "\n    records: " + records;
            if (mutation.expect == Expect.BOTH_REFUSE || !schema.isEmpty() || records != null) {
                refused++;
            }
            if (mutation.expect == Expect.BOTH_REFUSE && (schema.isEmpty() || records == null)) {
                disagreements.add("not refused by both: " + seen);
            } else if (mutation.expect == Expect.AGREE && schema.isEmpty() != (records == null)) {
                disagreements.add("refused by one side only: " + seen);
            } else if (!schema.isEmpty() && !pointsAt(schema, m.path(), mutation.rules)) {
                disagreements.add("schema violations elsewhere, or none at the mutation with rule " + mutation.rules + ": " + seen);
            }
        }
        assertThat(disagreements).as("%d of %d mutants of %s", disagreements.size(), mutants.size(), name).isEmpty();
        if (mutation == Mutation.REMOVE_PROPERTY || mutation == Mutation.MINUS_ONE || mutation == Mutation.INVALID_STRING) {
            assertThat(refused).as("mutants refused").isPositive();
        }
    }

    /**
     * Every schema violation is at the mutated place, below it, or at its parent (the object that lost
     * or gained a property), and one is at the place itself with one of the expected rules.
     */
    private static boolean pointsAt(List<Violation> violations, String path, Set<String> rules) {
        String parent = parentOf(path);
        boolean allNear = violations.stream().allMatch(v -> v.path().equals(path) || v.path().startsWith(path + ".")
                || v.path().startsWith(path + "[") || v.path().equals(parent));
        boolean oneAt = violations.stream().anyMatch(v -> v.path().equals(path) && rules.contains(v.rule().substring("schema:".length())));
        return allNear && oneAt;
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "$" : path.substring(0, cut);
    }

    /** Why the records refuse a document (reading or Bean Validation), or {@code null} when they take it. */
    static @Nullable String recordsRefusal(JsonNode document) {
        SystemDescriptor bound;
        try {
            bound = DescriptorJson.bind(document, "mutant");
        } catch (DescriptorInvalidException e) {
            return "read: " + e.getMessage();
        }
        Set<ConstraintViolation<SystemDescriptor>> violations = BEAN_VALIDATOR.validate(bound);
        if (violations.isEmpty()) {
            return null;
        }
        return "bean: " + violations.stream().map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().collect(Collectors.joining("; "));
    }

    static List<Mutant> mutants(JsonNode tree, Mutation mutation) {
        List<Mutant> out = new ArrayList<>();
        walk(tree, new ArrayList<>(), (at, node) -> {
            String path = jsonPath(at);
            switch (mutation) {
                case REMOVE_PROPERTY -> {
                    if (node.isObject()) {
                        node.fieldNames().forEachRemaining(f -> out.add(new Mutant(path + "." + f, "removed",
                                edit(tree, at, n -> ((ObjectNode) n).remove(f)))));
                    }
                }
                case WRONG_TYPE -> {
                    for (JsonNode wrong : wrongTypes(node)) {
                        out.add(new Mutant(path, node.getNodeType() + " replaced by " + wrong, replace(tree, at, wrong)));
                    }
                }
                case UNKNOWN_PROPERTY -> {
                    if (node.isObject()) {
                        out.add(new Mutant(path + ".bogus", "unknown property added",
                                edit(tree, at, n -> ((ObjectNode) n).put("bogus", 1))));
                    }
                }
                case MINUS_ONE -> integer(node, at, tree, JSON.numberNode(-1), out);
                case ABOVE_INT32 -> integer(node, at, tree, JSON.numberNode(2_147_483_648L), out);
                case ABOVE_INT64 -> integer(node, at, tree, JSON.numberNode(BigInteger.ONE.shiftLeft(63)), out);
                case INVALID_STRING -> text(node, at, tree, "not valid!", out);
                case EMPTY_STRING -> text(node, at, tree, "", out);
                case NULL_VALUE -> {
                    if (!at.isEmpty()) {
                        out.add(new Mutant(path, node.getNodeType() + " replaced by null", replace(tree, at, JSON.nullNode())));
                    }
                }
            }
        });
        return out;
    }

    private static void integer(JsonNode node, List<Object> at, JsonNode tree, JsonNode value, List<Mutant> out) {
        if (node.isIntegralNumber()) {
            out.add(new Mutant(jsonPath(at), node + " replaced by " + value, replace(tree, at, value)));
        }
    }

    private static void text(JsonNode node, List<Object> at, JsonNode tree, String value, List<Mutant> out) {
        if (node.isTextual()) {
            out.add(new Mutant(jsonPath(at), node + " replaced by \"" + value + "\"", replace(tree, at, JSON.textNode(value))));
        }
    }

    private static List<JsonNode> wrongTypes(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> List.of(JSON.numberNode(12345), JSON.booleanNode(false), JSON.objectNode());
            case NUMBER -> List.of(JSON.textNode(node.asText()), JSON.booleanNode(true), JSON.numberNode(1.5));
            case BOOLEAN -> List.of(JSON.textNode(node.asText()), JSON.numberNode(1));
            case ARRAY -> List.of(JSON.objectNode(), JSON.textNode("[]"));
            case OBJECT -> List.of(JSON.arrayNode().add(node.deepCopy()), JSON.textNode("{}"));
            default -> List.of();
        };
    }

    /** Visits every node, depth first, with its location (field names and indexes from the root). */
    static void walk(JsonNode node, List<Object> at, BiConsumer<List<Object>, JsonNode> visit) {
        visit.accept(at, node);
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                List<Object> child = new ArrayList<>(at);
                child.add(e.getKey());
                walk(e.getValue(), child, visit);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> child = new ArrayList<>(at);
                child.add(i);
                walk(node.get(i), child, visit);
            }
        }
    }

    static String jsonPath(List<Object> at) {
        StringBuilder path = new StringBuilder("$");
        for (Object step : at) {
            path.append(step instanceof Integer i ? "[" + i + "]" : "." + step);
        }
        return path.toString();
    }

    /** A copy of the tree with the node at {@code at} replaced. */
    static JsonNode replace(JsonNode tree, List<Object> at, JsonNode value) {
        if (at.isEmpty()) {
            return value;
        }
        JsonNode copy = tree.deepCopy();
        JsonNode parent = nodeAt(copy, at.subList(0, at.size() - 1));
        Object last = at.get(at.size() - 1);
        if (last instanceof Integer i) {
            ((ArrayNode) parent).set(i, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
        return copy;
    }

    /** A copy of the tree with the node at {@code at} changed in place by {@code change}. */
    static JsonNode edit(JsonNode tree, List<Object> at, Function<JsonNode, ?> change) {
        JsonNode copy = tree.deepCopy();
        change.apply(nodeAt(copy, at));
        return copy;
    }

    private static JsonNode nodeAt(JsonNode root, List<Object> at) {
        JsonNode node = root;
        for (Object step : at) {
            node = step instanceof Integer i ? node.get(i) : node.get((String) step);
        }
        return node;
    }

    // ---------------------------------------------------------------- the schema's messages and paths

    @Test
    void aMissingPropertyIsReportedAtItsOwnPath() {
        ObjectNode tree = (ObjectNode) DescriptorJson.toTree(uefiServer());
        ((ObjectNode) tree.get("disks").get(0)).remove("sizeBytes");

        assertThat(DescriptorSchema.validate(tree))
                .containsExactly(new Violation("$.disks[0].sizeBytes", "schema:required", "is missing"));
    }

    @Test
    void aPatternViolationSaysWhatFormIsExpected() {
        ObjectNode tree = (ObjectNode) DescriptorJson.toTree(uefiServer());
        ((ObjectNode) tree.get("disks").get(0).get("partitionTable").get("partitions").get(1)).put("startSector", -5);
        ((ObjectNode) tree.get("raidArrays").get(0)).put("uuid", "3f1a2b4c-5d6e");

        assertThat(DescriptorSchema.validate(tree)).containsExactly(
                new Violation("$.disks[0].partitionTable.partitions[1].startSector", "schema:minimum", "is -5, expected at least 0"),
                new Violation("$.raidArrays[0].uuid", "schema:pattern", "is \"3f1a2b4c-5d6e\", expected an md UUID as mdadm prints it:"
                        + " four groups of eight lower-case hex digits separated by colons (3f1a2b4c:5d6e7f80:91a2b3c4:d5e6f708)"));
    }

    @Test
    void everyViolationIsReportedInOrder() {
        ObjectNode tree = (ObjectNode) DescriptorJson.toTree(uefiServer());
        tree.put("schema", "rear.descriptor/v2");
        tree.put("extra", true);
        ((ObjectNode) tree.get("host")).put("firmware", "efi");
        ((ObjectNode) tree.get("encryption").get(0)).put("version", 3);

        List<Violation> violations = DescriptorSchema.validate(tree);

        assertThat(violations).extracting(Violation::path, Violation::rule).containsExactly(
                tuple("$.encryption[0].version", "schema:maximum"),
                tuple("$.extra", "schema:additionalProperties"),
                tuple("$.host.firmware", "schema:enum"),
                tuple("$.schema", "schema:const"));
        assertThat(violations).isSortedAccordingTo(Violation.ORDER);
        assertThat(violations.get(1).message()).startsWith("is not a field of this object (known: schema, capturedAt, host,");
    }

    @Test
    void theRulesBetweenFieldsAreTheValidatorsOnBothSides() {
        ObjectNode tree = (ObjectNode) DescriptorJson.toTree(uefiServer());
        ObjectNode gpt = (ObjectNode) tree.get("disks").get(0).get("partitionTable");
        gpt.put("id", "0x8e1c5f2a");
        ((ObjectNode) gpt.get("partitions").get(0)).put("type", "ef").put("kind", "primary");
        ObjectNode dos = (ObjectNode) tree.get("disks").get(3).get("partitionTable");
        ((ObjectNode) dos.get("partitions").get(0)).put("type", LINUX_FS).put("partUuid", LINUX_FS);
        ObjectNode none = (ObjectNode) tree.get("disks").get(2).get("partitionTable");
        none.put("id", "0x00000000");
        ((ObjectNode) tree.get("filesystems").get(4)).set("parameters",
                JSON.objectNode().put("kind", "vfat").put("volumeId", "1A2B-3C4D").put("fatSize", 16));

        // Each value is well formed on its own: the schema and the records both take the document...
        assertThat(DescriptorSchema.validate(tree)).isEmpty();
        assertThat(recordsRefusal(tree)).isNull();
        // ...and the semantic rules refuse every one of the mismatches, all in one report.
        SystemDescriptor d = DescriptorJson.bind(tree, "between-fields");
        assertThat(DescriptorValidator.validate(d)).extracting(Violation::path, Violation::rule).contains(
                tuple("$.disks[0].partitionTable.id", "partition-table-id-invalid"),
                tuple("$.disks[0].partitionTable.partitions[0].type", "partition-type-invalid"),
                tuple("$.disks[0].partitionTable.partitions[0].kind", "dos-partition-layout"),
                tuple("$.disks[2].partitionTable.id", "partition-table-id-invalid"),
                tuple("$.disks[3].partitionTable.partitions[0].type", "partition-type-invalid"),
                tuple("$.disks[3].partitionTable.partitions[0].partUuid", "partuuid-invalid"),
                tuple("$.filesystems[4].parameters", "fs-parameters-mismatch"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "\u001f", "\u3000", "\u2028", "\u1680 \u2000"})
    void blankTextIsRefusedByBoth(String blank) {
        ObjectNode tree = (ObjectNode) DescriptorJson.toTree(minimal());
        ((ObjectNode) tree.get("host")).put("hostname", blank);

        assertThat(DescriptorSchema.validate(tree)).isNotEmpty().allMatch(v -> v.path().equals("$.host.hostname"));
        assertThat(recordsRefusal(tree)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "\u00a0", "\u2007", "\u202f", "\ufeff", "\u0085", "\u0000", " a "})
    void textThatIsNotBlankIsTakenByBoth(String text) {
        ObjectNode tree = (ObjectNode) DescriptorJson.toTree(minimal());
        ((ObjectNode) tree.get("host")).put("hostname", text);

        assertThat(DescriptorSchema.validate(tree)).isEmpty();
        assertThat(recordsRefusal(tree)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T00:00:00Z", "2000-02-29T12:00:00+01:00", "2026-12-31T23:59:59.999999999Z",
        "2026-06-30T00:00:00-18:00", "0000-01-01T00:00:00Z"})
    void instantsTheRecordsTakeTheSchemaTakes(String instant) {
        assertThat(instantVerdicts(instant)).containsExactly(true, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-26T24:00:00Z",
        "2026-11-26T12:00Z", "2026-11-26 12:00:00Z", "2026-11-26t12:00:00z", "2026-11-26T12:00:00", "1700000000",
        "2026-11-26T12:00:00+18:30", "2026-11-26T12:00:60Z", "2026-11-26T12:00:00.1234567891Z", "+2026-11-26T12:00:00Z"})
    void instantsTheRecordsRefuseTheSchemaRefuses(String instant) {
        assertThat(instantVerdicts(instant)).containsExactly(false, false);
    }

    /** Whether the schema, and whether the records, take {@code capturedAt} = {@code instant}. */
    private static List<Boolean> instantVerdicts(String instant) {
        ObjectNode tree = (ObjectNode) DescriptorJson.toTree(minimal());
        tree.put("capturedAt", instant);
        return List.of(DescriptorSchema.validate(tree).isEmpty(), recordsRefusal(tree) == null);
    }

    // ---------------------------------------------------------------- properties

    /** A string in one of the rich descriptors: the tree and where in it. */
    record Site(JsonNode tree, List<Object> at, String original) {
        @Override
        public String toString() {
            return jsonPath(at) + " (was " + JSON.textNode(original) + ")";
        }
    }

    private static final List<Site> STRING_SITES = stringSites();

    private static List<Site> stringSites() {
        List<Site> sites = new ArrayList<>();
        for (SystemDescriptor d : List.of(uefiServer(), biosRaid5())) {
            JsonNode tree = DescriptorJson.toTree(d);
            walk(tree, new ArrayList<>(), (at, node) -> {
                if (node.isTextual()) {
                    sites.add(new Site(tree, List.copyOf(at), node.asText()));
                }
            });
        }
        return sites;
    }

    /**
     * Any text in any string field: where the records refuse it, so does the schema, and where the
     * schema refuses it, so do the records (but for the rules between fields). The texts are near
     * misses of the real values and short strings of characters where regex dialects differ.
     */
    @Property(tries = 3000)
    void anyTextIsTakenOrRefusedByBothAlike(@ForAll("sitesAndTexts") TextCase textCase) {
        Site site = textCase.site();
        JsonNode document = replace(site.tree(), site.at(), JSON.textNode(textCase.text()));
        boolean schemaTakes = DescriptorSchema.validate(document).isEmpty();
        boolean recordsTake = recordsRefusal(document) == null;
        assertThat(schemaTakes).as("schema takes it").isEqualTo(recordsTake);
    }

    /** A text put at a site; shown with JSON escapes, so that control characters can be seen. */
    record TextCase(Site site, String text) {
        @Override
        public String toString() {
            return site + " := " + JSON.textNode(text);
        }
    }

    @Provide
    Arbitrary<TextCase> sitesAndTexts() {
        Arbitrary<Site> sites = Arbitraries.of(STRING_SITES);
        return sites.flatMap(site -> texts(site.original()).map(text -> new TextCase(site, text)));
    }

    private static final String TRICKY = "aA0fF9:-./_@+ \t\n\r\u0000\u001c\u0085\u00a0\u2007\u2028\u3000\ufeff$^\\xZT";

    private static Arbitrary<String> texts(String original) {
        Arbitrary<Character> tricky = Arbitraries.of(TRICKY.chars().mapToObj(c -> (char) c).toArray(Character[]::new));
        Arbitrary<Integer> position = Arbitraries.integers().between(0, original.length());
        Arbitrary<String> inserted = Combinators.combine(position, tricky)
                .as((i, c) -> original.substring(0, i) + c + original.substring(i));
        Arbitrary<String> replaced = original.isEmpty() ? inserted : Combinators.combine(
                Arbitraries.integers().between(0, original.length() - 1), tricky)
                .as((i, c) -> original.substring(0, i) + c + original.substring(i + 1));
        Arbitrary<String> deleted = original.isEmpty() ? inserted : Arbitraries.integers().between(0, original.length() - 1)
                .map(i -> original.substring(0, i) + original.substring(i + 1));
        Arbitrary<String> random = Arbitraries.strings().withChars(TRICKY.toCharArray()).ofMaxLength(8);
        return Arbitraries.oneOf(inserted, replaced, deleted, random, Arbitraries.just(original + "\n"));
    }

    /** Any date and time of day, existing or not: the schema's calendar is java.time's. */
    @Property(tries = 2000)
    void anyInstantIsTakenOrRefusedByBothAlike(@ForAll("instants") String instant) {
        List<Boolean> verdicts = instantVerdicts(instant);
        assertThat(verdicts.get(0)).as("schema takes %s", instant).isEqualTo(verdicts.get(1));
    }

    @Provide
    Arbitrary<String> instants() {
        Arbitrary<Integer> year = Arbitraries.oneOf(Arbitraries.integers().between(0, 9999),
                Arbitraries.of(1900, 2000, 2023, 2024, 2100, 2400));
        Arbitrary<Integer> month = Arbitraries.integers().between(0, 13);
        Arbitrary<Integer> day = Arbitraries.oneOf(Arbitraries.integers().between(0, 32), Arbitraries.of(28, 29, 30, 31));
        Arbitrary<Integer> hour = Arbitraries.integers().between(0, 25);
        Arbitrary<Integer> second = Arbitraries.integers().between(0, 61);
        Arbitrary<String> zone = Arbitraries.of("Z", "+00:00", "-00:00", "+01:00", "+17:59", "+18:00", "-18:00", "+18:01", "+19:00", "-05:60", "z");
        Arbitrary<String> fraction = Arbitraries.of("", ".5", ".123456789", ".1234567890");
        return Combinators.combine(year, month, day, hour, second, zone, fraction)
                .as((y, mo, d, h, s, z, f) -> String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", y, mo, d, h, s % 60, s, f, z));
    }

    // ---------------------------------------------------------------- sample descriptors

    private static final Path SAMPLES = Path.of("..", "descriptors", "samples");

    @TestFactory
    Stream<DynamicTest> everySampleConformsToTheSchemaAndToTheRecords() throws IOException {
        List<Path> samples = jsonFiles(SAMPLES);
        Assumptions.assumeFalse(samples.isEmpty(), "no sample descriptors in " + SAMPLES.toAbsolutePath().normalize() + " yet");
        return samples.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            JsonNode tree = DescriptorJson.parseTree(Files.readAllBytes(file), file.toString());
            assertThat(DescriptorSchema.validate(tree)).as("schema violations of %s", file).isEmpty();
            assertThatCode(() -> DescriptorJson.checkSchemaVersion(tree, file.toString())).doesNotThrowAnyException();
            assertThat(recordsRefusal(tree)).as("records' refusal of %s", file).isNull();
        }));
    }

    /**
     * {@code samples/invalid/expected.json} maps a file name to {@code {"path", "rule", "layer"}};
     * a file whose layer is {@code structure} is refused by the schema and by the records alike.
     */
    @TestFactory
    Stream<DynamicTest> everyStructurallyInvalidSampleIsRefusedByBoth() throws IOException {
        Path invalid = SAMPLES.resolve("invalid");
        Path expectedFile = invalid.resolve("expected.json");
        Assumptions.assumeTrue(Files.isRegularFile(expectedFile), "no " + expectedFile.toAbsolutePath().normalize() + " yet");
        JsonNode expected = DescriptorJson.mapper().readTree(expectedFile.toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
            if (!"structure".equals(e.getValue().path("layer").asText())) {
                continue;
            }
            Path file = invalid.resolve(e.getKey());
            String wanted = e.getValue().path("rule").asText() + " at " + e.getValue().path("path").asText();
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                assertThat(file).as("listed in %s", expectedFile).isRegularFile();
                JsonNode tree;
                try {
                    tree = DescriptorJson.parseTree(Files.readAllBytes(file), file.toString());
                } catch (DescriptorInvalidException notJson) {
                    return; // not a JSON document: neither side can take it
                }
                assertThat(DescriptorSchema.validate(tree)).as("schema violations of %s (expected %s)", file, wanted).isNotEmpty();
                assertThat(recordsRefusal(tree)).as("records' refusal of %s (expected %s)", file, wanted).isNotNull();
            }));
        }
        Assumptions.assumeFalse(tests.isEmpty(), "no entry of layer \"structure\" in " + expectedFile);
        return tests.stream();
    }

    private static List<Path> jsonFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
