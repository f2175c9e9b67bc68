package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RestorePoint;
import dev.rear.api.spi.RestorePointSelector;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.MutableClock;
import dev.rear.testkit.ProcessRunner;
import dev.rear.testkit.SampleTrees;
import dev.rear.testkit.TreeSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real targets, as root: a {@code usb://} target (an ext4 filesystem labelled REAR-000 on a loop
 * device, found by label with blkid as there is no udev, mounted by rear) and an {@code sshfs://}
 * target (an sshd started here on 127.0.0.1 on a free port with a throwaway host key and an
 * authorized key). Each is backed up to, verified and restored from, and unmounted after every
 * operation, also when the backup fails; the usb target also carries an incremental chain (the
 * incremental reading the full archive's index there, listing, verifying and restoring the chain).
 * Loop devices, mounts and sshd are removed in every outcome.
 * Skipped, with the reason printed, when not root or without the tools.
 */
class TargetMountIT {

    private static final String LABEL = "REAR-000";

    @TempDir
    Path tmp;
    private final List<String> loops = new ArrayList<>();
    private final List<Path> mounts = new ArrayList<>();
    private Process sshd;

    @AfterEach
    void cleanUp() throws Exception {
        List<String> problems = new ArrayList<>();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (run(false, "umount", mounts.get(i).toString()) != 0 && run(false, "umount", "-l", mounts.get(i).toString()) != 0) {
                problems.add("umount " + mounts.get(i));
            }
        }
        for (String mp : rearMountPoints()) { // only if rear failed to unmount: the test then fails below
            run(false, "umount", "-l", mp);
            problems.add("rear left " + mp + " mounted");
        }
        for (String loop : loops) {
            if (run(false, "losetup", "-d", loop) != 0) {
                problems.add("losetup -d " + loop);
            }
        }
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        }
        assertThat(problems).as("cleanup").isEmpty();
    }

    private static void require(String test, boolean ok, String why) {
        if (!ok) {
            System.out.println("TargetMountIT." + test + " skipped: " + why);
        }
        assumeTrue(ok, why);
    }

    private static boolean tool(String name) {
        return TargetMount.SYSTEM_PATH.apply(name).isPresent();
    }

    private static int run(boolean check, String... argv) throws IOException, InterruptedException {
        return runOut(check, argv).exit;
    }

    private record Out(int exit, String text) {}

    private static Out runOut(boolean check, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " timed out");
        }
        if (check && p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " exited " + p.exitValue() + ": " + out);
        }
        return new Out(p.exitValue(), out);
    }

    /** Mount points rear made ({@code rear-target-*}) still mounted. */
    private static List<String> rearMountPoints() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(l -> l.split(" ")[4]).filter(mp -> mp.contains("/rear-target-")).toList();
        }
    }

    private static boolean mounted(String device) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mounts"))) {
            return lines.anyMatch(l -> l.startsWith(device + " "));
        }
    }

    private FakeProviderContext context(ProviderSettings s, ProcessRunner r) throws IOException {
        return FakeProviderContext.builder(Files.createTempDirectory(tmp, "ctx")).settings(s).commands(r).build();
    }

    private FakeProviderContext context(ProviderSettings s, ProcessRunner r, MutableClock clock) throws IOException {
        return FakeProviderContext.builder(Files.createTempDirectory(tmp, "ctx")).settings(s).commands(r).clock(clock).build();
    }

    private String usbDisk(String test, long bytes) throws Exception {
        require(test, Posix.isRoot(), "needs root (loop devices, mount)");
        for (String t : List.of("losetup", "mkfs.ext4", "blkid", "mount", "umount")) {
            require(test, tool(t), t + " is not installed");
        }
        Out others = runOut(false, "blkid", "-c", "/dev/null", "-t", "LABEL=" + LABEL, "-o", "device");
        require(test, others.text().isBlank(), "another device is already labelled " + LABEL + ": " + others.text().strip());
        Path image = tmp.resolve("usb.img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(bytes);
        }
        String loop = runOut(true, "losetup", "--find", "--show", image.toString()).text().strip();
        assertThat(loop).startsWith("/dev/loop");
        loops.add(loop);
        run(true, "mkfs.ext4", "-q", "-F", "-L", LABEL, loop);
        return loop;
    }

    @Test
    void usbTargetFoundByLabelCarriesABackupVerifyAndRestoreAndIsUnmountedAfterEach() throws Exception {
        String loop = usbDisk("usb", 128L << 20);
        Path source = Files.createDirectories(tmp.resolve("source"));
        SampleTrees.standard(source);
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", "usb:///dev/disk/by-label/" + LABEL).set("NETFS_PREFIX", "web01").build();
        TarBackupProvider p = new TarBackupProvider();
        ProcessRunner runner = new ProcessRunner();

        p.backup(BackupRequest.full(source), context(s, runner));
        assertThat(mounted(loop)).as("unmounted after the backup").isFalse();
        assertThat(p.verify(VerifyRequest.latest(), context(s, runner)).ok()).isTrue();
        assertThat(mounted(loop)).as("unmounted after verify").isFalse();
        Path target = Files.createDirectories(tmp.resolve("restored"));
        p.restore(RestoreRequest.everything(target), context(s, runner));
        assertThat(mounted(loop)).as("unmounted after the restore").isFalse();
        assertThat(TreeSnapshot.of(source).differencesIn(TreeSnapshot.of(target))).isEmpty();
        assertThat(runner.displayed()).contains("blkid -c /dev/null -t LABEL=" + LABEL + " -o device");
        assertThat(runner.displayed()).anyMatch(c -> c.matches("mount -o rw,noatime " + loop + " /.*/rear-target-\\d+"));

        Path look = Files.createDirectories(tmp.resolve("look"));
        run(true, "mount", "-o", "ro", loop, look.toString());
        mounts.add(look);
        assertThat(look.resolve("web01/backup.tar.zst")).isRegularFile();
        assertThat(look.resolve("web01/backup.tar.zst.manifest")).isRegularFile();
        assertThat(rearMountPoints()).isEmpty();
    }

    @Test
    void usbTargetCarriesAnIncrementalChainEveryChainOperationMounted() throws Exception {
        String loop = usbDisk("usbChain", 128L << 20);
        Path source = Files.createDirectories(tmp.resolve("source"));
        SampleTrees.standard(source);
        Files.writeString(source.resolve("changes"), "monday\n");
        Files.writeString(source.resolve("goes-away"), "deleted on tuesday\n");
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", "usb:///dev/disk/by-label/" + LABEL).set("NETFS_PREFIX", "web01")
                .set("BACKUP_TYPE", "incremental").build();
        MutableClock clock = new MutableClock(java.time.Instant.parse("2030-01-07T10:00:00Z"));
        TarBackupProvider p = new TarBackupProvider();
        ProcessRunner runner = new ProcessRunner();

        BackupResult full = p.backup(BackupRequest.full(source).withKind(BackupKind.INCREMENTAL), context(s, runner, clock));
        assertThat(full.kind()).isEqualTo(BackupKind.FULL); // nothing to build on yet
        assertThat(mounted(loop)).as("unmounted after the full backup").isFalse();
        TreeSnapshot monday = TreeSnapshot.of(source);
        clock.advance(java.time.Duration.ofHours(25));
        Thread.sleep(30); // the changes come after the backup's last stat, at the kernel's clock granularity
        Files.writeString(source.resolve("changes"), "tuesday, longer\n");
        Files.delete(source.resolve("goes-away"));
        Files.writeString(source.resolve("new-file"), "new on tuesday\n");

        // the incremental reads the full archive's index and manifest on the mounted target
        BackupResult incr = p.backup(BackupRequest.full(source).withKind(BackupKind.INCREMENTAL), context(s, runner, clock));
        assertThat(incr.kind()).isEqualTo(BackupKind.INCREMENTAL);
        assertThat(incr.basedOn()).isEqualTo(full.restorePointId());
        assertThat(mounted(loop)).as("unmounted after the incremental backup").isFalse();
        TreeSnapshot tuesday = TreeSnapshot.of(source);

        List<RestorePoint> points = p.listRestorePoints(context(s, runner, clock));
        assertThat(points).extracting(RestorePoint::id).containsExactly(full.restorePointId(), incr.restorePointId());
        assertThat(mounted(loop)).as("unmounted after listing restore points").isFalse();
        VerifyResult v = p.verify(new VerifyRequest(RestorePointSelector.byId(incr.restorePointId())), context(s, runner, clock));
        assertThat(v.findings()).isEmpty();
        assertThat(v.facts()).containsEntry("archives", "2");
        assertThat(mounted(loop)).as("unmounted after verifying the chain").isFalse();

        Path atTuesday = Files.createDirectories(tmp.resolve("tuesday"));
        p.restore(RestoreRequest.everything(atTuesday).from(RestorePointSelector.byId(incr.restorePointId())), context(s, runner, clock));
        assertThat(mounted(loop)).as("unmounted after restoring the chain").isFalse();
        assertThat(tuesday.differencesIn(TreeSnapshot.of(atTuesday))).isEmpty();
        Path atMonday = Files.createDirectories(tmp.resolve("monday"));
        p.restore(RestoreRequest.everything(atMonday).from(RestorePointSelector.byId(full.restorePointId())), context(s, runner, clock));
        assertThat(monday.differencesIn(TreeSnapshot.of(atMonday))).isEmpty();
        assertThat(rearMountPoints()).isEmpty();

        Path look = Files.createDirectories(tmp.resolve("look"));
        run(true, "mount", "-o", "ro", loop, look.toString());
        mounts.add(look);
        try (Stream<Path> files = Files.list(look.resolve("web01"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tar.zst")))
                    .hasSize(2).anyMatch(n -> n.contains("-F")).anyMatch(n -> n.contains("-I"));
        }
    }

    @Test
    void usbTargetIsUnmountedWhenTheBackupFailsOrIsRefused() throws Exception {
        String loop = usbDisk("usbFailures", 32L << 20);
        Path source = Files.createDirectories(tmp.resolve("source"));
        TarBackupProvider p = new TarBackupProvider();
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", "usb:///dev/disk/by-label/" + LABEL).set("NETFS_PREFIX", "web01").build();

        // the backup itself fails: an include that does not exist
        ProviderSettings missing = s.with("BACKUP_PROG_INCLUDE", "/nope").with("BACKUP_ONLY_INCLUDE", "yes");
        assertThatThrownBy(() -> p.backup(BackupRequest.full(source), context(missing, new ProcessRunner())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(mounted(loop)).isFalse();

        // too little room: 96 MiB of incompressible data for a 32 MiB filesystem
        byte[] random = new byte[1 << 20];
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 96; i++) {
            rnd.nextBytes(random);
            Files.write(source.resolve("blob-" + i), random);
        }
        assertThatThrownBy(() -> p.backup(BackupRequest.full(source), context(s, new ProcessRunner())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED))
                .hasMessageMatching("the backup target usb:///dev/disk/by-label/REAR-000 has [0-9.]+ MiB \\(\\d+ bytes\\) free in /.*/web01,"
                        + " the backup needs an estimated 32\\.0 MiB \\(\\d+ bytes: 96\\.0 MiB of data in 97 entries, assuming zstd compresses it"
                        + " to a third\\).*");
        assertThat(mounted(loop)).isFalse();

        // not writable: mounted read-only through BACKUP_OPTIONS
        ProviderSettings ro = s.with("BACKUP_OPTIONS", "ro");
        assertThatThrownBy(() -> p.backup(BackupRequest.full(source), context(ro, new ProcessRunner())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.REFUSED))
                .hasMessageContaining("is not writable").hasMessageContaining("Read-only file system");
        assertThat(mounted(loop)).isFalse();

        // a mount that fails: the helper's stderr is in the message
        ProviderSettings bad = s.with("BACKUP_OPTIONS", "no-such-option-xyz");
        assertThatThrownBy(() -> p.backup(BackupRequest.full(source), context(bad, new ProcessRunner())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FAILED))
                .hasMessageContaining("cannot mount BACKUP_URL=usb:///dev/disk/by-label/REAR-000: 'mount -o no-such-option-xyz " + loop)
                .hasMessageContaining("exited 32: ");
        assertThat(rearMountPoints()).isEmpty();
    }

    @Test
    void sshfsTargetOnALocalSshdCarriesABackupVerifyAndRestore() throws Exception {
        require("sshfs", Posix.isRoot(), "needs root (sshd, FUSE mounts)");
        for (String t : List.of("sshd", "ssh-keygen", "sshfs", "ssh")) {
            require("sshfs", tool(t), t + " is not installed (packages openssh-server, openssh-client, sshfs)");
        }
        require("sshfs", Files.exists(Path.of("/dev/fuse")), "/dev/fuse does not exist (modprobe fuse)");
        Path ssh = Files.createDirectories(tmp.resolve("ssh"));
        run(true, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ssh.resolve("host_key").toString());
        run(true, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ssh.resolve("client_key").toString());
        Files.copy(ssh.resolve("client_key.pub"), ssh.resolve("authorized_keys"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Files.writeString(ssh.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(ssh.resolve("host_key.pub")));
        Path config = Files.writeString(ssh.resolve("sshd_config"), String.join("\n",
                "ListenAddress 127.0.0.1", "Port " + port, "HostKey " + ssh.resolve("host_key"),
                "AuthorizedKeysFile " + ssh.resolve("authorized_keys"), "PidFile none", "PermitRootLogin prohibit-password",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "Subsystem sftp internal-sftp", "") );
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        String sshdPath = TargetMount.SYSTEM_PATH.apply("sshd").orElseThrow().toString();
        sshd = new ProcessBuilder(sshdPath, "-D", "-e", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("sshd.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean up = false;
        while (!up && System.nanoTime() < until && sshd.isAlive()) {
            try (Socket so = new Socket()) {
                so.connect(new InetSocketAddress("127.0.0.1", port), 500);
                up = true;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        assertThat(up).as("sshd listening on " + port + ": " + Files.readString(tmp.resolve("sshd.log"))).isTrue();

        Path remote = Files.createDirectories(tmp.resolve("remote dir"));
        Path source = Files.createDirectories(tmp.resolve("source"));
        SampleTrees.standard(source);
        ProviderSettings s = ProviderSettings.builder()
                .set("BACKUP_URL", "sshfs://root@127.0.0.1:" + port + remote.toString().replace(" ", "%20"))
                .set("BACKUP_OPTIONS", "IdentityFile=" + ssh.resolve("client_key") + ",UserKnownHostsFile=" + ssh.resolve("known_hosts")
                        + ",StrictHostKeyChecking=yes,BatchMode=yes")
                .set("NETFS_PREFIX", "web01").build();
        TarBackupProvider p = new TarBackupProvider();
        ProcessRunner runner = new ProcessRunner();
        p.backup(BackupRequest.full(source), context(s, runner));
        assertThat(rearMountPoints()).as("unmounted after the backup").isEmpty();
        assertThat(remote.resolve("web01/backup.tar.zst")).isRegularFile();
        assertThat(remote.resolve("web01/backup.tar.zst.manifest")).isRegularFile();
        assertThat(p.verify(VerifyRequest.latest(), context(s, runner)).ok()).isTrue();
        Path target = Files.createDirectories(tmp.resolve("restored"));
        p.restore(RestoreRequest.everything(target), context(s, runner));
        assertThat(rearMountPoints()).isEmpty();
        assertThat(TreeSnapshot.of(source).differencesIn(TreeSnapshot.of(target))).isEmpty();
        assertThat(runner.displayed()).anyMatch(c -> c.startsWith("sshfs 'root@127.0.0.1:" + remote + "' "));

        // a second backup replaces the first over sftp
        p.backup(BackupRequest.full(source), context(s, runner));
        assertThat(p.verify(VerifyRequest.latest(), context(s, runner)).ok()).isTrue();

        // a key the server does not know: the mount fails with ssh's words
        ProviderSettings wrong = s.with("BACKUP_OPTIONS", "IdentityFile=" + ssh.resolve("host_key") + ",UserKnownHostsFile="
                + ssh.resolve("known_hosts") + ",StrictHostKeyChecking=yes,BatchMode=yes");
        assertThatThrownBy(() -> p.backup(BackupRequest.full(source), context(wrong, new ProcessRunner())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FAILED))
                .hasMessageContaining("cannot mount BACKUP_URL=sshfs://root@127.0.0.1:" + port);
        assertThat(rearMountPoints()).isEmpty();
    }
}
