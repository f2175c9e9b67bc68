package dev.rear.provider.tar;

import dev.rear.api.spi.RescueRequirements;
import org.jspecify.annotations.Nullable;

/**
 * What the rescue system needs to reach a {@code BACKUP_URL} target: the mount helpers, the kernel
 * modules, and the secrets it must not carry (a CIFS credentials file, an ssh identity).
 */
final class TargetRequirements {

    private TargetRequirements() {}

    static void add(BackupUrl url, @Nullable String options, RescueRequirements.Builder b) {
        if (options != null && !options.isBlank()) {
            b.variable(TarOptions.OPTIONS, options.strip());
        }
        switch (url.scheme()) {
            case FILE -> { }
            case USB -> b.program("mount", "umount", "blkid").kernelModule("usb-storage");
            case NFS -> b.program("mount", "umount", "mount.nfs").kernelModule("nfs");
            case CIFS -> {
                b.program("mount", "umount", "mount.cifs").kernelModule("cifs");
                String cred = TargetMount.plan(url, options).credentials();
                if (cred != null && cred.startsWith("/")) {
                    b.secretFile(cred, "the CIFS credentials are not carried into the rescue system; before the recovery, write "
                            + cred + " again (username=, password=, domain=) in the rescue shell");
                }
            }
            case SSHFS -> {
                b.program("sshfs", "ssh", "umount").kernelModule("fuse");
                for (String o : TargetMount.plan(url, options).options().split(",")) {
                    if (o.regionMatches(true, 0, "IdentityFile=", 0, 13) && o.length() > 13 && o.charAt(13) == '/') {
                        b.secretFile(o.substring(13), "the ssh private key is not carried into the rescue system; copy it there"
                                + " before the recovery, or let the rescue system's ssh authenticate otherwise");
                    }
                }
            }
            default -> throw new IllegalStateException(url.scheme().name());
        }
    }
}
