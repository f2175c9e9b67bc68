package dev.rear.engine.recover.finalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.discovery.DiscoveryResult;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanOptions;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.Step;
import dev.rear.engine.plan.TargetDisk;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.recover.StepAction;
import dev.rear.engine.recover.StepActionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finalize actions against a target root in a temporary directory, with the commands they run
 * recorded (and answered) instead of run: the argv of grub-install, efibootmgr and the initramfs tools
 * for sample descriptors, the rewrite with its backup copy and its idempotence, the unmount order,
 * the verify verdicts.
 */
class FinalizeActionsTest {

    @TempDir
    Path tmp;

    /** Records every command; answers from a function (null: exit 0, no output). */
    static final class Recorder implements CommandRunner {
        final List<List<String>> ran = new ArrayList<>();
        Function<List<String>, String> answers = argv -> "";

        @Override
        public CommandResult run(CommandSpec spec) {
            ran.add(spec.argv());
            String out = answers.apply(spec.argv());
            if (out == null) {
                throw new CommandFailedException(spec, new CommandResult(spec.argv(), 1, "", "failed as the test says", Duration.ZERO));
            }
            return new CommandResult(spec.argv(), 0, out, "", Duration.ZERO);
        }
    }

    static final class Ctx implements StepAction.Context {
        final Recorder runner = new Recorder();
        final List<String> notes = new ArrayList<>();

        @Override
        public CommandRunner commands() {
            return runner;
        }

        @Override
        public void note(String line) {
            notes.add(line);
        }

        @Override
        public String runId() {
            return "test";
        }

        @Override
        public Path journal() {
            return Path.of("/dev/null");
        }
    }

    static final class Host implements HostProbe {
        final List<Mount> mounts = new ArrayList<>();

        @Override
        public boolean isBlockDevice(String path) {
            return true;
        }

        @Override
        public OptionalLong sizeBytes(String path) {
            return OptionalLong.empty();
        }

        @Override
        public Optional<String> majorMinor(String path) {
            return Optional.empty();
        }

        @Override
        public List<Mount> mounts() {
            return List.copyOf(mounts);
        }
    }

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T15:25:18Z"), ZoneOffset.UTC);

    record Setup(SystemDescriptor d, Plan plan, String root, Host host, Map<String, StepAction> actions) {
        Step step(String id) {
            return plan.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no step " + id));
        }

        Map<String, String> run(String id, Ctx ctx) {
            Step s = step(id);
            return actions.get(s.kind()).run(s, ctx);
        }
    }

    Setup setup(String sample, Function<CommandRunner, DiscoveryResult> rediscover, boolean uefiRescue) throws IOException {
        SystemDescriptor d = ConfigRewriterTest.sample(sample);
        DiskMapping m = ConfigRewriterTest.toVd(d);
        Path root = Files.createDirectories(tmp.resolve("mnt/local"));
        Path rescue = Files.createDirectories(tmp.resolve("rescue"));
        if (uefiRescue) {
            Files.createDirectories(rescue.resolve("sys/firmware/efi"));
        }
        Plan plan = Planner.plan(d, m, new PlanOptions(dev.rear.engine.plan.ResizePolicy.Mode.LAST, false, Map.of(), null, root.toString()));
        Host host = new Host();
        FinalizeActions.Environment env = new FinalizeActions.Environment(host, rescue, CLOCK, rediscover);
        return new Setup(d, plan, root.toString(), host, FinalizeActions.forPlan(d, plan, root.toString(), env));
    }

    Setup setup(String sample) throws IOException {
        return setup(sample, r -> {
            throw new AssertionError("no rediscovery expected");
        }, false);
    }

    static void tool(String root, String path) throws IOException {
        Path p = Path.of(root + path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        p.toFile().setExecutable(true);
    }

    // ---------------------------------------------------------------------------------- rewrite

    @Test
    void fstabIsRewrittenOnceWithItsOriginalKeptAndARerunChangesNothing() throws IOException {
        Setup s = setup("bios-msdos-lvm-sata.json");
        Path fstab = Path.of(s.root() + "/etc/fstab");
        Files.createDirectories(fstab.getParent());
        String original = ConfigRewriterTest.fixture("fstab-debian-bios-msdos-lvm.txt");
        Files.writeString(fstab, original);
        Ctx ctx = new Ctx();
        Map<String, String> facts = s.run("rewrite:/etc/fstab", ctx);
        Path backup = Path.of(s.root() + "/etc/fstab.rear-orig-20261126T152518Z");
        assertThat(facts).containsEntry("backup", backup.toString())
                .containsEntry("line.13", "/dev/sda1\t/boot\text4\tdefaults\t0\t2 => /dev/vdb1\t/boot\text4\tdefaults\t0\t2")
                .containsKey("warning.1");
        assertThat(Files.readString(backup)).isEqualTo(original);
        assertThat(Files.readString(fstab)).isEqualTo(ConfigRewriterTest.fixture("fstab-debian-bios-msdos-lvm.expected.txt"));
        assertThat(ctx.runner.ran).isEmpty();

        Map<String, String> again = s.run("rewrite:/etc/fstab", new Ctx());
        assertThat(again.get("file")).contains("was rewritten before", backup.toString());
        assertThat(Files.readString(fstab)).isEqualTo(ConfigRewriterTest.fixture("fstab-debian-bios-msdos-lvm.expected.txt"));
        try (var l = Files.list(fstab.getParent())) {
            assertThat(l.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("fstab", "fstab.rear-orig-20261126T152518Z");
        }
    }

    @Test
    void aSwapMappingIsNotSwappedBackByARerun() throws IOException {
        SystemDescriptor d = ConfigRewriterTest.sample("bios-gpt-raid1-lvm.json");
        long size = d.disks().get(0).sizeBytes();
        DiskMapping swap = DiskMapping.map(d, List.of(TargetDisk.of("/dev/sda", size), TargetDisk.of("/dev/sdb", size)),
                Map.of("/dev/sda", "/dev/sdb", "/dev/sdb", "/dev/sda"));
        Path root = Files.createDirectories(tmp.resolve("root"));
        Plan plan = Planner.plan(d, swap, new PlanOptions(dev.rear.engine.plan.ResizePolicy.Mode.LAST, false, Map.of(), null, root.toString()));
        Map<String, StepAction> a = FinalizeActions.forPlan(d, plan, root.toString(),
                new FinalizeActions.Environment(new Host(), tmp, CLOCK, r -> null));
        Path conf = root.resolve("etc/mdadm/mdadm.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, ConfigRewriterTest.fixture("mdadm-debian-bios-gpt-raid1.txt"));
        Step step = plan.steps().stream().filter(x -> x.id().equals("rewrite:/etc/mdadm/mdadm.conf")).findFirst().orElseThrow();
        a.get("rewrite-config").run(step, new Ctx());
        String once = Files.readString(conf);
        assertThat(once).contains("DEVICE /dev/sdb2 /dev/sda2");
        a.get("rewrite-config").run(step, new Ctx());
        assertThat(Files.readString(conf)).isEqualTo(once);
    }

    @Test
    void aFileThatNeedsNoChangeIsNotTouched() throws IOException {
        Setup s = setup("bios-msdos-lvm-sata.json");
        Path crypttab = Path.of(s.root() + "/etc/crypttab");
        Files.createDirectories(crypttab.getParent());
        Files.writeString(crypttab, "# <target name>\t<source device>\t<key file>\t<options>\n");
        FileTime before = FileTime.from(Instant.parse("2025-01-06T10:00:00Z"));
        Files.setLastModifiedTime(crypttab, before);
        Map<String, String> facts = s.run("rewrite:/etc/crypttab", new Ctx());
        assertThat(facts.get("file")).contains("left untouched");
        assertThat(Files.getLastModifiedTime(crypttab)).isEqualTo(before);
        try (var l = Files.list(crypttab.getParent())) {
            assertThat(l.toList()).hasSize(1);
        }
        assertThat(s.run("rewrite:/etc/mdadm.conf", new Ctx()).get("file")).contains("is absent");
    }

    @Test
    void anUnresolvableBootLineFailsTheStepAndLeavesTheFileAsItWas() throws IOException {
        Setup s = setup("bios-msdos-lvm-sata.json");
        Path fstab = Path.of(s.root() + "/etc/fstab");
        Files.createDirectories(fstab.getParent());
        String text = "/dev/sda1 /boot ext4 defaults 0 2\nUUID=0a0b0c0d-1111-2222-3333-444455556666 /srv ext4 defaults 0 2\n";
        Files.writeString(fstab, text);
        assertThatThrownBy(() -> s.run("rewrite:/etc/fstab", new Ctx())).isInstanceOf(StepActionException.class)
                .hasMessageContaining(fstab + " refers to what will not exist").hasMessageContaining("fstab line 2 (/srv)");
        assertThat(Files.readString(fstab)).isEqualTo(text);
    }

    // ---------------------------------------------------------------------------------- initramfs

    @Test
    void debianRebuildsWithUpdateInitramfsChrooted() throws IOException {
        Setup s = setup("bios-msdos-lvm-sata.json");
        tool(s.root(), "/usr/sbin/update-initramfs");
        tool(s.root(), "/usr/bin/dracut");
        Ctx ctx = new Ctx();
        s.run("initramfs", ctx);
        assertThat(ctx.runner.ran).containsExactly(List.of("chroot", s.root(), "/usr/sbin/update-initramfs", "-u", "-k", "all"));
    }

    @Test
    void redHatRebuildsWithDracutChrooted() throws IOException {
        Setup s = setup("raid5-three-disks.json");
        tool(s.root(), "/usr/bin/dracut");
        Ctx ctx = new Ctx();
        s.run("initramfs", ctx);
        assertThat(ctx.runner.ran).containsExactly(List.of("chroot", s.root(), "/usr/bin/dracut", "--force", "--regenerate-all"));
    }

    @Test
    void noInitramfsToolFailsNamingBoth() throws IOException {
        Setup s = setup("bios-msdos-lvm-sata.json");
        Files.createDirectories(Path.of(s.root(), "boot"));
        Files.writeString(Path.of(s.root(), "boot", "initrd.img-6.1.0-56-amd64"), "old layout inside");
        assertThatThrownBy(() -> s.run("initramfs", new Ctx())).isInstanceOf(StepActionException.class)
                .hasMessageContaining("initrd.img-6.1.0-56-amd64 in /boot but neither update-initramfs nor dracut");
    }

    @Test
    void noInitramfsImageAndNoToolIsNothingToRebuild() throws IOException {
        Setup s = setup("bios-msdos-lvm-sata.json");
        Ctx ctx = new Ctx();
        assertThat(s.run("initramfs", ctx)).containsKey("skipped");
        assertThat(ctx.runner.ran).isEmpty();
    }

    @Test
    void initramfsIsPlannedOnlyWithAReason() throws IOException {
        SystemDescriptor d = ConfigRewriterTest.sample("uefi-gpt-ext4-nvme.json");
        DiskMapping same = DiskMapping.map(d, List.of(TargetDisk.of("/dev/nvme0n1", d.disks().get(0).sizeBytes())), Map.of());
        assertThat(Planner.plan(d, same, PlanOptions.DEFAULTS).steps()).extracting(Step::id).doesNotContain("initramfs").contains("bootloader");
        Plan moved = Planner.plan(d, ConfigRewriterTest.toVd(d), PlanOptions.DEFAULTS);
        assertThat(moved.steps().stream().filter(x -> x.id().equals("initramfs")).findFirst().orElseThrow().description())
                .contains("/dev/nvme0n1 is now /dev/vdb");
        SystemDescriptor lvm = ConfigRewriterTest.sample("bios-msdos-lvm-sata.json");
        DiskMapping lvmSame = DiskMapping.map(lvm, List.of(TargetDisk.of("/dev/sda", lvm.disks().get(0).sizeBytes())), Map.of());
        assertThat(Planner.plan(lvm, lvmSame, PlanOptions.DEFAULTS).steps().stream().filter(x -> x.id().equals("initramfs"))
                .findFirst().orElseThrow().description()).contains("the root filesystem is on LVM");
    }

    // ---------------------------------------------------------------------------------- bootloader

    @Test
    void biosRaid1GetsGrubOnBothMappedDisks() throws IOException {
        Setup s = setup("bios-gpt-raid1-lvm.json");
        tool(s.root(), "/usr/sbin/grub-install");
        Ctx ctx = new Ctx();
        Map<String, String> facts = s.run("bootloader", ctx);
        assertThat(ctx.runner.ran).containsExactly(
                List.of("chroot", s.root(), "/usr/sbin/grub-install", "--target=i386-pc", "/dev/vdb"),
                List.of("chroot", s.root(), "/usr/sbin/grub-install", "--target=i386-pc", "/dev/vdc"));
        assertThat(facts.get("installed")).isEqualTo("GRUB i386-pc on /dev/vdb, /dev/vdc");
        assertThat(s.step("bootloader").devices()).containsExactly("/dev/vdb", "/dev/vdc");
    }

    @Test
    void biosMsdosGetsGrubOnItsOneDiskAndTheConfigFromUpdateGrub() throws IOException {
        Setup s = setup("bios-msdos-lvm-sata.json");
        tool(s.root(), "/usr/sbin/grub-install");
        tool(s.root(), "/usr/sbin/update-grub");
        Ctx ctx = new Ctx();
        s.run("bootloader", ctx);
        s.run("grub-config", ctx);
        assertThat(ctx.runner.ran).containsExactly(List.of("chroot", s.root(), "/usr/sbin/grub-install", "--target=i386-pc", "/dev/vdb"),
                List.of("chroot", s.root(), "/usr/sbin/update-grub"));
    }

    @Test
    void rhelWritesItsConfigWithGrub2Mkconfig() throws IOException {
        Setup s = setup("whole-disk-no-table.json");
        tool(s.root(), "/usr/sbin/grub2-install");
        tool(s.root(), "/usr/sbin/grub2-mkconfig");
        Ctx ctx = new Ctx();
        s.run("bootloader", ctx);
        s.run("grub-config", ctx);
        assertThat(ctx.runner.ran).containsExactly(List.of("chroot", s.root(), "/usr/sbin/grub2-install", "--target=i386-pc", "/dev/vdb"),
                List.of("chroot", s.root(), "/usr/sbin/grub2-mkconfig", "-o", "/boot/grub2/grub.cfg"));
    }

    @Test
    void noGrubInTheRestoredSystemFails() throws IOException {
        Setup s = setup("bios-msdos-lvm-sata.json");
        assertThatThrownBy(() -> s.run("bootloader", new Ctx())).isInstanceOf(StepActionException.class)
                .hasMessageContaining("neither grub-install nor grub2-install");
    }

    @Test
    void uefiInstallsGrubOnTheMountedEspWithTheDescriptorsBootloaderId() throws IOException {
        Setup s = setup("uefi-gpt-ext4-nvme.json");
        tool(s.root(), "/usr/sbin/grub-install");
        Files.createDirectories(Path.of(s.root() + "/usr/lib/grub/x86_64-efi"));
        assertThatThrownBy(() -> s.run("bootloader", new Ctx())).isInstanceOf(StepActionException.class)
                .hasMessageContaining("not mounted on " + s.root() + "/boot/efi");
        s.host().mounts.add(new HostProbe.Mount(s.root() + "/boot/efi", "/dev/vdb1", "254:17"));
        Ctx ctx = new Ctx();
        s.run("bootloader", ctx);
        assertThat(ctx.runner.ran).containsExactly(List.of("chroot", s.root(), "/usr/sbin/grub-install", "--target=x86_64-efi",
                "--efi-directory=/boot/efi", "--bootloader-id=debian", "--no-nvram"));
    }

    @Test
    void uefiWithoutEfiModulesInTheTargetKeepsTheRestoredLoader() throws IOException {
        Setup s = setup("raid5-three-disks.json");
        tool(s.root(), "/usr/sbin/grub2-install");
        s.host().mounts.add(new HostProbe.Mount(s.root() + "/boot/efi", "/dev/vdb1", "254:17"));
        Ctx ctx = new Ctx();
        Map<String, String> facts = s.run("bootloader", ctx);
        assertThat(ctx.runner.ran).isEmpty();
        assertThat(facts.get("skipped")).contains("no GRUB x86_64-efi modules");
        assertThat(FinalizeStepsBootloaderId.of(s.d())).isEqualTo("redhat");
    }

    /** The bootloader id of a descriptor (a name for the assertion above). */
    static final class FinalizeStepsBootloaderId {
        static String of(SystemDescriptor d) {
            return dev.rear.engine.plan.FinalizeSteps.bootloaderId(d);
        }
    }

    // ---------------------------------------------------------------------------------- EFI entries

    static final String FRESH = "Timeout: 0 seconds\nBootOrder: 0000\n"
            + "Boot0000* UiApp\tFvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)\n";

    @Test
    void efiEntriesAreRecreatedOnTheMappedDiskAndBootOrderFollowsTheDescriptor() throws IOException {
        Setup s = setup("uefi-gpt-ext4-nvme.json", r -> null, true);
        Ctx ctx = new Ctx();
        List<String> listing = new ArrayList<>(List.of(FRESH));
        ctx.runner.answers = argv -> {
            if (argv.equals(List.of("efibootmgr", "-v"))) {
                return listing.get(listing.size() - 1);
            }
            if (argv.contains("--create")) {
                String label = argv.get(argv.indexOf("--label") + 1);
                String loader = argv.get(argv.indexOf("--loader") + 1);
                String prev = listing.get(listing.size() - 1);
                int n = listing.size();
                String order = prev.lines().filter(l -> l.startsWith("BootOrder: ")).findFirst().orElseThrow().substring(11);
                listing.add(prev.replace("BootOrder: " + order, "BootOrder: 000" + n + "," + order)
                        + "Boot000" + n + "* " + label + "\tHD(1,GPT,4926576a-de04-437f-ac9e-9d3f853d66ef,0x800,0x100000)/File(" + loader + ")\n");
                return "";
            }
            return "";
        };
        Map<String, String> facts = s.run("efi-entries", ctx);
        assertThat(ctx.runner.ran).containsExactly(
                List.of("efibootmgr", "-v"),
                List.of("efibootmgr", "--create", "--disk", "/dev/vdb", "--part", "1", "--label", "debian", "--loader", "\\EFI\\debian\\shimx64.efi"),
                List.of("efibootmgr", "-v"),
                List.of("efibootmgr", "--create", "--disk", "/dev/vdb", "--part", "1", "--label", "UEFI OS", "--loader", "\\EFI\\BOOT\\BOOTX64.EFI"),
                List.of("efibootmgr", "-v"),
                List.of("efibootmgr", "--bootorder", "0001,0002,0000"));
        assertThat(facts).containsEntry("Boot0000", "recreated as Boot0001 'debian' on /dev/vdb partition 1")
                .containsEntry("BootOrder", "0001,0002,0000");
        assertThat(facts.get("Boot0002")).startsWith("skipped: it loads from no partition");

        // again: the entries are there, nothing is created twice
        Ctx again = new Ctx();
        again.runner.answers = ctx.runner.answers;
        listing.add(listing.get(listing.size() - 1).replace("BootOrder: 0002,0001,0000", "BootOrder: 0001,0002,0000"));
        s.run("efi-entries", again);
        assertThat(again.runner.ran).containsExactly(List.of("efibootmgr", "-v"));
    }

    @Test
    void efiEntriesAreSkippedWithANoteWhenTheRescueSystemDidNotBootWithUefi() throws IOException {
        Setup s = setup("uefi-gpt-ext4-nvme.json", r -> null, false);
        Ctx ctx = new Ctx();
        Map<String, String> facts = s.run("efi-entries", ctx);
        assertThat(ctx.runner.ran).isEmpty();
        assertThat(facts.get("skipped")).contains("not booted with UEFI (no /sys/firmware/efi)");
        assertThat(ctx.notes).singleElement().asString().contains("not booted with UEFI");
    }

    @Test
    void efiArgvForEverySampleNamesOnlyMappedDisks() {
        for (String name : List.of("uefi-gpt-ext4-nvme.json", "uefi-luks2-lvm.json", "lvm-thin-pool.json", "raid5-three-disks.json",
                "btrfs-suse-subvolumes.json", "hybrid-boot-usb-excluded.json")) {
            SystemDescriptor d = ConfigRewriterTest.sample(name);
            DiskMapping m = ConfigRewriterTest.toVd(d);
            List<dev.rear.engine.plan.FinalizeSteps.EfiEntry> entries = dev.rear.engine.plan.FinalizeSteps.efiEntries(d, m);
            assertThat(entries).as(name).isNotEmpty();
            for (var e : entries) {
                if (e.skip() == null) {
                    assertThat(m.targetPaths()).as(name).contains(e.disk());
                    assertThat(e.createArgv()).as(name).startsWith("efibootmgr", "--create", "--disk", e.disk(), "--part");
                }
            }
            assertThat(entries.stream().filter(e -> e.skip() == null)).as(name + " recreates its loader's entry").isNotEmpty();
        }
    }

    // ---------------------------------------------------------------------------------- unmount

    @Test
    void unmountTakesEverythingBelowTheRootOffInReverseOrder() throws IOException {
        Setup s = setup("uefi-gpt-ext4-nvme.json");
        String r = s.root();
        for (String mp : List.of(r, r + "/boot/efi", r + "/proc", r + "/sys", r + "/dev", r + "/run")) {
            s.host().mounts.add(new HostProbe.Mount(mp, "x", "0:0"));
        }
        s.host().mounts.add(0, new HostProbe.Mount("/", "/dev/vda1", "254:1"));
        Ctx ctx = new Ctx();
        ctx.runner.answers = argv -> {
            s.host().mounts.removeIf(m -> m.mountPoint().equals(argv.get(1)));
            return "";
        };
        Map<String, String> facts = s.run("unmount", ctx);
        assertThat(ctx.runner.ran).extracting(a -> a.get(1)).containsExactly(r + "/run", r + "/dev", r + "/sys", r + "/proc", r + "/boot/efi", r);
        assertThat(s.host().mounts).extracting(HostProbe.Mount::mountPoint).containsExactly("/");
        assertThat(facts.get("unmounted")).startsWith(r + "/run");
        Ctx again = new Ctx();
        assertThat(s.run("unmount", again).get("unmounted")).contains("nothing was mounted");
        assertThat(again.runner.ran).isEmpty();
    }

    @Test
    void aBusyMountIsRetriedThenNamed() throws IOException {
        Setup s = setup("uefi-gpt-ext4-nvme.json");
        s.host().mounts.add(new HostProbe.Mount(s.root(), "/dev/vdb2", "254:18"));
        Ctx ctx = new Ctx();
        ctx.runner.answers = argv -> null;
        assertThatThrownBy(() -> s.run("unmount", ctx)).isInstanceOf(StepActionException.class)
                .hasMessageContaining("cannot unmount " + s.root()).hasMessageContaining("fuser -vm " + s.root());
        assertThat(ctx.runner.ran).hasSize(3);
    }

    // ---------------------------------------------------------------------------------- verify

    /** The nvme sample as rediscovery would see it on /dev/vdb with everything mounted below the root. */
    static SystemDescriptor rediscovered(SystemDescriptor d, String root, java.util.function.UnaryOperator<String> tweak) {
        String json = new String(DescriptorJson.canonicalBytes(d), StandardCharsets.UTF_8)
                .replace("/dev/nvme0n1p", "/dev/vdb").replace("/dev/nvme0n1", "/dev/vdb").replace("\"nvme0n1\"", "\"vdb\"")
                .replace("\"mountpoint\":\"/\"", "\"mountpoint\":\"" + root + "\"")
                .replace("\"mountpoint\":\"/boot/efi\"", "\"mountpoint\":\"" + root + "/boot/efi\"")
                .replace("\"errors=remount-ro\"", "\"rw\",\"relatime\",\"errors=remount-ro\"");
        ObjectNode t = (ObjectNode) DescriptorJson.parseTree(tweak.apply(json).getBytes(StandardCharsets.UTF_8), "test");
        ObjectNode disk = (ObjectNode) t.get("disks").get(0);
        disk.put("model", "QEMU HARDDISK").put("serial", "rear-target").put("transport", "virtio");
        disk.putArray("byIdLinks").add("/dev/disk/by-id/virtio-rear-target");
        t.putArray("swap");
        return DescriptorJson.bind(t, "test");
    }

    @Test
    void verifyPassesWhenOnlyTheMappingExplainsTheDifferences() throws IOException {
        SystemDescriptor d = ConfigRewriterTest.sample("uefi-gpt-ext4-nvme.json");
        String root = tmp.resolve("mnt/local").toString();
        Setup s = setup("uefi-gpt-ext4-nvme.json", r -> new DiscoveryResult(rediscovered(d, root, x -> x), List.of()), true);
        Ctx ctx = new Ctx();
        ctx.runner.answers = argv -> argv.get(0).equals("blkid") ? "DEVNAME=/dev/vdb3\nUUID=0cf86477-2557-45bf-bece-50f622a44af2\nTYPE=swap\n" : "";
        Map<String, String> facts = s.run("verify", ctx);
        assertThat(facts.get("verdict")).contains("matches the descriptor");
        assertThat(facts.values()).anyMatch(v -> v.contains("/dev/nvme0n1 and its partitions are /dev/vdb"));
        assertThat(facts.values()).anyMatch(v -> v.contains("model") && v.contains("the target disk's own hardware"));
        assertThat(ctx.runner.ran).containsExactly(List.of("blkid", "-c", "/dev/null", "-p", "-o", "export", "/dev/vdb3"));
    }

    @Test
    void verifyFailsNamingEveryDifferenceNeitherMappingNorResizeExplains() throws IOException {
        SystemDescriptor d = ConfigRewriterTest.sample("uefi-gpt-ext4-nvme.json");
        String root = tmp.resolve("mnt/local").toString();
        Setup s = setup("uefi-gpt-ext4-nvme.json", r -> new DiscoveryResult(rediscovered(d, root,
                x -> x.replace("7ee38ff1-b8bf-40f4-b5b1-a76244923af8", "7ee38ff1-b8bf-40f4-b5b1-000000000000")
                        .replace("81EECA23-91F1-4065-AB89-D42EB4153011", "81EECA23-91F1-4065-AB89-000000000000")), List.of()), true);
        Ctx ctx = new Ctx();
        ctx.runner.answers = argv -> "DEVNAME=/dev/vdb3\nUUID=0cf86477-2557-45bf-bece-50f622a44af2\nLABEL=wrong\nTYPE=swap\n";
        assertThatThrownBy(() -> s.run("verify", ctx)).isInstanceOf(StepActionException.class)
                .hasMessageContaining("7ee38ff1-b8bf-40f4-b5b1-000000000000")
                .hasMessageContaining("81EECA23-91F1-4065-AB89-000000000000")
                .hasMessageContaining("everything stays mounted");
    }
}
