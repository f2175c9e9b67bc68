package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KernelModules} on Debian 6.1's modules.dep (its storage lines, {@code fixtures/rescue/modules.dep/*}). */
class KernelModulesTest {

    final KernelModules dep = KernelModules.parse(LddOutputTest.fixture("modules.dep/debian-6.1.0-56-amd64-storage.dep"));

    @Test
    void everyModuleComesAfterWhatItNeeds() {
        List<String> order = dep.closure(List.of("dm-thin-pool", "raid1", "xfs"));
        assertThat(order).containsExactly(
                "kernel/drivers/md/dm-mod.ko",
                "kernel/drivers/md/dm-bufio.ko",
                "kernel/lib/libcrc32c.ko",
                "kernel/drivers/md/persistent-data/dm-persistent-data.ko",
                "kernel/drivers/md/dm-bio-prison.ko",
                "kernel/drivers/md/dm-thin-pool.ko",
                "kernel/drivers/md/md-mod.ko",
                "kernel/drivers/md/raid1.ko",
                "kernel/fs/xfs/xfs.ko");
    }

    @Test
    void dashesAndUnderscoresNameTheSameModuleAndNothingComesTwice() {
        List<String> order = dep.closure(List.of("dm_raid", "dm-mod", "md_mod", "raid456"));
        assertThat(order).doesNotHaveDuplicates().contains("kernel/drivers/md/raid456.ko", "kernel/crypto/async_tx/async_tx.ko");
        assertThat(order.indexOf("kernel/drivers/md/raid456.ko")).isLessThan(order.indexOf("kernel/drivers/md/dm-raid.ko"));
        assertThat(order.indexOf("kernel/drivers/md/md-mod.ko")).isLessThan(order.indexOf("kernel/drivers/md/raid456.ko"));
        assertThat(dep.contains("dm-crypt")).isTrue();
        assertThat(KernelModules.name("kernel/drivers/md/dm-mod.ko.xz")).isEqualTo("dm_mod");
    }

    @Test
    void aModuleNotInModulesDepIsRefusedWithWhoWantedIt() {
        assertThatThrownBy(() -> dep.closure(List.of("vfat", "no_such_module")))
                .hasMessageContaining("kernel module no_such_module (wanted for no_such_module) is not in modules.dep");
    }

    @Test
    void aBuiltInModuleNeedsNothingLoaded() {
        KernelModules m = KernelModules.parse(LddOutputTest.fixture("modules.dep/debian-6.1.0-56-amd64-storage.dep"));
        m.addBuiltin("kernel/drivers/ata/ahci.ko\nkernel/fs/ext4/ext4.ko\n");
        assertThat(m.isBuiltin("ahci")).isTrue();
        assertThat(m.closure(List.of("ahci", "raid1"))).containsExactly("kernel/drivers/md/md-mod.ko", "kernel/drivers/md/raid1.ko");
    }
}
