package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.discovery.DiscoveryResult;
import dev.rear.engine.discovery.Finding;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * savelayout, checklayout and audit with discovery replaced by a sample descriptor the test
 * changes between runs: the workflow logic, exit codes and files, without touching a disk.
 */
class LayoutCommandsTest {

    @TempDir
    Path layout;

    static final Path SAMPLE = Path.of("..", "descriptors", "samples", "bios-gpt-raid1-lvm.json");

    /** What the fake discovery reports next. */
    final AtomicReference<DiscoveryResult> next = new AtomicReference<>();
    int minute;

    void machineIs(Consumer<ObjectNode> edit, Finding... findings) throws IOException {
        ObjectNode tree = (ObjectNode) DescriptorJson.mapper().readTree(SAMPLE.toFile());
        edit.accept(tree);
        SystemDescriptor d = DescriptorJson.bind(tree, "fake").withCapturedAt(Instant.parse("2026-11-26T12:00:00Z").plusSeconds(60L * minute++));
        next.set(new DiscoveryResult(d, List.of(findings)));
    }

    record Run(int code, String out, String err) {}

    Run rear(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // An empty configuration directory: the test does not depend on this machine's /etc/rear.
        Path noConfig = layout.resolve("no-config");
        try {
            Files.createDirectories(noConfig);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> all = new ArrayList<>(List.of("-c", noConfig.toString()));
        all.addAll(List.of(args));
        all.addAll(List.of("--layout-dir", layout.toString()));
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), options -> () -> next.get(), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void savelayoutWritesTheDescriptorAndAFirstHistoryEntry() throws IOException {
        machineIs(t -> { });
        Run r = rear("savelayout");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("saved " + layout.resolve("descriptor.json"), "2 disk(s)", "new version kept as");
        assertThat(DescriptorFiles.load(layout.resolve("descriptor.json")).disks()).hasSize(2);
        try (var s = Files.list(layout.resolve("history"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).singleElement().asString()
                    .matches("20261126T120000Z-[0-9a-f]{12}\\.json");
        }
    }

    @Test
    void savelayoutSimulationDiscoversAndSavesNothing() throws IOException {
        machineIs(t -> { });
        Run r = rear("-s", "savelayout");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("savelayout (simulation): would save 2 disk(s), 4 partition(s), 1 md array(s), 1 VG(s), 0 LUKS, 2 filesystem(s), 1 swap, 0 excluded to "
                + layout.resolve("descriptor.json") + "; nothing was touched\n");
        assertThat(layout.resolve("descriptor.json")).doesNotExist();
    }

    @Test
    void checklayoutIsZeroRightAfterSavelayoutAndOneAfterAChange() throws IOException {
        machineIs(t -> { });
        assertThat(rear("savelayout").code()).isZero();

        machineIs(t -> { });
        Run same = rear("checklayout");
        assertThat(same.code()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("layout unchanged");

        machineIs(t -> ((ObjectNode) t.at("/filesystems/0")).put("label", "relabelled"));
        Run changed = rear("checklayout");
        assertThat(changed.code()).isEqualTo(1);
        assertThat(changed.out()).contains("label", "\"relabelled\"", "layout CHANGED");
    }

    @Test
    void checklayoutWithoutASavedLayoutSaysWhatToDo() throws IOException {
        machineIs(t -> { });
        Run r = rear("checklayout");
        assertThat(r.code()).isEqualTo(ExitCode.PRECONDITION_FAILED.code());
        assertThat(r.err()).contains("no saved layout", "rear savelayout");
    }

    @Test
    void aChangedUsedSpaceIsSavedButIsNoNewVersionAndNoDifference() throws IOException {
        machineIs(t -> ((ObjectNode) t.at("/filesystems/0")).put("usedBytes", 1_000_000_000L));
        rear("savelayout");
        machineIs(t -> ((ObjectNode) t.at("/filesystems/0")).put("usedBytes", 1_500_000_000L));
        Run check = rear("checklayout");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        Run again = rear("savelayout");
        assertThat(again.out()).contains("unchanged since the last saved version");
        assertThat(DescriptorJson.mapper().readTree(layout.resolve("descriptor.json").toFile()).at("/filesystems/0/usedBytes").asLong())
                .as("the newest figure is what recovery works from").isEqualTo(1_500_000_000L);
        try (var s = Files.list(layout.resolve("history"))) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void savelayoutKeepsOnlyDistinctVersionsAndAuditListsThem() throws IOException {
        machineIs(t -> { });
        rear("savelayout");
        machineIs(t -> { });
        Run again = rear("savelayout");
        assertThat(again.out()).contains("unchanged since the last saved version");
        machineIs(t -> ((ObjectNode) t.at("/filesystems/0")).put("label", "relabelled"));
        rear("savelayout");

        Run audit = rear("audit");
        assertThat(audit.code()).isZero();
        List<String> lines = audit.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("first version: 2 disk(s)");
        assertThat(lines.get(1)).contains("1 changed, 0 added, 0 removed: ~fs:").contains("(label)");
        assertThat(lines.get(2)).contains("rear audit: 2 version(s)");

        Run json = rear("audit", "--json");
        JsonNode doc = DescriptorJson.mapper().readTree(json.out());
        assertThat(doc.get("history")).hasSize(2);
        assertThat(doc.at("/history/1/changes/0/fields/0/field").asText()).isEqualTo("label");
    }

    @Test
    void discoveryErrorsSaveNothing() throws IOException {
        machineIs(t -> { }, Finding.error("disk:sda", "'sfdisk -J /dev/sda' failed: no medium"),
                Finding.warning("host", "no /etc/machine-id"));
        Run r = rear("savelayout");
        assertThat(r.code()).isEqualTo(ExitCode.PRECONDITION_FAILED.code());
        assertThat(r.err()).contains("error: disk:sda", "warning: host", "nothing was saved");
        assertThat(layout.resolve("descriptor.json")).doesNotExist();
    }

    @Test
    void aDiscoveredLayoutThatBreaksRulesIsNotSaved() throws IOException {
        machineIs(t -> ((ObjectNode) t.at("/swap/0")).put("device", "/dev/nowhere"));
        Run r = rear("savelayout");
        assertThat(r.code()).isEqualTo(ExitCode.DESCRIPTOR_INVALID.code());
        assertThat(r.err()).contains("swap-device-missing", "nothing was saved");
        assertThat(layout.resolve("descriptor.json")).doesNotExist();
    }

    @Test
    void jsonOutputCarriesTheFindingsInsteadOfPrintingThem() throws IOException {
        machineIs(t -> { }, Finding.warning("disk:vda", "raw reads of /dev/vda are refused"));
        Run r = rear("savelayout", "--json");
        assertThat(r.code()).isZero();
        JsonNode doc = DescriptorJson.mapper().readTree(r.out());
        assertThat(doc.at("/findings/0/severity").asText()).isEqualTo("warning");
        assertThat(doc.at("/findings/0/component").asText()).isEqualTo("disk:vda");
        assertThat(r.err()).doesNotContain("raw reads");

        machineIs(t -> { }, Finding.warning("disk:vda", "raw reads of /dev/vda are refused"));
        JsonNode check = DescriptorJson.mapper().readTree(rear("checklayout", "--json").out());
        assertThat(check.get("changed").asBoolean()).isFalse();
        assertThat(check.get("findings")).hasSize(1);
    }

    @Test
    void warningsAreShownButTheLayoutIsSaved() throws IOException {
        machineIs(t -> { }, Finding.warning("disk:vda", "raw reads of /dev/vda are refused; no partition table read"));
        Run r = rear("savelayout");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("warning: disk:vda: raw reads");
    }
}
