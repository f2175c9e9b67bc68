package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tier 3, the drill of issue 7: back up a real installed Debian with {@code rear mkbackup} onto a
 * second disk ({@code usb://}, {@code OUTPUT=RAMDISK}), then boot the rescue kernel and initramfs
 * it wrote on blank system disks with {@code unattended} until {@code rear-rescue: VERDICT}.
 * Opt-in while it is being completed: {@code -Drear.e2e.drill=S1} (or {@code S1,S2}); without it the
 * test is skipped, so neither the default verify nor {@code -Pe2e-long} pays for it yet.
 */
class RecoveryDrillIT {

    static final Duration BOOT_LIMIT = Duration.ofMinutes(10);
    static final int BACKUP_LIMIT_SECONDS = 1800;
    static final Duration RECOVER_LIMIT = Duration.ofMinutes(40);

    @ParameterizedTest
    @EnumSource(SourceScenario.class)
    void backupRescueBootRecover(SourceScenario scenario) throws Exception {
        String wanted = System.getProperty("rear.e2e.drill", "");
        Assumptions.assumeTrue(List.of(wanted.split(",")).contains(scenario.name()),
                () -> scenario + " is not in -Drear.e2e.drill=" + wanted + " (the drill is opt-in for now)");
        VmHost host = VmHost.find();
        Assumptions.assumeTrue(host.dist() != null && Files.isExecutable(host.dist().resolve("bin/rear")),
                () -> "no rear distribution at " + host.dist() + " (mvn -pl rear-dist -am package)");
        SourceSystem src = SourceSystem.install(host, scenario);
        Path work = Files.createTempDirectory(Files.createDirectories(src.dir().resolveSibling("vm-work")), "drill-");
        Path results = host.cacheDir().resolveSibling("vm-results").resolve(getClass().getSimpleName() + "-" + scenario);
        JavaRuntimeImage.deleteTree(results);
        Files.createDirectories(results);
        try {
            Path backupDisk = sparse(work.resolve("backup.img"), 4L << 30);

            // stage 1: mkbackup in the source
            Instant t0 = Instant.now();
            SourceSystem.Run backup = src.run(host, CommandDisk.of(mkbackupScript(), BACKUP_LIMIT_SECONDS).tree("rear", host.dist()),
                    List.of(new QemuVm.Image(backupDisk, "rear-backup", QemuVm.Access.WRITE)), 64L << 20, BOOT_LIMIT);
            Duration backupVm = Duration.between(t0, Instant.now());
            backup.out().saveAll(results.resolve("backup"));
            Files.writeString(results.resolve("backup/console.log"), backup.console());
            assertThat(backup.rc()).as("rear mkbackup in %s (%s)\n%s\n%s", scenario, backup.doneLine(), backup.out().tail("run.log", 60),
                    SourceSystemIT.tail(backup.console(), 40)).isZero();
            String backupTime = backup.out().has("mkbackup.seconds") ? backup.out().text("mkbackup.seconds").strip() : "?";
            System.out.printf("rear-e2e: drill %s stage 1 (mkbackup) passed: mkbackup %ss inside, whole VM %.0fs%n", scenario, backupTime,
                    backupVm.toMillis() / 1000.0);

            // stage 2: rescue kernel + initramfs from the backup disk, booted on blank system disks
            Path rescueDir = Files.createDirectories(work.resolve("rescue"));
            copyRescue(backupDisk, rescueDir);
            Path kernel = find(rescueDir, "kernel-");
            Path initrd = find(rescueDir, "initramfs-");
            System.out.printf("rear-e2e: drill %s rescue image: %s (%d MiB), %s (%d MiB)%n", scenario, kernel.getFileName(), Files.size(kernel) >> 20,
                    initrd.getFileName(), Files.size(initrd) >> 20);
            List<QemuVm.Drive> drives = new ArrayList<>();
            List<Path> blanks = new ArrayList<>();
            for (int i = 0; i < src.disks().size(); i++) {
                Path blank = sparse(work.resolve("target" + i + ".img"), Files.size(src.disks().get(i)));
                blanks.add(blank);
                drives.add(new QemuVm.Image(blank, scenario.disks.get(i).serial(), QemuVm.Access.WRITE));
            }
            drives.add(new QemuVm.Image(backupDisk, "rear-backup", QemuVm.Access.READ_ONLY));
            String verdict;
            Duration recoverTime;
            try (QemuVm vm = QemuVm.boot(host.qemu(), work, kernel, initrd, "console=ttyS0,115200 unattended panic=-1", 2048, 2, drives)) {
                try {
                    verdict = vm.await("rear-rescue: VERDICT", RECOVER_LIMIT);
                } finally {
                    Files.writeString(results.resolve("rescue-console.log"), vm.consoleText());
                }
                recoverTime = vm.uptime();
                assertThat(verdict).as("the unattended recovery of %s\n%s", scenario, vm.tail(80)).contains("rc=0");
            }
            System.out.printf("rear-e2e: drill %s stage 2 (unattended recover) passed in %.0fs: %s%n", scenario, recoverTime.toMillis() / 1000.0,
                    verdict.strip());

            // stage 3: the recovered disks boot through SeaBIOS and their own GRUB; markers and layout checked inside
            SourceSystem recovered = new SourceSystem(scenario, blanks, work.resolve("recovered"), Duration.ZERO);
            Files.createDirectories(recovered.dir());
            SourceSystem.Run check = recovered.run(host, CommandDisk.of(checkScript(), 900), List.of(), 64L << 20, BOOT_LIMIT);
            check.out().saveAll(results.resolve("recovered"));
            Files.writeString(results.resolve("recovered/console.log"), check.console());
            String ctx = "\n" + check.out().tail("run.log", 40) + "\n" + SourceSystemIT.tail(check.console(), 40);
            assertThat(check.console()).as("the recovered %s booted by its own GRUB%s", scenario, ctx).contains("GNU GRUB");
            assertThat(check.out().text("markers.txt")).as("markers in the recovered %s%s", scenario, ctx).contains("MARKERS: VERDICT OK")
                    .doesNotContain("MARKER FAIL");
            assertThat(check.rc()).as("the check in the recovered %s (%s)%s", scenario, check.doneLine(), ctx).isZero();
            System.out.printf("rear-e2e: drill %s stage 3 (recovered boot, markers) passed: multi-user %.0fs after qemu started%n", scenario,
                    check.toMultiUser().toMillis() / 1000.0);
            System.out.printf("rear-e2e: drill %s timings: mkbackup %ss (source VM %.0fs), rescue initramfs %d MiB, recovery (rescue boot to verdict) %.0fs, "
                    + "recovered boot to multi-user %.0fs%n", scenario, backupTime, backupVm.toMillis() / 1000.0, Files.size(initrd) >> 20,
                    recoverTime.toMillis() / 1000.0, check.toMultiUser().toMillis() / 1000.0);
        } finally {
            JavaRuntimeImage.deleteTree(work);
        }
    }

    static String mkbackupScript() {
        return """
                #!/bin/sh
                set -eu
                OUT=$1
                exec >>"$OUT/mkbackup.log" 2>&1
                set -x
                cp -a rear /opt/rear
                chmod 0755 /opt/rear/bin/*
                ln -sf /opt/rear/bin/rear /usr/local/sbin/rear
                /opt/rear/bin/rear --version > "$OUT/version.txt"
                udevadm settle || true
                DEV=$(readlink -f /dev/disk/by-id/virtio-rear-backup)
                rear format --yes "$DEV"
                udevadm settle || true
                mkdir -p /etc/rear
                printf 'BACKUP=NETFS\\nBACKUP_URL=usb:///dev/disk/by-label/REAR-000\\nOUTPUT=RAMDISK\\n' > /etc/rear/local.conf
                cp /etc/rear/local.conf "$OUT/local.conf"
                echo "REAR-E2E: mkbackup starts" > /dev/console
                s=$(date +%s)
                rc=0; rear -v mkbackup || rc=$?
                echo $(( $(date +%s) - s )) > "$OUT/mkbackup.seconds"
                echo "REAR-E2E: mkbackup rc=$rc" > /dev/console
                cp /var/lib/rear/layout/descriptor.json "$OUT/descriptor.json" || true
                cp -r /var/log/rear "$OUT/log" || true
                exit $rc
                """;
    }

    static String checkScript() {
        return """
                #!/bin/sh
                OUT=$1
                rear-e2e-check-markers > "$OUT/markers.txt" 2>&1; m=$?
                echo $m > "$OUT/markers.rc"
                rear savelayout > "$OUT/savelayout.log" 2>&1; s=$?
                cp /var/lib/rear/layout/descriptor.json "$OUT/descriptor.json" 2>/dev/null
                cp -r /var/log/rear/recover "$OUT/recover-log" 2>/dev/null
                cat /proc/cmdline > "$OUT/cmdline.txt"
                systemctl --failed --no-legend > "$OUT/failed-units.txt" 2>&1
                [ $m -eq 0 ] && [ $s -eq 0 ]
                """;
    }

    static Path sparse(Path file, long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    /** Loop-mounts the backup disk read-only and copies the rescue kernel and initramfs out of it. */
    static void copyRescue(Path backupDisk, Path to) throws Exception {
        Path mnt = Files.createDirectories(to.resolveSibling("backup-mnt"));
        HostProcess m = HostProcess.run(Duration.ofSeconds(60), "mount", "-o", "ro,loop", backupDisk.toString(), mnt.toString());
        assertThat(m.exitCode()).as("mount the backup disk %s: %s", backupDisk, m.stderr()).isZero();
        try (Stream<Path> s = Files.walk(mnt)) {
            List<Path> all = s.toList();
            System.out.println("rear-e2e: backup disk holds " + all.stream().map(mnt::relativize).toList());
            for (Path p : all) {
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p) && (n.startsWith("kernel-") || n.startsWith("initramfs-"))) {
                    Files.copy(p, to.resolve(n));
                }
            }
        } finally {
            HostProcess.run(Duration.ofSeconds(60), "umount", mnt.toString());
        }
    }

    static Path find(Path dir, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "* on the backup disk"));
        }
    }
}
