/**
 * The backup provider SPI: how rear talks to whatever actually stores the data of a machine.
 *
 * <p><b>Experimental.</b> This SPI may change incompatibly before rear 1.0; {@link
 * dev.rear.api.spi.BackupProvider#API_VERSION} says which version a provider was built against,
 * and rear refuses a provider built for a version it cannot run (see {@link
 * dev.rear.api.spi.ApiVersion}).
 *
 * <h2>Shape</h2>
 * A provider ({@link dev.rear.api.spi.BackupProvider}) is found with {@link java.util.ServiceLoader}
 * and selected <em>only by its explicit id</em>: an unknown id is an error listing the ids found,
 * never a fallback. It declares its {@link dev.rear.api.spi.Capability capabilities}, checks its
 * settings ({@link dev.rear.api.spi.ProviderSettings} → {@link dev.rear.api.spi.Diagnostic}s), says
 * what the rescue system needs ({@link dev.rear.api.spi.RescueRequirements}, secrets marked so they
 * are left out), and performs {@code backup}, {@code listRestorePoints}, {@code verify} and {@code
 * restore} through a {@link dev.rear.api.spi.ProviderContext} the engine hands it: a command runner
 * that journals each call, a progress sink, a log, a private temporary directory, the settings, a
 * clock, cancellation and a deadline. Failures are {@link dev.rear.api.spi.ProviderException}s with
 * a {@link dev.rear.api.spi.ProviderException.Kind kind}; a result is only returned on success
 * (possibly with warnings).
 *
 * <p>It fits four very different back ends:
 * <ul>
 *   <li>a local archive writer (tar): {@link dev.rear.api.spi.BackupRequest} carries the source
 *       root, include and exclude lists, full/incremental/differential and the incremental base;
 *       target URL and compression are the provider's own settings; the results carry the archive
 *       and manifest hashes;</li>
 *   <li>a synchronous vendor CLI (TSM {@code dsmc}): {@link dev.rear.api.spi.RestoreRequest#paths()}
 *       are the filespaces (mount points) restored one by one in the given order, and
 *       {@link dev.rear.api.spi.RestorePointSelector#asOf(java.time.Instant)} becomes
 *       {@code -pitdate}/{@code -pittime};</li>
 *   <li>an asynchronous job submitted and polled (Commvault {@code qoperation}/{@code qlist job}):
 *       {@link dev.rear.api.spi.ProviderContext#pause(java.time.Duration)} waits between polls
 *       (instantly in tests), honouring cancellation and {@link
 *       dev.rear.api.spi.ProviderContext#deadline()}, and {@link dev.rear.api.spi.ProgressSink}
 *       shows the job's state while waiting;</li>
 *   <li>a daemon that must run in the rescue system while a director pushes the restore (Bacula's
 *       {@code bacula-fd}): declared as a {@link dev.rear.api.spi.RescueRequirements.RescueService},
 *       which the engine starts before {@code verify}/{@code restore} and stops afterwards.</li>
 * </ul>
 *
 * <h2>Provider ids and ReaR's {@code BACKUP} values</h2>
 * Ids are short lower-case names. rear's configuration keeps ReaR's {@code BACKUP} variable and maps
 * it to an id with a fixed table: {@code NETFS → tar}, {@code TSM → tsm}, {@code GALAXY11 → galaxy},
 * {@code BACULA → bacula}; any other value is taken, in lower case, as the id itself (so a
 * third-party provider with id {@code bareos} serves {@code BACKUP=BAREOS}).
 *
 * <h2>Writing a provider</h2>
 * Compile against {@code rear-api} alone; ship a {@code META-INF/services/dev.rear.api.spi.BackupProvider}
 * file (and {@code provides} in {@code module-info} if modular); keep the public no-argument
 * constructor cheap (no I/O); extend {@code dev.rear.testkit.BackupProviderContract} from the
 * {@code rear-testkit} module in your tests.
 *
 * @since 0.1
 */
@NullMarked
package dev.rear.api.spi;

import org.jspecify.annotations.NullMarked;
