package dev.rear.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BootMenuTest {

    @Test
    void grubConfigHasSerialConsoleShortTimeoutAndBothRecoverEntriesWithTheImagesThenTheRequestsArguments() {
        List<String> args = BootMenu.kernelArgs(List.of("console=ttyS0,115200"), List.of("quiet", "rear.debug=1"));
        String cfg = BootMenu.grub("web1", "/boot/kernel", "/boot/initrd", args, null, "test");

        assertThat(cfg).startsWith("# test\n")
                .contains("serial --unit=0 --speed=115200\n", "terminal_input serial console\n", "terminal_output serial console\n",
                        "set timeout=5\n", "set default=0\n")
                .contains("menuentry \"Recover web1\" --id rear {\n"
                        + "    echo \"Loading the kernel and the rescue system ...\"\n"
                        + "    linux /boot/kernel console=ttyS0,115200 quiet rear.debug=1\n"
                        + "    initrd /boot/initrd\n}\n")
                .contains("menuentry \"Recover web1 (unattended)\" --id rear-unattended {\n"
                        + "    echo \"Loading the kernel and the rescue system ...\"\n"
                        + "    linux /boot/kernel console=ttyS0,115200 quiet rear.debug=1 unattended\n")
                .doesNotContain("search");
        // The plain entry is the default: it opens the rescue shell, it does not recover by itself.
        assertThat(cfg.indexOf("--id rear {")).isLessThan(cfg.indexOf("--id rear-unattended"));
    }

    @Test
    void grubConfigForAUsbDiskFindsItsPartitionByLabel() {
        String cfg = BootMenu.grub("web1", "/rear/web1/20261126.1900/kernel", "/rear/web1/20261126.1900/initrd.cgz", List.of(), "REAR-000", "t");
        assertThat(cfg).contains("search --no-floppy --set=root --label REAR-000\n")
                .contains("    linux /rear/web1/20261126.1900/kernel\n");
    }

    @Test
    void pxelinuxEntryBootsTheRescueSystemByDefaultWithTheUnattendedAndLocalAlternatives() {
        String cfg = BootMenu.pxelinux("web1", "web1.kernel", "web1.initrd", List.of("console=ttyS0,115200"), "test");
        assertThat(cfg).contains("default rear\n", "timeout 50\n", "serial 0 115200\n")
                .contains("label rear\n    menu label Recover web1\n    kernel web1.kernel\n    append initrd=web1.initrd console=ttyS0,115200\n")
                .contains("label rear-unattended\n    menu label Recover web1 (unattended)\n    kernel web1.kernel\n"
                        + "    append initrd=web1.initrd console=ttyS0,115200 unattended\n")
                .contains("label local\n    menu label Boot the local disk\n    localboot 0\n");
    }

    @Test
    void kernelArgumentsThatWouldBreakOutOfTheBootMenuAreRefused() {
        for (String bad : List.of("a b", "x\"y", "x'y", "a;reboot", "$root", "x\ny", "{x}")) {
            assertThatThrownBy(() -> BootMenu.kernelArgs(List.of(), List.of(bad)))
                    .isInstanceOf(OutputException.class).hasMessageContaining("cannot go into a boot menu");
        }
        assertThat(BootMenu.kernelArgs(List.of("", "ip=10.0.0.5::10.0.0.1:255.255.255.0:web1:eth0:off"), List.of()))
                .containsExactly("ip=10.0.0.5::10.0.0.1:255.255.255.0:web1:eth0:off");
    }
}
