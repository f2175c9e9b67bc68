package dev.rear.api.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a completed restore put back. The engine journals it in the recovery's restore step.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param restorePointId   the restore point actually restored (the latest or the one as of a time,
 *                         resolved), so the journal says exactly which
 * @param restorePointTime when that restore point was taken, or {@code null} when not known
 * @param restoredPaths    what was restored, in order (TSM: each filespace); {@code ["/"]} for everything
 * @param files            files restored, or {@code null} when not known
 * @param bytes            bytes restored, or {@code null} when not known
 * @param contentSha256    SHA-256 of the archive as read during the restore (lower-case hex), or
 *                         {@code null} where there is no single archive
 * @param warnings         what went not quite right (TSM return code 4: some files not restored,
 *                         with the count; "Completed w/ one or more errors"); never errors
 * @param facts            provider-specific facts worth journaling ({@code "jobId"}), never secrets
 * @since 0.1
 */
public record RestoreResult(String restorePointId, @Nullable Instant restorePointTime, List<String> restoredPaths,
                            @Nullable Long files, @Nullable Long bytes, @Nullable String contentSha256,
                            List<Diagnostic> warnings, Map<String, String> facts) {

    public RestoreResult {
        Objects.requireNonNull(restorePointId, "restorePointId");
        if (restorePointId.isBlank()) {
            throw new IllegalArgumentException("a restore result needs the id of the restore point restored");
        }
        restoredPaths = List.copyOf(restoredPaths);
        Results.checkCount("files", files);
        Results.checkCount("bytes", bytes);
        Results.checkSha256("contentSha256", contentSha256);
        warnings = List.copyOf(warnings);
        if (warnings.stream().anyMatch(Diagnostic::isError)) {
            throw new IllegalArgumentException("a restore with errors has no result: throw ProviderException instead");
        }
        facts = Map.copyOf(facts);
    }

    /** A builder, starting from the restore point restored. */
    public static Builder builder(String restorePointId) {
        return new Builder(restorePointId);
    }

    /** Builds a {@link RestoreResult}; everything but the id is optional. */
    public static final class Builder {
        private final String restorePointId;
        private @Nullable Instant restorePointTime;
        private final List<String> restoredPaths = new ArrayList<>();
        private @Nullable Long files;
        private @Nullable Long bytes;
        private @Nullable String contentSha256;
        private final List<Diagnostic> warnings = new ArrayList<>();
        private final Map<String, String> facts = new LinkedHashMap<>();

        private Builder(String restorePointId) {
            this.restorePointId = restorePointId;
        }

        public Builder restorePointTime(@Nullable Instant time) {
            this.restorePointTime = time;
            return this;
        }

        public Builder restored(String path) {
            restoredPaths.add(path);
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

        public Builder warning(Diagnostic warning) {
            warnings.add(warning);
            return this;
        }

        public Builder fact(String key, String value) {
            facts.put(key, value);
            return this;
        }

        public RestoreResult build() {
            return new RestoreResult(restorePointId, restorePointTime, restoredPaths, files, bytes, contentSha256, warnings, facts);
        }
    }
}
