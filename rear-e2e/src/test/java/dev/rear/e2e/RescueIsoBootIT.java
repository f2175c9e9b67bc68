package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.output.OutputRequest;
import dev.rear.engine.output.OutputResult;
import dev.rear.engine.output.Outputs;
import dev.rear.engine.rescue.RescueImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: the rescue system rear builds from this machine, written as {@code OUTPUT=ISO}, boots
 * through real firmware — SeaBIOS and OVMF (UEFI) — and GRUB's default entry to the rescue shell on
 * the serial console, where {@code rear --version} runs and md and device-mapper modules load.
 * (The RAMDISK form of the same image: {@link RescueBootIT}.)
 */
class RescueIsoBootIT {

    @TempDir
    Path tmp;

    @Test
    void isoBootsWithSeaBios() throws Exception {
        boot(IsoBoot.Firmware.BIOS);
    }

    @Test
    void isoBootsWithOvmf() throws Exception {
        boot(IsoBoot.Firmware.UEFI);
    }

    private void boot(IsoBoot.Firmware fw) throws Exception {
        IsoBoot.qemu(fw);
        VmHost host = VmHost.find();
        RescueImage image = RescueImages.ramdisk(host);
        Path iso = iso(host, image);
        try (QemuVm vm = IsoBoot.bootInteractive(iso, fw, tmp.resolve("vm"), 1536)) {
            vm.await("Recover rearvm", Duration.ofMinutes(3));
            Duration menu = vm.uptime();
            Matcher ready = vm.awaitMatch(Pattern.compile("rescue system ready \\(([0-9.]+)s after boot\\)"), Duration.ofMinutes(6));
            vm.await(RescueBootIT.READY, Duration.ofSeconds(10));
            System.out.printf("rescue ISO (%.1f MiB) with %s: GRUB menu after %.1f s, rescue shell %.1f s after qemu started (guest uptime %ss)%n",
                    Files.size(iso) / 1048576.0, fw, menu.toMillis() / 1000.0, vm.uptime().toMillis() / 1000.0, ready.group(1));
            String cmdline = RescueBootIT.run(vm, "cat /proc/cmdline", Duration.ofSeconds(30));
            assertThat(cmdline).as("GRUB's default entry: the attended one").contains("console=ttyS0,115200").doesNotContain("unattended");
            String version = RescueBootIT.run(vm, "rear --version", Duration.ofMinutes(2));
            assertThat(version).contains("rear 0.1.0", "Java 17");
            String md = RescueBootIT.run(vm, "modprobe raid1 && modprobe dm_crypt && grep -E '^(raid1|dm_crypt|md_mod|dm_mod) ' /proc/modules"
                    + " | cut -d' ' -f1 | sort | tr '\\n' ' ' && echo && cat /proc/mdstat && dmsetup version", Duration.ofMinutes(1));
            assertThat(md).contains("dm_crypt dm_mod md_mod raid1", "Personalities :", "[raid1]", "Driver version:");
            if (fw == IsoBoot.Firmware.UEFI) {
                assertThat(RescueBootIT.run(vm, "ls -d /sys/firmware/efi", Duration.ofSeconds(30))).contains("/sys/firmware/efi");
            }
            vm.type("poweroff");
            assertThat(vm.awaitExit(Duration.ofSeconds(90))).as("the VM powers off\n%s", vm.tail(30)).isTrue();
        }
    }

    private static Path isoFile;

    /** The image as an ISO, written once per run by rear's own ISO output. */
    private static synchronized Path iso(VmHost host, RescueImage image) {
        if (isoFile == null) {
            OutputRequest req = new OutputRequest(OutputMethod.ISO, host.cacheDir().resolve("rescue-iso"), null, "rearvm", "rear-rearvm",
                    "RELAXRECOVER", List.of("console=ttyS0,115200", "rear.net=none", "panic=-1", "loglevel=4"), null);
            long t0 = System.nanoTime();
            OutputResult r = Outputs.forMethod(OutputMethod.ISO).write(image, req, new ProcessCommandRunner());
            System.out.printf("rescue ISO written in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, r.summary());
            isoFile = r.artifacts().get(0);
        }
        return isoFile;
    }
}
