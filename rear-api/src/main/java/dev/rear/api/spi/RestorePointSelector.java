package dev.rear.api.spi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which restore point an operation means: the latest, one by its id, or the state as of a time.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param id   a {@link RestorePoint#id()}, or {@code null}
 * @param asOf the time whose state is wanted ({@link Capability#POINT_IN_TIME}), or {@code null};
 *             at most one of {@code id} and {@code asOf} is set, and neither means the latest
 * @since 0.1
 */
public record RestorePointSelector(@Nullable String id, @Nullable Instant asOf) {

    private static final RestorePointSelector LATEST = new RestorePointSelector(null, null);

    public RestorePointSelector {
        if (id != null && asOf != null) {
            throw new IllegalArgumentException("select a restore point by id or by time, not both");
        }
        if (id != null && id.isBlank()) {
            throw new IllegalArgumentException("a restore point id cannot be blank");
        }
    }

    /** The most recent restore point (with its chain, for incrementals). */
    public static RestorePointSelector latest() {
        return LATEST;
    }

    /** The restore point with this id; a provider that has none throws {@link ProviderException.Kind#NOT_FOUND}. */
    public static RestorePointSelector byId(String id) {
        return new RestorePointSelector(id, null);
    }

    /** The state as of this time: the newest restore point not after it. Needs {@link Capability#POINT_IN_TIME}. */
    public static RestorePointSelector asOf(Instant time) {
        return new RestorePointSelector(null, time);
    }

    /** Whether this selects the latest restore point. */
    public boolean isLatest() {
        return id == null && asOf == null;
    }

    @Override
    public String toString() {
        return id != null ? "restore point " + id : asOf != null ? "the state as of " + asOf : "the latest restore point";
    }
}
