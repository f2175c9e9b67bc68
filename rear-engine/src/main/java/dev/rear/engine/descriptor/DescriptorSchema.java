package dev.rear.engine.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Placeholder until the schema lands (same commit series). */
public final class DescriptorSchema {
    private DescriptorSchema() {}

    public static List<Violation> validate(JsonNode tree) {
        return List.of();
    }
}
