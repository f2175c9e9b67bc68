package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanException;
import dev.rear.engine.recover.HostProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan {@code rear recover} makes: the mapping file's target with the size the host reports, --used and the descriptor's figures. */
class RecoverCommandPlanTest {

    static final Path SAMPLES = Path.of("..", "descriptors", "samples");

    @TempDir
    Path tmp;

    /** A host whose only disk is {@code /dev/vdb} of {@code size} bytes. */
    static HostProbe host(long size) {
        return new HostProbe() {
            @Override
            public boolean isBlockDevice(String path) {
                return path.equals("/dev/vdb");
            }

            @Override
            public OptionalLong sizeBytes(String path) {
                return path.equals("/dev/vdb") ? OptionalLong.of(size) : OptionalLong.empty();
            }

            @Override
            public Optional<String> majorMinor(String path) {
                return Optional.empty();
            }

            @Override
            public List<Mount> mounts() {
                return List.of();
            }
        };
    }

    RecoverCommand recover(SystemDescriptor d, long targetSize, String... used) throws Exception {
        Path m = tmp.resolve("disk_mappings");
        Files.writeString(m, d.disks().get(0).path() + " /dev/vdb\n");
        RecoverCommand c = new RecoverCommand();
        c.mapping = m;
        c.host = host(targetSize);
        c.sysBlock = tmp.resolve("no-sys-block");
        c.used = List.of(used);
        return c;
    }

    @Test
    void recoverShrinksWithTheDescriptorsUsedSpaceUnattended() throws Exception {
        SystemDescriptor d = DescriptorFiles.load(SAMPLES.resolve("uefi-luks2-lvm.json"));
        Plan plan = recover(d, 450_097_075_814L).plan(d);
        assertThat(plan.toText()).contains("LV /dev/ws01-vg/home shrinks 447498682368 -> ",
                " bytes (used 175.0 GiB at capture time, needs 192.6 GiB: used + 10% + 64 MiB)");
    }

    @Test
    void recoverTakesUsedWhichWinsOverTheRecordedFigure() throws Exception {
        SystemDescriptor d = DescriptorFiles.load(SAMPLES.resolve("uefi-gpt-ext4-nvme.json")); // records no used space
        long smaller = 1000204886016L / 10 * 9;
        assertThatThrownBy(() -> recover(d, smaller).plan(d)).isInstanceOf(PlanException.class)
                .hasMessageContaining("needs its used space, and none was given nor recorded in the descriptor; give it with --used /=BYTES");
        Plan plan = recover(d, smaller, "/=1181116006").plan(d);
        assertThat(plan.toText()).contains("/dev/nvme0n1p2 (ext4 on /) shrinks by ", "; used 1.1 GiB given with --used");
        Plan byDevice = recover(d, smaller, "/dev/nvme0n1p2=2G").plan(d);
        assertThat(byDevice.toText()).contains("; used 2.0 GiB given with --used, needs 2.3 GiB (used + 10% + 64 MiB): fits");
    }

    /**
     * A disk in use is never an automatic target: in the drill, the backup disk (where the rescue
     * system keeps its journal) had the original's size and was mapped "by size" before the new,
     * larger disks; the executor refused, but the mapping must not have chosen it.
     */
    @Test
    void aDiskWithAMountedFilesystemIsNotACandidate() throws Exception {
        SystemDescriptor d = DescriptorFiles.load(SAMPLES.resolve("uefi-gpt-ext4-nvme.json"));
        long size = d.disks().get(0).sizeBytes();
        Path sys = tmp.resolve("sys-block");
        for (String name : List.of("vda", "vdb")) {
            Path dir = Files.createDirectories(sys.resolve(name).resolve("device"));
            Files.writeString(dir.resolveSibling("size"), Long.toString((name.equals("vda") ? size : size * 2) / 512));
        }
        RecoverCommand c = new RecoverCommand();
        c.sysBlock = sys;
        c.used = List.of();
        c.host = new HostProbe() {
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
                return List.of(new Mount("/run/rear/journal-medium", "/dev/vda1", "254:1"));
            }
        };
        Plan plan = c.plan(d);
        assertThat(plan.mapping().targetPaths()).containsExactly("/dev/vdb");
        assertThat(plan.toText()).doesNotContain("-> /dev/vda ");
    }
}
