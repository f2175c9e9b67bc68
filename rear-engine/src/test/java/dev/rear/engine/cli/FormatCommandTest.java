package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.provider.Prompt;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.testing.FixtureCommandRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code rear format}: what it refuses before touching anything (the runner knows no command: any
 * command run fails the test), and the commands it runs on a disk it may format.
 */
class FormatCommandTest {

    record Run(int code, String out, String err) {}

    static Run format(HostProbe host, FixtureCommandRunner runner, Prompt prompt, List<String> swaps, String... args) {
        FormatCommand cmd = new FormatCommand();
        cmd.host = host;
        cmd.runner = runner;
        cmd.prompt = prompt;
        cmd.swaps = swaps;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            err.write("rear: " + ex.getMessage());
            return Rear.exitCodeOf(ex);
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theSystemDiskIsRefusedWithoutRunningAnything() {
        FixtureCommandRunner none = new FixtureCommandRunner();
        Run r = format(FormatCommandTestHosts.host(FormatCommandTestHosts.SYSTEM), none, Prompt.NOBODY, List.of(), "--yes", "/dev/sda");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("refusing to format /dev/sda", "is the system disk: /dev/sda2 is mounted on /");
        assertThat(none.commands()).isEmpty();
    }

    @Test
    void aDiskWithAMountedPartitionOrActiveSwapIsRefused() {
        FixtureCommandRunner none = new FixtureCommandRunner();
        List<HostProbe.Mount> mounts = new java.util.ArrayList<>(FormatCommandTestHosts.SYSTEM);
        mounts.add(new HostProbe.Mount("/media/stick", "/dev/sdb1", "8:17"));
        Run mounted = format(FormatCommandTestHosts.host(mounts), none, Prompt.NOBODY, List.of(), "--yes", "/dev/sdb");
        assertThat(mounted.code()).isEqualTo(4);
        assertThat(mounted.err()).contains("/dev/sdb is in use: /dev/sdb1 is mounted on /media/stick (unmount it first)");

        Run swap = format(FormatCommandTestHosts.host(FormatCommandTestHosts.SYSTEM), none, Prompt.NOBODY, List.of("/dev/sdc1"), "--yes", "/dev/sdc");
        assertThat(swap.code()).isEqualTo(4);
        assertThat(swap.err()).contains("swap on /dev/sdc1 is active");

        Run notBlock = format(FormatCommandTestHosts.host(FormatCommandTestHosts.SYSTEM), none, Prompt.NOBODY, List.of(), "--yes", "/dev/nonexistent");
        assertThat(notBlock.code()).isEqualTo(4);
        assertThat(notBlock.err()).contains("/dev/nonexistent is not a block device");
        assertThat(none.commands()).isEmpty();
    }

    @Test
    void withoutYesAndWithoutTypingYesNothingIsWritten() {
        FixtureCommandRunner none = new FixtureCommandRunner();
        AtomicReference<String> asked = new AtomicReference<>();
        Run r = format(FormatCommandTestHosts.host(FormatCommandTestHosts.SYSTEM), none, (q, secret) -> {
            asked.set(q);
            return Optional.of("yes");
        }, List.of(), "/dev/sdb");
        assertThat(r.code()).isEqualTo(4);
        assertThat(asked.get()).contains("This DESTROYS everything on /dev/sdb.", "Type YES");
        assertThat(r.out()).contains("one bootable ext4 partition labelled REAR-000");
        assertThat(r.err()).contains("not confirmed: /dev/sdb was not touched");
        assertThat(none.commands()).isEmpty();
    }

    @Test
    void aConfirmedFormatWritesTheTableShowsThePartitionsAndMakesTheFilesystems() {
        FixtureCommandRunner runner = new FixtureCommandRunner()
                .answerText("", "sfdisk", "--quiet", "--wipe", "always", "--wipe-partitions", "always", "/dev/sdb")
                .answerText("", "partx", "-u", "/dev/sdb")
                .fail(1, "partx: /dev/sdb: error adding partitions 1-2", "partx", "-a", "/dev/sdb")
                .fail(1, "", "udevadm", "settle", "--timeout=60")
                .answerText("", "mkfs.ext4", "-q", "-F", "-L", "REAR-000", "/dev/sdb2")
                .answerText("mkfs.fat 4.2 (2021-01-31)\n", "mkfs.fat", "-n", "REAR-EFI", "/dev/sdb1")
                .answerText("", "udevadm", "trigger", "--action=change", "/dev/sdb2")
                .missing("udevadm", "trigger", "--action=change", "/dev/sdb1")
                .answerText("", "udevadm", "settle", "--timeout=60", "--exit-if-exists=/dev/disk/by-label/REAR-000");
        Run r = format(FormatCommandTestHosts.host(FormatCommandTestHosts.SYSTEM), runner, Prompt.NOBODY, List.of(), "--yes", "--efi", "--efi-size", "64", "/dev/sdb");
        assertThat(r.code()).as(r.err()).isZero();
        runner.verify();
        assertThat(runner.neverRan()).isEmpty();
        // udev settles before mkfs (its own re-read of the table must not race it) and probes the new filesystems
        // after it, so that /dev/disk/by-label/REAR-000 exists when format returns; a settle that times out
        // (exit 1) or a host without udevadm does not fail the format
        assertThat(runner.commands().stream().map(c -> String.join(" ", c)).toList()).containsSubsequence(
                "partx -a /dev/sdb", "udevadm settle --timeout=60", "mkfs.ext4 -q -F -L REAR-000 /dev/sdb2", "mkfs.fat -n REAR-EFI /dev/sdb1",
                "udevadm trigger --action=change /dev/sdb2", "udevadm trigger --action=change /dev/sdb1",
                "udevadm settle --timeout=60 --exit-if-exists=/dev/disk/by-label/REAR-000");
        assertThat(r.out()).contains("/dev/sdb2 (ext4, REAR-000), /dev/sdb1 (FAT, REAR-EFI)");
        assertThat(dev.rear.engine.output.UsbFormat.sfdiskScript(true, 64))
                .isEqualTo("label: dos\nstart=2048, size=64MiB, type=ef\ntype=83, bootable\n");
        assertThat(dev.rear.engine.output.UsbFormat.sfdiskScript(false, 0)).isEqualTo("label: dos\nstart=2048, type=83, bootable\n");
    }

    @Test
    void theRealRootDiskOfThisMachineIsRefused() throws Exception {
        // The device of / on this machine, whatever it is: format must refuse it before running anything.
        String root = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f[4].equals("/") && dash > 0 && f[dash + 2].startsWith("/dev/")) {
                root = f[dash + 2];
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root != null && Files.exists(Path.of(root)), "/ is not on a /dev device here");
        HostProbe real = HostProbe.linux();
        String disk = real.underlyingDisks(root).stream().findFirst().orElse(root);
        FixtureCommandRunner none = new FixtureCommandRunner();
        Run r = format(real, none, Prompt.NOBODY, List.of(), "--yes", disk);
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("is the system disk");
        assertThat(none.commands()).isEmpty();
    }
}
