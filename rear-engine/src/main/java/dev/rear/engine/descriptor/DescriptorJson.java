package dev.rear.engine.descriptor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rear.api.descriptor.SystemDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link SystemDescriptor}.
 *
 * <p>Reading is strict: unknown fields, duplicate keys, trailing content, numbers where text is
 * expected (and the reverse), fractions where an integer is expected, {@code null} (an absent value
 * is left out), instants other than ISO-8601 strings, and any schema other than
 * {@value SystemDescriptor#SCHEMA} are refused, each with the JSON path of the offending value.
 *
 * <p>Writing has one <em>canonical</em> form: keys sorted by their UTF-16 code units at every level,
 * absent optional values omitted, integers in plain decimal, no insignificant whitespace, UTF-8.
 * Its SHA-256 is the descriptor's identity ({@link #sha256}). The file form ({@link #prettyBytes})
 * is the same document indented, so that files under version control diff line by line.
 */
public final class DescriptorJson {

    /** The largest descriptor accepted. Real ones are tens of kilobytes; this is a guard, not a budget. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = newMapper();

    private DescriptorJson() {}

    private static ObjectMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("strict-scalars")
                        .addDeserializer(Instant.class, new StrictInstantDeserializer())
                        .setDeserializerModifier(new BeanDeserializerModifier() {
                            @Override
                            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                    BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
                                return new UntrimmedEnumDeserializer(deserializer);
                            }
                        }))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // Only record components are fields: helpers such as RaidMember.isSpare() are not.
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(MAX_BYTES)
                .maxNestingDepth(64)
                .maxStringLength(1024 * 1024)
                .maxNumberLength(40)
                .build());
        // No text-to-number, number-to-text, number-to-boolean or empty-string-to-null coercions:
        // a descriptor says what it means or it is refused.
        for (LogicalType t : LogicalType.values()) {
            mapper.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        for (LogicalType t : List.of(LogicalType.Textual, LogicalType.Enum, LogicalType.DateTime)) {
            // "" is no enum value: TryConvert would read it as null, that is, as absent.
            mapper.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert)
                    .setCoercion(CoercionInputShape.EmptyString, t == LogicalType.Enum ? CoercionAction.Fail : CoercionAction.TryConvert);
        }
        for (LogicalType t : List.of(LogicalType.Integer)) {
            mapper.coercionConfigFor(t).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        return mapper;
    }

    /** The mapper descriptors are read and written with (strict, as described above). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses bytes into a JSON tree.
     *
     * @param source names the input in messages ({@code /var/lib/rear/layout/descriptor.json})
     * @throws DescriptorInvalidException when the bytes are too many or not one JSON document
     */
    public static JsonNode parseTree(byte[] bytes, String source) {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(source, bytes.length);
        }
        if (bytes.length == 0) {
            throw new DescriptorInvalidException(source + " is empty: a descriptor is a JSON document");
        }
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw new DescriptorInvalidException(source + " holds no JSON document");
            }
            return tree;
        } catch (StreamConstraintsException e) {
            throw new DescriptorInvalidException(source + " is not a usable descriptor: " + e.getOriginalMessage());
        } catch (JsonEOFException e) {
            throw new DescriptorInvalidException(source + " ends in the middle of the JSON document (at line "
                    + e.getLocation().getLineNr() + "): the file is truncated");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input")) {
                throw new DescriptorInvalidException(source + " ends in the middle of the JSON document (at line "
                        + (loc == null ? "?" : loc.getLineNr()) + "): the file is truncated");
            }
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new DescriptorInvalidException(source + " is not valid JSON" + where + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DescriptorInvalidException tooLarge(String source, long size) {
        return new DescriptorInvalidException(String.format(
                "%s is %,d bytes, more than the %,d bytes a descriptor may have; is it the right file?",
                source, size, MAX_BYTES));
    }

    /**
     * Checks the {@code schema} field of a parsed document.
     *
     * @throws DescriptorInvalidException when the document is no object, has no {@code schema}, or
     *                                    names a version this rear does not read
     */
    public static void checkSchemaVersion(JsonNode tree, String source) {
        if (!tree.isObject()) {
            throw new DescriptorInvalidException(source + " is not a rear descriptor: the document is a JSON "
                    + tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + ", not an object");
        }
        JsonNode schema = tree.get("schema");
        if (schema == null) {
            throw new DescriptorInvalidException(source + " is not a rear descriptor: it has no \"schema\" field",
                    List.of(new Violation("$.schema", "schema-version", "is missing")));
        }
        if (!schema.isTextual() || !schema.asText().equals(SystemDescriptor.SCHEMA)) {
            String found = schema.isTextual() ? "\"" + schema.asText() + "\"" : schema.toString();
            throw new DescriptorInvalidException(source + " has schema " + found + ", which this rear cannot read; it reads "
                    + SystemDescriptor.SCHEMA,
                    List.of(new Violation("$.schema", "schema-version", "is " + found + ", expected \"" + SystemDescriptor.SCHEMA + "\"")));
        }
    }

    /**
     * Binds a parsed document to the records.
     *
     * @throws DescriptorInvalidException naming the JSON path of the first value that does not fit
     */
    public static SystemDescriptor bind(JsonNode tree, String source) {
        String nullAt = firstNull(tree, "$");
        if (nullAt != null) {
            Violation v = new Violation(nullAt, "wrong-type", "is null; a value that is not there is left out, not written as null");
            throw new DescriptorInvalidException(source + ": " + v.path() + " " + v.message(), List.of(v));
        }
        try {
            return MAPPER.treeToValue(tree, SystemDescriptor.class);
        } catch (JsonMappingException e) {
            Violation v = violationOf(e);
            throw new DescriptorInvalidException(source + ": " + v.path() + " " + v.message(), List.of(v));
        } catch (JsonProcessingException e) {
            throw new DescriptorInvalidException(source + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    /** Reads a descriptor from bytes: parse, schema version, bind. No rules are checked here. */
    public static SystemDescriptor read(byte[] bytes, String source) {
        JsonNode tree = parseTree(bytes, source);
        checkSchemaVersion(tree, source);
        return bind(tree, source);
    }

    /** Reads a descriptor from a string; see {@link #read(byte[], String)}. */
    public static SystemDescriptor read(String json, String source) {
        return read(json.getBytes(StandardCharsets.UTF_8), source);
    }

    /** The descriptor as a JSON tree with keys in canonical order. */
    public static JsonNode toTree(SystemDescriptor descriptor) {
        return canonicalize(MAPPER.valueToTree(descriptor));
    }

    /** The canonical JSON bytes (see the class comment). */
    public static byte[] canonicalBytes(SystemDescriptor descriptor) {
        return canonicalBytes(MAPPER.valueToTree(descriptor));
    }

    /** The canonical form of any JSON tree: sorted keys, nulls dropped, compact. */
    public static byte[] canonicalBytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(canonicalize(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** The file form: the canonical document, indented by two spaces, with a final newline. */
    public static byte[] prettyBytes(SystemDescriptor descriptor) {
        return prettyBytes(toTree(descriptor));
    }

    /** Any tree in the file form (keys as they are, two-space indent, final newline). */
    public static byte[] prettyBytes(JsonNode tree) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            String text = MAPPER.writer(printer).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValueAsString(tree);
            return (text + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** The SHA-256 of the canonical bytes, as 64 lower-case hex digits: the descriptor's identity. */
    public static String sha256(SystemDescriptor descriptor) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBytes(descriptor)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static JsonNode canonicalize(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.forEachEntry((key, value) -> {
                if (!value.isNull()) {
                    sorted.put(key, canonicalize(value));
                }
            });
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(canonicalize(child)));
            return out;
        }
        if (node.isBigInteger() || node.isInt() || node.isLong() || node.isShort()) {
            return JsonNodeFactory.instance.numberNode(node.bigIntegerValue());
        }
        return node;
    }

    /** The path of the first {@code null} in the tree, depth first, or {@code null} when there is none. */
    private static @Nullable String firstNull(JsonNode node, String path) {
        if (node.isNull()) {
            return path;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String found = firstNull(e.getValue(), path + "." + e.getKey());
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = firstNull(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * Instants as ISO-8601 strings only, in the form the JSON Schema gives {@code capturedAt}: date,
     * {@code T}, time with seconds and at most nine fraction digits, {@code Z} or an offset; upper
     * case. (jackson-datatype-jsr310 also takes epoch seconds, as numbers or strings of digits, and
     * lower case, whatever the coercion settings.)
     */
    private static final class StrictInstantDeserializer extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;
        private static final Pattern FORM = Pattern.compile(
                "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$");

        StrictInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            if (FORM.matcher(text).matches()) {
                try {
                    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
                } catch (DateTimeException e) {
                    // refused below
                }
            }
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
        }
    }

    /**
     * Enum values exactly as written: Jackson's enum deserializer trims white space and control
     * characters ({@code "gpt\n"} reads as {@code gpt}); here such text is refused like any other
     * unknown value.
     */
    private static final class UntrimmedEnumDeserializer extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        UntrimmedEnumDeserializer(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new UntrimmedEnumDeserializer(newDelegatee);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                String text = p.getText();
                if (text.trim().length() != text.length()) {
                    return ctxt.handleWeirdStringValue(handledType(), text, "not one of the values");
                }
            }
            return super.deserialize(p, ctxt);
        }
    }

    /** The JSON path Jackson was at, as {@code $.a.b[2].c}. */
    static String jsonPath(List<JsonMappingException.Reference> refs) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                path.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static Violation violationOf(JsonMappingException e) {
        String path = jsonPath(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            return new Violation(path, "unknown-field", "is not a field of this object (known: "
                    + String.join(", ", u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()) + ")");
        }
        if (e instanceof InvalidTypeIdException t) {
            return new Violation(path, "unknown-kind", "has unknown kind \"" + t.getTypeId() + "\"");
        }
        if (e instanceof InvalidFormatException f) {
            return new Violation(path, "wrong-type", "has value " + describe(f.getValue()) + ", which is not a valid "
                    + simpleType(f.getTargetType()));
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause();
            String why = cause != null && cause.getMessage() != null ? cause.getMessage() : firstLine(v.getOriginalMessage());
            if (cause instanceof NullPointerException && cause.getMessage() != null) {
                return new Violation(path + "." + cause.getMessage(), "required", "is missing");
            }
            return new Violation(path, "invalid-value", why);
        }
        if (e instanceof MismatchedInputException m) {
            String msg = firstLine(m.getOriginalMessage());
            if (msg.startsWith("Missing required creator property")) {
                // Jackson's path ends at the object; the missing property is named in the message.
                java.util.regex.Matcher missing = java.util.regex.Pattern.compile("property '([^']+)'").matcher(msg);
                boolean named = missing.find() && !path.endsWith("." + missing.group(1));
                return new Violation(named ? path + "." + missing.group(1) : path, "required", "is missing");
            }
            if (msg.startsWith("Cannot map `null`") || msg.contains("Null value for creator property")) {
                return new Violation(path, "required", "is missing or null");
            }
            return new Violation(path, "wrong-type", "does not fit: expected " + simpleType(m.getTargetType()));
        }
        return new Violation(path, "invalid-value", firstLine(e.getOriginalMessage()));
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean (true or false)";
        }
        if (type == String.class) {
            return "string";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                try {
                    var f = type.getField(((Enum<?>) c).name());
                    var p = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                    names.add(p != null ? p.value() : ((Enum<?>) c).name());
                } catch (NoSuchFieldException ex) {
                    names.add(((Enum<?>) c).name());
                }
            }
            return "value (one of " + String.join(", ", names) + ")";
        }
        if (type == java.time.Instant.class) {
            return "ISO-8601 instant (2026-11-26T12:00:00Z)";
        }
        if (List.class.isAssignableFrom(type)) {
            return "array";
        }
        return "object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

}
