package dev.rear.engine.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.resource.SchemaLoader;
import dev.rear.api.descriptor.SystemDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Schema of {@value SystemDescriptor#SCHEMA} documents
 * ({@code descriptors/schema/descriptor-v1.schema.json}, draft 2020-12), and validation against it.
 *
 * <p>The schema is read once from the classpath. Nothing is ever fetched from the network: the
 * draft 2020-12 meta-schema is the validator's bundled copy, remote fetching is off, and every
 * schema id other than the meta-schemas' and the descriptor schema's own is refused.
 *
 * <p>Each failed assertion becomes a {@link Violation} whose path is a JSON path from the
 * document root ({@code $.disks[0].partitionTable.partitions[1].startSector}), whose rule is
 * {@code schema:<keyword>} ({@code schema:pattern}, {@code schema:required}, …), and whose message
 * is one sentence. A missing property is reported at the property's own path, as is an unknown one,
 * and a property a rule between fields forbids; a value of the wrong form is described by the
 * {@code description} of the schema that holds the pattern ("expected a GUID: …").
 *
 * <p>Patterns run on the validator's default engine, {@code java.util.regex} with {@code $} read as
 * end of input, as in ECMA-262; the schema's patterns are written to mean the same in both (and the
 * same as the records' Bean Validation constraints, which {@code SchemaAgreementTest} checks).
 */
public final class DescriptorSchema {

    /** Where the schema is on the classpath (the {@code descriptors} module puts it there). */
    public static final String RESOURCE = "dev/rear/descriptors/schema/descriptor-v1.schema.json";

    /** The schema's {@code $id}. */
    public static final String ID = "urn:rear:schema:descriptor:v1";

    private static final String META_SCHEMAS = "https://json-schema.org/draft/";

    private static final JsonNode SCHEMA_NODE = load();
    private static final Schema SCHEMA = compile(SCHEMA_NODE);

    private DescriptorSchema() {}

    /** The classpath resource name of the schema. */
    public static String resourceName() {
        return RESOURCE;
    }

    /** A copy of the schema document. */
    public static JsonNode schemaNode() {
        return SCHEMA_NODE.deepCopy();
    }

    /**
     * Validates a parsed document against the schema.
     *
     * @return every violation, in {@link Violation#ORDER}; empty when the document conforms
     */
    public static List<Violation> validate(JsonNode tree) {
        Set<Violation> out = new LinkedHashSet<>();
        for (Error e : SCHEMA.validate(tree)) {
            out.add(violationOf(e));
        }
        List<Violation> sorted = new ArrayList<>(out);
        sorted.sort(Violation.ORDER);
        return sorted;
    }

    private static JsonNode load() {
        try (InputStream in = DescriptorSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: the descriptors module is missing");
            }
            return DescriptorJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static Schema compile(JsonNode node) {
        SchemaLoader offline = SchemaLoader.builder()
                .fetchRemoteResources(false)
                .allow(iri -> iri.toString().startsWith(META_SCHEMAS) || iri.toString().startsWith(ID))
                .build();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(false) // capturedAt's form is a pattern; "format" only documents it
                .locale(Locale.ROOT)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaLoader(offline).schemaRegistryConfig(config));
        Schema schema = registry.getSchema(SchemaLocation.of(ID), node);
        schema.initializeValidators(); // a broken pattern fails here, not on first use
        return schema;
    }

    private static Violation violationOf(Error e) {
        String keyword = e.getKeyword() == null ? "unknown" : e.getKeyword();
        String path = jsonPath(e.getInstanceLocation());
        JsonNode value = e.getInstanceNode();
        JsonNode where = schemaObjectOf(e);
        JsonNode arg = where == null ? null : where.get(keyword);
        String forbidden = forbiddenProperty(keyword, arg);
        if (forbidden != null) {
            return new Violation(path + "." + forbidden, "schema:not", "must be left out" + why(e, arg));
        }
        String message = switch (keyword) {
            case "required" -> "is missing";
            case "additionalProperties" -> "is not a field of this object" + knownFields(where);
            case "type" -> "is " + typeOf(value) + ", expected " + article(arg == null ? "value" : arg.asText());
            case "pattern" -> "is " + shown(value) + ", expected " + formOf(where, arg);
            case "minLength" -> "is " + shown(value) + ", expected " + formOf(where, arg);
            case "const" -> "is " + shown(value) + ", expected " + shown(arg) + why(e, where);
            case "enum" -> "is " + shown(value) + ", expected one of " + listed(arg);
            case "minimum" -> "is " + shown(value) + ", expected at least " + shown(arg);
            case "exclusiveMinimum" -> "is " + shown(value) + ", expected more than " + shown(arg);
            case "maximum" -> "is " + shown(value) + ", expected at most " + shown(arg);
            case "minItems" -> "has " + size(value) + ", expected at least " + shown(arg);
            case "maxItems" -> "has " + size(value) + ", expected at most " + shown(arg) + why(e, where);
            default -> libraryMessage(e);
        };
        if ("required".equals(keyword) || "additionalProperties".equals(keyword)) {
            path = path + "." + e.getProperty();
        }
        return new Violation(path, "schema:" + keyword, message);
    }

    /** {@code /disks/0/path} (as a node path) → {@code $.disks[0].path}. */
    static String jsonPath(@Nullable NodePath location) {
        StringBuilder path = new StringBuilder("$");
        if (location != null) {
            for (int i = 0; i < location.getNameCount(); i++) {
                Object element = location.getElement(i);
                if (element instanceof Integer index) {
                    path.append('[').append(index).append(']');
                } else {
                    path.append('.').append(element);
                }
            }
        }
        return path.toString();
    }

    /** The schema object holding the failed keyword ({@code #/$defs/Guid} for {@code #/$defs/Guid/pattern}). */
    private static @Nullable JsonNode schemaObjectOf(Error e) {
        SchemaLocation location = e.getSchemaLocation();
        if (location == null) {
            return null;
        }
        String text = location.toString();
        int hash = text.indexOf('#');
        String pointer = hash < 0 ? "" : text.substring(hash + 1);
        int slash = pointer.lastIndexOf('/');
        JsonNode node = SCHEMA_NODE.at(slash <= 0 ? "" : pointer.substring(0, slash));
        return node.isMissingNode() ? null : node;
    }

    private static String formOf(@Nullable JsonNode where, @Nullable JsonNode pattern) {
        JsonNode description = where == null ? null : where.get("description");
        if (description != null && description.isTextual()) {
            return description.asText();
        }
        return pattern == null ? "another form" : "text matching " + pattern.asText();
    }

    /** For {@code "not": {"required": ["x"]}}, the property that must be absent: {@code x}. */
    private static @Nullable String forbiddenProperty(String keyword, @Nullable JsonNode not) {
        if (!"not".equals(keyword) || not == null || !not.has("required") || not.get("required").size() != 1) {
            return null;
        }
        return not.get("required").get(0).asText();
    }

    /** For a rule between fields (under {@code allOf}), its description in parentheses. */
    private static String why(Error e, @Nullable JsonNode where) {
        JsonNode description = where == null ? null : where.get("description");
        boolean betweenFields = e.getSchemaLocation() != null && e.getSchemaLocation().toString().contains("/allOf/");
        return betweenFields && description != null ? " (" + description.asText() + ")" : "";
    }

    private static String knownFields(@Nullable JsonNode where) {
        JsonNode properties = where == null ? null : where.get("properties");
        if (properties == null || !properties.isObject()) {
            return "";
        }
        StringJoiner names = new StringJoiner(", ", " (known: ", ")");
        properties.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }

    private static String typeOf(@Nullable JsonNode value) {
        if (value == null) {
            return "absent";
        }
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number with a fraction";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            default -> "a " + value.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "object", "array" -> "an " + type;
            default -> "a " + type;
        };
    }

    private static String shown(@Nullable JsonNode value) {
        if (value == null) {
            return "absent";
        }
        if (value.isContainerNode()) {
            return typeOf(value);
        }
        String text = value.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String listed(@Nullable JsonNode values) {
        if (values == null || !values.isArray()) {
            return "the listed values";
        }
        StringJoiner out = new StringJoiner(", ");
        values.forEach(v -> out.add(v.toString()));
        return out.toString();
    }

    private static String size(@Nullable JsonNode value) {
        int n = value == null ? 0 : value.size();
        return n == 1 ? "1 item" : n + " items";
    }

    private static String libraryMessage(Error e) {
        String message = e.getMessage() == null ? "is invalid" : e.getMessage();
        String prefix = e.getInstanceLocation() == null ? null : e.getInstanceLocation().toString() + ": ";
        return prefix != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
