package dev.rear.engine.config;

import java.util.List;
import java.util.stream.Collectors;

/** Writing values in ReaR's syntax so that bash (and {@link ConfigParser}) reads them back unchanged. */
final class ConfigSyntax {
    private ConfigSyntax() {}

    /** {@code "value"}, with {@code \ " $ `} escaped by a backslash, as bash's double quotes need. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == '\\' || c == '"' || c == '$' || c == '`') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** {@code ( "a" "b c" )}, or {@code ( )} for no elements. */
    static String array(List<String> elements) {
        if (elements.isEmpty()) {
            return "( )";
        }
        return elements.stream().map(ConfigSyntax::quote).collect(Collectors.joining(" ", "( ", " )"));
    }
}
