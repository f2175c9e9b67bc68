package dev.rear.api.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to "can this restore point be restored?", including a bad one.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param restorePointId the restore point checked (resolved from latest / as of)
 * @param depth          how deep the check went: be honest, the recovery's pre-flight shows it
 * @param findings       what was found; an {@link Diagnostic.Severity#ERROR} means it cannot be
 *                       restored as it is (a truncated archive: the first bad entry)
 * @param facts          provider-specific facts worth journaling, never secrets
 * @since 0.1
 */
public record VerifyResult(String restorePointId, Depth depth, List<Diagnostic> findings, Map<String, String> facts) {

    /** How deep a verification looked. */
    public enum Depth {
        /** Every byte was read back and checked against checksums written at backup time (tar and its manifest). */
        CONTENT,
        /** The backup server or catalog confirmed the restore point exists and its media are available; content was not read. */
        CATALOG
    }

    public VerifyResult {
        Objects.requireNonNull(restorePointId, "restorePointId");
        if (restorePointId.isBlank()) {
            throw new IllegalArgumentException("a verify result needs the id of the restore point checked");
        }
        Objects.requireNonNull(depth, "depth");
        findings = List.copyOf(findings);
        facts = Map.copyOf(facts);
    }

    /** A clean result: nothing found. */
    public static VerifyResult clean(String restorePointId, Depth depth) {
        return new VerifyResult(restorePointId, depth, List.of(), Map.of());
    }

    /** Whether the restore point can be restored: no {@link Diagnostic.Severity#ERROR} finding. */
    public boolean ok() {
        return findings.stream().noneMatch(Diagnostic::isError);
    }
}
