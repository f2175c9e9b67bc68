package dev.rear.engine.descriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every rule name {@link SemanticRules} can report, read from its source so a new rule cannot go untested. */
final class SemanticRulesNames {
    private SemanticRulesNames() {}

    static final Set<String> ALL = read();

    private static Set<String> read() {
        try {
            String src = Files.readString(Path.of("src/main/java/dev/rear/engine/descriptor/SemanticRules.java"));
            Set<String> names = new TreeSet<>();
            // add(path, "rule", ...) and use(device, path, "rule", ...)
            Matcher m = Pattern.compile("(?:add\\([^,]+,\\s*|use\\([^,]+,[^,]+,\\s*)\"([a-z][a-z0-9-]+)\"").matcher(src);
            while (m.find()) {
                names.add(m.group(1));
            }
            if (names.size() < 20) {
                throw new IllegalStateException("found only " + names + " in SemanticRules.java; has its shape changed?");
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
