package dev.rear.api.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a successful backup wrote. The engine journals it (the backup journal's last event) and
 * shows it; an interrupted or failed backup has no result, so it can never be taken for a good one.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param restorePointId  the id of the restore point this backup created
 * @param kind            what kind of backup it was (a provider may make a full backup when asked
 *                        for an incremental one with nothing to build on, and says so here and in
 *                        a warning)
 * @param basedOn         the restore point it builds on, or {@code null} for a full backup
 * @param createdAt       when it was taken
 * @param written         where it went: archive and manifest files or URLs, vendor volumes or job
 *                        names; empty when the product does not say
 * @param files           files backed up, or {@code null} when not known
 * @param bytes           bytes backed up (before compression), or {@code null} when not known
 * @param contentSha256   SHA-256 (lower-case hex) of the archive written, or {@code null} where
 *                        there is no single archive (vendor products)
 * @param manifestSha256  SHA-256 of the manifest listing every entry, or {@code null} when none
 * @param warnings        what went not quite right (files that vanished or changed while read,
 *                        TSM's return code 8); never errors — those throw
 * @param facts           provider-specific facts worth journaling ({@code "jobId" → "2"},
 *                        {@code "dsmcExitCode" → "4"}); never secrets
 * @since 0.1
 */
public record BackupResult(String restorePointId, BackupKind kind, @Nullable String basedOn, Instant createdAt,
                           List<String> written, @Nullable Long files, @Nullable Long bytes,
                           @Nullable String contentSha256, @Nullable String manifestSha256,
                           List<Diagnostic> warnings, Map<String, String> facts) {

    public BackupResult {
        Objects.requireNonNull(restorePointId, "restorePointId");
        if (restorePointId.isBlank()) {
            throw new IllegalArgumentException("a backup result needs the id of the restore point it made");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        written = List.copyOf(written);
        warnings = List.copyOf(warnings);
        if (warnings.stream().anyMatch(Diagnostic::isError)) {
            throw new IllegalArgumentException("a backup with errors has no result: throw ProviderException instead");
        }
        facts = Map.copyOf(facts);
        Results.checkCount("files", files);
        Results.checkCount("bytes", bytes);
        Results.checkSha256("contentSha256", contentSha256);
        Results.checkSha256("manifestSha256", manifestSha256);
    }

    /** A builder, starting from the two facts every result has. */
    public static Builder builder(String restorePointId, Instant createdAt) {
        return new Builder(restorePointId, createdAt);
    }

    /** Builds a {@link BackupResult}; everything but the id and time is optional (a full backup by default). */
    public static final class Builder {
        private final String restorePointId;
        private final Instant createdAt;
        private BackupKind kind = BackupKind.FULL;
        private @Nullable String basedOn;
        private final List<String> written = new ArrayList<>();
        private @Nullable Long files;
        private @Nullable Long bytes;
        private @Nullable String contentSha256;
        private @Nullable String manifestSha256;
        private final List<Diagnostic> warnings = new ArrayList<>();
        private final Map<String, String> facts = new LinkedHashMap<>();

        private Builder(String restorePointId, Instant createdAt) {
            this.restorePointId = restorePointId;
            this.createdAt = createdAt;
        }

        public Builder kind(BackupKind k, @Nullable String base) {
            this.kind = k;
            this.basedOn = base;
            return this;
        }

        public Builder written(String location) {
            written.add(location);
            return this;
        }

        public Builder counts(@Nullable Long fileCount, @Nullable Long byteCount) {
            this.files = fileCount;
            this.bytes = byteCount;
            return this;
        }

        public Builder contentSha256(@Nullable String sha256) {
            this.contentSha256 = sha256;
            return this;
        }

        public Builder manifestSha256(@Nullable String sha256) {
            this.manifestSha256 = sha256;
            return this;
        }

        public Builder warning(Diagnostic warning) {
            warnings.add(warning);
            return this;
        }

        public Builder fact(String key, String value) {
            facts.put(key, value);
            return this;
        }

        public BackupResult build() {
            return new BackupResult(restorePointId, kind, basedOn, createdAt, written, files, bytes,
                    contentSha256, manifestSha256, warnings, facts);
        }
    }
}
