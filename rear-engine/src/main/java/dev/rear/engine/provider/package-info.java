/**
 * Backup providers as the engine sees them: {@link dev.rear.engine.provider.ProviderRegistry} finds
 * them with {@link java.util.ServiceLoader}, isolates those that fail to load, refuses those built
 * for another SPI version, and selects one by its explicit id — never by a fallback;
 * {@link dev.rear.engine.provider.BackupMethods} maps ReaR's {@code BACKUP} values to ids.
 */
@NullMarked
package dev.rear.engine.provider;

import org.jspecify.annotations.NullMarked;
