package dev.rear.api.spi;

import java.util.List;
import java.util.Set;

/**
 * A backup product as rear sees it: something that can write a backup of a machine's files and put
 * them back into an empty, freshly made root during a recovery.
 *
 * <p><b>Experimental</b> (since 0.1): this interface may change incompatibly before rear 1.0;
 * {@link #apiVersion()} guards against running a provider built for another version.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Loading.</b> Found by {@link java.util.ServiceLoader}; needs a public no-argument
 *       constructor that is cheap and does no I/O: the engine instantiates every provider on the
 *       class path (for {@code rear providers}) but calls operations only on the one selected by
 *       id.</li>
 *   <li><b>Honesty.</b> {@link #capabilities()} lists exactly what works. An operation, or a variant
 *       of one (incremental, point in time, selected paths), that is not declared throws
 *       {@link ProviderException} of kind {@link ProviderException.Kind#UNSUPPORTED} before it does
 *       anything; the defaults of the optional operations do so.</li>
 *   <li><b>Outside world.</b> Programs run only through {@link ProviderContext#commands()} (so each
 *       call is journaled), temporary files go only into {@link ProviderContext#tempDirectory()},
 *       waiting goes through {@link ProviderContext#pause(java.time.Duration)}. No
 *       {@code System.exit}, no global state, no logging framework: {@link ProviderContext#log()}.</li>
 *   <li><b>Secrets.</b> A value of a setting named in {@link #secretSettings()} (or otherwise marked
 *       secret in {@link ProviderSettings}) never appears in a log line, a progress phase, an
 *       exception message, a non-secret argv element ({@link dev.rear.api.command.CommandSpec#secretArgs()})
 *       or a non-secret {@link RescueRequirements} item.</li>
 *   <li><b>Failure.</b> An operation returns only when it succeeded, possibly with warnings in its
 *       result; otherwise it throws {@link ProviderException} (or lets a
 *       {@link dev.rear.api.command.CommandFailedException} and its siblings through). It never
 *       turns a failure into an empty result.</li>
 *   <li><b>Threads.</b> The engine calls one operation at a time on an instance; a provider keeps no
 *       state between operations that it could not rebuild.</li>
 * </ul>
 * Every parameter and return value is non-null unless marked {@code @Nullable}.
 *
 * @since 0.1
 */
public interface BackupProvider {

    /**
     * The version of this SPI, {@code "major.minor"}. A compile-time constant: {@code return
     * API_VERSION;} in a provider compiles the value of the rear-api it was built against into the
     * provider's own class, which is what {@link #apiVersion()} must report.
     */
    String API_VERSION = "1.1";

    /**
     * The provider's id: lower-case letters, digits and dashes, starting with a letter
     * ({@code [a-z][a-z0-9-]*}), stable across versions. Configuration selects a provider by this
     * id only. rear's own are {@code tar} ({@code BACKUP=NETFS}), {@code tsm} ({@code BACKUP=TSM}),
     * {@code galaxy} ({@code BACKUP=GALAXY11}) and {@code bacula} ({@code BACKUP=BACULA}); any other
     * {@code BACKUP} value selects the provider whose id is that value in lower case.
     *
     * @return the id, never blank
     */
    String id();

    /**
     * The SPI version this provider was built against: implement as {@code return API_VERSION;}.
     * rear refuses a provider whose major version differs from its own or whose minor version is
     * newer than its own ({@link ApiVersion#canRun(ApiVersion)}).
     *
     * @return {@code "major.minor"}
     */
    String apiVersion();

    /**
     * The provider's own version, for {@code rear providers} and bug reports: by default the
     * {@code Implementation-Version} of the jar manifest the provider's class comes from, or
     * {@code "DEVELOPMENT"} when there is none (classes not in a jar).
     *
     * @return a version string, never blank
     */
    default String version() {
        Package p = getClass().getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null || v.isBlank() ? "DEVELOPMENT" : v;
    }

    /**
     * What this provider can do. Must include {@link Capability#RESTORE}; the variants
     * ({@link Capability#INCREMENTAL}, {@link Capability#DIFFERENTIAL}) need {@link Capability#BACKUP},
     * and {@link Capability#POINT_IN_TIME} and {@link Capability#SELECTIVE_RESTORE} need
     * {@link Capability#RESTORE}.
     *
     * @return the same set on every call, never empty
     */
    Set<Capability> capabilities();

    /**
     * The names of settings whose values are secrets (passwords, encryption keys): the engine marks
     * them in the {@link ProviderSettings} it builds, so they are masked in {@code rear dump} and
     * in every log, and checks they are never written into the rescue system.
     *
     * @return setting names, e.g. {@code GALAXY11_PASSWORD}; empty by default
     */
    default Set<String> secretSettings() {
        return Set.of();
    }

    /**
     * Checks the settings: required ones present, values well-formed, combinations possible. Looks
     * at the settings and at most at local files they name; runs no program and contacts no server
     * (that is {@link #verify}). Called at {@code mkrescue}/{@code mkbackup} time and again in the
     * rescue system before anything is written.
     *
     * @param settings the configuration as the engine read it
     * @return every problem found (empty when none), each {@link Diagnostic.Severity#ERROR} naming
     *     the setting at fault where there is one; never throws for bad settings
     */
    List<Diagnostic> validate(ProviderSettings settings);

    /**
     * What the rescue system must contain for {@link #restore} to work there: programs, files,
     * directories, environment, daemons to start, and — marked secret, so they are left out and
     * reported — what must not be copied. Called at {@code mkrescue} time on the live system; may
     * run programs through the context (e.g. {@code commvault status} to find install directories).
     *
     * @param context the context, with valid settings
     * @return the requirements; {@link RescueRequirements#none()} when there are none
     * @throws ProviderException when the live system lacks what the provider needs
     */
    RescueRequirements rescueRequirements(ProviderContext context);

    /**
     * Writes a backup ({@link Capability#BACKUP}; incremental and differential kinds need their
     * capabilities).
     *
     * @param request what to back up and how
     * @param context the engine's context
     * @return what was written; returned only on success
     * @throws ProviderException on failure; of kind {@link ProviderException.Kind#UNSUPPORTED} when
     *     the capability is not declared (the default)
     */
    default BackupResult backup(BackupRequest request, ProviderContext context) {
        throw ProviderException.unsupported(id(), "backup");
    }

    /**
     * The restore points the backup holds for this machine ({@link Capability#LIST_RESTORE_POINTS}).
     *
     * @param context the engine's context
     * @return the restore points, oldest first; empty when there is no backup yet
     * @throws ProviderException when they cannot be listed (never an empty list for "could not
     *     ask"); of kind {@link ProviderException.Kind#UNSUPPORTED} when not declared (the default)
     */
    default List<RestorePoint> listRestorePoints(ProviderContext context) {
        throw ProviderException.unsupported(id(), "listing restore points");
    }

    /**
     * Checks, without writing to any target, that a restore point exists and can be restored
     * ({@link Capability#VERIFY}); the recovery's pre-flight calls it before the first disk is
     * wiped. How deep it looks is in {@link VerifyResult#depth()}.
     *
     * @param request which restore point
     * @param context the engine's context
     * @return the answer, including a bad one (a corrupted archive is a result with
     *     {@link Diagnostic.Severity#ERROR} findings, not an exception)
     * @throws ProviderException when the check itself could not be made: server unreachable,
     *     login refused, restore point {@link ProviderException.Kind#NOT_FOUND not found}; of kind
     *     {@link ProviderException.Kind#UNSUPPORTED} when not declared (the default)
     */
    default VerifyResult verify(VerifyRequest request, ProviderContext context) {
        throw ProviderException.unsupported(id(), "verify");
    }

    /**
     * Restores a restore point into {@link RestoreRequest#targetRoot()}, so that what was backed up
     * as {@code /x} ends up as {@code targetRoot/x}.
     *
     * <p>Before anything else — before contacting a server — it refuses (kind
     * {@link ProviderException.Kind#REFUSED}, nothing written) a target root that already holds
     * files unless {@link RestoreRequest#overwrite()} allows it ({@link TargetRoots#requireRestorable}
     * does this check). An unknown restore point id is {@link ProviderException.Kind#NOT_FOUND}.
     *
     * @param request where, which restore point, what
     * @param context the engine's context
     * @return what was restored; returned only when the restore completed (perhaps with warnings)
     * @throws ProviderException when it did not; the target may then hold a partial restore
     */
    RestoreResult restore(RestoreRequest request, ProviderContext context);

    /**
     * Whether the settings ask this provider to {@link #storeRescueImage store the rescue image}
     * ({@code mkrescue}/{@code mkbackup} then run that as a step of their own after the output).
     * Looks at the settings only. Meaningful only with {@link Capability#STORE_RESCUE_IMAGE}.
     *
     * @param settings the configuration as the engine read it (valid)
     * @return false by default
     * @since 1.1
     */
    default boolean storesRescueImage(ProviderSettings settings) {
        return false;
    }

    /**
     * Stores the rescue image and the files written with it in the backup product
     * ({@link Capability#STORE_RESCUE_IMAGE}), after the output wrote them; may remove the local
     * copies when the settings ask for it and the product holds them, and says so in the result.
     *
     * @param request the files the output wrote
     * @param context the engine's context
     * @return where they went; returned only on success (perhaps with warnings)
     * @throws ProviderException when they could not be stored (the local files are then left as
     *     they were); of kind {@link ProviderException.Kind#UNSUPPORTED} when not declared (the default)
     * @since 1.1
     */
    default RescueImageResult storeRescueImage(RescueImageRequest request, ProviderContext context) {
        throw ProviderException.unsupported(id(), "storing the rescue image");
    }
}
