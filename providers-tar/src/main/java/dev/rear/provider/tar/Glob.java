package dev.rear.provider.tar;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * GNU tar's exclude patterns as ReaR uses them ({@code --anchored --no-wildcards-match-slash}):
 * {@code *} and {@code ?} do not match {@code /}, {@code [...]} is a class, a pattern is matched
 * against the whole absolute path; an excluded directory is left out with everything below it.
 * A pattern without a leading {@code /} is matched against the path without it.
 */
final class Glob {

    private Glob() {}

    static Pattern compile(String glob) {
        String g = glob.length() > 1 && glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> b.append("[^/]*");
                case '?' -> b.append("[^/]");
                case '[' -> {
                    int end = g.indexOf(']', i + 2);
                    if (end < 0) {
                        b.append("\\[");
                    } else {
                        String cls = g.substring(i + 1, end);
                        if (cls.startsWith("!")) {
                            cls = "^" + cls.substring(1);
                        }
                        b.append('[').append(cls.replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                case '\\' -> {
                    if (i + 1 < g.length()) {
                        b.append(Pattern.quote(String.valueOf(g.charAt(++i))));
                    }
                }
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }

    /** A predicate over absolute paths ({@code /etc/x}) true when any of the globs matches. */
    static Predicate<String> any(List<String> globs) {
        List<Pattern> absolute = globs.stream().filter(g -> g.startsWith("/")).map(Glob::compile).toList();
        List<Pattern> relative = globs.stream().filter(g -> !g.startsWith("/") && !g.isBlank()).map(Glob::compile).toList();
        return path -> absolute.stream().anyMatch(p -> p.matcher(path).matches())
                || relative.stream().anyMatch(p -> p.matcher(path.substring(1)).matches());
    }
}
