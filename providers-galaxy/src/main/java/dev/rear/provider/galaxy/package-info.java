/**
 * {@code BACKUP=GALAXY11}: Commvault 11 through {@code qlogin}, {@code qlist}, {@code qoperation}
 * and {@code qlogout} ({@link dev.rear.provider.galaxy.GalaxyBackupProvider}).
 */
@NullMarked
package dev.rear.provider.galaxy;

import org.jspecify.annotations.NullMarked;
