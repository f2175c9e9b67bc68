package dev.rear.api.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where {@link BackupProvider#storeRescueImage} stored the rescue image. The engine journals it as
 * the facts of its step and shows it in the report.
 *
 * <p><b>Experimental</b> (since 1.1).
 *
 * @param stored   where each file went, for people: e.g. {@code "TSM server TSMSRV1 (tsm:1500):
 *                 /opt/tivoli/tsm/rear/rear-host.iso (dsmc incremental)"}; never empty
 * @param removed  local files removed after the product was seen to hold them (ReaR's
 *                 {@code TSM_RM_ISOFILE}); empty when none
 * @param warnings what went not quite right (return codes 4 or 8); never errors — those throw
 * @param facts    provider-specific facts worth journaling ({@code "dsmcExitCode" → "0"}); never secrets
 * @since 1.1
 */
public record RescueImageResult(List<String> stored, List<Path> removed, List<Diagnostic> warnings, Map<String, String> facts) {

    public RescueImageResult {
        stored = List.copyOf(stored);
        if (stored.isEmpty()) {
            throw new IllegalArgumentException("a stored rescue image is stored somewhere: name where");
        }
        removed = List.copyOf(removed);
        warnings = List.copyOf(warnings);
        if (warnings.stream().anyMatch(Diagnostic::isError)) {
            throw new IllegalArgumentException("a failed store has no result: throw ProviderException instead");
        }
        facts = Map.copyOf(facts);
    }
}
