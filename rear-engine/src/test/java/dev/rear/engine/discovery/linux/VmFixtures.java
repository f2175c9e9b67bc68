package dev.rear.engine.discovery.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a fixture captured by {@code descriptors/tools/capture-vm-fixtures.sh} from
 * {@code src/test/resources/fixtures/}: the bytes the tool printed, decoded as UTF-8, which is the
 * String the parsers receive from the command runner. Nothing is trimmed or normalised.
 */
final class VmFixtures {

    private VmFixtures() {}

    /** {@code read("mdadm/vm-raid1-bitmap-detail-export.txt")}. */
    static String read(String relative) {
        String resource = "/fixtures/" + relative;
        try (InputStream in = VmFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + resource + " on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture without the lines that start with {@code prefix} (after leading blanks). */
    static String withoutLine(String relative, String prefix) {
        String text = read(relative);
        StringBuilder out = new StringBuilder();
        boolean removed = false;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith(prefix)) {
                removed = true;
                continue;
            }
            out.append(line).append('\n');
        }
        if (!removed) {
            throw new IllegalStateException("fixture " + relative + " has no line starting with " + prefix);
        }
        return out.substring(0, out.length() - 1);
    }

    /** The fixture with one literal replaced (which must be there). */
    static String replacing(String relative, String literal, String replacement) {
        String text = read(relative);
        if (!text.contains(literal)) {
            throw new IllegalStateException("fixture " + relative + " does not contain " + literal);
        }
        return text.replace(literal, replacement);
    }
}
