package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.spi.BackupKind;
import dev.rear.api.spi.BackupRequest;
import dev.rear.api.spi.BackupResult;
import dev.rear.engine.config.BackupType;
import dev.rear.engine.config.RearConfig;
import dev.rear.engine.provider.ConsoleProgress;
import dev.rear.engine.recover.BackupAction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The backup of {@code mkbackuponly} and {@code mkbackup}: what is backed up (the mountpoints of the
 * local filesystems plus {@code BACKUP_PROG_INCLUDE}, less {@code BACKUP_PROG_EXCLUDE} and
 * {@code EXCLUDE_MOUNTPOINTS} and rear's own build area {@code /var/lib/rear/work}; or a {@code --source-root} tree as if it were {@code /}), the
 * provider's request, its journaled action, and how its result is told.
 *
 * @param request the provider's request
 */
record BackupWork(BackupRequest request) {

    /**
     * The request.
     *
     * @param layout     the discovered layout whose mountpoints are backed up, or null (a source root,
     *                   or {@code BACKUP_ONLY_INCLUDE})
     * @param sourceRoot a tree backed up as if it were {@code /}, or null for this system
     */
    static BackupWork of(RearConfig config, @Nullable SystemDescriptor layout, @Nullable Path sourceRoot) {
        List<String> includes = new ArrayList<>();
        if (sourceRoot != null) {
            includes.add("/");
        } else if (!config.backupOnlyInclude() && layout != null) {
            includes.addAll(mountpoints(layout));
        }
        config.backupProgInclude().stream().filter(i -> !includes.contains(i)).forEach(includes::add);
        if (includes.isEmpty()) {
            includes.add("/");
        }
        List<String> excludes = new ArrayList<>(config.backupProgExclude());
        // rear's own build area: mkbackup's rescue build lives there while the backup runs (ReaR's is a temp dir)
        String own = MkRescueCommand.WORK_DIR + "/*";
        if (!excludes.contains(own)) {
            excludes.add(own);
        }
        config.excludeMountpoints().forEach(m -> excludes.add(m.replaceAll("/+$", "") + "/*"));
        BackupKind kind = config.backupType() == BackupType.INCREMENTAL ? BackupKind.INCREMENTAL
                : config.backupType() == BackupType.DIFFERENTIAL ? BackupKind.DIFFERENTIAL : BackupKind.FULL;
        return new BackupWork(new BackupRequest(kind, sourceRoot == null ? Path.of("/") : sourceRoot.toAbsolutePath(), includes,
                excludes, null));
    }

    /** Whether the layout must be discovered for the request ({@link #of}). */
    static boolean needsLayout(RearConfig config, @Nullable Path sourceRoot) {
        return sourceRoot == null && !config.backupOnlyInclude();
    }

    /** The journaled action of the backup step. */
    BackupAction action(ProviderRun run) {
        return new BackupAction(run.provider, request, run::context);
    }

    /** {@code backup provider 'tar' (BACKUP=NETFS) backs up / /boot}, and {@code of ROOT} for a source root. */
    String describe(ProviderRun run) {
        return "backup provider '" + run.provider.id() + "' (BACKUP=" + run.config.backup().name() + ") backs up "
                + String.join(" ", request.includes()) + (request.sourceRoot().equals(Path.of("/")) ? "" : " of " + request.sourceRoot());
    }

    /** {@code backed up 2 files, 31 B in 0.1 s (310 B/s) to TARGETS; manifest sha256 X; 1 warnings}. */
    static String summary(BackupResult r, double seconds) {
        return "backed up " + (r.files() == null ? "?" : String.format(Locale.ROOT, "%,d", r.files())) + " files, "
                + size(r.bytes() == null ? null : r.bytes().toString()) + " in " + String.format(Locale.ROOT, "%.1f s", seconds)
                + (r.bytes() == null || seconds <= 0 ? "" : " (" + ConsoleProgress.bytes((long) (r.bytes() / seconds)) + "/s)")
                + " to " + String.join(", ", r.written()) + (r.manifestSha256() == null ? "" : "; manifest sha256 " + r.manifestSha256())
                + (r.warnings().isEmpty() ? "" : "; " + r.warnings().size() + " warnings");
    }

    /** The result's fields in a {@code --json} document. */
    static void putJson(ObjectNode doc, BackupResult r) {
        doc.put("restorePoint", r.restorePointId());
        if (r.files() != null) {
            doc.put("files", r.files());
        }
        if (r.bytes() != null) {
            doc.put("bytes", r.bytes());
        }
        doc.put("contentSha256", r.contentSha256()).put("manifestSha256", r.manifestSha256());
        var w = doc.putArray("written");
        r.written().forEach(w::add);
        var warn = doc.putArray("warnings");
        r.warnings().forEach(x -> warn.add(x.message()));
    }

    /** The mountpoints of the described filesystems, parents first. */
    static List<String> mountpoints(SystemDescriptor d) {
        TreeSet<String> mps = new TreeSet<>();
        for (Filesystem f : d.filesystems()) {
            for (Mount m : f.mounts()) {
                mps.add(m.mountpoint());
            }
        }
        return new ArrayList<>(mps);
    }

    /** Bytes given as text, shown with a unit; {@code ?} when unknown. */
    static String size(@Nullable String bytes) {
        if (bytes == null) {
            return "? bytes";
        }
        try {
            return ConsoleProgress.bytes(Long.parseLong(bytes));
        } catch (NumberFormatException e) {
            return bytes + " bytes";
        }
    }
}
