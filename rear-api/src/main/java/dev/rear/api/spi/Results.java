package dev.rear.api.spi;

import org.jspecify.annotations.Nullable;

/** Checks shared by the result records. */
final class Results {
    private Results() {}

    static void checkCount(String what, @Nullable Long n) {
        if (n != null && n < 0) {
            throw new IllegalArgumentException(what + " cannot be negative: " + n);
        }
    }

    static void checkSha256(String what, @Nullable String hex) {
        if (hex != null && !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(what + " must be 64 lower-case hex digits, not '" + hex + "'");
        }
    }
}
