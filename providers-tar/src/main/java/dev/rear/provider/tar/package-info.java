/**
 * {@code BACKUP=NETFS}: {@link dev.rear.provider.tar.TarBackupProvider}, PAX tar archives on
 * {@code file://} targets, or {@code usb://}, {@code nfs://}, {@code cifs://} and {@code sshfs://}
 * targets mounted around each operation ({@code BackupUrl}, {@code TargetMount}).
 *
 * <p>Format decisions (what GNU tar 1.34 reads with {@code tar --xattrs --xattrs-include='*' --acls -xpf}):
 * <ul>
 *   <li>POSIX (PAX) tar. Each entry's PAX extended header is written by {@code TarWriter} as raw bytes
 *       (Commons Compress writes the ustar blocks), so binary extended attributes survive:
 *       {@code SCHILY.xattr.<name>} for every namespace ({@code user.}, {@code trusted.},
 *       {@code security.capability}, {@code security.selinux}, {@code system.posix_acl_*}).</li>
 *   <li>POSIX ACLs are written twice: as the binary {@code SCHILY.xattr.system.posix_acl_access/default}
 *       (what rear restores) and as GNU tar's text {@code SCHILY.acl.access/default} with numeric ids
 *       (what {@code tar --acls} restores). On restore rear uses the binary form, else the text form
 *       (names resolved through the restoring system's /etc/passwd and /etc/group).</li>
 *   <li>mtime with nanoseconds in PAX {@code mtime}; atime is not kept (restored files keep the
 *       atime of their creation).</li>
 *   <li>Sparse files (found with SEEK_DATA/SEEK_HOLE, files of 64 KiB and more) in GNU's PAX sparse
 *       format 1.0; reading also takes 0.1. Old-GNU sparse ({@code --format=gnu}) is refused with a
 *       message. Restore writes only the data extents, so the holes stay holes. The manifest hash of a
 *       sparse file is {@code sparse:<sha256>} over its extent map and data extents; a manifest written
 *       before that (the SHA-256 of the whole content) is still checked with that hash.</li>
 *   <li>File names are bytes, kept exactly in any locale ({@code Names}): UTF-8 names as text, also
 *       long ones (PAX {@code path}/{@code linkpath}); a name that is not UTF-8 (old Latin-1) as its
 *       raw bytes in PAX {@code path}/{@code linkpath} after {@code hdrcharset=BINARY}, which GNU tar
 *       extracts byte for byte; GNU tar's own archives (it writes such names raw, without
 *       {@code hdrcharset}) are read byte for byte too. In manifests and messages each such byte is
 *       {@code %XX}.</li>
 *   <li>{@code BACKUP_TYPE=incremental|differential}: a chain of archives named as ReaR names them,
 *       each manifest with its base and deletions, an index of the tree beside it ({@code Chain},
 *       {@code TreeIndex}).</li>
 *   <li>Sockets are skipped with a warning; hard links are stored as hard links.</li>
 * </ul>
 *
 * <p>Archives are read by {@code TarReader}, not Commons Compress's {@code TarArchiveInputStream},
 * because that decodes PAX values as UTF-8 strings.
 */
@NullMarked
package dev.rear.provider.tar;

import org.jspecify.annotations.NullMarked;
