package dev.rear.engine.recover;

import dev.rear.api.spi.Diagnostic;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The journal facts a backup and a restore step both record of what the provider did. */
final class OutcomeFacts {
    private OutcomeFacts() {}

    /**
     * Puts {@code files}, {@code bytes}, {@code contentSha256} (each when known), {@code warnings} (their
     * count) with {@code warning.N} for each, and the provider's own facts as {@code provider.KEY}.
     */
    static void put(Map<String, String> facts, @Nullable Long files, @Nullable Long bytes, @Nullable String contentSha256,
                    List<Diagnostic> warnings, Map<String, String> providerFacts) {
        if (files != null) {
            facts.put("files", Long.toString(files));
        }
        if (bytes != null) {
            facts.put("bytes", Long.toString(bytes));
        }
        if (contentSha256 != null) {
            facts.put("contentSha256", contentSha256);
        }
        facts.put("warnings", Integer.toString(warnings.size()));
        int i = 1;
        for (Diagnostic w : warnings) {
            facts.put("warning." + i++, w.message());
        }
        new TreeMap<>(providerFacts).forEach((k, v) -> facts.put("provider." + k, v));
    }
}
