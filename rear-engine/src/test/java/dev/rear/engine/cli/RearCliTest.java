package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rear.engine.descriptor.DescriptorJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a black box: arguments in, exit code and output out. Malformed input never shows a stack trace. */
class RearCliTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run rear(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path file(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static void assertNoStackTrace(Run r) {
        assertThat(r.all()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void versionNamesRearTheSchemaAndJava() {
        Run r = rear("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("rear ").contains("rear.descriptor/v1").contains("Java 17");
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Run r = rear("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("validate", "diff", "Exit codes:", "invalid descriptor", "130");
        Run sub = rear("help", "validate");
        assertThat(sub.code()).isZero();
        assertThat(sub.out()).contains("Usage: rear validate", "--json");
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = rear();
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("no command given");
    }

    @Test
    void unknownCommandIsAUsageErrorWithASuggestion() {
        Run r = rear("valdate", "x.json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("valdate").contains("validate");
        assertNoStackTrace(r);
    }

    @Test
    void validateWithoutFilesIsAUsageError() {
        assertThat(rear("validate").code()).isEqualTo(2);
    }

    @Test
    void missingFileIsAnIoErrorInOneSentence() {
        Run r = rear("validate", tmp.resolve("nope.json").toString());
        assertThat(r.code()).isEqualTo(ExitCode.IO_ERROR.code());
        assertThat(r.out()).contains("nope.json does not exist");
        assertNoStackTrace(r);
    }

    @Test
    void directoryIsAnIoError() {
        Run r = rear("validate", tmp.toString());
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.out()).contains("is a directory");
    }

    @Test
    void notJsonNamesLineAndColumn() throws IOException {
        Run r = rear("validate", file("notjson.json", "schema: rear.descriptor/v1\ndisks: []\n").toString());
        assertThat(r.code()).isEqualTo(ExitCode.DESCRIPTOR_INVALID.code());
        assertThat(r.out()).contains("is not valid JSON at line 1, column");
        assertNoStackTrace(r);
    }

    @Test
    void truncatedJsonIsCalledTruncated() throws IOException {
        Run r = rear("validate", file("cut.json", "{\"schema\": \"rear.descriptor/v1\", \"disks\": [ {\"kernelName\": \"sda\"").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("truncated");
        assertNoStackTrace(r);
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Run r = rear("validate", file("empty.json", "").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("is empty");
    }

    @Test
    void unknownSchemaVersionIsNamed() throws IOException {
        Run r = rear("validate", file("v9.json", "{\"schema\": \"rear.descriptor/v9\"}").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("\"rear.descriptor/v9\"").contains("reads rear.descriptor/v1");
    }

    @Test
    void jsonThatIsNoObjectIsNoDescriptor() throws IOException {
        Run r = rear("validate", file("array.json", "[1, 2, 3]").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("not a rear descriptor").contains("array");
    }

    @Test
    void duplicateKeysAreRefused() throws IOException {
        Run r = rear("validate", file("dup.json", "{\"schema\": \"rear.descriptor/v1\", \"schema\": \"rear.descriptor/v1\"}").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("Duplicate field 'schema'");
    }

    @Test
    void fiftyMegabyteFileIsRefusedWithoutReadingIt() throws IOException {
        Path big = tmp.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024);
        }
        Run r = rear("validate", big.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("52,428,800 bytes").contains("more than");
        assertNoStackTrace(r);
    }

    @Test
    void wrongTypeNamesTheJsonPath() throws IOException {
        String doc = """
                {"schema": "rear.descriptor/v1", "capturedAt": "2026-11-26T12:00:00Z",
                 "host": {"hostname": "h", "arch": "x86_64", "firmware": "bios",
                          "kernel": {"release": "6.1.0-28-amd64", "cmdline": ""}},
                 "disks": [{"kernelName": "sda", "path": "/dev/sda", "sizeBytes": "500G",
                            "logicalSectorSize": 512, "physicalSectorSize": 512,
                            "partitionTable": {"type": "none"}}]}
                """;
        Run r = rear("validate", file("wrongtype.json", doc).toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("$.disks[0].sizeBytes");
        assertNoStackTrace(r);
    }

    @Test
    void jsonOutputIsOneDocumentWithEveryFile() throws IOException {
        Path bad = file("bad.json", "{");
        Run r = rear("validate", "--json", bad.toString(), tmp.resolve("missing.json").toString());
        assertThat(r.code()).isEqualTo(7);
        JsonNode doc = DescriptorJson.mapper().readTree(r.out());
        assertThat(doc.get("files")).hasSize(2);
        assertThat(doc.get("files").get(0).get("valid").asBoolean()).isFalse();
        assertThat(doc.get("files").get(0).get("error").asText()).contains("truncated");
        assertThat(doc.get("files").get(1).get("error").asText()).contains("does not exist");
        assertThat(doc.get("invalid").asInt()).isEqualTo(1);
        assertThat(doc.get("unreadable").asInt()).isEqualTo(1);
        assertThat(doc.get("exitCode").asInt()).isEqualTo(7);
    }

    @Test
    void diffOfAnUnreadableDescriptorIsInvalidNotACrash() throws IOException {
        Path bad = file("bad.json", "not json");
        Run r = rear("diff", bad.toString(), bad.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).startsWith("rear: ").contains("is not valid JSON");
        assertNoStackTrace(r);
    }

    @Test
    void debugFlagShowsTheStackTrace() throws IOException {
        Path bad = file("bad.json", "not json");
        Run r = rear("-d", "diff", bad.toString(), bad.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("DescriptorInvalidException").contains("\tat ");
    }

    // ------------------------------------------------------------------ on the shipped samples

    private static final Path SAMPLES = Path.of("..", "descriptors", "samples");

    @Test
    void everyShippedSampleValidates() throws IOException {
        String[] files;
        try (var s = Files.list(SAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().map(Path::toString).toArray(String[]::new);
        }
        String[] args = new String[files.length + 1];
        args[0] = "validate";
        System.arraycopy(files, 0, args, 1, files.length);
        Run r = rear(args);
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("rear validate: " + files.length + " valid, 0 invalid");
    }

    @Test
    void brokenSampleExitsInvalidAndNamesPathAndRule() {
        Run r = rear("validate", SAMPLES.resolve("invalid/partition-overlap.json").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("$.disks[0].partitionTable.partitions[2]: partition /dev/nvme0n1p3", "[partition-overlap]");
        assertNoStackTrace(r);
    }

    @Test
    void diffOfASampleWithItselfIsEmpty() {
        String f = SAMPLES.resolve("bios-gpt-raid1-lvm.json").toString();
        Run r = rear("diff", f, f);
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("no differences\n");
    }

    @Test
    void diffShowsAResizedPartitionAndANewFilesystemInTextAndJson() throws IOException {
        Path old = SAMPLES.resolve("uefi-gpt-ext4-nvme.json");
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) DescriptorJson.mapper().readTree(old.toFile());
        var swapPart = (com.fasterxml.jackson.databind.node.ObjectNode) tree.at("/disks/0/partitionTable/partitions/2");
        long size = swapPart.get("sizeSectors").asLong();
        swapPart.put("sizeSectors", size / 2);
        Path changed = tmp.resolve("changed.json");
        Files.write(changed, DescriptorJson.prettyBytes(tree));

        Run text = rear("diff", old.toString(), changed.toString());
        assertThat(text.code()).isEqualTo(ExitCode.DIFFERENCES.code());
        assertThat(text.out()).contains("~ partition part:nvme0n1p3", "sizeSectors: " + size + " → " + size / 2, "1 changed, 0 added, 0 removed");

        Run json = rear("diff", "--json", old.toString(), changed.toString());
        assertThat(json.code()).isEqualTo(1);
        JsonNode doc = DescriptorJson.mapper().readTree(json.out());
        assertThat(doc.at("/summary/changed").asInt()).isEqualTo(1);
        assertThat(doc.at("/changes/0/newId").asText()).isEqualTo("part:nvme0n1p3");
        assertThat(doc.at("/changes/0/fields/0/old").asLong()).isEqualTo(size);
        assertThat(doc.at("/changes/0/fields/0/new").asLong()).isEqualTo(size / 2);
    }

    @Test
    void diffWarnsAboutABrokenButReadableDescriptorAndStillCompares() {
        String good = SAMPLES.resolve("uefi-gpt-ext4-nvme.json").toString();
        String broken = SAMPLES.resolve("invalid/partition-overlap.json").toString();
        Run r = rear("diff", good, broken);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("warning:", "breaks 1 rule(s)", "rear validate");
        assertThat(r.out()).contains("part:nvme0n1p3");
    }

    // ------------------------------------------------------------------ configuration and dump

    @Test
    void dumpShowsTheConfigurationWithSecretsMaskedAndWhereEachValueCameFrom() throws IOException {
        Path conf = Files.createDirectories(tmp.resolve("etc-rear"));
        Files.writeString(conf.resolve("local.conf"), "# test\nBACKUP=NETFS\nBACKUP_URL=cifs://backup:s3cret@nas/rear\n"
                + "SSH_ROOT_PASSWORD='hunter2'\nEXCLUDE_VG=( scratch )\n");
        Run r = rear("-c", conf.toString(), "dump");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("BACKUP=NETFS", "OUTPUT=ISO", "OS=GNU/Linux", "KERNEL=",
                "BACKUP_URL=\"cifs://backup:***@nas/rear\"  # " + conf.resolve("local.conf") + ":3",
                "SSH_ROOT_PASSWORD=\"***\"", "EXCLUDE_VG=( \"scratch\" )");
        assertThat(r.all()).doesNotContain("s3cret").doesNotContain("hunter2");

        Run json = rear("-c", conf.toString(), "dump", "--json");
        assertThat(json.code()).isZero();
        JsonNode doc = DescriptorJson.mapper().readTree(json.out());
        assertThat(doc.at("/methods/BACKUP_URL").asText()).isEqualTo("cifs://backup:***@nas/rear");
        assertThat(json.all()).doesNotContain("s3cret").doesNotContain("hunter2");
    }

    @Test
    void aConfigurationLineRearDoesNotAcceptNamesFileAndLine() throws IOException {
        Path conf = Files.createDirectories(tmp.resolve("etc-rear-bad"));
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=nfs://server/export\nISO_PREFIX=\"rear-$(hostname -s)\"\n");
        Run r = rear("-c", conf.toString(), "dump");
        assertThat(r.code()).isEqualTo(ExitCode.CONFIG_INVALID.code());
        assertThat(r.err()).contains(conf.resolve("local.conf") + ":3").contains("$(");
        assertNoStackTrace(r);
    }
}
