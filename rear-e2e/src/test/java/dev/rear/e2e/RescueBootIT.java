package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.rescue.RescueImage;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Tier 3: the RAMDISK rescue system rear builds from this machine boots in qemu (TCG, Debian's
 * kernel, {@code console=ttyS0}) to a root shell on the serial console, where {@code rear --version}
 * runs on the linked Java runtime, md and device-mapper work ({@code modprobe} with the image's own
 * {@code depmod}, {@code /proc/mdstat}, {@code dmsetup version}), and {@code poweroff} stops the VM.
 */
class RescueBootIT {

    /** What /init prints when the shells are up. */
    static final String READY = "rear-rescue: READY";

    @Test
    void bootsToAShellWhereRearRunsAndMdAndDmWork() {
        VmHost host = VmHost.find();
        RescueImage image = RescueImages.ramdisk(host);
        try (QemuVm vm = QemuVm.boot(host.qemu(), host.cacheDir().resolveSibling("vm-work"), image.kernel(), image.initrd(),
                "console=ttyS0,115200 rear.net=dhcp panic=-1 loglevel=4", 1536, 2, List.of(new QemuVm.Disk("rescue-disk", 64L << 20)),
                true, List.of("-nic", "user,model=virtio-net-pci"))) {
            Matcher uptime = vm.awaitMatch(Pattern.compile("rescue system ready \\(([0-9.]+)s after boot\\)"), Duration.ofMinutes(4));
            vm.await(READY, Duration.ofSeconds(10));
            Duration bootToPrompt = vm.uptime();
            System.out.printf("rescue system: ready %.1f s after qemu started (guest uptime %ss), under TCG%n",
                    bootToPrompt.toMillis() / 1000.0, uptime.group(1));

            // rear on its linked runtime
            String version = run(vm, "time rear --version", Duration.ofMinutes(2));
            assertThat(version).contains("rear 0.1.0", "descriptor schema rear.descriptor/v1", "Java 17");
            System.out.printf("rear --version in the rescue system under TCG: %s%n",
                    version.lines().filter(l -> l.startsWith("real")).findFirst().orElse("(no time)").replace('\t', ' '));

            // md and dm: the modules load through modprobe (the image's depmod), the kernel answers
            String md = run(vm, "modprobe raid1 && modprobe dm_crypt && grep -E '^(raid1|dm_crypt|md_mod|dm_mod) ' /proc/modules"
                    + " | cut -d' ' -f1 | sort | tr '\\n' ' ' && echo && cat /proc/mdstat && dmsetup version", Duration.ofMinutes(1));
            assertThat(md).contains("dm_crypt dm_mod md_mod raid1", "Personalities :", "[raid1]", "Driver version:");
            String disk = run(vm, "lsblk -dno NAME,SIZE /dev/vda && mdadm --version 2>&1 && cryptsetup --version", Duration.ofSeconds(60));
            assertThat(disk).contains("vda", "64M", "mdadm - v", "cryptsetup 2.");
            String log = run(vm, "grep -E 'modules:|network:' /var/log/rear/rescue-init.log", Duration.ofSeconds(30));
            assertThat(log).contains("loaded").doesNotContain("not loaded");
            // the NIC's driver came through udev (by its alias), its address from qemu's DHCP server through udhcpc
            assertThat(log).contains("network: eth0 configured by DHCP");
            String net = run(vm, "ip -4 -o addr show dev eth0 && ip route show default && grep -c nameserver /etc/resolv.conf"
                    + " && grep -q '^virtio_net ' /proc/modules", Duration.ofSeconds(30));
            assertThat(net).contains("inet 10.0.2.15/24", "default via 10.0.2.2 dev eth0");

            vm.type("poweroff");
            vm.await("rear-rescue: poweroff now", Duration.ofSeconds(60));
            assertThat(vm.awaitExit(Duration.ofSeconds(60))).as("the VM powers off\n%s", vm.tail(30)).isTrue();
        }
    }

    /**
     * With {@code unattended} on the kernel command line /init runs {@code rear recover --yes} by
     * itself and reports the verdict on the console; this rescue system carries no descriptor, so
     * the recovery must refuse with rear's exit code for a precondition, and the shell stays.
     */
    @Test
    void unattendedRunsRearRecoverAndReportsItsVerdict() {
        VmHost host = VmHost.find();
        RescueImage image = RescueImages.ramdisk(host);
        try (QemuVm vm = QemuVm.boot(host.qemu(), host.cacheDir().resolveSibling("vm-work"), image.kernel(), image.initrd(),
                "console=ttyS0,115200 rear.net=none unattended panic=-1 loglevel=4", 1536, 2, List.of(), true)) {
            vm.await("unattended: running rear recover --yes", Duration.ofMinutes(4));
            Matcher verdict = vm.awaitMatch(Pattern.compile("rear-rescue: VERDICT rc=(\\d+) (.*)"), Duration.ofMinutes(3));
            System.out.printf("unattended recovery without a descriptor: rc=%s, %s%n", verdict.group(1), verdict.group(2));
            assertThat(verdict.group(1)).isNotEqualTo("0");
            vm.await(READY, Duration.ofSeconds(60)); // and then the shell, as after an attended boot
            String log = run(vm, "cat /var/log/rear/rescue-recover.log", Duration.ofSeconds(60));
            assertThat(log).isNotBlank();
            vm.type("poweroff");
            assertThat(vm.awaitExit(Duration.ofSeconds(90))).as("the VM powers off\n%s", vm.tail(30)).isTrue();
        }
    }

    /**
     * A rescue system carrying a saved descriptor brings up the saved network by itself: the
     * interface found by its MAC address (eno1 on the saved machine, eth0 here), its address, its
     * default route and resolvers; the host name is the saved one. This image is gzip-compressed,
     * so the kernel's other unpacker is booted too.
     */
    @Test
    void configuresTheSavedNetworkFoundByMacAddress() {
        VmHost host = VmHost.find();
        java.nio.file.Path sample = java.nio.file.Path.of("..", "descriptors", "samples", "bios-msdos-lvm-sata.json");
        RescueImage image = RescueImages.ramdisk(host, sample);
        try (QemuVm vm = QemuVm.boot(host.qemu(), host.cacheDir().resolveSibling("vm-work"), image.kernel(), image.initrd(),
                "console=ttyS0,115200 panic=-1 loglevel=4", 1536, 2, List.of(), true,
                List.of("-nic", "user,model=virtio-net-pci,mac=D0:94:66:3F:4A:64"))) {
            vm.await(READY, Duration.ofMinutes(4));
            String net = run(vm, "hostname && ip -4 -o addr show dev eth0 && ip route show default && cat /etc/resolv.conf"
                    + " && grep network: /var/log/rear/rescue-init.log && ls /var/lib/rear/layout/", Duration.ofSeconds(60));
            assertThat(net).contains("inet 192.0.2.21/24", "default via 192.0.2.1 dev eth0", "nameserver 192.0.2.53",
                    "nameserver 192.0.2.54", "search corp.example.com", "network: eth0 (eno1) 192.0.2.21/24", "descriptor.json");
            assertThat(net.lines().findFirst().orElse("")).isEqualTo("files01");
            vm.type("poweroff");
            assertThat(vm.awaitExit(Duration.ofSeconds(90))).as("the VM powers off\n%s", vm.tail(30)).isTrue();
        }
    }

    private static int serial;

    /**
     * Runs {@code command} in the console's shell and returns what it printed; fails when it exits
     * non-zero. The end marker is computed by the shell, so the echoed command line never matches it.
     */
    static String run(QemuVm vm, String command, Duration timeout) {
        int n = ++serial;
        vm.type("echo BEGIN-$((" + n + "+1000)); " + command + "; echo END-$((" + n + "+1000))-rc=$?");
        vm.await("BEGIN-" + (n + 1000), timeout);
        StringBuilder out = new StringBuilder();
        Pattern end = Pattern.compile("END-" + (n + 1000) + "-rc=(\\d+)");
        while (true) {
            Matcher m = vm.awaitMatch(Pattern.compile("(.*)"), timeout);
            String line = m.group(1);
            Matcher e = end.matcher(line);
            if (e.find()) {
                assertThat(e.group(1)).as("exit code of '%s'; it printed:%n%s", command, out).isEqualTo("0");
                System.out.printf("[rescue] $ %s%n%s", command, out.toString().indent(2));
                return out.toString();
            }
            out.append(line).append('\n');
        }
    }
}
