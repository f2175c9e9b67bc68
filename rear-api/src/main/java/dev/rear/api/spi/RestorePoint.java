package dev.rear.api.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One state of the machine's files that a provider can restore: an archive (tar), a backup date
 * (TSM), a backup job (Commvault, Bacula).
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param id          the provider's id for it, usable in {@link RestorePointSelector#byId}; stable
 * @param createdAt   when the backup was taken (finished, where the product says so)
 * @param kind        full, incremental or differential; {@code null} when the product does not say
 * @param basedOn     the id of the restore point it builds on (incrementals), or {@code null}
 * @param paths       what it covers (mount points, filespaces), or empty when the product does not say
 * @param bytes       its size in bytes, or {@code null} when not known
 * @param description one line for people, e.g. {@code "full backup, 3 filespaces"}
 * @since 0.1
 */
public record RestorePoint(String id, Instant createdAt, @Nullable BackupKind kind, @Nullable String basedOn,
                           List<String> paths, @Nullable Long bytes, String description) {

    public RestorePoint {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a restore point id cannot be blank");
        }
        Objects.requireNonNull(createdAt, "createdAt");
        paths = List.copyOf(paths);
        Objects.requireNonNull(description, "description");
        if (bytes != null && bytes < 0) {
            throw new IllegalArgumentException("bytes cannot be negative");
        }
    }
}
