package dev.rear.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.testing.FixtureCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputUrlTest {

    @TempDir
    Path tmp;

    @Test
    void eachSupportedSchemeIsParsedIntoItsMountCommand() {
        Path mp = Path.of("/tmp/mp");
        assertThat(OutputUrl.parse("nfs://nas1/export/rear/", null).mountArgv(mp))
                .containsExactly("mount", "-t", "nfs", "-o", "rw,noatime", "nas1:/export/rear", "/tmp/mp");
        assertThat(OutputUrl.parse("nfs://nas1/export/rear", "vers=4.2,sec=sys").mountArgv(mp))
                .containsExactly("mount", "-t", "nfs", "-o", "vers=4.2,sec=sys", "nas1:/export/rear", "/tmp/mp");
        assertThat(OutputUrl.parse("cifs://fs1/backup/rear", null).mountArgv(mp))
                .containsExactly("mount", "-t", "cifs", "-o", "rw,guest", "//fs1/backup/rear", "/tmp/mp");
        assertThat(OutputUrl.parse("cifs://fs1/backup", "cred=/etc/rear/cifs").mountArgv(mp))
                .containsExactly("mount", "-t", "cifs", "-o", "cred=/etc/rear/cifs", "//fs1/backup", "/tmp/mp");
        assertThat(OutputUrl.parse("sshfs://backup@vault.example.com/srv/rear", null).mountArgv(mp))
                .containsExactly("sshfs", "backup@vault.example.com:/srv/rear", "/tmp/mp");
        assertThat(OutputUrl.parse("sshfs://vault:2222/srv/rear", "IdentityFile=/root/.ssh/rear").mountArgv(mp))
                .containsExactly("sshfs", "vault:/srv/rear", "/tmp/mp", "-o", "port=2222", "-o", "IdentityFile=/root/.ssh/rear");
        assertThat(OutputUrl.parse("usb:///dev/disk/by-label/REAR-000", null).mountArgv(mp))
                .containsExactly("mount", "-o", "rw,noatime", "/dev/disk/by-label/REAR-000", "/tmp/mp");
        assertThat(OutputUrl.parse("nfs://nas1/x", null).unmountArgv(mp)).containsExactly("umount", "/tmp/mp");

        OutputUrl file = OutputUrl.parse("file:///srv/rear//out/", null);
        assertThat(file.scheme()).isEqualTo(OutputUrl.Scheme.FILE);
        assertThat(file.path()).isEqualTo("/srv/rear/out");
        assertThat(file.mounted()).isFalse();
        assertThat(OutputUrl.parse("null", null).scheme()).isEqualTo(OutputUrl.Scheme.NULL);
    }

    @Test
    void unsupportedSchemesAndUnusableUrlsAreRefusedNamingTheUrl() {
        assertThatThrownBy(() -> OutputUrl.parse("sftp://host/dir", null)).hasMessageContaining("OUTPUT_URL=sftp://host/dir")
                .hasMessageContaining("the scheme 'sftp' is not supported");
        assertThatThrownBy(() -> OutputUrl.parse("rsync://host/dir", null)).hasMessageContaining("'rsync' is not supported");
        assertThatThrownBy(() -> OutputUrl.parse("/srv/rear", null)).hasMessageContaining("the scheme '' is not supported");
        assertThatThrownBy(() -> OutputUrl.parse("nfs:///export", null)).hasMessageContaining("names no server");
        assertThatThrownBy(() -> OutputUrl.parse("cifs://fs1/", null)).hasMessageContaining("names no share on fs1");
        assertThatThrownBy(() -> OutputUrl.parse("cifs://user:secret@fs1/share", null)).hasMessageContaining("OUTPUT_OPTIONS");
        assertThatThrownBy(() -> OutputUrl.parse("sshfs://u:pw@h/d", null)).hasMessageContaining("holds a password");
        assertThatThrownBy(() -> OutputUrl.parse("file://host/dir", null)).hasMessageContaining("absolute directory");
        assertThatThrownBy(() -> OutputUrl.parse("usb:///mnt/stick", null)).hasMessageContaining("names a device");
    }

    @Test
    void aFileUrlGetsTheArtifactsInTheHostsDirectoryWithNoTemporaryFilesLeft() throws Exception {
        Path a = Files.writeString(tmp.resolve("rear-web1.iso"), "ISO");
        Path b = Files.writeString(tmp.resolve("README"), "hint");
        Path dest = tmp.resolve("dest");
        FixtureCommandRunner runner = new FixtureCommandRunner();

        List<String> copied = OutputUrl.parse("file://" + dest, null).copy(List.of(a, b), "web1", runner, tmp.resolve("t"));

        assertThat(copied).containsExactly("file://" + dest + "/web1/");
        assertThat(dest.resolve("web1/rear-web1.iso")).hasContent("ISO");
        assertThat(dest.resolve("web1/README")).hasContent("hint");
        try (var s = Files.list(dest.resolve("web1"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("rear-web1.iso", "README");
        }
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void aMountedUrlIsMountedCopiedIntoAndUnmountedAgain() throws Exception {
        Path a = Files.writeString(tmp.resolve("rear-web1.iso"), "ISO");
        Path tempParent = tmp.resolve("t");
        Files.createDirectories(tempParent);
        // The mount point is a fresh temporary directory: learn its name from a runner that records and answers everything.
        List<List<String>> ran = new java.util.ArrayList<>();
        dev.rear.api.command.CommandRunner runner = spec -> {
            ran.add(spec.argv());
            return new dev.rear.api.command.CommandResult(spec.argv(), 0, "", "", java.time.Duration.ZERO);
        };

        List<String> copied = OutputUrl.parse("nfs://nas1/export/rear", null).copy(List.of(a), "web1", runner, tempParent);

        assertThat(copied).containsExactly("nfs://nas1/export/rear/web1/");
        assertThat(ran).hasSize(2);
        String mp = ran.get(0).get(ran.get(0).size() - 1);
        assertThat(ran.get(0)).containsExactly("mount", "-t", "nfs", "-o", "rw,noatime", "nas1:/export/rear", mp);
        assertThat(ran.get(1)).containsExactly("umount", mp);
        assertThat(Path.of(mp)).startsWith(tempParent);
        // No server here: the "mount" did nothing, so the copy landed in the mount point directory itself.
        assertThat(Path.of(mp, "web1", "rear-web1.iso")).hasContent("ISO");
    }

    @Test
    void aFailedMountIsReportedWithTheToolsErrorAndLeavesNoMountPoint() throws Exception {
        Path a = Files.writeString(tmp.resolve("rear-web1.iso"), "ISO");
        Path tempParent = Files.createDirectories(tmp.resolve("t"));
        dev.rear.api.command.CommandRunner runner = spec -> {
            throw new dev.rear.api.command.CommandFailedException(spec, new dev.rear.api.command.CommandResult(spec.argv(), 32, "",
                    "mount.nfs: Connection refused", java.time.Duration.ZERO));
        };

        assertThatThrownBy(() -> OutputUrl.parse("nfs://nas1/export/rear", null).copy(List.of(a), "web1", runner, tempParent))
                .isInstanceOf(OutputException.class)
                .hasMessageContaining("OUTPUT_URL=nfs://nas1/export/rear").hasMessageContaining("mount failed (exit code 32)")
                .hasMessageContaining("mount.nfs: Connection refused");
        try (var s = Files.list(tempParent)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aCopyWhoseUnmountFailsSaysTheCopyIsDoneAndWhatIsLeftMounted() throws Exception {
        Path a = Files.writeString(tmp.resolve("rear-web1.iso"), "ISO");
        Path tempParent = Files.createDirectories(tmp.resolve("t"));
        dev.rear.api.command.CommandRunner runner = spec -> {
            if (spec.argv().get(0).equals("umount")) {
                throw new dev.rear.api.command.CommandFailedException(spec, new dev.rear.api.command.CommandResult(spec.argv(), 32, "",
                        "umount: target is busy.", java.time.Duration.ZERO));
            }
            return new dev.rear.api.command.CommandResult(spec.argv(), 0, "", "", java.time.Duration.ZERO);
        };

        assertThatThrownBy(() -> OutputUrl.parse("nfs://nas1/export/rear", null).copy(List.of(a), "web1", runner, tempParent))
                .isInstanceOf(OutputException.class)
                .hasMessageContaining("the artifacts were copied to nfs://nas1/export/rear, but " + tempParent)
                .hasMessageContaining("could not be unmounted afterwards (unmount it by hand)").hasMessageContaining("target is busy");
    }

    @Test
    void aUsbLinkThatIsNotThereIsLookedUpByItsLabelAndNeverGuessed() {
        OutputUrl url = OutputUrl.parse("usb:///dev/disk/by-label/REAR-NOPE-7", null);
        FixtureCommandRunner one = new FixtureCommandRunner().answerText("/dev/vdc1\n", "blkid", "-c", "/dev/null", "-t", "LABEL=REAR-NOPE-7", "-o",
                "device");
        assertThat(url.usbDevice(one, "the copy")).isEqualTo("/dev/vdc1");
        FixtureCommandRunner none = new FixtureCommandRunner().fail(2, "", "blkid", "-c", "/dev/null", "-t", "LABEL=REAR-NOPE-7", "-o", "device");
        assertThatThrownBy(() -> url.usbDevice(none, "the copy")).isInstanceOf(OutputException.class)
                .hasMessageContaining("/dev/disk/by-label/REAR-NOPE-7 does not exist and no device has LABEL=REAR-NOPE-7");
        FixtureCommandRunner two = new FixtureCommandRunner().answerText("/dev/sdb1\n/dev/sdc1\n", "blkid", "-c", "/dev/null", "-t",
                "LABEL=REAR-NOPE-7", "-o", "device");
        assertThatThrownBy(() -> url.usbDevice(two, "the copy")).hasMessageContaining("2 devices have LABEL=REAR-NOPE-7 (/dev/sdb1, /dev/sdc1)")
                .hasMessageContaining("will not guess");
        assertThatThrownBy(() -> OutputUrl.parse("usb:///dev/sdz9", null).usbDevice(none, "the copy"))
                .hasMessageContaining("the device /dev/sdz9 does not exist");
    }
}
