/** {@code BACKUP=NETFS}: tar archives to local and network targets. Built in the SPI/tar issue. */
package dev.rear.provider.tar;
