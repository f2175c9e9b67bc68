package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.TaggedDevices;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * ReaR's {@code OUTPUT_URL}: where the finished artifacts are copied, into the sub-directory named
 * after the host ({@code OUTPUT_PREFIX}, as ReaR does). {@code file://} is a directory of this machine;
 * {@code nfs://}, {@code cifs://}, {@code sshfs://} and {@code usb://} are mounted with the system's
 * mount helpers on a temporary directory for the copy and always unmounted afterwards; {@code null}
 * keeps the artifacts where they were written. Any other scheme (ReaR's lftp and rsync transports)
 * is refused.
 *
 * @param scheme  the kind of location
 * @param url     the URL as configured
 * @param user    for {@code sshfs}: the remote user, or {@code null}
 * @param host    the server ({@code nfs}, {@code cifs}, {@code sshfs}), or {@code null}
 * @param port    for {@code sshfs}: the SSH port, or -1
 * @param path    the directory (file, nfs, sshfs), the share and directory (cifs) or the device (usb)
 * @param options mount options ({@code OUTPUT_OPTIONS}), or {@code null} for the scheme's default
 */
public record OutputUrl(Scheme scheme, String url, @Nullable String user, @Nullable String host, int port, String path,
                        @Nullable String options) {

    /** The supported schemes. */
    public enum Scheme { FILE, NFS, CIFS, SSHFS, USB, NULL }

    public OutputUrl {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(path, "path");
    }

    /**
     * Parses {@code OUTPUT_URL}.
     *
     * @param options {@code OUTPUT_OPTIONS} (mount options), or {@code null}
     * @throws OutputException naming the URL and what is wrong with it
     */
    public static OutputUrl parse(String url, @Nullable String options) {
        String u = url.strip();
        if (u.equals("null")) {
            return new OutputUrl(Scheme.NULL, u, null, null, -1, "", null);
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new OutputException("OUTPUT_URL=" + u + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String host = uri.getHost();
        String opts = options == null || options.isBlank() ? null : options.strip();
        switch (scheme) {
            case "file" -> {
                if (host != null || !path.startsWith("/")) {
                    throw new OutputException("OUTPUT_URL=" + u + ": a file URL names an absolute directory of this machine, as in file:///srv/rear");
                }
                return new OutputUrl(Scheme.FILE, u, null, null, -1, normal(path), null);
            }
            case "nfs", "cifs", "sshfs" -> {
                if (host == null || host.isEmpty()) {
                    throw new OutputException("OUTPUT_URL=" + u + " names no server: write " + scheme + "://SERVER/PATH");
                }
                if (path.isEmpty() || path.equals("/")) {
                    throw new OutputException("OUTPUT_URL=" + u + " names no "
                            + (scheme.equals("cifs") ? "share" : "directory") + " on " + host);
                }
                Scheme s = Scheme.valueOf(scheme.toUpperCase(Locale.ROOT));
                if (s != Scheme.SSHFS && (uri.getUserInfo() != null || uri.getPort() != -1)) {
                    throw new OutputException("OUTPUT_URL=" + u + ": a user or port belongs in OUTPUT_OPTIONS for " + scheme
                            + " (e.g. OUTPUT_OPTIONS=\"cred=/etc/rear/cifs\"), never in the URL");
                }
                if (s == Scheme.SSHFS && uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
                    throw new OutputException("OUTPUT_URL=" + u + " holds a password: sshfs logs in with an SSH key");
                }
                return new OutputUrl(s, u, s == Scheme.SSHFS ? uri.getUserInfo() : null, host, s == Scheme.SSHFS ? uri.getPort() : -1,
                        normal(path), opts);
            }
            case "usb" -> {
                if (host != null || !path.startsWith("/dev/")) {
                    throw new OutputException("OUTPUT_URL=" + u + ": a usb URL names a device, as in usb:///dev/disk/by-label/REAR-000");
                }
                return new OutputUrl(Scheme.USB, u, null, null, -1, normal(path), opts);
            }
            default -> throw new OutputException("OUTPUT_URL=" + u + ": the scheme '" + scheme + "' is not supported; rear copies"
                    + " its artifacts to file://, nfs://, cifs://, sshfs:// and usb:// locations, or keeps them in place with null");
        }
    }

    private static String normal(String path) {
        String p = path.replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Whether the location is mounted for the copy. */
    public boolean mounted() {
        return scheme == Scheme.NFS || scheme == Scheme.CIFS || scheme == Scheme.SSHFS || scheme == Scheme.USB;
    }

    /** The command that mounts the location on {@code mountPoint}; only for {@link #mounted()} schemes. */
    public List<String> mountArgv(Path mountPoint) {
        String mp = mountPoint.toString();
        return switch (scheme) {
            case NFS -> List.of("mount", "-t", "nfs", "-o", options != null ? options : "rw,noatime", host + ":" + path, mp);
            case CIFS -> List.of("mount", "-t", "cifs", "-o", options != null ? options : "rw,guest", "//" + host + path, mp);
            case SSHFS -> {
                List<String> a = new ArrayList<>(List.of("sshfs", (user != null ? user + "@" : "") + host + ":" + path, mp));
                if (port != -1) {
                    a.addAll(List.of("-o", "port=" + port));
                }
                if (options != null) {
                    a.addAll(List.of("-o", options));
                }
                yield List.copyOf(a);
            }
            case USB -> List.of("mount", "-o", options != null ? options : "rw,noatime", path, mp);
            default -> throw new IllegalStateException(scheme + " is not mounted");
        };
    }

    /** The command that unmounts {@code mountPoint} again (root unmounts a FUSE sshfs mount with umount too). */
    public List<String> unmountArgv(Path mountPoint) {
        return List.of("umount", mountPoint.toString());
    }

    /** Where the copies go, for messages: {@code URL/HOSTNAME/}. */
    public String destination(String hostname) {
        return url.replaceAll("/+$", "") + "/" + hostname + "/";
    }

    /**
     * Copies {@code files} into {@code <location>/<hostname>/}: mounted first when the scheme needs it
     * (on a directory made under {@code tempParent}), unmounted and the directory removed afterwards
     * in every outcome. Files are written under temporary names and renamed; on failure the copies of
     * this call are removed.
     *
     * @return where they were copied (empty for {@code null})
     */
    public List<String> copy(List<Path> files, String hostname, CommandRunner runner, Path tempParent) {
        if (scheme == Scheme.NULL || files.isEmpty()) {
            return List.of();
        }
        String what = "the copy to OUTPUT_URL=" + url;
        if (scheme == Scheme.FILE) {
            copyInto(files, Path.of(path, hostname), what);
            return List.of(destination(hostname));
        }
        String device = scheme == Scheme.USB ? usbDevice(runner, what) : null;
        TempMount.with(runner, what, tempParent, "rear-output-url-",
                mp -> device == null ? mountArgv(mp) : List.of("mount", "-o", options != null ? options : "rw,noatime", device, mp.toString()),
                this::unmountArgv, Duration.ofMinutes(2),
                "the artifacts were copied to " + url, "unmount it by hand", mp -> {
                    copyInto(files, mp.resolve(hostname), what);
                    return null;
                });
        return List.of(destination(hostname));
    }

    /**
     * The device of a usb:// URL: its path when that exists, else (no udev, or udev not done probing a
     * disk just formatted) the one device {@code blkid} finds with the tag the path names.
     */
    String usbDevice(CommandRunner runner, String what) {
        if (Files.exists(Path.of(path))) {
            return path;
        }
        String tag = TaggedDevices.tagOf(path);
        if (tag == null) {
            throw new OutputException("cannot write " + what + ": the device " + path + " does not exist");
        }
        List<String> found = Tools.run(runner, what, TaggedDevices.lookup(tag)).stdout().lines().map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        if (found.size() != 1) {
            throw new OutputException("cannot write " + what + ": " + path + " does not exist and "
                    + (found.isEmpty() ? "no device has " + tag + " (blkid); is the disk attached and formatted ('rear format')?"
                    : found.size() + " devices have " + tag + " (" + String.join(", ", found) + "); rear will not guess which one to write to"));
        }
        return found.get(0);
    }

    private static void copyInto(List<Path> files, Path dir, String what) {
        try (Artifacts out = new Artifacts()) {
            for (Path f : files) {
                out.copy(f, dir.resolve(f.getFileName().toString()), what + ":");
            }
            out.commit();
        }
    }
}
