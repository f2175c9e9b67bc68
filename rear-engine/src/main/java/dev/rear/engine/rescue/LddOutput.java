package dev.rear.engine.rescue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shared libraries a program needs, from the output of {@code ldd PROGRAM}:
 *
 * <pre>
 *	linux-vdso.so.1 (0x00007f267bf15000)
 *	libcryptsetup.so.12 =&gt; /lib/x86_64-linux-gnu/libcryptsetup.so.12 (0x00007f267be49000)
 *	/lib64/ld-linux-x86-64.so.2 (0x00007f267bf17000)
 * </pre>
 *
 * The vDSO has no file and is left out; a library ldd could not find ({@code => not found}) is
 * an error naming it, since the program would not start in the rescue system.
 */
public final class LddOutput {
    private LddOutput() {}

    /** Whether {@code ldd} said the program is statically linked (or is no ELF program at all, e.g. a script). */
    public static boolean isStatic(String out) {
        return out.contains("not a dynamic executable") || out.contains("statically linked");
    }

    /**
     * The absolute paths of the libraries (and the dynamic loader) in {@code out}, in order.
     *
     * @param program names the program in messages
     * @throws IllegalStateException when a library was not found
     */
    public static List<String> libraries(String program, String out) {
        Set<String> libs = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (String raw : out.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int arrow = line.indexOf("=>");
            if (arrow >= 0) {
                String rest = line.substring(arrow + 2).strip();
                if (rest.startsWith("not found")) {
                    missing.add(line.substring(0, arrow).strip());
                } else if (rest.startsWith("/")) {
                    libs.add(rest.split("\\s+")[0]);
                }
            } else if (line.startsWith("/")) {
                libs.add(line.split("\\s+")[0]);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(program + " needs " + String.join(", ", missing) + ", which ldd did not find on this machine");
        }
        return List.copyOf(libs);
    }
}
