/**
 * The rescue system builder: the root tree, its programs, libraries, kernel modules and Java runtime, packed as an initramfs.
 *
 * <p>{@link dev.rear.engine.rescue.InitramfsBuilder} builds from a {@link dev.rear.engine.rescue.RescueSpec}: a merged-/usr
 * {@link dev.rear.engine.rescue.RescueTree} written as newc cpio (zstd or gzip, written beside the output and renamed);
 * the programs of {@link dev.rear.engine.rescue.RecoveryPrograms} (the one list, held against the planner by its test),
 * {@code REQUIRED_PROGS}/{@code PROGS} and the provider's, with their {@code ldd} closure
 * ({@link dev.rear.engine.rescue.LddOutput}); busybox applets; udev with the storage rules; kernel modules with their
 * {@code modules.dep} closure ({@link dev.rear.engine.rescue.KernelModules}) and a fresh {@code depmod}; a {@code jlink}ed
 * runtime cached in {@code cacheDir}; rear as {@code /opt/rear}; the descriptor and its network for {@code /init}; the
 * configuration with secrets blanked ({@link dev.rear.engine.config.SecretFreeConfig}); {@code COPY_AS_IS} without
 * unprotected private keys ({@link dev.rear.engine.rescue.PrivateKeys}) or provider secrets, everything left out listed
 * in {@link dev.rear.engine.rescue.RescueImage#leftOut()}. {@code /init} is the resource {@code init} beside this class.
 */
@NullMarked
package dev.rear.engine.rescue;

import org.jspecify.annotations.NullMarked;
