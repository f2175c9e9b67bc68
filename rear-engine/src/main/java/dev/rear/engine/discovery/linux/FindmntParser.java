package dev.rear.engine.discovery.linux;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the mount table as {@code findmnt -J -b --real} prints it (a tree, default columns) or as
 * {@code findmnt -J -b --real -l -o TARGET,SOURCE,FSTYPE,OPTIONS,FSROOT,...} prints it (a list).
 * A btrfs subvolume mount as util-linux 2.38 shows it:
 *
 * <pre>{@code
 * {"target": "/var/tmp/rear-capture/mnt/btrfs-home", "source": "/dev/loop2[/@home]", "fstype": "btrfs",
 *  "options": "rw,relatime,discard=async,space_cache=v2,subvolid=257,subvol=/@home", "fsroot": "/@home"}
 * }</pre>
 *
 * <p>When a mount shows a directory of its file system rather than the root (a btrfs subvolume, a
 * bind mount), {@code SOURCE} is {@code device[/path]}; {@link Mount#device()} and
 * {@link Mount#sourceRoot()} are its two parts. Targets are printed as they are (spaces included,
 * no {@code \040}). The tree form nests mounts in {@code children}; they are flattened here in the
 * order printed, each with its parent's target. Keys besides the four required ones are optional;
 * {@code fsroot} is read when present, anything else is ignored.
 */
public final class FindmntParser {

    /** The command whose output {@link #parse} reads (or its {@code -l -o ...} form). */
    public static final String COMMAND = "findmnt -J -b --real";

    private FindmntParser() {}

    /**
     * @param target the mount point
     * @param source {@code SOURCE} as printed, e.g. {@code /dev/loop2[/@home]}
     * @param device the part of {@code source} before {@code [/…]}
     * @param sourceRoot the part inside the brackets, {@code /@home}; {@code null} when there is none
     * @param fsroot the {@code FSROOT} column, when it was asked for
     * @param options the mount options, split at commas outside double quotes
     * @param parentTarget the target of the enclosing mount in the tree form; {@code null} at the
     *     top and in the list form
     */
    public record Mount(
            String target,
            String source,
            String device,
            @Nullable String sourceRoot,
            String fstype,
            List<String> options,
            @Nullable String fsroot,
            @Nullable String parentTarget) {

        public Mount {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(fstype, "fstype");
            options = List.copyOf(options);
        }

        /** The value of option {@code name=value} ({@code subvol}, {@code subvolid}), or {@code null}. */
        public @Nullable String option(String name) {
            String prefix = name + "=";
            for (String o : options) {
                if (o.startsWith(prefix)) {
                    return o.substring(prefix.length());
                }
            }
            return null;
        }

        public boolean hasFlag(String flag) {
            return options.contains(flag);
        }
    }

    /**
     * @param output what findmnt printed
     * @return every mount, depth first in the order printed
     * @throws ToolOutputException if the output is empty, not JSON, truncated, or a mount lacks
     *     {@code target}, {@code source}, {@code fstype} or {@code options}
     */
    public static List<Mount> parse(String output) {
        ToolJson json = new ToolJson(COMMAND);
        JsonNode root = json.rootObject(output, "filesystems");
        List<Mount> out = new ArrayList<>();
        List<JsonNode> fs = json.array(root, "filesystems", "the top level");
        for (int i = 0; i < fs.size(); i++) {
            collect(json, fs.get(i), "filesystems[" + i + "]", null, out);
        }
        return out;
    }

    private static void collect(ToolJson json, JsonNode node, String where, @Nullable String parent, List<Mount> out) {
        json.object(node, where);
        String target = json.text(node, "target", where);
        String at = where + " (" + target + ")";
        String source = json.text(node, "source", at);
        String device = source;
        String sourceRoot = null;
        int bracket = source.indexOf("[/");
        if (bracket >= 0 && source.endsWith("]")) {
            device = source.substring(0, bracket);
            sourceRoot = source.substring(bracket + 1, source.length() - 1);
        }
        out.add(new Mount(
                target,
                source,
                device,
                sourceRoot,
                json.text(node, "fstype", at),
                splitOptions(json.text(node, "options", at)),
                json.optText(node, "fsroot", at),
                parent));
        List<JsonNode> kids = json.optArray(node, "children", at);
        for (int i = 0; i < kids.size(); i++) {
            collect(json, kids.get(i), where + ".children[" + i + "]", target, out);
        }
    }

    /** Commas inside double quotes (SELinux {@code context="…,c0"}) do not split. */
    static List<String> splitOptions(String options) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
