package dev.rear.engine.provider;

import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import java.nio.file.Files;

/** {@link FakeTarProvider} whose backup waits (at most 30 s) until the test puts {@code GO} into the store. */
public class SlowProvider extends FakeTarProvider {

    @Override
    public BackupResult backup(BackupRequest request, ProviderContext context) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(store(context).resolve("GO"))) {
            if (System.nanoTime() > until) {
                throw new ProviderException(ProviderException.Kind.FAILED, "the test never said GO");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(ProviderException.Kind.CANCELLED, "interrupted");
            }
        }
        return super.backup(request, context);
    }
}
