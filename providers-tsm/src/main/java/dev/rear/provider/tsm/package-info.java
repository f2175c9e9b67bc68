/** {@code BACKUP=TSM}: IBM Storage Protect through {@code dsmc}. Built in the external-backup issue. */
package dev.rear.provider.tsm;
