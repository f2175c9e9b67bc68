package dev.rear.provider.tar;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code BACKUP_URL} of the tar provider, read as ReaR's {@code url_scheme}, {@code url_host}
 * and {@code url_path} read it:
 *
 * <ul>
 *   <li>{@code file:///dir}: a local directory, nothing mounted.</li>
 *   <li>{@code usb:///dev/disk/by-label/REAR-000}: a block device, given by path or by one of the
 *       {@code /dev/disk/by-label|by-uuid|by-partlabel|by-partuuid} links (resolved with {@code blkid}
 *       where there is no udev to make the link), mounted by rear.</li>
 *   <li>{@code nfs://host/export}: the export {@code host:/export}.</li>
 *   <li>{@code cifs://server/share[/dir]}: the share {@code //server/share[/dir]}.</li>
 *   <li>{@code sshfs://user@host/path}: {@code user@host:/path} through sshfs; {@code sshfs://user@host:2222/path}
 *       gives a port (ReaR itself takes one only through {@code BACKUP_OPTIONS="port=2222"}).</li>
 * </ul>
 *
 * Percent-escapes are decoded ({@code %20} is a blank). Refused, with the reason: another scheme
 * (ReaR's {@code tape}, {@code iso}, {@code ftpfs} are not supported by rear), a relative or missing
 * path, a host where none belongs or none where one is needed, a password in the URL (a secret in a
 * configuration value that is printed and journaled; use a key or {@code cred=}), {@code ..} in the
 * path, a query or fragment, and control characters.
 *
 * @param scheme the kind of target
 * @param user   the user ({@code sshfs} only), or null
 * @param host   the server ({@code nfs}, {@code cifs}, {@code sshfs}), or null
 * @param port   the port ({@code sshfs} only), or -1
 * @param path   the absolute path: the directory ({@code file}), the device ({@code usb}), the export,
 *               share or remote directory
 * @param text   the URL as configured
 */
record BackupUrl(Scheme scheme, @Nullable String user, @Nullable String host, int port, String path, String text) {

    /** The URL schemes rear's tar provider writes to. */
    enum Scheme {
        FILE, USB, NFS, CIFS, SSHFS;

        String lower() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether rear mounts something for this scheme. */
        boolean mounted() {
            return this != FILE;
        }
    }

    /** A {@code BACKUP_URL} that cannot be used, with the reason. */
    static final class BadUrlException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadUrlException(String url, String why) {
            super("BACKUP_URL=" + url + " " + why);
        }
    }

    static final List<String> SUPPORTED = List.of("file:///dir", "usb:///dev/disk/by-label/REAR-000", "nfs://host/export",
            "cifs://server/share", "sshfs://user@host/path");

    /**
     * Parses a {@code BACKUP_URL}.
     *
     * @throws BadUrlException naming the URL and what is wrong with it
     */
    static BackupUrl parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new BadUrlException(text.replaceAll("\\p{Cntrl}", "?"), "holds a control character");
            }
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new BadUrlException(text, "is not a URL: " + e.getReason() + " at character " + (e.getIndex() + 1)
                    + " (write a blank or another special character as %20 and so on)");
        }
        if (uri.getScheme() == null) {
            throw new BadUrlException(text, "has no scheme; write one of " + String.join(", ", SUPPORTED));
        }
        Scheme scheme;
        try {
            scheme = Scheme.valueOf(uri.getScheme().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadUrlException(text, "has the scheme '" + uri.getScheme() + "', which the tar provider does not write to;"
                    + " it writes to " + String.join(", ", SUPPORTED));
        }
        if (uri.isOpaque()) {
            throw new BadUrlException(text, "needs '//' after '" + uri.getScheme() + ":' (" + example(scheme) + ")");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BadUrlException(text, "has a '?' or '#' part; mount options go into BACKUP_OPTIONS (write a literal ? or # as %3F or %23)");
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw new BadUrlException(text, "names no " + what(scheme) + " (" + example(scheme) + ")");
        }
        if (!path.startsWith("/")) {
            throw new BadUrlException(text, "needs an absolute path (" + example(scheme) + ")");
        }
        for (String c : path.split("/")) {
            if (c.equals("..")) {
                throw new BadUrlException(text, "has '..' in its path; write the path without it");
            }
        }
        if (path.indexOf('\0') >= 0) {
            throw new BadUrlException(text, "has a NUL byte in its path");
        }
        String authority = uri.getRawAuthority();
        String userInfo = uri.getUserInfo();
        String host = uri.getHost();
        int port = uri.getPort();
        if (authority != null && host == null) {
            // java.net.URI falls back to a registry-based authority (e.g. a '_' in the host name)
            throw new BadUrlException(text, "has the server '" + authority + "', which is not a host name or address");
        }
        if (userInfo != null && userInfo.contains(":")) {
            throw new BadUrlException(text.replace(uri.getRawUserInfo(), userInfo.substring(0, userInfo.indexOf(':')) + ":***"),
                    "holds a password; rear does not take passwords in BACKUP_URL (it is printed and journaled): "
                            + (scheme == Scheme.CIFS ? "put it into a credentials file, BACKUP_OPTIONS=\"cred=/etc/rear/cifs\""
                            : "use an ssh key"));
        }
        switch (scheme) {
            case FILE, USB -> {
                if (host != null) {
                    throw new BadUrlException(text, "names the host '" + authority + "', but a " + scheme.lower()
                            + ": URL is local and takes three slashes (" + example(scheme) + ")");
                }
                if (scheme == Scheme.USB && !path.startsWith("/dev/")) {
                    throw new BadUrlException(text, "does not name a device under /dev (" + example(scheme) + ")");
                }
            }
            case NFS, CIFS, SSHFS -> {
                if (host == null) {
                    throw new BadUrlException(text, "names no server (" + example(scheme) + ")");
                }
                if (scheme != Scheme.SSHFS && userInfo != null) {
                    throw new BadUrlException(text, "has a user name; " + (scheme == Scheme.CIFS
                            ? "put username= into the credentials file given with BACKUP_OPTIONS=\"cred=/etc/rear/cifs\""
                            : "NFS takes none"));
                }
                if (scheme != Scheme.SSHFS && port != -1) {
                    throw new BadUrlException(text, "has a port; give it in BACKUP_OPTIONS (" + (scheme == Scheme.NFS ? "port=2049" : "port=445") + ")");
                }
                if (scheme == Scheme.CIFS && path.replaceAll("/+$", "").lastIndexOf('/') < 0) {
                    throw new BadUrlException(text, "names no share (" + example(scheme) + ")");
                }
            }
            default -> throw new IllegalStateException(scheme.name());
        }
        String cleaned = path.length() > 1 ? path.replaceAll("/+$", "") : path;
        return new BackupUrl(scheme, scheme == Scheme.SSHFS ? userInfo : null, host, port, cleaned.replaceAll("/{2,}", "/"), text);
    }

    /** What the mount helper is given: {@code host:/export}, {@code //server/share}, {@code user@host:/path}, or the path. */
    String source() {
        return switch (scheme) {
            case FILE, USB -> path;
            case NFS -> host + ":" + path; // an IPv6 address comes in brackets, as mount.nfs takes it
            case CIFS -> "//" + host + path;
            case SSHFS -> (user == null ? "" : user + "@") + host + ":" + path;
        };
    }

    private static String what(Scheme s) {
        return switch (s) {
            case FILE -> "directory";
            case USB -> "device";
            case NFS -> "export";
            case CIFS -> "share";
            case SSHFS -> "remote directory";
        };
    }

    private static String example(Scheme s) {
        return switch (s) {
            case FILE -> "file:///backup";
            case USB -> "usb:///dev/disk/by-label/REAR-000";
            case NFS -> "nfs://server/export";
            case CIFS -> "cifs://server/share";
            case SSHFS -> "sshfs://user@host/path";
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
