package dev.rear.engine.provider;

import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.RescueRequirements;
import java.time.Duration;
import java.util.List;

/**
 * {@link FakeTarProvider} (so {@code BACKUP=NETFS} selects it) that needs something in the rescue
 * system: a program, a secret file, a secret variable, a kernel module, and a daemon — the shape of
 * Bacula's needs. Its backup records the request and writes nothing (mkbackup backs up {@code /}).
 */
public class RescueNeedsProvider extends FakeTarProvider {

    @Override
    public RescueRequirements rescueRequirements(ProviderContext context) {
        return RescueRequirements.builder().program("bconsole").file("/etc/bacula/bacula-fd.conf")
                .secretFile("/etc/bacula/bconsole.conf", "the director's password: asked at recovery")
                .secretVariable("FAKE_PASSWORD").kernelModule("nfs")
                .service(new RescueRequirements.RescueService("fake-fd", List.of("true"), List.of(), List.of(), Duration.ofSeconds(1)))
                .build();
    }

    @Override
    public BackupResult backup(BackupRequest request, ProviderContext context) {
        call(context, "backup " + request.sourceRoot() + " " + request.includes() + " " + request.excludes());
        return BackupResult.builder("rp-1", java.time.Instant.parse("2030-01-01T00:00:00Z")).written(store(context).resolve("tree").toString())
                .counts(0L, 0L).manifestSha256("a".repeat(64)).contentSha256("b".repeat(64)).build();
    }
}
