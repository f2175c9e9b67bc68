package dev.rear.api.command;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Devices named by udev's tag links ({@code /dev/disk/by-label/REAR-000} and the like), for the
 * times the link is not there: no udev (a rescue shell, a container), or udev not done probing a
 * filesystem just made. The tag is then looked up with {@code blkid}, which reads the devices
 * themselves.
 */
public final class TaggedDevices {
    private TaggedDevices() {}

    private static final String[][] KINDS = {{"/dev/disk/by-label/", "LABEL"}, {"/dev/disk/by-uuid/", "UUID"},
            {"/dev/disk/by-partlabel/", "PARTLABEL"}, {"/dev/disk/by-partuuid/", "PARTUUID"}};

    /** {@code LABEL=REAR-000} for {@code /dev/disk/by-label/REAR-000} (udev's \x2f escapes decoded), or null for other paths. */
    public static @Nullable String tagOf(String path) {
        for (String[] k : KINDS) {
            if (path.startsWith(k[0]) && path.length() > k[0].length() && path.indexOf('/', k[0].length()) < 0) {
                return k[1] + "=" + unescapeUdev(path.substring(k[0].length()));
            }
        }
        return null;
    }

    /** The command that lists the devices with {@code tag}: {@code blkid -c /dev/null -t TAG -o device} (exit 2: none). */
    public static CommandSpec lookup(String tag) {
        return new CommandSpec(List.of("blkid", "-c", "/dev/null", "-t", tag, "-o", "device"), CommandSpec.DEFAULT_TIMEOUT, Map.of(),
                Set.of(0, 2), Set.of(), null);
    }

    /**
     * The devices that have {@code tag}, as {@code blkid} finds them ({@link #lookup}).
     *
     * @throws ToolNotFoundException when blkid is not installed
     * @throws CommandFailedException when blkid fails otherwise
     */
    public static List<String> find(String tag, CommandRunner runner) {
        return runner.run(lookup(tag)).stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String unescapeUdev(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\x", i) && i + 4 <= s.length() && s.substring(i + 2, i + 4).matches("[0-9a-fA-F]{2}")) {
                b.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.append(s.charAt(i));
            }
        }
        return b.toString();
    }
}
