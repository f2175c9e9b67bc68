package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rear.engine.descriptor.DescriptorJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {

    static final String SAMPLES = Path.of("..", "descriptors", "samples").toString();
    static final String NVME = SAMPLES + "/uefi-gpt-ext4-nvme.json"; // one disk of 1000204886016 bytes
    static final String RAID = SAMPLES + "/bios-gpt-raid1-lvm.json"; // two disks of 960197124096 bytes

    record Run(int code, String out, String err) {}

    static Run rear(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void textPlan() {
        Run r = rear("plan", NVME, "--target-disk", "/dev/vdb:1000204886016");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Disk mapping:", "/dev/nvme0n1 (1000204886016 bytes) -> /dev/vdb (1000204886016 bytes)  matched by size",
                "Resize:", "none (every target", "table:/dev/vdb", "mkfs:/dev/vdb2", "| label: gpt", "Nothing was written");
    }

    @Test
    void jsonPlan() {
        Run r = rear("plan", RAID, "--target-disk", "/dev/vdb:960197124096", "--target-disk", "/dev/vdc:960197124096", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = DescriptorJson.parseTree(r.out().getBytes(StandardCharsets.UTF_8), "out");
        assertThat(doc.get("mapping")).hasSize(2);
        assertThat(doc.get("steps").get(0).get("id").asText()).isEqualTo("wipe:/dev/vdb");
        assertThat(doc.get("steps").findValuesAsText("id")).contains("md:md0", "vg:vg0", "restore", "bootloader", "verify", "unmount");
    }

    @Test
    void shellScriptWithTargetAndResize() {
        Run r = rear("plan", NVME, "--target", "/dev/nvme0n1=/dev/sdx", "--target-disk", "/dev/sdx:2T", "--format=sh");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("#!/bin/sh\n").contains("set -e\n", "matched by file", "# resize: ", "grows",
                "sfdisk --wipe always --wipe-partitions always /dev/sdx <<'REAR_EOF'", "mount -t ext4 -o errors=remount-ro /dev/sdx2 /mnt/local");
    }

    @Test
    void mappingFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("disk_mappings");
        Files.writeString(f, "# ReaR format\n/dev/sda /dev/vdc\n/dev/sdb /dev/vdb\n");
        Run r = rear("plan", RAID, "--mapping-file", f.toString(), "--target-disk", "/dev/vdb:960197124096", "--target-disk", "/dev/vdc:960197124096");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("/dev/sda (960197124096 bytes) -> /dev/vdc (960197124096 bytes)  matched by file");
        Files.writeString(f, "/dev/sda /dev/vdc extra\n");
        Run bad = rear("plan", RAID, "--mapping-file", f.toString(), "--target-disk", "/dev/vdb:960197124096");
        assertThat(bad.code()).isEqualTo(ExitCode.PRECONDITION_FAILED.code());
        assertThat(bad.err()).contains(f + ":1:");
    }

    @Test
    void unmappableIsPreconditionFailedWithNumbers() {
        Run r = rear("plan", RAID, "--target-disk", "/dev/vdb:960197124096", "--target-disk", "/dev/vdc:1000000");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("no target disk for /dev/sd", "960197124096 bytes", "/dev/vdc (1000000 bytes)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void tooSmallIsPreconditionFailedWithNumbers() {
        Run r = rear("plan", NVME, "--target", "/dev/nvme0n1=/dev/vdb", "--target-disk", "/dev/vdb:10G");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("target too small", "usable bytes", "needs");
        Run twoOnOne = rear("plan", RAID, "--target", "/dev/sda=/dev/vdb", "--target", "/dev/sdb=/dev/vdb");
        assertThat(twoOnOne.code()).isEqualTo(4);
        assertThat(twoOnOne.err()).contains("/dev/vdb");
    }

    static final String LUKS = SAMPLES + "/uefi-luks2-lvm.json"; // 500107862016 bytes; every filesystem records usedBytes

    @Test
    void shrinkingUsesTheUsedSpaceRecordedAtCaptureTimeAndSaysSo() {
        // 10% smaller: the LVs (root 32 GiB, swap 16 GiB, home 416.8 GiB) no longer fit; home has 175 GiB used
        Run r = rear("plan", LUKS, "--target", "/dev/sda=/dev/vdb", "--target-disk", "/dev/vdb:450097075814");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("LV /dev/ws01-vg/home shrinks 447498682368 -> ", " bytes (used 175.0 GiB at capture time, needs 192.6 GiB:"
                + " used + 10% + 64 MiB)");
        // --used wins over the recorded figure
        Run given = rear("plan", LUKS, "--target", "/dev/sda=/dev/vdb", "--target-disk", "/dev/vdb:450097075814", "--used", "/home=300G");
        assertThat(given.code()).as(given.err()).isZero();
        assertThat(given.out()).contains(" bytes (used 300.0 GiB given with --used, needs 330.1 GiB: used + 10% + 64 MiB)");
        // with more used than the smaller disk leaves room for: refused, naming the VG and the figures
        Run full = rear("plan", LUKS, "--target", "/dev/sda=/dev/vdb", "--target-disk", "/dev/vdb:450097075814", "--used", "/home=400G");
        assertThat(full.code()).isEqualTo(ExitCode.PRECONDITION_FAILED.code());
        assertThat(full.err()).contains("target too small for VG ws01-vg: its LVs need ", "the used space given allows shrinking them by only");
    }

    @Test
    void withoutRecordedUsedSpaceAShrinkNeedsUsed() {
        long smaller = 1000204886016L / 10 * 9;
        Run r = rear("plan", NVME, "--target", "/dev/nvme0n1=/dev/vdb", "--target-disk", "/dev/vdb:" + smaller);
        assertThat(r.code()).isEqualTo(ExitCode.PRECONDITION_FAILED.code());
        assertThat(r.err()).contains("shrinking /dev/nvme0n1p2 (ext4 on /) by ", " bytes needs its used space, and none was given nor recorded"
                + " in the descriptor; give it with --used /=BYTES");
        Run given = rear("plan", NVME, "--target", "/dev/nvme0n1=/dev/vdb", "--target-disk", "/dev/vdb:" + smaller, "--used", "/=1181116006");
        assertThat(given.code()).as(given.err()).isZero();
        assertThat(given.out()).contains("/dev/nvme0n1p2 (ext4 on /) shrinks by ", "; used 1.1 GiB given with --used, needs 1.3 GiB"
                + " (used + 10% + 64 MiB): fits");
        assertThat(rear("plan", NVME, "--target", "/dev/nvme0n1=/dev/vdb", "--target-disk", "/dev/vdb:" + smaller, "--used", "/").code()).isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void usageAndInvalidDescriptor(@TempDir Path dir) throws IOException {
        assertThat(rear("plan", NVME).code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(rear("plan", NVME, "--target-disk", "vdb").code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(rear("plan", NVME, "--target-disk", "/dev/vdb:1T", "--resize", "sideways").code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(rear("plan", NVME, "--target-disk", "/dev/vdb:1T", "--format", "xml").code()).isEqualTo(ExitCode.USAGE.code());
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{}");
        assertThat(rear("plan", junk.toString(), "--target-disk", "/dev/vdb:1T").code()).isEqualTo(ExitCode.DESCRIPTOR_INVALID.code());
        assertThat(rear("plan", dir.resolve("missing.json").toString(), "--target-disk", "/dev/vdb:1T").code()).isEqualTo(ExitCode.IO_ERROR.code());
    }
}
