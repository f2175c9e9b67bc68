/** {@code BACKUP=BACULA}: Bacula through {@code bconsole} and {@code bacula-fd}. Built in the external-backup issue. */
package dev.rear.provider.bacula;
