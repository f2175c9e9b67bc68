package dev.rear.api.spi;

import java.util.List;

/** Checks shared by the requests: paths "as seen from the root" are absolute and do not climb. */
final class Paths {
    private Paths() {}

    static List<String> absolute(String what, List<String> paths) {
        List<String> copy = List.copyOf(paths);
        for (String p : copy) {
            if (!p.startsWith("/") || p.contains("\0")) {
                throw new IllegalArgumentException(what + " must be absolute paths, not '" + p + "'");
            }
            for (String segment : p.split("/")) {
                if (segment.equals("..")) {
                    throw new IllegalArgumentException(what + " must not contain '..': '" + p + "'");
                }
            }
        }
        return copy;
    }
}
