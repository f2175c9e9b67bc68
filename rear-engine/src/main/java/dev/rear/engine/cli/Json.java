package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rear.engine.descriptor.DescriptorJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code --json} output: one indented JSON document per command, on standard output. */
final class Json {
    private Json() {}

    static void print(PrintWriter out, JsonNode doc) {
        out.print(new String(DescriptorJson.prettyBytes(doc), StandardCharsets.UTF_8));
        out.flush();
    }
}
