package dev.rear.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.SystemDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The finalize steps of every sample plan: where they are, in which order, and what the plan shows of them. */
class FinalizeStepsTest {

    static Plan planOf(SystemDescriptor d) {
        return Planner.plan(d, DiskMapping.map(d, Samples.sameSizeTargets(d), Map.of()), PlanOptions.DEFAULTS);
    }

    @Test
    void everySamplePlanEndsWithTheFinalizeStepsInOrderAfterTheRestore() {
        for (Path f : Samples.all()) {
            SystemDescriptor d = Samples.load(f.getFileName().toString());
            Plan p = planOf(d);
            List<String> ids = p.steps().stream().map(Step::id).toList();
            int restore = ids.indexOf("restore");
            assertThat(restore).as(f.toString()).isPositive();
            List<String> after = ids.subList(restore + 1, ids.size());
            List<String> want = new ArrayList<>(List.of("bind:/proc", "bind:/sys", "bind:/dev", "bind:/run", "rewrite:/etc/fstab",
                    "rewrite:/etc/crypttab", "rewrite:/etc/mdadm/mdadm.conf", "rewrite:/etc/mdadm.conf", "rewrite:/etc/default/grub",
                    "initramfs")); // every sample moves its disks to /dev/vdX
            BootloaderType t = d.bootloader().type();
            if (t != BootloaderType.NONE) {
                want.add("bootloader");
            }
            if (t.isEfi()) {
                want.add("efi-entries");
            }
            if (t == BootloaderType.GRUB2_BIOS || t == BootloaderType.GRUB2_EFI) {
                want.add("grub-config");
            }
            want.addAll(List.of("verify", "unmount"));
            assertThat(after).as(f.toString()).isEqualTo(want);
            assertThat(planOf(d).steps()).as(f + ": deterministic").isEqualTo(p.steps());
            // no finalize step writes to a device it was not mapped to
            for (Step s : p.steps().subList(restore + 1, p.steps().size())) {
                for (String dev : s.devices()) {
                    assertThat(p.mapping().targetPaths()).as(s.id()).anyMatch(tp -> dev.startsWith(tp));
                }
            }
        }
    }

    @Test
    void layoutonlysPlanStopsBeforeTheRestore() {
        Plan full = planOf(Samples.load("bios-gpt-raid1-lvm.json"));
        Plan p = full.layoutOnly();
        assertThat(p.steps()).isEqualTo(full.steps().subList(0, full.steps().stream().map(Step::id).toList().indexOf("restore")));
        assertThat(p.steps()).extracting(Step::id).last().isEqualTo("mount:/var");
        assertThat(p.steps()).extracting(Step::kind).doesNotContainAnyElementsOf(FinalizeSteps.KINDS).doesNotContain("hook");
    }

    @Test
    void textJsonAndShellShowWhatTheActionsWillDo() {
        Plan p = planOf(Samples.load("bios-gpt-raid1-lvm.json"));
        assertThat(p.toText()).contains("bootloader", "action: chroot /mnt/local grub-install --target=i386-pc /dev/vdb",
                "action: chroot /mnt/local grub-install --target=i386-pc /dev/vdc", "action: chroot /mnt/local update-initramfs -u -k all",
                "the root filesystem is on LVM and md", "action: umount /mnt/local/run");
        JsonNode boot = null;
        for (JsonNode s : p.toJson().get("steps")) {
            if (s.get("id").asText().equals("bootloader")) {
                boot = s;
            }
        }
        assertThat(boot).isNotNull();
        assertThat(boot.get("action").get(0).asText()).isEqualTo("chroot /mnt/local grub-install --target=i386-pc /dev/vdb");
        assertThat(boot.get("devices").toString()).isEqualTo("[\"/dev/vdb\",\"/dev/vdc\"]");
        String sh = p.toShell();
        assertThat(sh).contains("mount --bind /dev /mnt/local/dev\n", "# rear does: chroot /mnt/local grub-install --target=i386-pc /dev/vdb\n",
                ": # rear's own work (see above), not a shell command\n");
        assertThat(sh).doesNotContain("\ngrub-install", "\nchroot ");
    }

    @Test
    void uefiPlanNamesTheEspTheBootloaderIdAndTheEntries() {
        SystemDescriptor d = Samples.load("uefi-gpt-ext4-nvme.json");
        Plan p = planOf(d);
        assertThat(p.toText()).contains("action: chroot /mnt/local grub-install --target=x86_64-efi --efi-directory=/boot/efi"
                        + " --bootloader-id=debian --no-nvram",
                "action: efibootmgr --create --disk /dev/vdb --part 1 --label debian --loader \\EFI\\debian\\shimx64.efi",
                "action: efibootmgr --create --disk /dev/vdb --part 1 --label UEFI OS --loader \\EFI\\BOOT\\BOOTX64.EFI",
                "action: skip Boot0002 'UEFI: PXE IPv4 Intel(R) Ethernet Connection (7) I219-V'",
                "no /sys/firmware/efi");
        assertThat(FinalizeSteps.efiEntries(d, p.mapping()).get(2).createArgv()).contains("--inactive");
    }

    @Test
    void familiesChooseTheirTools() {
        assertThat(FinalizeSteps.Family.of(Samples.load("raid5-three-disks.json").host().osRelease())).isEqualTo(FinalizeSteps.Family.REDHAT);
        assertThat(FinalizeSteps.Family.of(Samples.load("btrfs-suse-subvolumes.json").host().osRelease())).isEqualTo(FinalizeSteps.Family.SUSE);
        assertThat(FinalizeSteps.Family.REDHAT.initramfsCommand()).containsExactly("dracut", "--force", "--regenerate-all");
        assertThat(FinalizeSteps.Family.DEBIAN.initramfsCommand()).containsExactly("update-initramfs", "-u", "-k", "all");
        assertThat(FinalizeSteps.Family.SUSE.grubConfigCommand()).containsExactly("grub2-mkconfig", "-o", "/boot/grub2/grub.cfg");
        assertThat(FinalizeSteps.bootloaderId(Samples.load("btrfs-suse-subvolumes.json"))).isEqualTo("sles");
    }
}
