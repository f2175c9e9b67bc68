package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.plan.TargetDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysBlockDisksTest {

    @TempDir
    Path sys;

    void disk(String name, long sectors, boolean device, String... files) throws IOException {
        Path d = Files.createDirectories(sys.resolve(name));
        Files.writeString(d.resolve("size"), sectors + "\n");
        Files.writeString(d.resolve("ro"), "0\n");
        if (device) {
            Files.createDirectories(d.resolve("device"));
        }
        for (int i = 0; i + 1 < files.length; i += 2) {
            Files.createDirectories(d.resolve(files[i]).getParent());
            Files.writeString(d.resolve(files[i]), files[i + 1] + "\n");
        }
    }

    @Test
    void readsRealDisksWithTheirIdentityAndLeavesOutTheRest() throws IOException {
        disk("sda", 1953525168L, true, "queue/logical_block_size", "512", "device/serial", "WD-WCC4N1234567", "device/wwid",
                "naa.50014ee2b5c6d7e8", "device/model", "WDC WD10EFRX-68F");
        disk("nvme0n1", 1000215216L, true, "queue/logical_block_size", "4096", "wwid", "eui.0025388b71b2c3d4");
        disk("vdb", 20971520L, true);
        disk("loop0", 2097152L, false);
        disk("md127", 2097152L, false);
        disk("dm-0", 2097152L, false);
        disk("sr0", 2097152L, true);
        disk("zram0", 0L, false);
        disk("sdz", 0L, true); // a card reader without a card
        disk("sdc", 2097152L, true, "ro", "1");
        List<TargetDisk> found = SysBlockDisks.read(sys);
        assertThat(found).containsExactly(
                new TargetDisk("/dev/nvme0n1", 1000215216L * 512, 4096, null, null, null),
                new TargetDisk("/dev/sda", 1953525168L * 512, 512, "WD-WCC4N1234567", "0x50014ee2b5c6d7e8", "WDC WD10EFRX-68F"),
                new TargetDisk("/dev/vdb", 20971520L * 512, 512, null, null, null));
    }

    @Test
    void noSysBlockMeansNoCandidates() {
        assertThat(SysBlockDisks.read(sys.resolve("missing"))).isEmpty();
    }
}
