package dev.rear.engine.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.discovery.linux.LsblkParser;
import dev.rear.engine.discovery.linux.LsblkParser.BlockDevice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which device-mapper devices are layers LVM builds an LV from, on lsblk's tree of the rear-e2e
 * storage VM ({@code fixtures/lsblk/vm-storage-e2e.json}): a raid1 LV's images and metadata, a thin
 * pool's data, metadata and -tpool. blkid finds the raid1 LV's ext4 on each of its images too;
 * before, discovery described that filesystem three times and savelayout refused its own result
 * (fs-device-missing, uuid-duplicate).
 */
class LvmInternalLayersTest {

    static String fixture(String name) {
        try (InputStream in = LvmInternalLayersTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theLayersUnderAnLvAreInternalAndTheLvsAreNot() {
        List<BlockDevice> top = LsblkParser.parse(fixture("lsblk/vm-storage-e2e.json"));
        Map<String, Boolean> internal = new TreeMap<>();
        for (BlockDevice d : top) {
            for (BlockDevice x : d.flatten()) {
                if (x.type().equals("lvm")) {
                    internal.put(x.name(), LinuxDiscovery.isLvmInternalLayer(x));
                }
            }
        }
        assertThat(internal).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("vg0-root", false), Map.entry("vg0-crypt", false), Map.entry("vg0-swap", false),
                Map.entry("vg0-thin", false), Map.entry("vg0-pool", false),
                Map.entry("vg0-pool-tpool", true), Map.entry("vg0-pool_tdata", true), Map.entry("vg0-pool_tmeta", true),
                Map.entry("vg1-mirror", false),
                Map.entry("vg1-mirror_rimage_0", true), Map.entry("vg1-mirror_rimage_1", true),
                Map.entry("vg1-mirror_rmeta_0", true), Map.entry("vg1-mirror_rmeta_1", true)));
    }
}
