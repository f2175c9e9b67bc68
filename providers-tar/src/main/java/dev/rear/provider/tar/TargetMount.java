package dev.rear.provider.tar;

import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.TaggedDevices;
import dev.rear.api.command.ToolNotFoundException;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import dev.rear.api.spi.ProviderLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The place a backup goes to, made reachable for one operation: for {@code file://} the directory
 * itself; for {@code usb}, {@code nfs}, {@code cifs} and {@code sshfs} the target mounted by the
 * system's mount helpers, as ReaR's {@code mount_url} does, on a private directory made for the
 * operation ({@code rear-target-*} in the temporary directory, mode 0700) and unmounted again by
 * {@link #close()} whatever happened in between.
 *
 * <p>The mount commands, with {@code BACKUP_OPTIONS} as the options (ReaR's default
 * {@code rw,noatime} when unset):
 * <pre>
 * usb    mount -o rw,noatime DEVICE MP        (DEVICE resolved from /dev/disk/by-label/L, or blkid -t LABEL=L)
 * nfs    mount -t nfs -o rw,noatime HOST:/EXPORT MP
 * cifs   mount -t cifs -o rw,guest //SERVER/SHARE MP   (rw,guest when BACKUP_OPTIONS is unset)
 * sshfs  sshfs USER@HOST:/PATH MP -o rw,noatime[,port=N]
 * </pre>
 * A {@code password=} option for cifs is passed to {@code mount.cifs} in its {@code PASSWD}
 * environment variable, never on the command line; a {@code cred=} file must exist and is never read
 * by rear. A missing helper is named with the Debian package that brings it.
 */
final class TargetMount implements AutoCloseable {

    static final Duration MOUNT_TIMEOUT = Duration.ofMinutes(2);
    static final String DEFAULT_OPTIONS = "rw,noatime";

    /** Where programs are looked for: the directories of {@code PATH} and the sbin directories. */
    static final Function<String, Optional<Path>> SYSTEM_PATH = TargetMount::which;

    /** The helper a scheme needs: a program and the Debian package that brings it. */
    record Helper(String program, String debianPackage) {}

    private final BackupUrl url;
    private final Path root;
    private final @Nullable Path mountpoint;
    private final CommandRunner commands;
    private final ProviderLog log;
    private boolean closed;

    private TargetMount(BackupUrl url, Path root, @Nullable Path mountpoint, CommandRunner commands, ProviderLog log) {
        this.url = url;
        this.root = root;
        this.mountpoint = mountpoint;
        this.commands = commands;
        this.log = log;
    }

    /** The directory the URL names, reachable now: the mounted target's root, or the file:// directory. */
    Path root() {
        return root;
    }

    /** What the URL names, for messages: the URL and, when mounted, where. */
    String describe() {
        return mountpoint == null ? url.text() : url.text() + " (mounted on " + mountpoint + ")";
    }

    /** The helper program the scheme's mount needs, or null for file://. */
    static @Nullable Helper helper(BackupUrl.Scheme scheme) {
        return switch (scheme) {
            case FILE -> null;
            case USB -> new Helper("mount", "mount");
            case NFS -> new Helper("mount.nfs", "nfs-common");
            case CIFS -> new Helper("mount.cifs", "cifs-utils");
            case SSHFS -> new Helper("sshfs", "sshfs");
        };
    }

    /**
     * Makes the target reachable.
     *
     * @param options {@code BACKUP_OPTIONS}, or null when unset
     * @param which   looks programs up ({@link #SYSTEM_PATH}; tests substitute their own)
     * @param devFuse the FUSE device sshfs needs ({@code /dev/fuse})
     * @throws ProviderException MISCONFIGURED when a helper, the FUSE device, a credentials file or the
     *     device is missing; FAILED when the mount fails, with the helper's stderr
     */
    static TargetMount open(BackupUrl url, @Nullable String options, CommandRunner commands, ProviderLog log,
                            Function<String, Optional<Path>> which, Path devFuse) {
        if (!url.scheme().mounted()) {
            Path dir = Path.of(url.path());
            if (!Files.isDirectory(dir)) {
                throw new ProviderException(Kind.NOT_FOUND, "BACKUP_URL=" + url + ": the directory " + dir + " does not exist");
            }
            return new TargetMount(url, dir, null, commands, log);
        }
        Helper helper = helper(url.scheme());
        if (helper != null && which.apply(helper.program()).isEmpty()) {
            throw new ProviderException(Kind.MISCONFIGURED, "BACKUP_URL=" + url + " needs the program " + helper.program()
                    + ", which is not installed; it comes with the package " + helper.debianPackage()
                    + " (Debian/Ubuntu: apt-get install " + helper.debianPackage() + ")");
        }
        if (url.scheme() == BackupUrl.Scheme.SSHFS && !Files.exists(devFuse)) {
            throw new ProviderException(Kind.MISCONFIGURED, "BACKUP_URL=" + url + " needs FUSE, but " + devFuse
                    + " does not exist; load the kernel module (modprobe fuse) and install the package fuse3");
        }
        Mount m = plan(url, options);
        if (m.credentials() != null && !Files.isReadable(Path.of(m.credentials()))) {
            throw new ProviderException(Kind.MISCONFIGURED, "BACKUP_OPTIONS names the CIFS credentials file " + m.credentials()
                    + ", which " + (Files.exists(Path.of(m.credentials())) ? "cannot be read" : "does not exist")
                    + "; create it (username=..., password=..., domain=...) with mode 0600");
        }
        String device = url.scheme() == BackupUrl.Scheme.USB ? device(url, commands) : null;
        Path mp;
        try {
            mp = Files.createTempDirectory("rear-target-");
        } catch (IOException e) {
            throw new ProviderException(Kind.FAILED, "cannot make a mount point for " + url + ": " + e.getMessage(), e);
        }
        CommandSpec spec = m.command(device, mp);
        log.info("mounting " + url + " on " + mp + ": " + spec.display());
        try {
            commands.run(spec);
        } catch (CommandFailedException e) {
            removeQuietly(mp);
            CommandResult r = e.result();
            throw new ProviderException(Kind.FAILED, "cannot mount BACKUP_URL=" + url + ": '" + spec.display() + "' exited "
                    + r.exitCode() + (r.stderr().isBlank() ? " without a message" : ": " + r.stderrTail(5).replace('\n', ' ')), e);
        } catch (CommandTimeoutException e) {
            removeQuietly(mp);
            throw new ProviderException(Kind.FAILED, "cannot mount BACKUP_URL=" + url + ": '" + spec.display() + "' did not finish within "
                    + MOUNT_TIMEOUT.toSeconds() + " s (is the server reachable?)", e);
        } catch (ToolNotFoundException e) {
            removeQuietly(mp);
            String pkg = helper == null ? null : helper.debianPackage();
            throw new ProviderException(Kind.MISCONFIGURED, "cannot mount BACKUP_URL=" + url + ": " + e.getMessage()
                    + (pkg != null && e.debianPackage() == null ? " (package " + pkg + ")" : ""), e);
        } catch (RuntimeException e) {
            removeQuietly(mp);
            throw e;
        }
        return new TargetMount(url, mp, mp, commands, log);
    }

    /** The parts of a mount that follow from the URL and the options alone. */
    record Mount(BackupUrl url, String options, Map<String, String> env, @Nullable String credentials) {

        /** The mount command for {@code device} (usb) on {@code mountpoint}. */
        CommandSpec command(@Nullable String device, Path mountpoint) {
            List<String> argv = new ArrayList<>();
            String mp = mountpoint.toString();
            switch (url.scheme()) {
                case USB -> argv.addAll(List.of("mount", "-o", options, device == null ? url.path() : device, mp));
                case NFS -> argv.addAll(List.of("mount", "-t", "nfs", "-o", options, url.source(), mp));
                case CIFS -> argv.addAll(List.of("mount", "-t", "cifs", "-o", options, url.source(), mp));
                case SSHFS -> {
                    argv.addAll(List.of("sshfs", url.source(), mp));
                    if (!options.isEmpty()) {
                        argv.addAll(List.of("-o", options));
                    }
                }
                default -> throw new IllegalStateException("nothing to mount for " + url);
            }
            return new CommandSpec(argv, MOUNT_TIMEOUT, env, Set.of(0), Set.of(), null);
        }
    }

    /** The options and environment of the mount of {@code url}, as ReaR's mount_url makes them. */
    static Mount plan(BackupUrl url, @Nullable String backupOptions) {
        String given = backupOptions == null ? "" : backupOptions.strip();
        List<String> opts = new ArrayList<>();
        if (given.isEmpty()) {
            opts.addAll(List.of(url.scheme() == BackupUrl.Scheme.CIFS ? "rw,guest".split(",") : DEFAULT_OPTIONS.split(",")));
        } else {
            for (String o : given.split(",")) {
                if (!o.isBlank()) {
                    opts.add(o.strip());
                }
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        String credentials = null;
        if (url.scheme() == BackupUrl.Scheme.CIFS) {
            for (int i = 0; i < opts.size(); i++) {
                String o = opts.get(i);
                String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
                if (key.equals("password") || key.equals("pass")) {
                    env.put("PASSWD", o.substring(o.indexOf('=') + 1)); // mount.cifs reads it; never on the command line
                    opts.remove(i--);
                } else if (key.equals("cred") || key.equals("credentials")) {
                    credentials = o.substring(o.indexOf('=') + 1);
                }
            }
        }
        if (url.scheme() == BackupUrl.Scheme.SSHFS && url.port() != -1 && opts.stream().noneMatch(o -> o.startsWith("port="))) {
            opts.add("port=" + url.port());
        }
        return new Mount(url, String.join(",", opts), env, credentials);
    }

    /**
     * The device of a usb:// URL: the path itself when it exists, else (no udev, so no
     * {@code /dev/disk/by-*} links) what {@code blkid -c /dev/null -t TAG=value -o device} finds.
     */
    static String device(BackupUrl url, CommandRunner commands) {
        Path p = Path.of(url.path());
        if (Files.exists(p)) {
            try {
                Path real = p.toRealPath();
                int mode = (Integer) Files.getAttribute(real, "unix:mode");
                if ((mode & 0170000) == Posix.S_IFBLK) {
                    return real.toString();
                }
                throw new ProviderException(Kind.MISCONFIGURED, "BACKUP_URL=" + url + ": " + real + " is not a block device");
            } catch (IOException e) {
                throw new ProviderException(Kind.FAILED, "BACKUP_URL=" + url + ": cannot resolve " + p + ": " + e.getMessage(), e);
            }
        }
        String tag = TaggedDevices.tagOf(url.path());
        if (tag == null) {
            throw new ProviderException(Kind.NOT_FOUND, "BACKUP_URL=" + url + ": the device " + url.path() + " does not exist");
        }
        CommandSpec blkid = TaggedDevices.lookup(tag);
        List<String> found;
        try {
            found = TaggedDevices.find(tag, commands);
        } catch (ToolNotFoundException e) {
            throw new ProviderException(Kind.MISCONFIGURED, "BACKUP_URL=" + url + ": " + url.path() + " does not exist (no udev?) and "
                    + e.getMessage(), e);
        } catch (CommandFailedException e) {
            throw new ProviderException(Kind.FAILED, "BACKUP_URL=" + url + ": '" + blkid.display() + "' failed: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new ProviderException(Kind.NOT_FOUND, "BACKUP_URL=" + url + ": no device has " + tag + " (" + url.path()
                    + " does not exist and '" + blkid.display() + "' found nothing); is the USB disk plugged in and formatted"
                    + " with that label?");
        }
        if (found.size() > 1) {
            throw new ProviderException(Kind.MISCONFIGURED, "BACKUP_URL=" + url + ": " + found.size() + " devices have " + tag + " ("
                    + String.join(", ", found) + "); rear will not guess which one to write to: unplug or relabel the others");
        }
        return found.get(0);
    }

    /**
     * Unmounts (for file:// nothing) and removes the mount point. A busy target is detached lazily
     * ({@code umount -l}) with a warning, so it never stays mounted behind rear's back.
     *
     * @throws ProviderException FAILED when neither unmount works; the mount point is then named
     */
    @Override
    public void close() {
        if (closed || mountpoint == null) {
            closed = true;
            return;
        }
        closed = true;
        CommandSpec umount = CommandSpec.of("umount", mountpoint.toString()).withTimeout(MOUNT_TIMEOUT);
        try {
            commands.run(umount);
        } catch (RuntimeException first) {
            log.warn("'" + umount.display() + "' failed (" + first.getMessage() + "); detaching " + url + " lazily");
            CommandSpec lazy = CommandSpec.of("umount", "-l", mountpoint.toString()).withTimeout(MOUNT_TIMEOUT);
            try {
                commands.run(lazy);
            } catch (RuntimeException second) {
                throw new ProviderException(Kind.FAILED, "cannot unmount " + url + " from " + mountpoint + ": " + second.getMessage()
                        + "; unmount it by hand (umount " + mountpoint + ")", second);
            }
        }
        removeQuietly(mountpoint);
        log.info("unmounted " + url + " from " + mountpoint);
    }

    private static void removeQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir); // only ever an empty directory: never recursive, a mount may still be there
        } catch (IOException ignored) {
            // left behind: an empty directory in the temporary directory
        }
    }

    private static Optional<Path> which(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty()) {
                Path p = Path.of(d, program);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
