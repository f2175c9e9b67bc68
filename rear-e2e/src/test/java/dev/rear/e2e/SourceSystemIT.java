package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tier 3 foundation: the real source systems of the end-to-end drill. For each scenario, a Debian 12
 * installed by the installer VM (no rear code involved) boots from its own disks through SeaBIOS
 * and its own GRUB to multi-user, and a script run there by its command unit shows the layout
 * ({@code lsblk}, {@code /proc/mdstat}, {@code lvs}) is the scenario's and the marker corpus is
 * intact. Installed images are cached (see {@link SourceSystem}); the timings of each step are
 * printed. Scenarios run: {@code -Drear.e2e.scenarios=S1,S2} (the default) or {@code all}.
 */
class SourceSystemIT {

    static final Duration BOOT_LIMIT = Duration.ofMinutes(10);

    @ParameterizedTest
    @EnumSource(SourceScenario.class)
    void installedSourceBootsThroughItsOwnBootloaderWithItsLayoutAndMarkers(SourceScenario scenario) throws Exception {
        Set<String> wanted = Arrays.stream(System.getProperty("rear.e2e.scenarios", "S1,S2").split(",")).map(String::strip)
                .collect(Collectors.toSet());
        Assumptions.assumeTrue(wanted.contains("all") || wanted.contains(scenario.name()),
                () -> scenario + " is not in -Drear.e2e.scenarios=" + wanted);
        VmHost host = VmHost.find();

        Instant t0 = Instant.now();
        java.nio.file.Path root = DebianRoot.tarball();
        Duration rootTime = Duration.between(t0, Instant.now());
        Instant t1 = Instant.now();
        SourceSystem src = SourceSystem.install(host, scenario);
        Duration installTime = Duration.between(t1, Instant.now());

        SourceSystem.Run run = src.run(host, CommandDisk.of(DebianRoot.resource("inspect.sh"), 600), List.of(), 64L << 20, BOOT_LIMIT);
        System.out.printf("rear-e2e: %s timings: debootstrap root %.0fs (%s, %d MiB), install %.0fs%s, boot to multi-user %.0fs "
                        + "(guest uptime %.0fs), whole VM run %.0fs; images: %s%n", scenario, rootTime.toMillis() / 1000.0, root.getFileName(),
                Files.size(root) >> 20, installTime.toMillis() / 1000.0, src.installTime().isZero() ? " (cached)" : "",
                run.toMultiUser().toMillis() / 1000.0, run.guestUptimeAtMultiUser(), run.total().toMillis() / 1000.0, src.sizes());
        String console = run.console();
        java.nio.file.Path results = host.cacheDir().resolveSibling("vm-results").resolve(getClass().getSimpleName() + "-" + scenario);
        JavaRuntimeImage.deleteTree(results);
        run.out().saveAll(results);
        Files.writeString(results.resolve("console.log"), console);
        System.out.println("rear-e2e: what " + scenario + " left, and its console: " + results);
        String context = "\n" + run.out().tail("run.log", 30) + "\n" + SourceSystemIT.tail(console, 60);
        assertThat(run.rc()).as("run.sh in %s (%s)%s", scenario, run.doneLine(), context).isZero();

        // booted by its own firmware and bootloader, to multi-user
        assertThat(console).as("GRUB on the serial console%s", context).contains("GNU GRUB");
        assertThat(console).as("systemd reached multi-user%s", context).containsPattern("Reached target .*[Mm]ulti-[Uu]ser");
        assertThat(run.out().text("cmdline.txt")).as("the kernel command line GRUB gave").contains("console=ttyS0,115200").contains("BOOT_IMAGE=");
        assertThat(run.out().text("failed-units.txt").strip()).as("failed systemd units in %s", scenario).isEmpty();
        assertThat(run.out().text("java.txt")).as("the JDK rear runs on").contains("17.");

        // the layout, as the system itself sees it
        String lsblk = run.out().text("lsblk.txt");
        String mdstat = run.out().text("mdstat.txt");
        String lvs = run.out().text("lvs.txt");
        String swaps = run.out().text("swaps.txt");
        switch (scenario) {
            case S1 -> {
                assertThat(lsblk).as("lsblk").contains(
                        "NAME=\"vda1\" TYPE=\"part\" FSTYPE=\"ext4\" MOUNTPOINT=\"/\" LABEL=\"s1-root\"",
                        "NAME=\"vda2\" TYPE=\"part\" FSTYPE=\"swap\" MOUNTPOINT=\"[SWAP]\" LABEL=\"s1-swap\"");
                assertThat(mdstat).doesNotContain("active");
                assertThat(swaps).contains("/dev/vda2 partition");
            }
            case S2 -> {
                for (String d : List.of("vda", "vdb")) {
                    assertThat(lsblk).as("lsblk").contains("NAME=\"" + d + "1\" TYPE=\"part\" FSTYPE=\"\"",
                            "NAME=\"" + d + "2\" TYPE=\"part\" FSTYPE=\"linux_raid_member\"",
                            "NAME=\"" + d + "3\" TYPE=\"part\" FSTYPE=\"linux_raid_member\"");
                }
                assertThat(lsblk).as("lsblk").contains(
                        "NAME=\"md0\" TYPE=\"raid1\" FSTYPE=\"ext4\" MOUNTPOINT=\"/boot\" LABEL=\"s2-boot\"",
                        "NAME=\"md1\" TYPE=\"raid1\" FSTYPE=\"LVM2_member\"",
                        "NAME=\"vg0-root\" TYPE=\"lvm\" FSTYPE=\"ext4\" MOUNTPOINT=\"/\" LABEL=\"s2-root\"",
                        "NAME=\"vg0-var\" TYPE=\"lvm\" FSTYPE=\"xfs\" MOUNTPOINT=\"/var\" LABEL=\"s2-var\"",
                        "NAME=\"vg0-swap\" TYPE=\"lvm\" FSTYPE=\"swap\" MOUNTPOINT=\"[SWAP]\" LABEL=\"s2-swap\"");
                assertThat(mdstat).as("/proc/mdstat").containsPattern("md0 : active raid1 vd[ab]2\\[[01]] vd[ab]2\\[[01]]")
                        .containsPattern("md1 : active raid1 vd[ab]3\\[[01]] vd[ab]3\\[[01]]");
                assertThat(mdstat.split("\\[UU]", -1)).as("both mirrors complete ([UU]) in\n%s", mdstat).hasSize(3);
                assertThat(lvs.lines().map(String::strip).map(l -> l.substring(0, l.lastIndexOf(':'))).toList()).as("lvs\n%s", lvs)
                        .containsExactlyInAnyOrder("vg0:root", "vg0:swap", "vg0:var");
                assertThat(swaps).contains("/dev/dm-");
            }
        }

        // the marker corpus, checked by the source's own checker
        String markers = run.out().text("markers.txt");
        assertThat(markers).as("marker check in %s", scenario).contains("MARKERS: VERDICT OK").doesNotContain("MARKER FAIL");
        assertThat(run.out().text("markers.rc").strip()).isEqualTo("0");
        assertThat(markers.lines().filter(l -> l.startsWith("MARKER OK")).count()).as("markers checked")
                .isEqualTo(MarkerCorpusTest.items().size());
    }

    static String tail(String text, int n) {
        List<String> lines = text.lines().toList();
        return "---- last " + Math.min(n, lines.size()) + " console lines ----\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
