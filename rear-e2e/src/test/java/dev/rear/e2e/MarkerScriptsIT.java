package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marker scripts on this machine (root: setcap and the setuid copy need it): make-markers.sh
 * makes the corpus of markers.conf (paths moved under a temporary directory), check-markers.sh
 * passes it item by item, and fails each item that is damaged, naming it.
 */
class MarkerScriptsIT {

    @TempDir
    Path tmp;

    @Test
    void theCheckerPassesTheMadeCorpusAndFailsEachDamagedItem() throws Exception {
        for (String tool : List.of("setfacl", "setfattr", "setcap", "getcap", "sha256sum")) {
            Assumptions.assumeTrue(VmHost.which(tool).isPresent(), () -> tool + " is missing (packages acl, attr, libcap2-bin, coreutils)");
        }
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "setcap and a root-owned setuid file need root");
        String conf = DebianRoot.resource("markers.conf").replace("/srv/rear-markers", tmp + "/srv").replace("/var/lib/rear-markers", tmp + "/var");
        Path c = tmp.resolve("markers.conf");
        Files.writeString(c, conf);
        Path make = tmp.resolve("make.sh");
        Path check = tmp.resolve("check.sh");
        Files.writeString(make, DebianRoot.resource("make-markers.sh"));
        Files.writeString(check, DebianRoot.resource("check-markers.sh"));

        HostProcess.run(Duration.ofSeconds(60), "sh", make.toString(), c.toString()).ok();
        HostProcess ok = HostProcess.run(Duration.ofSeconds(60), "sh", check.toString(), c.toString());
        int n = MarkerCorpusTest.items().size();
        assertThat(ok.exitCode()).as(ok.stdout()).isZero();
        assertThat(ok.stdout()).contains("MARKERS: VERDICT OK " + n + "/" + n).doesNotContain("FAIL");

        // damage: content, xattr, capability, hardlink, sparse (filled), fifo replaced by a file
        Files.writeString(tmp.resolve("srv/seq.txt"), "1\n");
        HostProcess.run(Duration.ofSeconds(10), "setfattr", "-x", "user.rear.marker", tmp.resolve("srv/xattr.txt").toString()).ok();
        HostProcess.run(Duration.ofSeconds(10), "setcap", "-r", tmp.resolve("srv/cap-true").toString()).ok();
        Files.delete(tmp.resolve("srv/hardlink-b"));
        Files.copy(tmp.resolve("srv/hardlink-a"), tmp.resolve("srv/hardlink-b"));
        HostProcess.run(Duration.ofSeconds(30), "sh", "-c", "cat " + tmp.resolve("srv/sparse.img") + " > " + tmp.resolve("x") + " && dd if="
                + tmp.resolve("x") + " of=" + tmp.resolve("srv/sparse.img") + " bs=1M conv=notrunc status=none").ok();
        Files.delete(tmp.resolve("srv/fifo"));
        Files.writeString(tmp.resolve("srv/fifo"), "");
        HostProcess bad = HostProcess.run(Duration.ofSeconds(60), "sh", check.toString(), c.toString());
        assertThat(bad.exitCode()).as(bad.stdout()).isEqualTo(1);
        assertThat(bad.stdout()).contains("MARKERS: VERDICT FAIL 6 of " + n + " failed",
                "MARKER FAIL content " + tmp + "/srv/seq.txt: sha256 ",
                "MARKER FAIL xattr " + tmp + "/srv/xattr.txt",
                "MARKER FAIL cap " + tmp + "/srv/cap-true",
                "MARKER FAIL hardlink " + tmp + "/srv/hardlink-a",
                "MARKER FAIL sparse " + tmp + "/srv/sparse.img: not sparse",
                "MARKER FAIL fifo " + tmp + "/srv/fifo: not a fifo",
                "MARKER OK acl " + tmp + "/srv/acl.txt");
    }
}
