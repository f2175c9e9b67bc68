package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.LvSegmentType;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VfatParameters;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.engine.cli.Rear;
import dev.rear.engine.descriptor.DescriptorDiff;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.journal.RunState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: md RAID1, LVM (linear, thin pool + thin LV, raid1 LV), LUKS2 with a key file, ext4, xfs,
 * swap and vfat ESPs, built inside a qemu VM (Debian's kernel; the host kernel has no md, dm or
 * vfat) with the real tools, described by {@code rear savelayout}, wiped, recreated by
 * {@code rear layoutonly} from the descriptor alone, described again and compared. See
 * {@code guest/storage-scenario.sh} for the layout and each step.
 *
 * <p>One VM boot does it all (TCG is slow: a boot costs seconds, each JVM start several). The host
 * reads what the guest left on its output disk and asserts: the scenario ran to its end, the
 * layoutonly journal verifies and has nothing left to do, the layout facts (md UUID, name, level
 * and metadata; PV UUIDs; LUKS UUID, label and version; filesystem UUIDs and labels; vfat volume
 * ids; swap UUID; LV segment types) are those the tools were given, in the original descriptor
 * and in the recreated one, and {@code rear diff} of the two finds nothing but what the plan says
 * it cannot preserve (the VG and LV UUIDs: vgcreate and lvcreate make new ones).
 */
class StorageLayoutVmIT {

    static final String MD_UUID = "3e2a1c0d:5b4f4a6e:9c8d7e6f:0a1b2c3d";
    static final Map<String, String> PV_UUIDS = Map.of(
            "/dev/md0", "e2eMD0-pv00-0000-0000-0000-0000-000001",
            "/dev/vda3", "e2eVDA-pv00-0000-0000-0000-0000-000002",
            "/dev/vdb3", "e2eVDB-pv00-0000-0000-0000-0000-000003");
    static final String LUKS_UUID = "7d3c2b1a-0f9e-4d8c-b7a6-958473625140";
    /** device → (UUID, label) as the scenario made them. */
    static final Map<String, List<String>> FILESYSTEMS = Map.of(
            "/dev/vg0/root", List.of("1a2b3c4d-0001-4e5f-8a9b-0c1d2e3f4a01", "e2e-root"),
            "/dev/vg0/thin", List.of("1a2b3c4d-0002-4e5f-8a9b-0c1d2e3f4a02", "e2e-thin"),
            "/dev/vg1/mirror", List.of("1a2b3c4d-0003-4e5f-8a9b-0c1d2e3f4a03", "e2e-mirror"),
            "/dev/mapper/cryptdata", List.of("1a2b3c4d-0004-4e5f-8a9b-0c1d2e3f4a04", "e2e-secure"),
            "/dev/vda1", List.of("2E2E-0001", "E2E-ESP"),
            "/dev/vdb1", List.of("2E2E-0002", "E2E-ESP2"));
    static final String SWAP_UUID = "1a2b3c4d-0005-4e5f-8a9b-0c1d2e3f4a05";

    /** Upper bound for the scenario inside the VM; the host waits a little longer. */
    static final int SCENARIO_LIMIT_SECONDS = 1200;

    @TempDir
    Path tmp;

    @Test
    void mdLvmLuksAndVfatLayoutIsRecreatedFromItsDescriptorInAVm() throws Exception {
        VmHost host = VmHost.find();
        Instant t0 = Instant.now();
        Path initrd = GuestImage.build(host, "storage-scenario.sh", SCENARIO_LIMIT_SECONDS);
        Duration imageTime = Duration.between(t0, Instant.now());
        System.out.printf("rear-e2e: initramfs %s (%d MiB) ready in %.1fs; kernel %s%n", initrd.getFileName(),
                Files.size(initrd) >> 20, imageTime.toMillis() / 1000.0, host.kernelRelease());

        VmOutput out;
        String console;
        Duration vmTime;
        try (QemuVm vm = QemuVm.boot(host.qemu(), host.cacheDir().resolveSibling("vm-work"), host.kernel(), initrd,
                "console=ttyS0 rdinit=/init panic=-1 loglevel=4", 2048, 2,
                List.of(new QemuVm.Disk("e2e-disk-a", 768L << 20), new QemuVm.Disk("e2e-disk-b", 768L << 20),
                        new QemuVm.Disk("e2e-out", 64L << 20)))) {
            vm.await("REAR-E2E: booted", Duration.ofMinutes(3));
            String done = vm.await("REAR-E2E: DONE", Duration.ofSeconds(SCENARIO_LIMIT_SECONDS + 60));
            if (!vm.awaitExit(Duration.ofSeconds(60))) {
                System.out.println("rear-e2e: the VM did not power off within 60 s after its verdict; it is stopped");
            }
            vmTime = vm.uptime();
            out = VmOutput.read(vm.image(2));
            console = vm.consoleText();
            Path results = host.cacheDir().resolveSibling("vm-results").resolve(getClass().getSimpleName());
            JavaRuntimeImage.deleteTree(results);
            out.saveAll(results);
            Files.writeString(results.resolve("console.log"), console);
            System.out.println("rear-e2e: what the VM left in /out, and its console: " + results);
            if (!done.endsWith("rc=0")) {
                throw new AssertionError("the scenario in the VM failed (" + done.substring(done.indexOf("REAR-E2E")) + ")\n"
                        + out.tail("scenario.log", 60) + "\n" + out.tail("layoutonly.out", 8) + "\n" + vm.tail(30));
            }
        }
        assertThat(out.isEmpty()).as("the VM wrote its results onto the output disk\n%s", tailOf(console)).isFalse();
        Map<String, Double> times = times(out.text("times"));
        System.out.printf("rear-e2e: VM run %.1fs (boot to power-off, wall clock); phases in the VM: %s%n", vmTime.toMillis() / 1000.0, times);
        assertThat(times).containsKeys("source-layout", "savelayout-source", "wipe", "layoutonly", "savelayout-result", "diff");

        // ---- the journal of layoutonly verifies and has nothing left to do
        Path journal = out.saveTo(tmp, "layoutonly.jsonl");
        RunState state = JournalReader.read(journal).state();
        assertThat(state.remaining()).as("steps left in the layoutonly journal").isEmpty();
        assertThat(state.finished()).as("the journal records the run's end").isNotNull();
        assertThat(state.steps().keySet()).as("the plan's steps")
                .contains("md:md0", "luks:cryptdata", "open:cryptdata", "vg:vg0", "vg:vg1", "lv:vg0/pool", "lv:vg0/thin", "lv:vg1/mirror");
        RunResult verified = rear("journal", journal.toString());
        assertThat(verified.code()).as("rear journal %s\n%s", journal, verified.text()).isZero();
        assertThat(out.text("layoutonly.out")).contains("layoutonly: succeeded");
        assertThat(out.text("layoutonly-mounts.txt")).contains("/mnt/local ", "/mnt/local/home ", "/mnt/local/secure ", "/mnt/local/srv ", "/mnt/local/boot/efi ", "/mnt/local/boot/efi2 ");

        // ---- the layout facts, in the original descriptor and in the recreated one
        SystemDescriptor original = DescriptorFiles.load(out.saveTo(tmp, "layout1/descriptor.json"));
        SystemDescriptor result = DescriptorFiles.load(out.saveTo(tmp, "layout2/descriptor.json"));
        for (SystemDescriptor d : List.of(original, result)) {
            assertLayoutFacts(d);
        }
        // ---- the LUKS key went to cryptsetup only: not into the journal, the plan, a log or a descriptor
        for (String name : out.names()) {
            assertThat(out.text(name)).as("/out/%s", name).doesNotContain(GuestImage.LUKS_TEST_KEY);
        }
        assertThat(out.text("layoutonly.jsonl")).contains("\"--key-file\",\"***\"");

        // ---- rear diff: the VM's own, and the same comparison here
        DescriptorDiff.Result diff = DescriptorDiff.compare(original, result);
        Set<String> kinds = diff.changes().stream().map(DescriptorDiff.ComponentChange::kind).collect(Collectors.toSet());
        assertThat(kinds).as("what rear diff finds between the original and the recreated layout:\n%s", diff.toText())
                .isSubsetOf("vg", "lv");
        int guestDiffExit = Integer.parseInt(out.text("diff.rc").strip());
        assertThat(guestDiffExit).as("rear diff in the VM\n%s", out.text("diff.txt")).isEqualTo(diff.isEmpty() ? 0 : 1);
        Map<String, String> lost = lostUuids(original, result);
        System.out.println("rear-e2e: UUIDs the recreation did not keep (known gap: vgcreate/lvcreate cannot set them): " + lost);
        // With the VG and LV UUIDs of the original put back (and only those), nothing differs.
        SystemDescriptor normalised = withOriginalLvmUuids(result, original);
        DescriptorDiff.Result rest = DescriptorDiff.compare(original, normalised);
        assertThat(rest.isEmpty()).as("differences besides the VG/LV UUIDs:\n%s", rest.toText()).isTrue();
    }

    static void assertLayoutFacts(SystemDescriptor d) {
        assertThat(d.raidArrays()).hasSize(1);
        RaidArray md = d.raidArrays().get(0);
        assertThat(md.uuid()).isEqualTo(MD_UUID);
        assertThat(md.level()).isEqualTo("raid1");
        assertThat(md.metadata()).isEqualTo("1.2");
        assertThat(md.name()).isEqualTo("rearvm:e2e0");
        assertThat(md.raidDevices()).isEqualTo(2);

        Map<String, String> pvs = new LinkedHashMap<>();
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            for (PhysicalVolume pv : vg.physicalVolumes()) {
                pvs.put(pv.device(), pv.uuid());
            }
        }
        assertThat(pvs).isEqualTo(PV_UUIDS);
        Map<String, LvSegmentType> types = new LinkedHashMap<>();
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            for (LogicalVolume lv : vg.logicalVolumes()) {
                types.put(vg.name() + "/" + lv.name(), lv.segmentType());
            }
        }
        assertThat(types).containsEntry("vg0/root", LvSegmentType.LINEAR).containsEntry("vg0/pool", LvSegmentType.THIN_POOL)
                .containsEntry("vg0/thin", LvSegmentType.THIN).containsEntry("vg0/crypt", LvSegmentType.LINEAR)
                .containsEntry("vg1/mirror", LvSegmentType.RAID1);

        assertThat(d.encryption()).hasSize(1);
        LuksDevice luks = d.encryption().get(0);
        assertThat(luks.uuid()).isEqualTo(LUKS_UUID);
        assertThat(luks.version()).isEqualTo(2);
        assertThat(luks.label()).isEqualTo("e2e-crypt");
        assertThat(luks.name()).isEqualTo("cryptdata");

        Map<String, List<String>> fss = new LinkedHashMap<>();
        for (Filesystem fs : d.filesystems()) {
            fss.put(fs.device(), java.util.Arrays.asList(fs.uuid(), fs.label()));
            if (fs.parameters() instanceof VfatParameters v) {
                assertThat(v.volumeId()).as("vfat volume id of %s", fs.device()).isEqualTo(FILESYSTEMS.get(fs.device()).get(0));
            }
        }
        assertThat(fss).isEqualTo(FILESYSTEMS);
        assertThat(d.swap()).hasSize(1);
        assertThat(d.swap().get(0).uuid()).isEqualTo(SWAP_UUID);
    }

    /** "vg0" → its UUID, "vg0/root" → the LV's: the LVM UUIDs of a descriptor. */
    static Map<String, String> uuids(SystemDescriptor d) {
        Map<String, String> m = new LinkedHashMap<>();
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            m.put(vg.name(), vg.uuid());
            for (LogicalVolume lv : vg.logicalVolumes()) {
                m.put(vg.name() + "/" + lv.name(), lv.uuid());
            }
        }
        return m;
    }

    static Map<String, String> lostUuids(SystemDescriptor original, SystemDescriptor result) {
        Map<String, String> a = uuids(original);
        Map<String, String> b = uuids(result);
        Map<String, String> lost = new LinkedHashMap<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) {
                lost.put(k, v + " -> " + b.get(k));
            }
        });
        return lost;
    }

    /** {@code result} with each VG's and LV's UUID replaced by the original's of the same name. */
    static SystemDescriptor withOriginalLvmUuids(SystemDescriptor result, SystemDescriptor original) {
        Map<String, String> orig = uuids(original);
        ObjectNode tree = (ObjectNode) DescriptorJson.toTree(result);
        for (JsonNode vg : tree.path("lvm").path("volumeGroups")) {
            String name = vg.get("name").asText();
            if (orig.containsKey(name)) {
                ((ObjectNode) vg).put("uuid", orig.get(name));
            }
            for (JsonNode lv : vg.path("logicalVolumes")) {
                String key = name + "/" + lv.get("name").asText();
                if (orig.containsKey(key)) {
                    ((ObjectNode) lv).put("uuid", orig.get(key));
                }
            }
        }
        return DescriptorJson.bind(tree, "the recreated descriptor with the original VG/LV UUIDs");
    }

    static Map<String, Double> times(String text) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2) {
                m.put(f[0], Double.parseDouble(f[1]));
            }
        }
        return m;
    }

    record RunResult(int code, String text) {}

    static RunResult rear(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Rear.run(new PrintWriter(o), new PrintWriter(e), args);
        return new RunResult(code, o + "" + e);
    }

    static String tailOf(String console) {
        List<String> lines = new ArrayList<>(console.lines().toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
