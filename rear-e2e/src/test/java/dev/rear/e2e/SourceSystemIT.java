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
 * installed by the installer VM (no rear code involved) boots from its own disks through its
 * firmware (SeaBIOS, or OVMF with the machine's NVRAM) and its own GRUB to multi-user, unattended
 * (S3: the LUKS root opened by the key file in the initramfs), and a script run there by its
 * command unit shows the layout ({@code lsblk}, {@code /proc/mdstat}, {@code lvs},
 * {@code cryptsetup status}, {@code btrfs subvolume list}, {@code efibootmgr}) is the scenario's
 * and the marker corpus is intact. Installed images are cached (see {@link SourceSystem}); the
 * timings of each step are printed. Scenarios run: {@code -Drear.e2e.scenarios=S1,S2} (the
 * default), {@code S3}, or {@code all}.
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
        if (scenario.firmware == IsoBoot.Firmware.UEFI) {
            QemuVm.Uefi.requireFirmware();
        }

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
        // systemd's own "Reached target ... Multi-User System" status line is not always on the console (once the
        // autologin getty holds ttyS0, systemd may leave it out); the command unit asks systemd itself
        assertThat(console).as("systemd reached multi-user%s", context).containsPattern("REAR-E2E: multi-user reached in [0-9.]+s \\(active\\)");
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
            case S3 -> assertS3(src, run, lsblk, lvs, swaps, context);
        }

        // the marker corpus, checked by the source's own checker
        String markers = run.out().text("markers.txt");
        assertThat(markers).as("marker check in %s", scenario).contains("MARKERS: VERDICT OK").doesNotContain("MARKER FAIL");
        assertThat(run.out().text("markers.rc").strip()).isEqualTo("0");
        assertThat(markers.lines().filter(l -> l.startsWith("MARKER OK")).count()).as("markers checked")
                .isEqualTo(MarkerCorpusTest.items().size());
    }

    /** The UEFI + LUKS2/LVM + btrfs layout of S3, and how it booted, as the running system shows them. */
    private static void assertS3(SourceSystem src, SourceSystem.Run run, String lsblk, String lvs, String swaps, String context) throws Exception {
        assertThat(lsblk).as("lsblk%s", context).contains(
                "NAME=\"vda1\" TYPE=\"part\" FSTYPE=\"vfat\" MOUNTPOINT=\"/boot/efi\" LABEL=\"S3-ESP\"",
                "NAME=\"vda2\" TYPE=\"part\" FSTYPE=\"ext4\" MOUNTPOINT=\"/boot\" LABEL=\"s3-boot\"",
                "NAME=\"vda3\" TYPE=\"part\" FSTYPE=\"crypto_LUKS\" MOUNTPOINT=\"\" LABEL=\"s3-crypt\"",
                "NAME=\"vda3_crypt\" TYPE=\"crypt\" FSTYPE=\"LVM2_member\"",
                "NAME=\"vg0-root\" TYPE=\"lvm\" FSTYPE=\"ext4\" MOUNTPOINT=\"/\" LABEL=\"s3-root\"",
                "NAME=\"vg0-swap\" TYPE=\"lvm\" FSTYPE=\"swap\" MOUNTPOINT=\"[SWAP]\" LABEL=\"s3-swap\"",
                "NAME=\"vda4\" TYPE=\"part\" FSTYPE=\"btrfs\" MOUNTPOINT=\"/home\" LABEL=\"s3-home\"");
        assertThat(run.out().text("lsblk-f.txt")).as("lsblk -f").contains("FSTYPE=\"crypto_LUKS\" FSVER=\"2\"");
        assertThat(lvs.lines().map(String::strip).map(l -> l.substring(0, l.lastIndexOf(':'))).toList()).as("lvs\n%s", lvs)
                .containsExactlyInAnyOrder("vg0:root", "vg0:swap");
        assertThat(swaps).contains("/dev/dm-");

        // the LUKS2 root, opened unattended by the key file the initramfs carries
        assertThat(run.out().text("crypt-mappings.txt").strip()).isEqualTo("vda3_crypt");
        String status = run.out().text("cryptsetup-status-vda3_crypt.txt");
        assertThat(status).as("cryptsetup status vda3_crypt").contains("is active and is in use").containsPattern("type:\\s+LUKS2")
                .containsPattern("device:\\s+/dev/vda3").containsPattern("flags:\\s+discards");
        assertThat(run.out().text("crypttab.txt")).as("/etc/crypttab")
                .containsPattern("(?m)^vda3_crypt UUID=[0-9a-f-]{36} /etc/keys/root.key luks,discard$");
        assertThat(run.out().text("initramfs-crypt.txt")).as("the initramfs carries the key file")
                .contains("cryptroot/keyfiles/vda3_crypt.key", "cryptroot/crypttab");
        assertThat(Files.size(src.keyFile())).as("the key file kept with the install, %s", src.keyFile()).isEqualTo(512);
        assertThat(run.console()).as("no passphrase prompt on the console").doesNotContain("Please unlock disk");

        // btrfs /home: the subvolume @home mounted as /home, the nested @home/snapshots in it
        assertThat(run.out().text("home-mount.txt")).as("findmnt /home").contains("/dev/vda4").contains("btrfs").contains("subvol=/@home");
        String subvols = run.out().text("btrfs-subvolumes.txt");
        java.util.regex.Matcher home = java.util.regex.Pattern.compile("(?m)^ID (\\d+) gen \\d+ top level 5 path @home$").matcher(subvols);
        assertThat(home.find()).as("@home under the top level in\n%s", subvols).isTrue();
        assertThat(subvols).as("btrfs subvolume list /home").containsPattern(
                "(?m)^ID \\d+ gen \\d+ top level " + home.group(1) + " path (@home/)?snapshots$");
        assertThat(subvols.lines().count()).as("subvolumes in\n%s", subvols).isEqualTo(2);
        assertThat(run.out().text("home-files.txt")).as("files in the subvolumes")
                .contains(DebianRoot.sha256("rear-e2e on btrfs @home\n") + "  /home/e2e-home.txt")
                .contains(DebianRoot.sha256("rear-e2e on btrfs @home/snapshots\n") + "  /home/snapshots/e2e-snap.txt");

        // booted through OVMF by the NVRAM entry grub-install wrote: no removable-media fallback on the ESP
        String efi = run.out().text("efibootmgr.txt");
        java.util.regex.Matcher entry = java.util.regex.Pattern.compile(
                "(?m)^Boot([0-9A-F]{4})\\* debian\\s+HD\\(1,GPT,[0-9a-f-]{36},0x800,0x80000\\)/File\\(\\\\EFI\\\\debian\\\\grubx64\\.efi\\)")
                .matcher(efi);
        assertThat(entry.find()).as("the debian boot entry on the ESP (vda1) in efibootmgr -v\n%s", efi).isTrue();
        assertThat(run.console()).as("OVMF started the NVRAM's debian entry%s", context)
                .contains("BdsDxe: starting Boot" + entry.group(1) + " \"debian\" from HD(1,GPT,");
        assertThat(run.console()).as("the initramfs opened the LUKS root%s", context).contains("cryptsetup: vda3_crypt: set up successfully");
        assertThat(efi).as("efibootmgr -v").containsPattern("(?m)^BootCurrent: " + entry.group(1) + "$")
                .containsPattern("(?m)^BootOrder: " + entry.group(1) + "(,|$)");
        String esp = Files.readString(src.dir().resolve("install/esp.txt"));
        assertThat(esp).as("the ESP as installed").contains("./EFI/debian/grubx64.efi").doesNotContainIgnoringCase("./EFI/BOOT");
    }

    static String tail(String text, int n) {
        List<String> lines = text.lines().toList();
        return "---- last " + Math.min(n, lines.size()) + " console lines ----\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
