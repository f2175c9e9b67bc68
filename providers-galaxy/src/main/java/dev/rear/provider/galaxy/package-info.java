/** {@code BACKUP=GALAXY11}: Commvault through {@code qlist}/{@code qoperation}. Built in the external-backup issue. */
package dev.rear.provider.galaxy;
