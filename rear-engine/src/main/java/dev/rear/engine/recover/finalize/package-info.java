/**
 * The finalize steps' work after the restore: configuration rewritten for the mapping, initramfs, bootloader, EFI
 * entries, verification by rediscovery, unmount; see {@link dev.rear.engine.recover.finalize.FinalizeActions}.
 */
@NullMarked
package dev.rear.engine.recover.finalize;

import org.jspecify.annotations.NullMarked;
