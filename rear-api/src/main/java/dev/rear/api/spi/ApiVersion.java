package dev.rear.api.spi;

/**
 * A version of the provider SPI, {@code major.minor}, and the rule deciding whether this rear can
 * run a provider built against another one.
 *
 * <p><b>Experimental</b> (since 0.1), like the whole SPI.
 *
 * @param major incremented on an incompatible change (a method removed or changed)
 * @param minor incremented on a compatible addition (a new default method, a new record factory)
 * @since 0.1
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** The version of the rear-api on the class path: {@link BackupProvider#API_VERSION}. */
    public static final ApiVersion CURRENT = parse(BackupProvider.API_VERSION);

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("version numbers cannot be negative: " + major + "." + minor);
        }
    }

    /**
     * Parses {@code "major.minor"}.
     *
     * @param text e.g. {@code "1.0"}
     * @return the version
     * @throws IllegalArgumentException when {@code text} is not two dot-separated non-negative integers
     */
    public static ApiVersion parse(String text) {
        String[] parts = text.strip().split("\\.", -1);
        if (parts.length != 2 || !parts[0].matches("\\d{1,9}") || !parts[1].matches("\\d{1,9}")) {
            throw new IllegalArgumentException("'" + text + "' is not an SPI version of the form major.minor");
        }
        return new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /**
     * Whether a rear offering this version can run a provider built against {@code requested}:
     * the same major version, and a minor version no newer than this one (a provider built
     * against 1.3 may call what 1.2 does not have).
     *
     * @param requested the provider's {@link BackupProvider#apiVersion()}
     * @return true when compatible
     */
    public boolean canRun(ApiVersion requested) {
        return requested.major == major && requested.minor <= minor;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
