package dev.rear.engine.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rear.api.descriptor.SystemDescriptor;
import java.util.List;

/** Placeholder until the diff lands (same commit series). */
public final class DescriptorDiff {
    private DescriptorDiff() {}

    public static Result compare(SystemDescriptor older, SystemDescriptor newer) {
        return new Result(List.of());
    }

    public record Result(List<Object> changes) {
        public boolean isEmpty() {
            return changes.isEmpty();
        }

        public String toText() {
            return "no differences\n";
        }

        public JsonNode toJson() {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
