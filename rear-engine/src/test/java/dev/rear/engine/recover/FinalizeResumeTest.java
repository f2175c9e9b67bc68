package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.discovery.DiscoveryResult;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanOptions;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.TargetDisk;
import dev.rear.engine.recover.finalize.FinalizeActions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finalize steps through the executor and its journal: a power cut in the middle of grub-install,
 * then {@code resume}: the interrupted step runs again, the rewrite and the initramfs that had finished
 * are not done twice, and the run ends verified.
 */
class FinalizeResumeTest {

    @TempDir
    Path tmp;

    static final String T = "/dev/vdb";

    @Test
    void aCutDuringGrubInstallResumesThereAndDoesNothingTwice() throws Exception {
        SystemDescriptor d = DescriptorFiles.load(Path.of("..", "descriptors", "samples", "bios-msdos-lvm-sata.json"));
        long size = d.disks().get(0).sizeBytes();
        Path root = Files.createDirectories(tmp.resolve("mnt/local"));
        Plan plan = Planner.plan(d, DiskMapping.map(d, List.of(TargetDisk.of(T, size)), Map.of()),
                new PlanOptions(ResizePolicy.Mode.LAST, false, Map.of(), null, root.toString()));
        // the restored system: its fstab names the original disk; its tools exist
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/fstab"), "/dev/mapper/system-root / ext4 errors=remount-ro 0 1\n/dev/sda1\t/boot\text4\tdefaults\t0\t2\n");
        for (String tool : List.of("usr/sbin/grub-install", "usr/sbin/update-grub", "usr/sbin/update-initramfs")) {
            Files.createDirectories(root.resolve(tool).getParent());
            Files.writeString(root.resolve(tool), "#!/bin/sh\n");
            root.resolve(tool).toFile().setExecutable(true);
        }
        ExecutorTest.FakeRunner runner = new ExecutorTest.FakeRunner();
        runner.answer(0, "DEVNAME=/dev/system/swap\nUUID=ca1b6331-7fbb-47c1-a7f0-91558705bfb8\nTYPE=swap\n", "",
                "blkid", "-c", "/dev/null", "-p", "-o", "export", "/dev/system/swap");
        List<String> grub = List.of("chroot", root.toString(), "/usr/sbin/grub-install", "--target=i386-pc", T);
        runner.crashOn.add(grub);
        ExecutorTest.FakeHost host = new ExecutorTest.FakeHost();
        host.devices.put(T, size);
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T15:25:18Z"), ZoneOffset.UTC);
        SystemDescriptor found = rediscovered(d, root.toString());
        FinalizeActions.Environment env = new FinalizeActions.Environment(host, tmp, clock, r -> new DiscoveryResult(found, List.of()));
        Path journal = tmp.resolve("recover.jsonl");
        String sha = DescriptorJson.sha256(d);

        assertThatThrownBy(() -> FinalizeActions.register(new Executor(runner, host, clock), FinalizeActions.forPlan(d, plan, root.toString(), env))
                .run(plan, "recover", sha, journal, true)).isInstanceOf(ExecutorTest.Crash.class);
        assertThat(JournalReader.read(journal).state().remaining()).first().isEqualTo("bootloader");
        String rewritten = Files.readString(root.resolve("etc/fstab"));
        assertThat(rewritten).contains("/dev/vdb1\t/boot");
        int before = runner.ran.size();

        Executor.Outcome out = FinalizeActions.register(new Executor(runner, host, clock), FinalizeActions.forPlan(d, plan, root.toString(), env))
                .resume(plan, sha, journal, true);
        assertThat(out.ok()).as(out.message()).isTrue();
        List<List<String>> after = runner.ran.subList(before, runner.ran.size());
        assertThat(after).contains(grub, List.of("chroot", root.toString(), "/usr/sbin/update-grub"));
        assertThat(after).noneMatch(a -> a.contains("/usr/sbin/update-initramfs"));
        assertThat(runner.ran.stream().filter(a -> a.contains("/usr/sbin/update-initramfs"))).hasSize(1);
        assertThat(Files.readString(root.resolve("etc/fstab"))).isEqualTo(rewritten);
        try (var l = Files.list(root.resolve("etc"))) {
            assertThat(l.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("fstab", "fstab.rear-orig-20261126T152518Z");
        }
        assertThat(JournalReader.read(journal).state().remaining()).isEmpty();
    }

    /** The sample as rediscovery sees it on /dev/vdb, mounted below {@code root}. */
    static SystemDescriptor rediscovered(SystemDescriptor d, String root) {
        String json = new String(DescriptorJson.canonicalBytes(d), StandardCharsets.UTF_8)
                .replace("/dev/sda", T).replace("\"sda\"", "\"vdb\"")
                .replace("\"mountpoint\":\"/\"", "\"mountpoint\":\"" + root + "\"")
                .replace("\"mountpoint\":\"/boot\"", "\"mountpoint\":\"" + root + "/boot\"")
                .replace("\"mountpoint\":\"/home\"", "\"mountpoint\":\"" + root + "/home\"");
        ObjectNode t = (ObjectNode) DescriptorJson.parseTree(json.getBytes(StandardCharsets.UTF_8), "test");
        t.putArray("swap");
        return DescriptorJson.bind(t, "test");
    }
}
