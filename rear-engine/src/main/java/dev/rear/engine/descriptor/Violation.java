package dev.rear.engine.descriptor;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with a descriptor.
 *
 * @param path    where, as a JSON path from the document root: {@code $.disks[0].partitionTable.partitions[1]}
 * @param rule    which rule is broken, a stable kebab-case name ({@code partition-overlap}); rules
 *                checked by the JSON Schema are named {@code schema:<keyword>}, field constraints
 *                {@code field:<constraint>}
 * @param message one sentence for the administrator
 */
public record Violation(String path, String rule, String message) {

    /** By path, then rule, then message: the order reports list them in. */
    public static final Comparator<Violation> ORDER = Comparator.comparing(Violation::path)
            .thenComparing(Violation::rule).thenComparing(Violation::message);

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message + " [" + rule + "]";
    }
}
