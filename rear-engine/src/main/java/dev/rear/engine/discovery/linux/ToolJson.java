package dev.rear.engine.discovery.linux;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reading the JSON a tool printed ({@code lsblk -J}, {@code sfdisk -J}, {@code findmnt -J},
 * {@code ip -j}), with every problem reported as a {@link ToolOutputException} that names the
 * command and the place in the document ({@code blockdevices[0].children[2]}).
 *
 * <p>Forward compatible: keys a newer tool version adds are ignored. Required keys that are
 * missing, {@code null} where a value is required, and values of the wrong kind are errors.
 * Scalars are read as older util-linux versions wrote them too: before 2.33 or so, {@code lsblk}
 * and {@code findmnt} printed every value as a JSON string ({@code "size": "1024"},
 * {@code "rm": "0"}); numbers written as decimal strings and booleans written as {@code "0"} or
 * {@code "1"} are accepted.
 */
final class ToolJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

    private final String command;

    ToolJson(String command) {
        this.command = command;
    }

    String command() {
        return command;
    }

    ToolOutputException fail(String problem) {
        return new ToolOutputException(command, problem);
    }

    /** The whole output as one JSON document; empty output, truncated or broken JSON are errors. */
    JsonNode read(String output) {
        if (output.isBlank()) {
            throw fail("it printed nothing");
        }
        try {
            return MAPPER.readTree(output);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
                throw new ToolOutputException(command, "the JSON ends early" + at(e.getLocation())
                        + ": the output is truncated", e);
            }
            if (message.startsWith("Trailing token")) {
                throw new ToolOutputException(command, "more follows the JSON document" + at(e.getLocation()), e);
            }
            throw new ToolOutputException(command, "it is not valid JSON" + at(e.getLocation()) + ": "
                    + message.lines().findFirst().orElse(""), e);
        }
    }

    private static String at(@Nullable JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The top-level object of {@code output}, which must hold {@code key}. */
    JsonNode rootObject(String output, String key) {
        JsonNode root = read(output);
        if (!root.isObject()) {
            throw fail("expected a JSON object with \"" + key + "\" at the top, found " + kind(root));
        }
        if (!root.has(key)) {
            throw fail("the top-level object has no \"" + key + "\"");
        }
        return root;
    }

    /** The top-level array of {@code output}. */
    JsonNode rootArray(String output) {
        JsonNode root = read(output);
        if (!root.isArray()) {
            throw fail("expected a JSON array at the top, found " + kind(root));
        }
        return root;
    }

    JsonNode object(JsonNode node, String where) {
        if (!node.isObject()) {
            throw fail(where + " is " + kind(node) + ", not an object");
        }
        return node;
    }

    /** A required array; every element's place is {@code where[i]}. */
    List<JsonNode> array(JsonNode obj, String key, String where) {
        JsonNode value = required(obj, key, where);
        return elements(value, key, where);
    }

    /** An array that may be absent (or {@code null}): then empty. */
    List<JsonNode> optArray(JsonNode obj, String key, String where) {
        JsonNode value = obj.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        return elements(value, key, where);
    }

    private List<JsonNode> elements(JsonNode value, String key, String where) {
        if (!value.isArray()) {
            throw fail(where + ": \"" + key + "\" is " + kind(value) + ", not an array");
        }
        List<JsonNode> out = new ArrayList<>(value.size());
        value.forEach(out::add);
        return out;
    }

    String text(JsonNode obj, String key, String where) {
        JsonNode value = required(obj, key, where);
        if (!value.isTextual()) {
            throw fail(where + ": \"" + key + "\" is " + kind(value) + ", not text");
        }
        return value.asText();
    }

    @Nullable String optText(JsonNode obj, String key, String where) {
        JsonNode value = obj.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw fail(where + ": \"" + key + "\" is " + kind(value) + ", not text");
        }
        return value.asText();
    }

    long number(JsonNode obj, String key, String where) {
        return toLong(required(obj, key, where), key, where);
    }

    @Nullable Long optNumber(JsonNode obj, String key, String where) {
        JsonNode value = obj.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        return toLong(value, key, where);
    }

    private long toLong(JsonNode value, String key, String where) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual() && DECIMAL.matcher(value.asText()).matches()) {
            try {
                return Long.parseLong(value.asText());
            } catch (NumberFormatException e) {
                // too large; reported below
            }
        }
        throw fail(where + ": \"" + key + "\" is " + show(value) + ", not a whole number");
    }

    boolean bool(JsonNode obj, String key, String where) {
        JsonNode value = required(obj, key, where);
        Boolean b = toBool(value);
        if (b == null) {
            throw fail(where + ": \"" + key + "\" is " + show(value) + ", not true or false");
        }
        return b;
    }

    boolean optBool(JsonNode obj, String key, String where, boolean absent) {
        JsonNode value = obj.get(key);
        if (value == null || value.isNull()) {
            return absent;
        }
        Boolean b = toBool(value);
        if (b == null) {
            throw fail(where + ": \"" + key + "\" is " + show(value) + ", not true or false");
        }
        return b;
    }

    private static @Nullable Boolean toBool(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual()) {
            return switch (value.asText()) {
                case "1" -> Boolean.TRUE;
                case "0" -> Boolean.FALSE;
                default -> null;
            };
        }
        return null;
    }

    /** A required array of strings; {@code null} elements are left out. */
    List<String> textList(JsonNode obj, String key, String where) {
        required(obj, key, where);
        return optTextList(obj, key, where);
    }

    /** An array of strings, empty when absent; {@code null} elements (lsblk's "not mounted") are left out. */
    List<String> optTextList(JsonNode obj, String key, String where) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : optArray(obj, key, where)) {
            if (e.isNull()) {
                continue;
            }
            if (!e.isTextual()) {
                throw fail(where + ": \"" + key + "\" holds " + kind(e) + ", not text");
            }
            out.add(e.asText());
        }
        return out;
    }

    private JsonNode required(JsonNode obj, String key, String where) {
        JsonNode value = obj.get(key);
        if (value == null) {
            throw fail(where + ": \"" + key + "\" is missing");
        }
        if (value.isNull()) {
            throw fail(where + ": \"" + key + "\" is null");
        }
        return value;
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "something else";
        };
    }

    private static String show(JsonNode value) {
        String s = value.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
