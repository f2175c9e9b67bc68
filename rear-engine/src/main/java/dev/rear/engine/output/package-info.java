/** The bootable forms of the rescue system: RAMDISK, ISO (BIOS and UEFI), PXE and USB, and their copy to OUTPUT_URL. */
@NullMarked
package dev.rear.engine.output;

import org.jspecify.annotations.NullMarked;
