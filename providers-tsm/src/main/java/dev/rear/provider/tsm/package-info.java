/**
 * {@code BACKUP=TSM}: IBM Storage Protect (TSM) through {@code dsmc}: {@link dev.rear.provider.tsm.TsmBackupProvider}.
 */
@NullMarked
package dev.rear.provider.tsm;

import org.jspecify.annotations.NullMarked;
