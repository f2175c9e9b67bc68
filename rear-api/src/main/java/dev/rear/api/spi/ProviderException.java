package dev.rear.api.spi;

import dev.rear.api.RearException;
import java.util.Objects;

/**
 * A backup provider could not do what it was asked. The {@link #kind()} tells the engine (and a
 * script reading {@code --json}) what sort of failure it is; the message is one sentence for the
 * administrator, naming the object concerned and never containing a secret.
 *
 * <p><b>Experimental</b> (since 0.1): kinds may be added.
 *
 * @since 0.1
 */
public class ProviderException extends RearException {
    private static final long serialVersionUID = 1L;

    /** What sort of failure. */
    public enum Kind {
        /** The backup server, share or device cannot be reached (network, DNS, not mounted, daemon down). */
        UNREACHABLE,
        /** Login or authorization refused: wrong or expired password, session, certificate or key. */
        AUTHENTICATION,
        /** What was asked for does not exist: a restore point, backup set, client, filespace, archive. */
        NOT_FOUND,
        /** The provider does not do this (a capability it does not declare). */
        UNSUPPORTED,
        /** The provider will not do this because it would be unsafe, e.g. restore over existing files without an explicit overwrite. */
        REFUSED,
        /** The settings make the operation impossible (what {@link BackupProvider#validate} reports, found at run time). */
        MISCONFIGURED,
        /** The operation did not finish before {@link ProviderContext#deadline()} or a provider-specific timeout. */
        TIMED_OUT,
        /** Cancelled on request ({@link ProviderContext#isCancelled()}). */
        CANCELLED,
        /** It ran and failed: a job failed or was killed, the archive is corrupt, the disk is full, ... */
        FAILED
    }

    private final Kind kind;

    /**
     * @param kind    what sort of failure
     * @param message one sentence for the administrator, without secrets
     */
    public ProviderException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * @param kind    what sort of failure
     * @param message one sentence for the administrator, without secrets
     * @param cause   the underlying failure
     */
    public ProviderException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What sort of failure this is. */
    public Kind kind() {
        return kind;
    }

    /**
     * The standard refusal of an undeclared capability.
     *
     * @param providerId the provider's id
     * @param what       what was asked, e.g. {@code "incremental backup"}
     * @return an exception of kind {@link Kind#UNSUPPORTED}
     */
    public static ProviderException unsupported(String providerId, String what) {
        return new ProviderException(Kind.UNSUPPORTED, "backup provider '" + providerId + "' does not support " + what);
    }
}
