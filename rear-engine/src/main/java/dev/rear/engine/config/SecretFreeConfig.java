package dev.rear.engine.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration file as it may travel into the rescue system: every secret value blanked (the
 * variables {@link RearConfig#isSecret} names by their name, and those set in ReaR's confidential
 * form) and the passwords inside URLs and mount options masked, everything else — comments, line
 * structure — kept, so line numbers in messages still match the original.
 */
public final class SecretFreeConfig {
    private SecretFreeConfig() {}

    /** {@code password=}, {@code passwd=}, {@code pass=} options, their value ending at a comma, a blank or a quote. */
    private static final java.util.regex.Pattern OPTION_PASSWORD =
            java.util.regex.Pattern.compile("(?i)(?<![A-Za-z0-9_])(password|passwd|pass)=[^,\\s\"']*");

    /** What was blanked: the variable and the line its assignment starts on. */
    public record Blanked(String name, int line) {}

    /** The rendered file and what was blanked in it. */
    public record Result(String text, List<Blanked> blanked) {
        public Result {
            blanked = List.copyOf(blanked);
        }
    }

    /**
     * Renders {@code text} without its secrets.
     *
     * @param file the file's name for messages
     * @throws ConfigException when the file is no valid configuration (then nothing of it is carried)
     */
    public static Result render(String file, String text) {
        List<ConfigParser.Span> spans = ConfigParser.spans(file, text);
        StringBuilder out = new StringBuilder();
        List<Blanked> blanked = new ArrayList<>();
        int from = 0;
        for (ConfigParser.Span s : spans) {
            ConfigParser.Assignment a = s.assignment();
            String original = text.substring(s.start(), s.end());
            out.append(text, from, s.start());
            if (a.secret() || Secrets.isSecretName(a.name())) {
                String head = a.name() + (a.append() ? "+=" : "=");
                out.append(head).append(a.array() ? "()" : "''");
                // keep the line structure: as many line breaks as the value spanned
                original.chars().filter(c -> c == '\n').forEach(c -> out.append('\n'));
                blanked.add(new Blanked(a.name(), a.pos().line()));
            } else {
                String masked = OPTION_PASSWORD.matcher(Secrets.maskUrlPasswords(original)).replaceAll("$1=" + Secrets.MASK);
                if (!masked.equals(original)) {
                    blanked.add(new Blanked(a.name(), a.pos().line()));
                }
                out.append(masked);
            }
            from = s.end();
        }
        out.append(text, from, text.length());
        return new Result(out.toString(), blanked);
    }
}
