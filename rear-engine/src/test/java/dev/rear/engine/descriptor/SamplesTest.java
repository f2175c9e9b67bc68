package dev.rear.engine.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rear.api.descriptor.SystemDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample descriptors in {@code descriptors/samples}, through the same check {@code rear validate}
 * runs ({@link DescriptorFiles#check}): every valid sample passes and is stored in the canonical
 * file form; every file in {@code invalid/} is listed in {@code expected.json} (and the reverse)
 * and is refused at the layer, JSON path and rule it names — and, for the semantic rules, by no
 * other rule than it names.
 */
class SamplesTest {

    /** Surefire runs in the module directory. */
    static final Path SAMPLES = Path.of("..", "descriptors", "samples");
    static final Path INVALID = SAMPLES.resolve("invalid");

    record Expected(String path, String rule, String layer, List<String> also) {}

    static List<Path> samples() {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Expected> expected() {
        try {
            JsonNode tree = DescriptorJson.mapper().readTree(INVALID.resolve("expected.json").toFile());
            Map<String, Expected> out = new TreeMap<>();
            tree.properties().forEach(e -> {
                List<String> also = new ArrayList<>();
                e.getValue().path("also").forEach(a -> also.add(a.asText()));
                out.put(e.getKey(), new Expected(e.getValue().get("path").asText(), e.getValue().get("rule").asText(),
                        e.getValue().get("layer").asText(), also));
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> invalid() {
        return expected().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @Test
    void thereAreAtLeastEightRealisticSamples() {
        assertThat(samples()).hasSizeGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleIsValidAndCanonical(Path file) throws IOException {
        DescriptorFiles.Checked c = DescriptorFiles.check(file);
        assertThat(c.violations()).as("%s", file).isEmpty();
        assertThat(c.valid()).isTrue();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(new String(DescriptorJson.prettyBytes(c.descriptor()), StandardCharsets.UTF_8))
                .as("%s must be stored in the canonical file form", file).isEqualTo(text);
    }

    @Test
    void expectedJsonListsEveryInvalidFileAndNoOther() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(INVALID)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("expected.json")).forEach(files::add);
        }
        assertThat(expected().keySet()).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void everySemanticRuleHasItsBrokenSample() {
        Set<String> rules = new TreeSet<>();
        expected().values().stream().filter(e -> e.layer().equals("semantic")).forEach(e -> rules.add(e.rule()));
        assertThat(rules).containsAll(SemanticRulesNames.ALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidSampleIsRefusedWhereItSays(String name, Expected expected) {
        DescriptorFiles.Checked c = DescriptorFiles.check(INVALID.resolve(name));
        assertThat(c.valid()).as(name).isFalse();
        switch (expected.layer()) {
            case "read" -> {
                assertThat(c.error()).as("%s is no descriptor at all", name).isNotNull();
                if (expected.rule().equals("schema-version")) {
                    assertThat(c.violations()).extracting(Violation::path, Violation::rule)
                            .containsExactly(tuple(expected.path(), expected.rule()));
                }
            }
            case "structure" -> {
                assertThat(c.descriptor()).as("%s must not get past the structural checks", name).isNull();
                assertThat(c.violations()).extracting(Violation::path).as(name).contains(expected.path());
            }
            case "semantic" -> {
                SystemDescriptor d = c.descriptor();
                assertThat(d).as("%s is structurally sound", name).isNotNull();
                assertThat(c.violations()).extracting(Violation::path, Violation::rule)
                        .as(name).contains(tuple(expected.path(), expected.rule()));
                Set<String> allowed = new TreeSet<>(expected.also());
                allowed.add(expected.rule());
                assertThat(c.violations()).extracting(Violation::rule).as("%s breaks no other rule", name)
                        .allMatch(allowed::contains);
            }
            default -> throw new AssertionError("unknown layer " + expected.layer() + " for " + name);
        }
    }

    @Test
    void allViolationsAreReportedNotJustTheFirst() throws IOException {
        // Three defects at once: an overlap, a dangling swap device and an EFI bootloader without ESP.
        String text = Files.readString(SAMPLES.resolve("uefi-gpt-ext4-nvme.json"));
        JsonNode tree = DescriptorJson.mapper().readTree(text);
        var parts = (com.fasterxml.jackson.databind.node.ArrayNode) tree.at("/disks/0/partitionTable/partitions");
        long rootStart = parts.get(1).get("startSector").asLong();
        ((com.fasterxml.jackson.databind.node.ObjectNode) parts.get(2)).put("startSector", rootStart + 2048);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.at("/swap/0")).put("device", "/dev/nvme9n1p9");
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("bootloader")).remove("esp");
        DescriptorFiles.Checked c = DescriptorFiles.check(DescriptorJson.canonicalBytes(tree), "three.json");
        assertThat(c.violations()).extracting(Violation::rule)
                .contains("partition-overlap", "swap-device-missing", "efi-without-esp");
        assertThat(DescriptorFiles.invalid(c).getMessage()).startsWith("three.json is not a valid descriptor: ");
    }
}
