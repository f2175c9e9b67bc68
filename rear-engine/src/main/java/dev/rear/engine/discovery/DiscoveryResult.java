package dev.rear.engine.discovery;

import dev.rear.api.descriptor.SystemDescriptor;
import java.util.List;

/**
 * What discovery found: the descriptor, and what it could not find out.
 *
 * @param descriptor the system descriptor
 * @param findings   warnings and errors, in the order they were met
 */
public record DiscoveryResult(SystemDescriptor descriptor, List<Finding> findings) {
    public DiscoveryResult {
        findings = List.copyOf(findings);
    }

    /** Whether a required fact is missing. */
    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR);
    }
}
