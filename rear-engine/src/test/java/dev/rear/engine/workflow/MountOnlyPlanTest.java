package dev.rear.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.Step;
import dev.rear.engine.plan.TargetDisk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** mountonly's plans for the layouts the host tier cannot make (md, LUKS, LVM): what is brought up, in which order, with which commands. */
class MountOnlyPlanTest {

    static SystemDescriptor sample(String name) {
        return DescriptorFiles.load(Path.of("..", "descriptors", "samples", name));
    }

    static List<String> argvs(Plan p) {
        return p.steps().stream().flatMap(s -> s.commands().stream()).map(CommandSpec::display).toList();
    }

    @Test
    void luksThenTheVolumeGroupOnItThenTheMountsParentsFirst() {
        SystemDescriptor d = sample("uefi-luks2-lvm.json");
        DiskMapping m = DiskMapping.map(d, List.of(TargetDisk.of("/dev/sda", d.disks().get(0).sizeBytes())), Map.of());
        Plan p = MountOnlyPlan.plan(d, m, "/mnt/local", false, "/root/key");
        assertThat(p.steps().stream().map(Step::id)).containsExactly("open:sda3_crypt", "vg:ws01-vg", "mount:/", "mount:/boot",
                "mount:/home", "mount:/boot/efi");
        assertThat(argvs(p)).containsExactly(
                "cryptsetup open --type luks --key-file *** /dev/sda3 sda3_crypt",
                "vgchange --activate y ws01-vg",
                "mkdir -p /mnt/local",
                "mount -t ext4 -o errors=remount-ro /dev/ws01-vg/root /mnt/local",
                "mount -t ext4 /dev/sda2 /mnt/local/boot",
                "mount -t ext4 /dev/ws01-vg/home /mnt/local/home",
                "mount -t vfat -o umask=0077 /dev/sda1 /mnt/local/boot/efi");
        assertThat(p.steps().get(1).check().target()).isEqualTo("/dev/ws01-vg/root");
        assertThat(p.steps().stream().flatMap(s -> s.commands().stream()).map(c -> c.argv().get(0)))
                .as("nothing that creates or formats").doesNotContain("mkfs.ext4", "wipefs", "sfdisk", "pvcreate", "luksFormat");
        assertThat(MountOnlyPlan.undo(d, "/mnt/local")).containsExactly("umount -R /mnt/local", "vgchange --activate n ws01-vg",
                "cryptsetup close sda3_crypt");
    }

    @Test
    void readOnlyAssemblesTheArrayReadOnlyAndMountsWithRo() {
        SystemDescriptor d = sample("bios-gpt-raid1-lvm.json");
        DiskMapping m = DiskMapping.map(d, List.of(TargetDisk.of("/dev/sdc", d.disks().get(0).sizeBytes()),
                TargetDisk.of("/dev/sdd", d.disks().get(1).sizeBytes())), Map.of("/dev/sda", "/dev/sdc", "/dev/sdb", "/dev/sdd"));
        Plan p = MountOnlyPlan.plan(d, m, "/mnt/local/", true, null);
        assertThat(p.steps().stream().map(Step::kind)).containsExactly("md-assemble", "vg-activate", "mount", "mount");
        List<String> a = argvs(p);
        assertThat(a.get(0)).startsWith("mdadm --assemble /dev/md0 --uuid=" + d.raidArrays().get(0).uuid() + " --readonly /dev/sdc")
                .contains("/dev/sdd");
        assertThat(a).contains("mount -t ext4 -o errors=remount-ro,ro /dev/vg0/root /mnt/local").anyMatch(x -> x.matches("mount -t xfs -o (.*,)?ro /dev/vg0/var /mnt/local/var"));
        assertThat(p.steps().get(3).check().probe()).isEqualTo("mounted");
    }
}
