package dev.rear.engine.discovery.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Captured tool output under {@code src/test/resources/fixtures}, read as the production code
 * receives it: the whole standard output as one UTF-8 string, byte for byte. Most were captured by
 * {@code descriptors/tools/capture-host-fixtures.sh}; see the README there.
 */
final class Fixtures {

    static final Path ROOT = Path.of("src", "test", "resources", "fixtures");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {}

    /** The fixture {@code tool/scenario.ext}, e.g. {@code lsblk/host-loops.json}. */
    static String read(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text with {@code edit} applied to every object in it, at any depth. */
    static String editEveryObject(String json, Consumer<ObjectNode> edit) {
        try {
            JsonNode root = MAPPER.readTree(json);
            visit(root, edit);
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text with {@code edit} applied to the node at {@code pointer} ({@code /blockdevices/0}). */
    static String editAt(String json, String pointer, Consumer<ObjectNode> edit) {
        try {
            JsonNode root = MAPPER.readTree(json);
            edit.accept((ObjectNode) root.at(pointer));
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds keys a newer tool version might print, to every object. */
    static String withUnknownKeys(String json) {
        return editEveryObject(json, o -> {
            o.put("x-future-column", "something new");
            o.putArray("x-future-list").add(1).add("two");
            o.putObject("x-future-object").put("nested", true);
        });
    }

    /** The first {@code fraction} of the text: what a killed or interrupted tool leaves behind. */
    static String truncated(String text, double fraction) {
        return text.substring(0, (int) (text.length() * fraction));
    }

    private static void visit(JsonNode node, Consumer<ObjectNode> edit) {
        if (node instanceof ObjectNode o) {
            node.forEach(child -> visit(child, edit));
            edit.accept(o);
        } else if (node.isArray()) {
            node.forEach(child -> visit(child, edit));
        }
    }
}
