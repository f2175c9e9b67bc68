package dev.rear.api.spi;

import java.util.Objects;

/**
 * Which restore point to verify.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param restorePoint the restore point; point in time needs {@link Capability#POINT_IN_TIME}
 * @since 0.1
 */
public record VerifyRequest(RestorePointSelector restorePoint) {

    public VerifyRequest {
        Objects.requireNonNull(restorePoint, "restorePoint");
    }

    /** Verify the latest restore point. */
    public static VerifyRequest latest() {
        return new VerifyRequest(RestorePointSelector.latest());
    }
}
