package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.KeyValueLines.clip;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the firmware's boot entries as {@code efibootmgr -v} prints them (efibootmgr 17 with
 * libefivar 37, Debian 12; see {@code fixtures/efibootmgr/vm-ovmf-*}, captured under OVMF):
 *
 * <pre>
 * BootCurrent: 0005
 * Timeout: 0 seconds
 * BootOrder: 0001,0004,0002,0003,0000,0006,0007,0008,0009,000A,000B,000C,000D,000E
 * Boot0000* UiApp	FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)
 * Boot0001* debian	HD(1,GPT,e5a1b0c7-0001-4e5f-9a0b-00000000da01,0x800,0x32000)/File(\EFI\debian\shimx64.efi)
 * Boot0002  debian-grub	HD(1,GPT,e5a1b0c7-0001-4e5f-9a0b-00000000da01,0x800,0x32000)/File(\EFI\debian\grubx64.efi)
 * Boot0005* rear EFI stub	HD(1,GPT,…,0x800,0x32000)/File(\EFI\rear\vmlinuz.efi)i.n.i.t.r.d.=.\.E.F.I.\…
 * Boot000A* UEFI PXEv4 (MAC:525400524541)	PciRoot(0x0)/Pci(0x1,0x0)/MAC(525400524541,1)/IPv4(0.0.0.00.0.0.0,0,0)N.....YM....R,Y.
 * </pre>
 *
 * <p>The header lines come first, each only when its variable exists: {@code BootNext},
 * {@code BootCurrent} (absent when the firmware started the kernel without a boot entry, as
 * OVMF does for {@code qemu -kernel}), {@code Timeout}, then {@code BootOrder} or
 * {@code No BootOrder is set; firmware will attempt recovery}. Each entry line is
 * {@code Boot}, the number, {@code *} when active or a space when not, a space, the label, a TAB
 * and the device path. Whatever follows the device path directly, without a separator, is the
 * entry's optional data: efibootmgr 17 prints its bytes as ASCII with {@code .} for every byte
 * outside 32–127 (a kernel command line stored as UCS-2 reads {@code i.n.i.t.r.d.=.…}; OVMF marks
 * the entries it made itself with 16 bytes that read {@code N.....YM....R,Y.}); with {@code -u} it
 * decodes them as UCS-2. efibootmgr 18 prints a 16-byte GUID as {@code {name}}, other
 * non-printable data in hex, the data of a shim entry as {@code " File(.\…)"}, and under
 * {@code -v} two more lines per entry, {@code "      dp: …"} and {@code "    data: …"}, which are
 * skipped here. Where the device path ends is found by reading it node by node,
 * {@code Name(arguments)} separated by {@code /}, with balanced parentheses: data that itself
 * begins with {@code /Name(} would be taken for a node. Platforms with memory mirroring add
 * {@code Mirror…} lines after the entries; they are skipped too.
 *
 * <p>Plain {@code efibootmgr} (version 17) prints the entry lines without the TAB and the device
 * path; version 18 prints them with both. {@link Form#PLAIN} reads either, the verbose forms
 * require the path.
 *
 * <p>Normalised here: entry numbers are upper-case hex (efibootmgr prints the variable name,
 * which some firmware writes with lower-case hex, as it is); GPT partition GUIDs are lower case,
 * as {@code blkid} prints {@code PARTUUID} and udev names {@code /dev/disk/by-partuuid}; the MBR
 * signature of an {@code HD(n,MBR,0xSIG,…)} node becomes the Linux PARTUUID {@code ssssssss-nn}.
 * Labels are kept exactly, trailing blanks included (OVMF names a SATA disk
 * {@code "UEFI QEMU HARDDISK QM00001 "}).
 */
public final class EfibootmgrParser {

    /** The command {@link #parse(String)} reads, named in errors. */
    public static final String COMMAND = "efibootmgr -v";

    /** Which of the three listings was run. */
    public enum Form {
        /** {@code efibootmgr}: labels only (version 17) or with device paths (18). */
        PLAIN("efibootmgr"),
        /** {@code efibootmgr -v}: device paths, optional data as ASCII. */
        VERBOSE("efibootmgr -v"),
        /** {@code efibootmgr -u -v}: device paths, optional data decoded as UCS-2. */
        UNICODE_VERBOSE("efibootmgr -u -v");

        private final String command;

        Form(String command) {
            this.command = command;
        }

        /** The command as the administrator would type it. */
        public String command() {
            return command;
        }
    }

    private static final Pattern ENTRY = Pattern.compile("Boot([0-9A-Fa-f]{4})([* ]) (.*)", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("[0-9A-Fa-f]{4}");
    private static final Pattern TIMEOUT = Pattern.compile("Timeout: ([0-9]{1,5}) seconds");
    private static final String NO_BOOT_ORDER = "No BootOrder is set; firmware will attempt recovery";
    private static final Pattern MIRROR = Pattern.compile("(Mirror|DesiredMirror|RequestMirror|MirroredPercentage)\\w*: .*");
    private static final Pattern DUMP = Pattern.compile(" +(dp|data): .*");
    private static final Pattern NODE_START = Pattern.compile("[A-Za-z][A-Za-z0-9_]*\\(");
    private static final Pattern GUID =
            Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");
    private static final Pattern HEX_NUMBER = Pattern.compile("0x[0-9A-Fa-f]{1,16}");

    private EfibootmgrParser() {}

    /**
     * The boot manager's variables.
     *
     * @param bootCurrent the entry this boot was started from, null when the variable is absent
     * @param bootNext the entry the next boot uses once, null when not set
     * @param timeoutSeconds {@code Timeout}, null when not set
     * @param bootOrder the numbers in {@code BootOrder} as printed (duplicates and numbers without
     *     an entry included); empty when there is no BootOrder
     * @param entries every {@code BootXXXX} variable, in the order printed (by number)
     */
    public record BootManager(
            @Nullable String bootCurrent,
            @Nullable String bootNext,
            @Nullable Integer timeoutSeconds,
            List<String> bootOrder,
            List<Entry> entries) {

        public BootManager {
            bootOrder = List.copyOf(bootOrder);
            entries = List.copyOf(entries);
        }

        /** The entry {@code BootXXXX}; {@code number} in either case. */
        public Optional<Entry> entry(String number) {
            String n = number.toUpperCase(Locale.ROOT);
            return entries.stream().filter(e -> e.number().equals(n)).findFirst();
        }

        /** The entry of {@link #bootCurrent()}, if there is both. */
        public Optional<Entry> current() {
            return bootCurrent == null ? Optional.empty() : entry(bootCurrent);
        }

        /** The entries whose device path names the partition {@code partUuid} (either case). */
        public List<Entry> entriesOn(String partUuid) {
            String u = partUuid.toLowerCase(Locale.ROOT);
            return entries.stream().filter(e -> u.equals(e.partUuid())).toList();
        }
    }

    /**
     * One boot entry.
     *
     * @param number four upper-case hex digits ({@code 0001})
     * @param active {@code *}: the firmware may boot it
     * @param label the description, exactly as printed
     * @param devicePath the device path as printed, null in the plain listing of efibootmgr 17
     * @param partition the partition number of an {@code HD(…)} node
     * @param partUuid the partition's GPT GUID, lower case; for an MBR disk
     *     {@code <signature>-<partition>} in hex as Linux forms PARTUUID; null without {@code HD(…)}
     * @param loaderPath the path of the last {@code File(…)} node ({@code \EFI\debian\shimx64.efi}),
     *     null for entries that name no file (PXE, a whole disk, firmware volumes)
     * @param optionalData what was printed after the device path, null if nothing; its rendering
     *     depends on the {@link Form} and the efibootmgr version
     */
    public record Entry(
            String number,
            boolean active,
            String label,
            @Nullable String devicePath,
            @Nullable Integer partition,
            @Nullable String partUuid,
            @Nullable String loaderPath,
            @Nullable String optionalData) {

        public Entry {
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * Parses {@code efibootmgr -v}.
     *
     * @throws ToolOutputException naming {@value #COMMAND}, see {@link #parse(String, Form)}
     */
    public static BootManager parse(String output) {
        return parse(output, Form.VERBOSE);
    }

    /**
     * Parses one of the listings.
     *
     * @param output what the command printed on standard output
     * @param form which command that was
     * @throws ToolOutputException naming {@link Form#command()} if the output is empty or does not
     *     end with a newline (cut off), a line is none that efibootmgr prints, a number is not four
     *     hex digits, a header line or an entry appears twice, a verbose entry line has no device
     *     path, a device path ends inside a node, or an {@code HD(…)} node is not
     *     {@code HD(number,GPT|MBR|type,signature,0xstart,0xsize)}
     */
    public static BootManager parse(String output, Form form) {
        String cmd = form.command();
        if (output.isBlank()) {
            throw new ToolOutputException(cmd, "it printed nothing (efibootmgr prints at least BootOrder or '"
                    + NO_BOOT_ORDER + "')");
        }
        if (!output.endsWith("\n")) {
            throw new ToolOutputException(cmd, "the output ends in the middle of a line (cut off?): '"
                    + clip(output.substring(output.lastIndexOf('\n') + 1)) + "'");
        }
        String bootCurrent = null;
        String bootNext = null;
        Integer timeout = null;
        List<String> bootOrder = null;
        List<Entry> entries = new ArrayList<>();
        Set<String> numbers = new HashSet<>();
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.isBlank()) {
                continue;
            }
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                Entry e = entry(cmd, form, lineNo, m.group(1), m.group(2).equals("*"), m.group(3));
                if (!numbers.add(e.number())) {
                    throw new ToolOutputException(cmd, "line " + lineNo + ": Boot" + e.number() + " appears twice");
                }
                entries.add(e);
            } else if (line.startsWith("BootCurrent: ")) {
                requireOnce(cmd, lineNo, "BootCurrent", bootCurrent);
                bootCurrent = number(cmd, lineNo, "BootCurrent", line.substring("BootCurrent: ".length()));
            } else if (line.startsWith("BootNext: ")) {
                requireOnce(cmd, lineNo, "BootNext", bootNext);
                bootNext = number(cmd, lineNo, "BootNext", line.substring("BootNext: ".length()));
            } else if (line.startsWith("Timeout: ")) {
                requireOnce(cmd, lineNo, "Timeout", timeout);
                Matcher t = TIMEOUT.matcher(line);
                if (!t.matches()) {
                    throw new ToolOutputException(cmd, "line " + lineNo + " is not 'Timeout: N seconds': '" + clip(line) + "'");
                }
                timeout = Integer.valueOf(t.group(1));
            } else if (line.startsWith("BootOrder: ") || line.equals(NO_BOOT_ORDER)) {
                requireOnce(cmd, lineNo, "BootOrder", bootOrder);
                bootOrder = new ArrayList<>();
                if (!line.equals(NO_BOOT_ORDER)) {
                    for (String n : line.substring("BootOrder: ".length()).split(",", -1)) {
                        bootOrder.add(number(cmd, lineNo, "BootOrder", n));
                    }
                }
            } else if (MIRROR.matcher(line).matches()) {
                continue;
            } else if (DUMP.matcher(line).matches() && form != Form.PLAIN && !entries.isEmpty()) {
                continue;
            } else {
                throw new ToolOutputException(cmd, "line " + lineNo + " is not one efibootmgr prints: '" + clip(line) + "'");
            }
        }
        if (entries.isEmpty() && bootOrder == null && bootCurrent == null && bootNext == null && timeout == null) {
            throw new ToolOutputException(cmd, "it printed neither BootOrder, BootCurrent, BootNext, Timeout nor a boot entry");
        }
        return new BootManager(bootCurrent, bootNext, timeout, bootOrder == null ? List.of() : bootOrder, entries);
    }

    private static Entry entry(String cmd, Form form, int lineNo, String number, boolean active, String rest) {
        String num = number.toUpperCase(Locale.ROOT);
        int tab = rest.indexOf('\t');
        if (tab < 0) {
            if (form != Form.PLAIN) {
                throw new ToolOutputException(cmd, "line " + lineNo + " (Boot" + num
                        + ") has no TAB and device path after the label: cut off, or not the output of " + cmd);
            }
            return new Entry(num, active, rest, null, null, null, null, null);
        }
        String label = rest.substring(0, tab);
        String text = rest.substring(tab + 1);
        List<String[]> nodes = new ArrayList<>();
        int end = devicePathEnd(cmd, lineNo, num, text, nodes);
        String devicePath = text.substring(0, end);
        String optionalData = end < text.length() ? text.substring(end) : null;

        Integer partition = null;
        String partUuid = null;
        String loaderPath = null;
        for (String[] node : nodes) {
            if (node[0].equals("HD") && partition == null) {
                String[] hd = hardDrive(cmd, lineNo, num, node[1]);
                partition = Integer.valueOf(hd[0]);
                partUuid = hd[1];
            } else if (node[0].equals("File")) {
                loaderPath = node[1];
            }
        }
        return new Entry(num, active, label, devicePath, partition, partUuid, loaderPath, optionalData);
    }

    /**
     * Reads the nodes {@code Name(args)} separated by {@code /} from the start of {@code text} into
     * {@code nodes} ({name, args}) and returns where the device path ends.
     */
    private static int devicePathEnd(String cmd, int lineNo, String num, String text, List<String[]> nodes) {
        int pos = 0;
        while (true) {
            Matcher m = NODE_START.matcher(text).region(pos, text.length());
            if (!m.lookingAt()) {
                if (nodes.isEmpty()) {
                    throw new ToolOutputException(cmd, "line " + lineNo + " (Boot" + num
                            + "): the device path does not start with a node Name(...): '" + clip(text) + "'");
                }
                return pos - 1; // the '/' belongs to what follows
            }
            String name = text.substring(pos, m.end() - 1);
            int depth = 1;
            int i = m.end();
            for (; i < text.length() && depth > 0; i++) {
                char c = text.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            }
            if (depth > 0) {
                throw new ToolOutputException(cmd, "line " + lineNo + " (Boot" + num + "): the device path ends inside "
                        + name + "(: '" + clip(text.substring(pos)) + "'");
            }
            nodes.add(new String[] {name, text.substring(m.end(), i - 1)});
            if (i < text.length() && text.charAt(i) == '/') {
                pos = i + 1;
            } else {
                return i;
            }
        }
    }

    /** {partition, partUuid or null} of the arguments of an HD node. */
    private static String[] hardDrive(String cmd, int lineNo, String num, String args) {
        String[] a = args.split(",", -1);
        String problem = null;
        if (a.length != 5 || !a[0].matches("[0-9]{1,9}")) {
            problem = "is not HD(number,type,signature,start,size)";
        } else if (!HEX_NUMBER.matcher(a[3]).matches() || !HEX_NUMBER.matcher(a[4]).matches()) {
            problem = "has a start or size that is not a 0x number";
        } else if (a[1].equals("GPT") && !GUID.matcher(a[2]).matches()) {
            problem = "has a GPT signature that is not a GUID";
        } else if (a[1].equals("MBR") && !a[2].matches("0x[0-9A-Fa-f]{1,8}")) {
            problem = "has an MBR signature that is not 0x and up to 8 hex digits";
        }
        if (problem != null) {
            throw new ToolOutputException(cmd, "line " + lineNo + " (Boot" + num + "): HD(" + clip(args) + ") " + problem);
        }
        String partUuid = switch (a[1]) {
            case "GPT" -> a[2].toLowerCase(Locale.ROOT);
            case "MBR" -> String.format(Locale.ROOT, "%08x-%02x", Long.parseLong(a[2].substring(2), 16),
                    Integer.parseInt(a[0]));
            default -> null;
        };
        return new String[] {a[0], partUuid};
    }

    private static String number(String cmd, int lineNo, String what, String value) {
        if (!NUMBER.matcher(value).matches()) {
            throw new ToolOutputException(cmd, "line " + lineNo + ": " + what + " has '" + clip(value)
                    + "', not four hex digits");
        }
        return value.toUpperCase(Locale.ROOT);
    }

    private static void requireOnce(String cmd, int lineNo, String what, @Nullable Object seen) {
        if (seen != null) {
            throw new ToolOutputException(cmd, "line " + lineNo + ": " + what
                    + " appears twice (two outputs run together?)");
        }
    }
}
