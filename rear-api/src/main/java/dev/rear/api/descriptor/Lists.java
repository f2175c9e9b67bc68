package dev.rear.api.descriptor;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Immutable copies for record components; an absent list is an empty list. */
final class Lists {
    private Lists() {}

    static <T> List<T> copy(@Nullable List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** {@code /dev/sda2} → {@code sda2}, {@code /dev/vg0/root} → {@code vg0/root}. */
    static String devName(String path) {
        return path.startsWith("/dev/") ? path.substring(5) : path;
    }
}
