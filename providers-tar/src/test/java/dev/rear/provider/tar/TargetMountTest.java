package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import dev.rear.api.spi.ProviderLog;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.RecordingCommandRunner;
import dev.rear.testkit.RecordingCommandRunner.Answer;
import dev.rear.testkit.SampleTrees;
import dev.rear.testkit.TreeSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mount commands rear runs for each BACKUP_URL scheme, with BACKUP_OPTIONS as ReaR takes them,
 * and what happens around them: missing helpers, failed mounts, blkid lookups, unmounting in every
 * outcome. NFS and CIFS servers cannot run on this machine (no network but loopback, no server
 * packages), so for them this is the test: the argv, options and environment are checked here, and a
 * simulated server (the mount "attaches" a directory, the umount "detaches" it) carries a whole
 * backup, verify and restore through the provider. USB and sshfs are mounted for real in
 * {@code TargetMountIT}.
 */
class TargetMountTest {

    @TempDir
    Path tmp;

    private static final Function<String, Optional<Path>> ALL = p -> Optional.of(Path.of("/usr/sbin", p));
    private static final Function<String, Optional<Path>> NONE = p -> Optional.empty();

    private CommandSpec mountOf(String url, String options) {
        return TargetMount.plan(BackupUrl.parse(url), options).command(null, Path.of("/tmp/rear-target-1"));
    }

    @Test
    void nfsIsMountedAsReaRDoesWithItsDefaultOptions() {
        assertThat(mountOf("nfs://nas/exports/rear", null).argv())
                .containsExactly("mount", "-t", "nfs", "-o", "rw,noatime", "nas:/exports/rear", "/tmp/rear-target-1");
        assertThat(mountOf("nfs://nas/exports/rear", "nfsvers=4,hard, timeo=600").argv())
                .containsExactly("mount", "-t", "nfs", "-o", "nfsvers=4,hard,timeo=600", "nas:/exports/rear", "/tmp/rear-target-1");
        assertThat(mountOf("nfs://[fd00::1]/x", "").argv()).contains("[fd00::1]:/x");
    }

    @Test
    void cifsIsMountedAsGuestUnlessOptionsSayOtherwise() {
        assertThat(mountOf("cifs://fs/backup", null).argv())
                .containsExactly("mount", "-t", "cifs", "-o", "rw,guest", "//fs/backup", "/tmp/rear-target-1");
        TargetMount.Mount m = TargetMount.plan(BackupUrl.parse("cifs://fs/backup/linux"), "cred=/etc/rear/cifs,vers=3.0");
        assertThat(m.command(null, Path.of("/mp")).argv())
                .containsExactly("mount", "-t", "cifs", "-o", "cred=/etc/rear/cifs,vers=3.0", "//fs/backup/linux", "/mp");
        assertThat(m.credentials()).isEqualTo("/etc/rear/cifs");
        assertThat(m.env()).isEmpty();
    }

    @Test
    void aCifsPasswordGoesIntoTheEnvironmentNeverOntoTheCommandLine() {
        CommandSpec spec = mountOf("cifs://fs/backup", "username=rear,password=S3cr3t!x,vers=3.0");
        assertThat(spec.argv()).containsExactly("mount", "-t", "cifs", "-o", "username=rear,vers=3.0", "//fs/backup", "/tmp/rear-target-1");
        assertThat(spec.display()).doesNotContain("S3cr3t");
        assertThat(spec.extraEnv()).containsEntry("PASSWD", "S3cr3t!x");
    }

    @Test
    void sshfsGetsTheUrlsPortAndTheOptions() {
        assertThat(mountOf("sshfs://backup@store/srv/rear", null).argv())
                .containsExactly("sshfs", "backup@store:/srv/rear", "/tmp/rear-target-1", "-o", "rw,noatime");
        assertThat(mountOf("sshfs://backup@store:2222/srv/rear", "IdentityFile=/root/.ssh/id_rear").argv())
                .containsExactly("sshfs", "backup@store:/srv/rear", "/tmp/rear-target-1", "-o", "IdentityFile=/root/.ssh/id_rear,port=2222");
        assertThat(mountOf("sshfs://backup@store:2222/srv/rear", "port=22").argv()).endsWith("port=22");
    }

    @Test
    void usbMountsTheResolvedDevice() {
        assertThat(TargetMount.plan(BackupUrl.parse("usb:///dev/disk/by-label/REAR-000"), null).command("/dev/sdb1", Path.of("/mp")).argv())
                .containsExactly("mount", "-o", "rw,noatime", "/dev/sdb1", "/mp");
    }

    @Test
    void udevLinkNamesBecomeBlkidTags() {
        assertThat(dev.rear.api.command.TaggedDevices.tagOf("/dev/disk/by-label/REAR-000")).isEqualTo("LABEL=REAR-000");
        assertThat(dev.rear.api.command.TaggedDevices.tagOf("/dev/disk/by-label/My\\x20Disk")).isEqualTo("LABEL=My Disk");
        assertThat(dev.rear.api.command.TaggedDevices.tagOf("/dev/disk/by-uuid/1234-ABCD")).isEqualTo("UUID=1234-ABCD");
        assertThat(dev.rear.api.command.TaggedDevices.tagOf("/dev/disk/by-partlabel/rear")).isEqualTo("PARTLABEL=rear");
        assertThat(dev.rear.api.command.TaggedDevices.tagOf("/dev/disk/by-partuuid/0a-01")).isEqualTo("PARTUUID=0a-01");
        assertThat(dev.rear.api.command.TaggedDevices.tagOf("/dev/sdb1")).isNull();
        assertThat(dev.rear.api.command.TaggedDevices.tagOf("/dev/disk/by-label/")).isNull();
    }

    @Test
    void aMissingLabelLinkIsLookedUpWithBlkid() {
        RecordingCommandRunner r = RecordingCommandRunner.strict();
        r.when("blkid", "-c", "/dev/null", "-t", "LABEL=REAR-NOPE-7", "-o", "device").thenAnswer(0, "/dev/loop7\n");
        assertThat(TargetMount.device(BackupUrl.parse("usb:///dev/disk/by-label/REAR-NOPE-7"), r)).isEqualTo("/dev/loop7");
    }

    @Test
    void noDeviceOrTwoWithTheLabelAreRefused() {
        RecordingCommandRunner none = RecordingCommandRunner.strict();
        none.when("blkid").thenAnswer(2, "");
        assertThatThrownBy(() -> TargetMount.device(BackupUrl.parse("usb:///dev/disk/by-label/REAR-NOPE-7"), none))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessageContaining("no device has LABEL=REAR-NOPE-7");
        RecordingCommandRunner two = RecordingCommandRunner.strict();
        two.when("blkid").thenAnswer(0, "/dev/sdb1\n/dev/sdc1\n");
        assertThatThrownBy(() -> TargetMount.device(BackupUrl.parse("usb:///dev/disk/by-label/REAR-NOPE-7"), two))
                .hasMessageContaining("2 devices have LABEL=REAR-NOPE-7 (/dev/sdb1, /dev/sdc1)");
        assertThatThrownBy(() -> TargetMount.device(BackupUrl.parse("usb:///dev/null"), none))
                .hasMessageContaining("/dev/null is not a block device");
        assertThatThrownBy(() -> TargetMount.device(BackupUrl.parse("usb:///dev/sdzz9"), none))
                .hasMessageContaining("the device /dev/sdzz9 does not exist");
    }

    @Test
    void aMissingHelperIsNamedWithItsPackage() {
        RecordingCommandRunner r = RecordingCommandRunner.strict();
        for (String[] c : new String[][] {{"nfs://nas/x", "mount.nfs", "nfs-common"}, {"cifs://fs/x", "mount.cifs", "cifs-utils"},
                {"sshfs://u@h/x", "sshfs", "sshfs"}}) {
            assertThatThrownBy(() -> TargetMount.open(BackupUrl.parse(c[0]), null, r, ProviderLog.NONE, NONE, tmp))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MISCONFIGURED))
                    .hasMessageContaining("needs the program " + c[1]).hasMessageContaining("apt-get install " + c[2]);
        }
        assertThatThrownBy(() -> TargetMount.open(BackupUrl.parse("sshfs://u@h/x"), null, r, ProviderLog.NONE, ALL, tmp.resolve("fuse")))
                .hasMessageContaining(tmp.resolve("fuse") + " does not exist").hasMessageContaining("modprobe fuse");
        assertThat(r.commands()).isEmpty();
    }

    @Test
    void aMissingCredentialsFileIsNamedBeforeMounting() {
        RecordingCommandRunner r = RecordingCommandRunner.strict();
        Path cred = tmp.resolve("cifs-cred");
        assertThatThrownBy(() -> TargetMount.open(BackupUrl.parse("cifs://fs/x"), "cred=" + cred, r, ProviderLog.NONE, ALL, tmp))
                .hasMessageContaining("the CIFS credentials file " + cred + ", which does not exist");
        assertThat(r.commands()).isEmpty();
    }

    @Test
    void aFailedMountReportsTheHelpersStderrAndLeavesNoMountPoint() throws IOException {
        RecordingCommandRunner r = RecordingCommandRunner.strict();
        r.when("mount").thenAnswer(new Answer(32, "", "mount.nfs: access denied by server while mounting nas:/x\n"));
        List<Path> before = tempMountPoints();
        assertThatThrownBy(() -> TargetMount.open(BackupUrl.parse("nfs://nas/x"), null, r, ProviderLog.NONE, ALL, tmp))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FAILED))
                .hasMessageContaining("cannot mount BACKUP_URL=nfs://nas/x")
                .hasMessageContaining("exited 32: mount.nfs: access denied by server while mounting nas:/x");
        assertThat(tempMountPoints()).isEqualTo(before);
    }

    @Test
    void aBusyTargetIsDetachedLazily() {
        RecordingCommandRunner r = RecordingCommandRunner.strict();
        r.when("mount").thenAnswer(0, "");
        r.when("umount").thenAnswer(new Answer(32, "", "umount: target is busy."));
        r.when("umount", "-l").thenAnswer(0, "");
        TargetMount m = TargetMount.open(BackupUrl.parse("nfs://nas/x"), null, r, ProviderLog.NONE, ALL, tmp);
        Path mp = m.root();
        m.close();
        assertThat(r.displayed()).containsExactly("mount -t nfs -o rw,noatime nas:/x " + mp, "umount " + mp, "umount -l " + mp);
        assertThat(mp).doesNotExist();
    }

    // ------------------------------------------------------------------------------------ the provider on a simulated server

    /** A simulated NFS/CIFS server: mount copies the export into the mount point, umount copies it back and empties it. */
    private static final class SimulatedServer {
        final Path export;
        final RecordingCommandRunner runner = RecordingCommandRunner.strict();

        SimulatedServer(Path export, String helper) {
            this.export = export;
            runner.when("mount", "-t", helper).thenRespond(spec -> {
                copy(export, Path.of(spec.argv().get(spec.argv().size() - 1)));
                return Answer.ok("");
            });
            runner.when("umount").thenRespond(spec -> {
                Path mp = Path.of(spec.argv().get(spec.argv().size() - 1));
                clear(export);
                copy(mp, export);
                clear(mp);
                return Answer.ok("");
            });
        }

        static void copy(Path from, Path to) {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : s.toList()) {
                    Path t = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void clear(Path dir) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private FakeProviderContext context(ProviderSettings s, RecordingCommandRunner r, String name) throws IOException {
        return FakeProviderContext.builder(Files.createDirectories(tmp.resolve("ctx-" + name))).settings(s).commands(r).build();
    }

    @Test
    void aBackupGoesToHostnameBackupTarZstOnTheMountedExportAndIsUnmountedAfterEachOperation() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        SampleTrees.standard(source);
        SimulatedServer nas = new SimulatedServer(Files.createDirectories(tmp.resolve("nas-export")), "nfs");
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", "nfs://nas/exports/rear").set("BACKUP_OPTIONS", "nfsvers=4")
                .set("NETFS_PREFIX", "web01").build();
        TarBackupProvider p = new TarBackupProvider(ALL, tmp);
        List<Path> before = tempMountPoints();
        p.backup(BackupRequest.full(source), context(s, nas.runner, "backup"));
        assertThat(nas.export.resolve("web01/backup.tar.zst")).isRegularFile();
        assertThat(nas.export.resolve("web01/backup.tar.zst.manifest")).isRegularFile();
        assertThat(p.verify(VerifyRequest.latest(), context(s, nas.runner, "verify")).ok()).isTrue();
        Path target = Files.createDirectories(tmp.resolve("restored"));
        p.restore(RestoreRequest.everything(target), context(s, nas.runner, "restore"));
        assertThat(TreeSnapshot.of(source).differencesIn(TreeSnapshot.of(target))).isEmpty();
        List<String> cmds = nas.runner.displayed();
        assertThat(cmds).hasSize(6);
        for (int i = 0; i < 6; i += 2) {
            assertThat(cmds.get(i)).matches("mount -t nfs -o nfsvers=4 nas:/exports/rear /.*/rear-target-\\d+");
            assertThat(cmds.get(i + 1)).isEqualTo("umount " + cmds.get(i).substring(cmds.get(i).lastIndexOf(' ') + 1));
        }
        assertThat(tempMountPoints()).isEqualTo(before);
    }

    @Test
    void aFailingBackupStillUnmounts() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        SimulatedServer fs = new SimulatedServer(Files.createDirectories(tmp.resolve("share")), "cifs");
        Path cred = Files.writeString(tmp.resolve("cred"), "username=rear\npassword=Very-Secret-1\n");
        ProviderSettings s = ProviderSettings.builder().set("BACKUP_URL", "cifs://fs/backup").set("BACKUP_OPTIONS", "cred=" + cred)
                .set("NETFS_PREFIX", "web01").set("BACKUP_PROG_INCLUDE", "/does-not-exist").set("BACKUP_ONLY_INCLUDE", "yes").build();
        FakeProviderContext ctx = context(s, fs.runner, "backup");
        assertThatThrownBy(() -> new TarBackupProvider(ALL, tmp).backup(BackupRequest.full(source), ctx))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(fs.runner.displayed()).hasSize(2).last().asString().startsWith("umount ");
        assertThat(fs.runner.displayed()).first().asString().startsWith("mount -t cifs -o cred=" + cred + " //fs/backup ");
        assertThat(String.join("\n", ctx.log().lines())).doesNotContain("Very-Secret-1");
        try (Stream<Path> left = Files.walk(fs.export)) {
            assertThat(left.filter(Files::isRegularFile)).as("no archive, partial or probe file left on the share").isEmpty();
        }
    }

    @Test
    void aTargetWithTooLittleRoomIsRefusedWithTheNumbers() throws IOException {
        TargetSpace.Estimate e = new TargetSpace.Estimate(3, 1L << 60, 1L << 59, "a test estimate");
        // no includes: the usage bound proves nothing, so the estimate decides against the real free space of tmp
        assertThatThrownBy(() -> TargetSpace.checkRoom(tmp, "nfs://nas/x", tmp, List.of(), () -> e))
                .isInstanceOfSatisfying(ProviderException.class, x -> assertThat(x.kind()).isEqualTo(Kind.REFUSED))
                .hasMessageMatching("the backup target nfs://nas/x has [0-9.]+ [KMGT]iB \\(\\d+ bytes\\) free in .*, the backup needs an estimated"
                        + " 512\\.0 PiB \\(576460752303423488 bytes: a test estimate\\); free space there, or exclude data \\(BACKUP_PROG_EXCLUDE\\)");
    }

    @Test
    void theSourceFilesystemsUsageSparesTheWalkWhenTheTargetPlainlyHasRoom() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("boot"));
        Files.write(src.resolve("data"), new byte[300_000]);
        java.nio.file.FileStore store = Files.getFileStore(src);
        Posix.FsUsage u = Posix.usage(src.toString());
        assertThat(u.usedBytes()).as("statvfs agrees with the JDK's figures").isCloseTo(store.getTotalSpace() - store.getUnallocatedSpace(),
                org.assertj.core.data.Offset.offset(64L << 20));
        assertThat(u.usedInodes()).isPositive();
        assumeTrue(java.util.Set.of("ext2", "ext3", "ext4", "xfs", "tmpfs").contains(store.type()), "the temporary directory is on " + store.type());

        String[] asked = new String[1];
        TargetSpace.Estimator walk = () -> {
            asked[0] = "walked";
            return new TargetSpace.Estimate(2, 300_000, 100_000, "a walk");
        };
        String plenty = TargetSpace.checkRoom(tmp, "file:///x", Long.MAX_VALUE / 2, src, List.of("/", "/boot", "/missing"), walk);
        assertThat(asked[0]).as("no walk when the usage bound settles it").isNull();
        assertThat(plenty).matches("room on the target: .* free, more than the 1 source filesystem hold uncompressed \\([0-9.]+ [KMGT]iB in use,"
                + " a header per inode counted\\)");

        String walked = TargetSpace.checkRoom(tmp, "file:///x", u.usedBytes() / 2, src, List.of("/"), walk);
        assertThat(asked[0]).as("less free than in use: the walk decides").isEqualTo("walked");
        assertThat(walked).isEqualTo("room on the target: " + TargetSpace.human(u.usedBytes() / 2) + " free, the backup needs an estimated 97.7 KiB (a walk)");

        TargetSpace.Estimator tooBig = () -> new TargetSpace.Estimate(2, 300_000, u.usedBytes(), "a big walk");
        assertThatThrownBy(() -> TargetSpace.checkRoom(tmp, "file:///x", u.usedBytes() / 2, src, List.of("/"), tooBig))
                .isInstanceOfSatisfying(ProviderException.class, x -> assertThat(x.kind()).isEqualTo(Kind.REFUSED))
                .hasMessageContaining("the backup needs an estimated");
    }

    @Test
    void theEstimateCountsDataNotHolesAndLearnsTheRatioFromThePreviousBackup() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("data"), new byte[300_000]);
        try (var f = new java.io.RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
            f.setLength(1L << 40); // a terabyte of hole
        }
        Files.createDirectories(src.resolve("skip"));
        Files.write(src.resolve("skip/big"), new byte[5_000_000]);
        TargetSpace.Estimate first = TargetSpace.estimate(src, List.of("/"), n -> n.equals("/skip"), "zstd", null, null);
        assertThat(first.dataBytes()).isEqualTo(300_000);
        assertThat(first.entries()).isEqualTo(3);
        assertThat(first.archiveBytes()).isEqualTo((long) Math.ceil((300_000 + 3 * 1024) / 3.0));
        assertThat(first.how()).contains("assuming zstd compresses it to a third");
        Manifest previous = new Manifest(java.time.Instant.EPOCH, "backup.tar.zst",
                List.of(new Manifest.Line('0', 1000, "x", "/a")), 100, "y");
        TargetSpace.Estimate learned = TargetSpace.estimate(src, List.of("/"), n -> false, "zstd", previous, null);
        assertThat(learned.archiveBytes()).isEqualTo((long) Math.ceil((5_300_000 + 5 * 1024) / 10.0));
        assertThat(learned.how()).contains("as the previous backup was (to 10%)");
        assertThat(TargetSpace.estimate(src, List.of("/"), n -> false, "none", null, null).archiveBytes()).isEqualTo(5_300_000 + 5 * 1024);
    }

    @Test
    void theEstimateWalksNamesAsTheirBytesAndCountsOnlyWhatAnIncrementalWrites() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        String latin1 = Names.decode("caf\u00e9.img".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)); // not UTF-8
        Path odd = Names.resolve(src, latin1);
        Files.write(odd, new byte[2 << 20]); // 1 MiB or more: its data extents are read, by its exact bytes
        Files.write(src.resolve("small"), new byte[1000]);
        TargetSpace.Estimate all = TargetSpace.estimate(src, List.of("/"), n -> false, "none", null, null);
        assertThat(all.dataBytes()).isEqualTo((2 << 20) + 1000);
        assertThat(TargetSpace.estimate(src, List.of("/"), n -> n.equals("/" + latin1), "none", null, null).dataBytes())
                .as("excluded by its name with the bytes kept, as the backup matches it").isEqualTo(1000);

        TreeIndex base = new TreeIndex();
        base.put("/", TreeIndex.stat(src));
        base.put("/" + latin1, TreeIndex.stat(odd));
        base.put("/small", TreeIndex.stat(src.resolve("small")));
        assertThat(TargetSpace.estimate(src, List.of("/"), n -> false, "none", null, base).dataBytes()).as("nothing changed").isZero();
        Files.write(src.resolve("small"), new byte[3000]);
        assertThat(TargetSpace.estimate(src, List.of("/"), n -> false, "none", null, base).dataBytes()).as("only the changed file")
                .isEqualTo(3000);
    }

    @Test
    void rescueRequirementsListTheHelpersAndKeepSecretsOut() throws IOException {
        TarBackupProvider p = new TarBackupProvider(ALL, tmp);
        RescueRequirements nfs = p.rescueRequirements(context(ProviderSettings.builder().set("BACKUP_URL", "nfs://nas/x")
                .set("BACKUP_OPTIONS", "nfsvers=4").build(), RecordingCommandRunner.strict(), "nfs"));
        assertThat(nfs.programs()).contains("mount", "umount", "mount.nfs");
        assertThat(nfs.kernelModules()).contains("nfs");
        assertThat(nfs.environment()).contains(new RescueRequirements.RescueVariable("BACKUP_OPTIONS", "nfsvers=4", false));
        RescueRequirements cifs = p.rescueRequirements(context(ProviderSettings.builder().set("BACKUP_URL", "cifs://fs/x")
                .set("BACKUP_OPTIONS", "cred=/etc/rear/cifs").build(), RecordingCommandRunner.strict(), "cifs"));
        assertThat(cifs.programs()).contains("mount.cifs");
        assertThat(cifs.secretItems()).containsExactly("/etc/rear/cifs");
        assertThat(cifs.files()).noneMatch(f -> !f.secret());
        RescueRequirements ssh = p.rescueRequirements(context(ProviderSettings.builder().set("BACKUP_URL", "sshfs://u@h/x")
                .set("BACKUP_OPTIONS", "IdentityFile=/root/.ssh/id_rear").build(), RecordingCommandRunner.strict(), "ssh"));
        assertThat(ssh.programs()).contains("sshfs", "ssh");
        assertThat(ssh.kernelModules()).contains("fuse");
        assertThat(ssh.secretItems()).containsExactly("/root/.ssh/id_rear");
        RescueRequirements usb = p.rescueRequirements(context(ProviderSettings.builder().set("BACKUP_URL", "usb:///dev/disk/by-label/REAR-000")
                .build(), RecordingCommandRunner.strict(), "usb"));
        assertThat(usb.programs()).contains("mount", "umount", "blkid");
    }

    private static List<Path> tempMountPoints() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("rear-target-")).sorted().toList();
        }
    }
}
