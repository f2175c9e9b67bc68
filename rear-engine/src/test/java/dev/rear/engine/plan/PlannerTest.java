package dev.rear.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VfatParameters;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.engine.descriptor.DescriptorJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class PlannerTest {

    static final String KEY = "/root/very-secret.key";

    static Plan planOf(SystemDescriptor d) {
        DiskMapping m = DiskMapping.map(d, Samples.sameSizeTargets(d), Map.of());
        return Planner.plan(d, m, PlanOptions.DEFAULTS.withKeyFile(KEY));
    }

    static String allText(Plan p) {
        StringBuilder b = new StringBuilder();
        for (Step s : p.steps()) {
            for (CommandSpec c : s.commands()) {
                b.append(String.join(" ", c.argv())).append('\n');
                if (c.stdin() != null) {
                    b.append(new String(c.stdin(), StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return b.toString();
    }

    @TestFactory
    Stream<DynamicTest> everySample() {
        return Samples.all().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            SystemDescriptor d = Samples.load(file.getFileName().toString());
            Plan p = planOf(d);
            Plan again = planOf(Samples.load(file.getFileName().toString()));

            // deterministic
            assertThat(again.toPlannedSteps()).isEqualTo(p.toPlannedSteps());
            assertThat(again.toShell()).isEqualTo(p.toShell());
            assertThat(DescriptorJson.canonicalBytes(again.toJson())).isEqualTo(DescriptorJson.canonicalBytes(p.toJson()));
            assertThat(again.steps().stream().flatMap(s -> s.commands().stream()).toList())
                    .isEqualTo(p.steps().stream().flatMap(s -> s.commands().stream()).toList());

            // topological: every use created by an earlier step; device uses are always created by some step
            Map<String, Integer> createdAt = new HashMap<>();
            for (int i = 0; i < p.steps().size(); i++) {
                for (String c : p.steps().get(i).creates()) {
                    createdAt.putIfAbsent(c, i);
                }
            }
            for (int i = 0; i < p.steps().size(); i++) {
                Step s = p.steps().get(i);
                for (String u : s.uses()) {
                    if (u.startsWith("/dev/") || u.startsWith("mnt:") || u.startsWith("fs:")) {
                        assertThat(createdAt).as(s.id() + " uses " + u).containsKey(u);
                    }
                    if (createdAt.containsKey(u)) {
                        assertThat(createdAt.get(u)).as(s.id() + " comes after the creator of " + u).isLessThan(i);
                    }
                }
            }
            assertThat(p.steps().get(0).kind()).isEqualTo("wipe");
            assertThat(p.steps().get(p.steps().size() - 1).id()).isEqualTo("unmount");
            assertThat(p.steps().get(p.steps().size() - 2).id()).isEqualTo("verify");
            assertThat(p.steps().stream().map(Step::id)).contains("restore").doesNotHaveDuplicates();

            // writes only to mapped targets
            Set<String> targets = Set.copyOf(p.mapping().targetPaths());
            for (Step s : p.steps()) {
                for (String dev : s.devices()) {
                    assertThat(p.targetsUnder(dev)).as(s.id() + " writes " + dev).isNotEmpty().isSubsetOf(targets);
                }
            }
            String text = allText(p);
            for (Disk disk : d.disks()) {
                assertThat(text).as("no original disk name in any command").doesNotContain(disk.path() + " ")
                        .doesNotContainPattern(java.util.regex.Pattern.quote(disk.path()) + "(p?[0-9]+)?(\\s|$)");
            }

            // identities from the descriptor appear in the commands
            List<String> ids = new ArrayList<>();
            for (Disk disk : d.disks()) {
                if (disk.partitionTable().id() != null) {
                    ids.add(disk.partitionTable().id());
                }
                for (Partition part : disk.partitionTable().partitions()) {
                    if (part.partUuid() != null && d.disks().stream().anyMatch(x -> x == disk && x.partitionTable().type().name().equals("GPT"))) {
                        ids.add(part.partUuid());
                    }
                    ids.add("type=" + part.type());
                }
            }
            d.raidArrays().stream().map(RaidArray::uuid).forEach(ids::add);
            d.encryption().stream().map(LuksDevice::uuid).forEach(ids::add);
            for (VolumeGroup vg : d.lvm().volumeGroups()) {
                vg.physicalVolumes().stream().map(PhysicalVolume::uuid).forEach(ids::add);
                vg.logicalVolumes().forEach(lv -> ids.add("-n " + lv.name() + " " + vg.name()));
            }
            for (Filesystem fs : d.filesystems()) {
                if (fs.parameters() instanceof VfatParameters v) {
                    ids.add("-i " + v.volumeId().replace("-", ""));
                } else if (fs.uuid() != null) {
                    ids.add(fs.uuid());
                }
                if (fs.label() != null) {
                    ids.add(fs.label());
                }
            }
            d.swap().stream().map(Swap::uuid).filter(u -> u != null).forEach(ids::add);
            d.swap().stream().map(Swap::label).filter(u -> u != null).forEach(ids::add);
            assertThat(text).contains(ids);

            // no secret in argv, in the journal's form, or in the script
            for (Step s : p.steps()) {
                for (CommandSpec c : s.commands()) {
                    assertThat(c.redactedArgv()).doesNotContain(KEY);
                    int k = c.argv().indexOf("--key-file");
                    if (k >= 0) {
                        assertThat(c.secretArgs()).contains(k + 1);
                    }
                }
            }
            assertThat(p.toShell()).doesNotContain(KEY);
            assertThat(p.toText()).doesNotContain(KEY);
            assertThat(new String(DescriptorJson.prettyBytes(p.toJson()), StandardCharsets.UTF_8)).doesNotContain(KEY);
            assertThat(p.toPlannedSteps()).hasSameSizeAs(p.steps());
        }));
    }

    @Test
    void raidLvmOrderAndCommands() {
        Plan p = planOf(Samples.load("bios-gpt-raid1-lvm.json"));
        List<String> ids = p.steps().stream().map(Step::id).toList();
        assertThat(ids).containsSubsequence("wipe:/dev/vdb", "table:/dev/vdb", "md:md0", "pv:/dev/md0", "vg:vg0", "lv:vg0/root",
                "mkfs:/dev/vg0/root", "mount:/", "mount:/var", "restore", "bind:/proc",
                "rewrite:/etc/fstab", "initramfs", "bootloader", "grub-config", "verify", "unmount");
        String text = allText(p);
        assertThat(text).contains("mdadm --create /dev/md0 --run --level=raid1 --metadata=1.2 --uuid=b67af05f:89bbb77e:e5c7cbcd:748d12b2"
                + " --name=db01:0 --bitmap=internal --raid-devices=2 /dev/vdb2 /dev/vdc2");
        assertThat(text).contains("pvcreate --force --force --yes --uuid ").contains("--norestorefile /dev/md0");
        assertThat(text).contains("label: gpt", "first-lba: ", "last-lba: ");
    }

    @Test
    void luksKeyNeverInArgvAndPromptIsStdin() {
        SystemDescriptor d = Samples.load("uefi-luks2-lvm.json");
        Plan p = Planner.plan(d, DiskMapping.map(d, Samples.sameSizeTargets(d), Map.of()), PlanOptions.DEFAULTS);
        CommandSpec fmt = p.steps().stream().filter(s -> s.kind().equals("luks-format")).findFirst().orElseThrow().commands().get(0);
        assertThat(fmt.argv()).containsSubsequence("cryptsetup", "luksFormat", "--type", "luks2", "--uuid", "1b01bfc1-43a2-446e-a3b3-e1d934dd38b2",
                "--cipher", "aes-xts-plain64", "--key-size", "512", "--hash", "sha256", "--pbkdf", "argon2id", "--key-file", "-", "/dev/vdb3");
        assertThat(fmt.redactedArgv()).contains("***");
        assertThat(p.toShell()).contains("\"$REAR_KEY_FILE\"").contains(": \"${REAR_KEY_FILE:?");
    }

    @Test
    void btrfsSubvolumesAndDefaultBeforeMounts() {
        Plan p = planOf(Samples.load("btrfs-suse-subvolumes.json"));
        List<String> ids = p.steps().stream().map(Step::id).toList();
        assertThat(ids).containsSubsequence("mkfs:/dev/vdb2", "subvolumes:/dev/vdb2", "mount:/", "mount:/home", "mount:/boot/efi");
        String text = allText(p);
        assertThat(text).contains("btrfs subvolume create /run/rear/btrfs/vdb2/@/.snapshots",
                "mkdir -p /run/rear/btrfs/vdb2/@/.snapshots/1", "btrfs subvolume set-default /run/rear/btrfs/vdb2/@/.snapshots/1/snapshot",
                "mount -t btrfs -o subvol=/@/var /dev/vdb2 /mnt/local/var", "mount -t btrfs /dev/vdb2 /mnt/local\n",
                "mkfs.vfat -F 32 -i 46F0430B", "mkswap -f -U");
        assertThat(ids.indexOf("mount:/boot/grub2/i386-pc")).isGreaterThan(ids.indexOf("mount:/"));
    }

    @Test
    void thinPoolBeforeThinVolumes() {
        Plan p = planOf(Samples.load("lvm-thin-pool.json"));
        List<String> ids = p.steps().stream().map(Step::id).toList();
        assertThat(ids.indexOf("lv:data/pool0")).isLessThan(ids.indexOf("lv:data/projects"));
        String text = allText(p);
        assertThat(text).contains("--type thin-pool -L 1099511627776b --poolmetadatasize 131072k --chunksize 512k -n pool0 data",
                "--type thin -V 824633720832b --thinpool pool0 -n projects data",
                "--type striped -L 858993459200b -i 2 -I 64k -n scratch data", "vgcreate --yes --physicalextentsize 4096k data /dev/vdc1 /dev/vdd1");
        // lvcreate exits 3 on --wipesignatures with a thin pool (seen in the qemu VM, lvm2 2.03.16)
        assertThat(text).contains("lvcreate --yes --type thin-pool", "lvcreate --yes --wipesignatures y --type thin -V")
                .doesNotContain("--wipesignatures y --type thin-pool");
    }

    @Test
    void nvmeTargetPartitionNames() {
        SystemDescriptor d = Samples.load("uefi-gpt-ext4-nvme.json");
        Disk disk = d.disks().get(0);
        Plan p = Planner.plan(d, DiskMapping.map(d, List.of(TargetDisk.of("/dev/nvme1n1", disk.sizeBytes())), Map.of()), PlanOptions.DEFAULTS);
        assertThat(allText(p)).contains("/dev/nvme1n1p2 : start=1050624", "mkfs.ext4 -F -U").contains("/dev/nvme1n1p3");
    }

    @Test
    void unmappedTargetNeverReferenced() {
        SystemDescriptor d = Samples.load("bios-gpt-raid1-lvm.json");
        List<TargetDisk> targets = new ArrayList<>(Samples.sameSizeTargets(d));
        targets.add(TargetDisk.of("/dev/vdz", d.disks().get(0).sizeBytes()));
        Plan p = Planner.plan(d, DiskMapping.map(d, targets, Map.of()), PlanOptions.DEFAULTS);
        assertThat(p.mapping().targetPaths()).containsExactly("/dev/vdb", "/dev/vdc");
        assertThat(p.toShell()).doesNotContain("/dev/vdz");
        assertThat(p.steps()).allSatisfy(s -> assertThat(s.devices()).noneMatch(x -> x.startsWith("/dev/vdz")));
    }

    @Test
    void degradedArrayUsesMissing() {
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) DescriptorJson.parseTree(
                DescriptorJson.canonicalBytes(Samples.load("bios-gpt-raid1-lvm.json")), "raid1");
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("raidArrays").get(0).get("members")).remove(0);
        SystemDescriptor d = DescriptorJson.bind(tree, "degraded");
        Plan p = planOf(d);
        CommandSpec md = p.steps().stream().filter(s -> s.id().equals("md:md0")).findFirst().orElseThrow().commands().get(0);
        assertThat(md.argv()).endsWith("--raid-devices=2", "missing", "/dev/vdc2");
    }

    @Test
    void goldenShellScript() throws IOException {
        SystemDescriptor d = Samples.load("uefi-gpt-ext4-nvme.json");
        Disk disk = d.disks().get(0);
        Plan p = Planner.plan(d, DiskMapping.map(d, List.of(TargetDisk.of("/dev/vdb", disk.sizeBytes() + (8L << 30))), Map.of()),
                PlanOptions.DEFAULTS);
        Path golden = Path.of("src/test/resources/dev/rear/engine/plan/uefi-gpt-ext4-nvme.sh");
        if (Boolean.getBoolean("rear.updateGolden")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, p.toShell());
        }
        assertThat(p.toShell()).isEqualTo(Files.readString(golden));
    }
}
