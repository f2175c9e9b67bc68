package dev.rear.engine.output;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The boot menus of the rescue system: a GRUB {@code grub.cfg} (ISO, USB, GRUB netboot) and a
 * PXELINUX entry file. Each offers "Recover HOSTNAME" (the rescue shell, the default after a short
 * timeout) and "Recover HOSTNAME (unattended)" (kernel argument {@code unattended}: the rescue system
 * runs {@code rear recover} by itself), on the serial port (115200 baud, unit 0) and the console
 * alike, so a recovery over a serial line or an IPMI/iLO text console works.
 */
public final class BootMenu {
    private BootMenu() {}

    /** Seconds the menu waits before it boots the default entry. */
    public static final int TIMEOUT_SECONDS = 5;

    /** Characters a kernel argument may hold without quoting in GRUB's and PXELINUX's syntax. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.,:=/+@%-]+");

    /**
     * The kernel arguments of a boot entry: the image's own, then the request's, in that order.
     *
     * @throws OutputException when an argument holds a blank, a quote, a newline or a character a
     *                         boot loader would take as its own syntax ({@code ; $ { } ...})
     */
    public static List<String> kernelArgs(List<String> imageCmdline, List<String> requestCmdline) {
        List<String> out = new ArrayList<>();
        for (String a : concat(imageCmdline, requestCmdline)) {
            if (a.isEmpty()) {
                continue;
            }
            if (!PLAIN.matcher(a).matches()) {
                throw new OutputException("the kernel argument '" + a.replace("\n", "\\n") + "' cannot go into a boot menu: "
                        + "only letters, digits and _ . , : = / + @ % - are allowed (no blanks, quotes or shell characters)");
            }
            out.add(a);
        }
        return out;
    }

    /**
     * A GRUB configuration.
     *
     * @param hostname  the host whose rescue system it boots (entry titles)
     * @param kernel    the kernel's path as GRUB sees it ({@code /boot/kernel})
     * @param initrd    the initramfs's path as GRUB sees it
     * @param args      the kernel arguments ({@link #kernelArgs})
     * @param rootLabel a filesystem label to find the files on ({@code search --label}), or {@code null}
     *                  when GRUB's root is already right (an ISO made by grub-mkrescue, a TFTP server)
     * @param comment   a first comment line (what wrote it, when)
     */
    public static String grub(String hostname, String kernel, String initrd, List<String> args, @Nullable String rootLabel, String comment) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(comment).append('\n');
        b.append("serial --unit=0 --speed=115200\n");
        b.append("terminal_input serial console\n");
        b.append("terminal_output serial console\n");
        if (rootLabel != null) {
            b.append("search --no-floppy --set=root --label ").append(rootLabel).append('\n');
        }
        b.append("set default=0\n");
        b.append("set timeout=").append(TIMEOUT_SECONDS).append('\n');
        b.append('\n');
        entry(b, "Recover " + hostname, "rear", kernel, initrd, args);
        List<String> unattended = new ArrayList<>(args);
        unattended.add("unattended");
        entry(b, "Recover " + hostname + " (unattended)", "rear-unattended", kernel, initrd, unattended);
        b.append("menuentry \"Boot the next device (leave the rescue system)\" --id next {\n");
        b.append("    exit\n");
        b.append("}\n");
        return b.toString();
    }

    private static void entry(StringBuilder b, String title, String id, String kernel, String initrd, List<String> args) {
        b.append("menuentry \"").append(title).append("\" --id ").append(id).append(" {\n");
        b.append("    echo \"Loading the kernel and the rescue system ...\"\n");
        b.append("    linux ").append(kernel);
        args.forEach(a -> b.append(' ').append(a));
        b.append('\n');
        b.append("    initrd ").append(initrd).append('\n');
        b.append("}\n");
    }

    /**
     * A PXELINUX entry file ({@code pxelinux.cfg/...}); paths are relative to the TFTP root.
     */
    public static String pxelinux(String hostname, String kernel, String initrd, List<String> args, String comment) {
        String append = String.join(" ", args);
        StringBuilder b = new StringBuilder();
        b.append("# ").append(comment).append('\n');
        b.append("serial 0 115200\n");
        b.append("default rear\n");
        b.append("prompt 1\n");
        b.append("timeout ").append(TIMEOUT_SECONDS * 10).append('\n');
        b.append("say Relax-and-Recover rescue system of ").append(hostname)
                .append(": 'rear' boots it, 'rear-unattended' recovers by itself, 'local' boots the local disk\n");
        b.append('\n');
        b.append("label rear\n");
        b.append("    menu label Recover ").append(hostname).append('\n');
        b.append("    kernel ").append(kernel).append('\n');
        b.append("    append initrd=").append(initrd).append(append.isEmpty() ? "" : " " + append).append('\n');
        b.append('\n');
        b.append("label rear-unattended\n");
        b.append("    menu label Recover ").append(hostname).append(" (unattended)\n");
        b.append("    kernel ").append(kernel).append('\n');
        b.append("    append initrd=").append(initrd).append(append.isEmpty() ? "" : " " + append).append(" unattended\n");
        b.append('\n');
        b.append("label local\n");
        b.append("    menu label Boot the local disk\n");
        b.append("    localboot 0\n");
        return b.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
