package dev.rear.engine.provider;

import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.Progress;
import dev.rear.api.spi.ProviderContext;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.api.spi.RestoreRequest;
import dev.rear.api.spi.RestoreResult;
import dev.rear.api.spi.TargetRoots;
import dev.rear.api.spi.VerifyRequest;
import dev.rear.api.spi.VerifyResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A provider with the tar provider's id (so {@code BACKUP=NETFS} selects it) that keeps its
 * "backup" as plain files under {@code BACKUP_URL}: {@code store/tree/...} is the backed-up tree,
 * {@code store/RESTORE_POINT} its id. Files a test puts in the store steer it: {@code CORRUPT}
 * (its text is the first bad entry) makes verify report damage, {@code FAIL_RESTORE} makes restore
 * throw after restoring the first file. Every call is appended to {@code store/calls}.
 */
public class FakeTarProvider implements BackupProvider {

    @Override
    public String id() {
        return "tar";
    }

    @Override
    public String apiVersion() {
        return API_VERSION;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.BACKUP, Capability.RESTORE, Capability.VERIFY);
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of("FAKE_PASSWORD");
    }

    @Override
    public List<Diagnostic> validate(ProviderSettings settings) {
        String url = settings.get("BACKUP_URL").orElse("");
        if (!url.startsWith("file:///")) {
            return List.of(Diagnostic.error("BACKUP_URL", "BACKUP_URL=" + url + " is not file:///..."));
        }
        return List.of();
    }

    @Override
    public RescueRequirements rescueRequirements(ProviderContext context) {
        return RescueRequirements.none();
    }

    static Path store(ProviderContext c) {
        return Path.of(URI.create(c.settings().require("BACKUP_URL")).getPath());
    }

    static void call(ProviderContext c, String what) {
        try {
            Files.writeString(store(c).resolve("calls"), what + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BackupResult backup(BackupRequest request, ProviderContext context) {
        call(context, "backup " + request.sourceRoot() + " " + request.includes() + " " + request.excludes());
        Path tree = store(context).resolve("tree");
        long files = 0;
        long bytes = 0;
        try {
            Files.createDirectories(tree);
            try (Stream<Path> s = Files.walk(request.sourceRoot())) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    Path to = tree.resolve(request.sourceRoot().relativize(p).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to);
                    files++;
                    bytes += Files.size(p);
                    context.progress().report(Progress.of("backing up", bytes, files));
                }
            }
            Files.writeString(store(context).resolve("RESTORE_POINT"), "rp-1");
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.FAILED, "cannot copy: " + e.getMessage(), e);
        }
        return BackupResult.builder("rp-1", Instant.parse("2030-01-01T00:00:00Z")).written(tree.toString())
                .counts(files, bytes).manifestSha256("a".repeat(64)).contentSha256("b".repeat(64))
                .fact("mode", "copy").build();
    }

    @Override
    public VerifyResult verify(VerifyRequest request, ProviderContext context) {
        call(context, "verify");
        Path corrupt = store(context).resolve("CORRUPT");
        if (!Files.exists(store(context).resolve("RESTORE_POINT"))) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, "there is no backup in " + store(context));
        }
        if (request.restorePoint().id() != null && !request.restorePoint().id().equals("rp-1")) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, "there is no restore point " + request.restorePoint().id()
                    + " (there is rp-1)");
        }
        if (Files.exists(corrupt)) {
            try {
                return new VerifyResult("rp-1", VerifyResult.Depth.CONTENT, List.of(Diagnostic.error(Files.readString(corrupt).strip())), Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new VerifyResult("rp-1", VerifyResult.Depth.CONTENT, List.of(), Map.of("entries", "2"));
    }

    @Override
    public RestoreResult restore(RestoreRequest request, ProviderContext context) {
        call(context, "restore " + request.targetRoot() + " " + request.overwrite() + " " + request.restorePoint());
        TargetRoots.requireRestorable(request.targetRoot(), request.overwrite());
        Path tree = store(context).resolve("tree");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tree)) {
            files.addAll(s.filter(Files::isRegularFile).sorted().toList());
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, "no backup tree in " + tree);
        }
        long bytes = 0;
        int n = 0;
        try {
            for (Path f : files) {
                Path to = request.targetRoot().resolve(tree.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                bytes += Files.size(f);
                n++;
                context.progress().report(Progress.of("restoring", bytes, n));
                if (Files.exists(store(context).resolve("FAIL_RESTORE"))) {
                    throw new ProviderException(ProviderException.Kind.FAILED, "the disk is full at " + to);
                }
            }
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.FAILED, e.getMessage(), e);
        }
        context.log().warn("socket /run/x skipped");
        return RestoreResult.builder("rp-1").restored("/").counts((long) n, bytes).contentSha256("b".repeat(64))
                .warning(Diagnostic.warning("socket /run/x skipped")).fact("mode", "copy").build();
    }
}
