package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.descriptor.DescriptorFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The saved network as the rescue system's /init reads it, from the sample descriptors. */
class NetworkFileTest {

    static final Path SAMPLES = Path.of("..", "descriptors", "samples");

    @Test
    void staticInterfacesWithAddressesRoutesAndResolvers() {
        String f = InitramfsBuilder.networkFile(DescriptorFiles.load(SAMPLES.resolve("bios-gpt-raid1-lvm.json")));
        assertThat(f.lines().filter(l -> !l.startsWith("#"))).containsSubsequence(
                "iface eno1 ac:1f:6b:5a:c8:27 static 1500",
                "addr eno1 192.0.2.31/24",
                "addr eno1 2001:db8:10::31/64",
                "dns 192.0.2.53",
                "dns 2001:db8:10::53",
                "search corp.example.com");
        assertThat(f).containsPattern("(?m)^route default [0-9.]+ eno1$");
    }

    @Test
    void aDhcpInterfaceIsMarkedSoAndNoDescriptorMeansNothingToConfigure() {
        String f = InitramfsBuilder.networkFile(DescriptorFiles.load(SAMPLES.resolve("uefi-gpt-ext4-nvme.json")));
        assertThat(f).contains("iface enp0s31f6 a4:bb:6d:5c:cd:0a dhcp 1500\n").doesNotContain("addr ");
        assertThat(InitramfsBuilder.networkFile(null).lines().filter(l -> !l.startsWith("#"))).isEmpty();
    }
}
