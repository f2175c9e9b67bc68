package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rear.api.event.StepSucceeded;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.discovery.Discovery;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.provider.FakeTarProvider;
import dev.rear.engine.provider.ProviderRegistry;
import dev.rear.engine.provider.TestProviders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mkbackuponly, verify, restoreonly and recover's pre-flight through the CLI, with a provider that keeps its backup as plain files. */
class ProviderWorkflowsTest {

    @TempDir
    Path tmp;

    Path conf;
    Path store;
    Path src;
    Services services;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        conf = Files.createDirectories(tmp.resolve("etc-rear"));
        store = Files.createDirectories(tmp.resolve("backup"));
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=file://" + store + "\n");
        src = Files.createDirectories(tmp.resolve("src/etc"));
        Files.writeString(src.resolve("hostname"), "web1\n");
        Files.writeString(src.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        src = tmp.resolve("src");
        ProviderRegistry registry = ProviderRegistry.load(TestProviders.offering(tmp, FakeTarProvider.class));
        services = new Services() {
            @Override
            public Discovery discovery(DiscoveryOptions options) {
                throw new AssertionError("these tests discover nothing");
            }

            @Override
            public ProviderRegistry providers() {
                return registry;
            }
        };
    }

    Run rear(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = conf.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), services, all);
        return new Run(code, out.toString(), err.toString());
    }

    Run backup() {
        return rear("mkbackuponly", "--source-root", src.toString(), "--journal", tmp.resolve("backup.jsonl").toString());
    }

    List<String> calls() throws Exception {
        return Files.exists(store.resolve("calls")) ? Files.readAllLines(store.resolve("calls")) : List.of();
    }

    @Test
    void mkbackuponlyBacksUpJournalsAndEndsWithAVerdict() throws Exception {
        Run r = backup();
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("mkbackuponly: backup provider 'tar' (BACKUP=NETFS) backs up / of " + src,
                "journal: " + tmp.resolve("backup.jsonl"));
        assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow()).matches("mkbackuponly: backed up 2 files, 31 B in \\d+\\.\\d s( \\(.*/s\\))? to "
                + store.resolve("tree") + "; manifest sha256 a{64}; journal " + tmp.resolve("backup.jsonl"));
        StepSucceeded s = JournalReader.read(tmp.resolve("backup.jsonl")).events().stream().filter(StepSucceeded.class::isInstance)
                .map(StepSucceeded.class::cast).findFirst().orElseThrow();
        assertThat(s.facts()).containsEntry("volume.1", store.resolve("tree").toString()).containsEntry("manifestSha256", "a".repeat(64));
        assertThat(calls()).containsExactly("backup " + src + " [/] [/tmp/*, /dev/shm/*, /var/lib/rear/output/*, /var/lib/rear/work/*]");
    }

    @Test
    void mkbackuponlyJsonIsOneDocument() throws Exception {
        Files.writeString(conf.resolve("local.conf"), "BACKUP_PROG_EXCLUDE=( '/tmp/*' )\nEXCLUDE_MOUNTPOINTS=( /scratch )\n",
                java.nio.file.StandardOpenOption.APPEND);
        Run r = rear("mkbackuponly", "--source-root", src.toString(), "--journal", tmp.resolve("b.jsonl").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("succeeded");
        assertThat(doc.get("files").asLong()).isEqualTo(2);
        assertThat(doc.get("bytes").asLong()).isEqualTo(31);
        assertThat(doc.get("manifestSha256").asText()).isEqualTo("a".repeat(64));
        assertThat(calls()).containsExactly("backup " + src + " [/] [/tmp/*, /var/lib/rear/work/*, /scratch/*]");
    }

    @Test
    void settingsTheProviderRefusesStopBeforeAnythingIsDone() throws Exception {
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=nfs://server/backup\n");
        Run r = backup();
        assertThat(r.code()).isEqualTo(8);
        assertThat(r.err()).contains("BACKUP=NETFS: the settings of backup provider 'tar' cannot be used: BACKUP_URL: BACKUP_URL=nfs://server/backup");
        assertThat(calls()).isEmpty();
        assertThat(tmp.resolve("backup.jsonl")).doesNotExist();
    }

    @Test
    void verifyNamesTheFirstBadEntry() throws Exception {
        backup();
        Run good = rear("verify");
        assertThat(good.code()).as(good.err()).isZero();
        assertThat(good.out()).contains("verify: the backup (restore point rp-1) is good: every byte read back and checked against its manifest, 2 entries");
        Files.writeString(store.resolve("CORRUPT"), "entry /etc/passwd does not match the manifest");
        Run bad = rear("verify");
        assertThat(bad.code()).isEqualTo(5);
        assertThat(bad.out()).contains("verify: the backup (restore point rp-1) is DAMAGED: entry /etc/passwd does not match the manifest");
        Run json = rear("verify", "--json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("ok").asBoolean()).isFalse();
        assertThat(doc.get("findings").get(0).get("message").asText()).isEqualTo("entry /etc/passwd does not match the manifest");
    }

    @Test
    void verifyWithoutABackupIsAProviderFailure() {
        Run r = rear("verify");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).contains("there is no backup in " + store);
    }

    @Test
    void restoreonlyRestoresIntoAPreparedRootAndRefusesOneThatHoldsFiles() throws Exception {
        backup();
        Path root = Files.createDirectories(tmp.resolve("mnt-local"));
        Run r = rear("restoreonly", "--target-root", root.toString(), "--journal", tmp.resolve("r.jsonl").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(root.resolve("etc/passwd")).hasContent("root:x:0:0::/root:/bin/sh");
        assertThat(r.out()).contains("restoreonly: restored 2 files, 31 B of restore point rp-1 into " + root + " (1 warnings); journal "
                + tmp.resolve("r.jsonl"));
        assertThat(r.err()).contains("rear: tar: socket /run/x skipped").as("a warning is shown, not only logged");

        Run again = rear("restoreonly", "--target-root", root.toString(), "--journal", tmp.resolve("r2.jsonl").toString());
        assertThat(again.code()).isEqualTo(6);
        assertThat(again.err()).contains("backup provider 'tar' restore into " + root + " failed (refused): the target root " + root
                + " is not empty");
        Run over = rear("restoreonly", "--target-root", root.toString(), "--overwrite", "--journal", tmp.resolve("r3.jsonl").toString());
        assertThat(over.code()).as(over.err()).isZero();
    }

    @Test
    void restoreonlyNeedsADirectory() {
        Run r = rear("restoreonly", "--target-root", tmp.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("the target root " + tmp.resolve("nope") + " is not a directory");
    }

    Path descriptorAndMapping() throws Exception {
        Path sample = Path.of("..", "descriptors", "samples", "uefi-gpt-ext4-nvme.json");
        String disk = DescriptorFiles.load(sample).disks().get(0).path();
        Files.writeString(tmp.resolve("disk_mappings"), disk + " /dev/rear-test-no-such-disk\n");
        return sample;
    }

    @Test
    void recoverSimulationListsTheStepsAndTouchesNothing() throws Exception {
        backup();
        Path d = descriptorAndMapping();
        Run r = rear("recover", "-s", "--descriptor", d.toString(), "--mapping", tmp.resolve("disk_mappings").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("recover: backup provider 'tar' (BACKUP=NETFS), settings valid; the backup is verified end to end before"
                + " any disk is touched", "-> /dev/rear-test-no-such-disk", "restore the backup into /mnt/local through the backup provider",
                "check: the marker /mnt/local/var/lib/rear/recovery/restore-complete exists");
        assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow()).matches(
                "recover \\(simulation\\): \\d+ steps would run; nothing was touched and no backup was read");
        assertThat(calls()).containsExactly("backup " + src + " [/] [/tmp/*, /dev/shm/*, /var/lib/rear/output/*, /var/lib/rear/work/*]");
    }

    @Test
    void recoverSimulationChecksTheProvidersSettings() throws Exception {
        Path d = descriptorAndMapping();
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=cifs://server/share\n");
        Run r = rear("recover", "-s", "--descriptor", d.toString(), "--mapping", tmp.resolve("disk_mappings").toString());
        assertThat(r.code()).isEqualTo(8);
        assertThat(r.err()).contains("BACKUP_URL: BACKUP_URL=cifs://server/share is not file:///...");
    }

    @Test
    void recoverRefusesADamagedBackupBeforeTouchingAnyDisk() throws Exception {
        backup();
        Files.writeString(store.resolve("CORRUPT"), "entry /etc/passwd does not match the manifest: expected 0 26 ab.., found 0 26 cd..");
        Path d = descriptorAndMapping();
        Path j = tmp.resolve("recover.jsonl");
        Run r = rear("recover", "--yes", "--descriptor", d.toString(), "--mapping", tmp.resolve("disk_mappings").toString(),
                "--journal", j.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("pre-flight: the backup (restore point rp-1) cannot be restored: entry /etc/passwd does not match the manifest:"
                + " expected 0 26 ab.., found 0 26 cd..; nothing was written to any disk");
        assertThat(j).doesNotExist();
        assertThat(calls()).containsExactly("backup " + src + " [/] [/tmp/*, /dev/shm/*, /var/lib/rear/output/*, /var/lib/rear/work/*]", "verify");
    }

    @Test
    void recoverWithoutAnyBackupStopsInPreFlight() throws Exception {
        Path d = descriptorAndMapping();
        Run r = rear("recover", "--yes", "--descriptor", d.toString(), "--mapping", tmp.resolve("disk_mappings").toString(),
                "--journal", tmp.resolve("j.jsonl").toString());
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).contains("pre-flight: backup provider 'tar' could not check the backup (not found): there is no backup in " + store
                + "; nothing was written to any disk");
    }

    @Test
    void recoverVerifiesThenTheSafetyGateRefusesTargetsThatAreNoDisks() throws Exception {
        backup();
        Path d = descriptorAndMapping();
        Path j = tmp.resolve("recover.jsonl");
        Run r = rear("recover", "--yes", "--descriptor", d.toString(), "--mapping", tmp.resolve("disk_mappings").toString(),
                "--journal", j.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.out()).contains("pre-flight: backup verified (every byte read back and checked against the manifest): restore point rp-1, entries 2");
        assertThat(r.err()).contains("/dev/rear-test-no-such-disk is not a block device", "nothing was written");
        assertThat(j).doesNotExist();
        assertThat(calls()).doesNotContain("restore");
    }

    @Test
    void recoverOfAnUnknownRestorePointStopsInPreFlight() throws Exception {
        backup();
        Path d = descriptorAndMapping();
        Path j = tmp.resolve("recover.jsonl");
        Run r = rear("recover", "--yes", "--descriptor", d.toString(), "--mapping", tmp.resolve("disk_mappings").toString(),
                "--journal", j.toString(), "--restore-point", "rp-7");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).contains("there is no restore point rp-7 (there is rp-1)", "nothing was written to any disk");
        assertThat(j).doesNotExist();

        Run known = rear("recover", "--yes", "--descriptor", d.toString(), "--mapping", tmp.resolve("disk_mappings").toString(),
                "--journal", j.toString(), "--restore-point", "rp-1");
        assertThat(known.out()).contains("pre-flight: backup verified (every byte read back and checked against the manifest): restore point rp-1");
    }

    @Test
    void recoverWithoutADescriptorSaysHowToGetOne() {
        Run r = rear("recover", "--layout-dir", tmp.resolve("layout").toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("there is no descriptor " + tmp.resolve("layout/descriptor.json") + ": run 'rear savelayout'");
    }

    @Test
    void theWorkflowsAreListedInHelp() {
        Run r = rear("--help");
        assertThat(r.out()).contains("recover", "restoreonly", "mkbackuponly", "verify", "mkrescue", "mkbackup ", "mountonly");
    }
}
