package dev.rear.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.testing.RearRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI with {@code BACKUP=TSM} against providers-tsm's dsmc simulator, without root:
 * {@code mkbackuponly} runs {@code dsmc incremental}, {@code restorepoints} and {@code verify} ask
 * the simulated server, {@code restoreonly} restores; then the verdicts of a restore with skipped
 * files (rc 4: exit 0 with the warning), a hard failure (rc 12: exit 6 naming rc and ANS line) and
 * an expired node password, as the administrator sees them.
 */
class TsmCliTest {

    @TempDir
    Path tmp;

    @Test
    void backupListVerifyRestoreAndTheVerdictsOfFailures() throws Exception {
        Path sim = Path.of("../providers-tsm/src/test/resources/sim/dsmc-sim.sh").toAbsolutePath().normalize();
        assertThat(sim).exists();
        Path client = Files.createDirectories(tmp.resolve("client"));
        Path server = Files.createDirectories(tmp.resolve("server"));
        Path adsm = Files.createDirectories(tmp.resolve("adsm"));
        for (String d : new String[] {"fs", "state", "faults"}) {
            Files.createDirectories(server.resolve(d));
        }
        Files.writeString(server.resolve("password"), "cli-node-pw\n");
        Files.writeString(server.resolve("name"), "TSMSRV1\n");
        Files.writeString(adsm.resolve("TSM.KDB"), "cli-node-pw\n");
        Files.writeString(client.resolve("dsm.sys"), "SErvername tsmsrv1\n  TCPServeraddress tsm.example\n  passwordaccess generate\n"
                + "  PASSWORDDIR " + adsm + "\n");
        Files.writeString(client.resolve("dsm.opt"), "SErvername tsmsrv1\n");
        Path dsmc = client.resolve("dsmc");
        Files.writeString(dsmc, "#!/bin/bash\nexport DSMC_SIM_SERVER='" + server + "'\nexec bash '" + sim + "' \"$@\"\n");
        Files.setPosixFilePermissions(dsmc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectories(tmp.resolve("etc-rear"));
        Files.writeString(conf.resolve("local.conf"), "BACKUP=TSM\nTSM_CLIENT_DIR=" + client + "\n");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("etc"));
        Files.writeString(src.resolve("etc/hostname"), "tsm-cli\n");
        Files.writeString(src.resolve("etc/locked.db"), "in use\n");

        RearRun backup = RearRun.withConfig(conf, "mkbackuponly", "--source-root", src.toString(), "--journal", tmp.resolve("b.jsonl").toString());
        assertThat(backup.code()).as(backup.out() + backup.err()).isZero();
        assertThat(backup.out()).contains("backup provider 'tsm' (BACKUP=TSM)", "TSM server tsmsrv1 (tsm.example) filespace /");

        RearRun list = RearRun.withConfig(conf, "restorepoints");
        assertThat(list.code()).as(list.out() + list.err()).isZero();
        assertThat(list.out()).contains("restorepoints: 1 restore point(s) of backup provider 'tsm'");

        RearRun verify = RearRun.withConfig(conf, "verify");
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();

        Path t1 = Files.createDirectories(tmp.resolve("t1"));
        RearRun ok = RearRun.withConfig(conf, "restoreonly", "--target-root", t1.toString(), "--journal", tmp.resolve("r1.jsonl").toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(t1.resolve("etc/hostname")).hasContent("tsm-cli");
        assertThat(Files.readString(tmp.resolve("r1.jsonl"))).contains("\"restore\",\"/*\"").contains("-tapeprompt=no");

        Files.writeString(server.resolve("faults/restore"), "FAULT_RC=4\nFAULT_SKIP=( /etc/locked.db )\n"
                + "FAULT_MESSAGES=( \"ANS4037E Object '/etc/locked.db' changed during processing. Object skipped.\" )\nFAULT_ONCE=1\n");
        Path t2 = Files.createDirectories(tmp.resolve("t2"));
        RearRun skipped = RearRun.withConfig(conf, "restoreonly", "--target-root", t2.toString(), "--journal", tmp.resolve("r2.jsonl").toString());
        assertThat(skipped.code()).as(skipped.out() + skipped.err()).isZero();
        assertThat(skipped.out() + skipped.err()).contains("TSM restore of / finished with rc 4: 1 file not restored (ANS4037E Object"
                + " '/etc/locked.db' changed during processing. Object skipped.); see the log");
        assertThat(t2.resolve("etc/locked.db")).doesNotExist();

        Files.writeString(server.resolve("faults/restore"), "FAULT_RC=12\nFAULT_MESSAGES=( 'ANS1312E Server media mount not possible' )\n"
                + "FAULT_ONCE=1\n");
        Path t3 = Files.createDirectories(tmp.resolve("t3"));
        RearRun failed = RearRun.withConfig(conf, "restoreonly", "--target-root", t3.toString(), "--journal", tmp.resolve("r3.jsonl").toString());
        assertThat(failed.code()).as(failed.out() + failed.err()).isEqualTo(6);
        assertThat(failed.err()).contains("TSM restore of / failed", "exited with rc 12 (ANS1312E Server media mount not possible)");

        Files.writeString(server.resolve("state/expired"), "");
        RearRun expired = RearRun.withConfig(conf, "verify");
        assertThat(expired.code()).as(expired.out() + expired.err()).isNotZero();
        assertThat(expired.err()).contains("ANS1352E Session rejected: Your password has expired.", "UPDATE NODE");
    }
}
