package dev.rear.engine.config;

import java.util.List;

/**
 * The value of one configuration variable as bash would hold it: a string, or an array of strings.
 * A string is an array of one element for {@code ${KEY[@]}}, and an array reads as its first
 * element for {@code $KEY}, as in bash.
 *
 * @param elements the string (one element) or the array elements
 * @param array    whether the variable is an array ({@code KEY=( ... )})
 */
public record ConfigValue(List<String> elements, boolean array) {

    public ConfigValue {
        elements = List.copyOf(elements);
        if (!array && elements.size() != 1) {
            throw new IllegalArgumentException("a string value has exactly one element, not " + elements.size());
        }
    }

    /** A string value. */
    public static ConfigValue ofString(String value) {
        return new ConfigValue(List.of(value), false);
    }

    /** An array value. */
    public static ConfigValue ofArray(List<String> elements) {
        return new ConfigValue(elements, true);
    }

    /** What bash gives for {@code $KEY}: the string, or the first element of an array ({@code ""} if empty). */
    public String text() {
        return elements.isEmpty() ? "" : elements.get(0);
    }

    /** What bash gives for {@code "${KEY[*]}"}: the elements joined by single spaces. */
    public String joined() {
        return String.join(" ", elements);
    }

    /** The value in ReaR's syntax: {@code "value"} or {@code ( "a" "b" )}, quoted so that bash reads it back unchanged. */
    public String toSyntax() {
        return array ? ConfigSyntax.array(elements) : ConfigSyntax.quote(elements.get(0));
    }

    @Override
    public String toString() {
        return toSyntax();
    }
}
