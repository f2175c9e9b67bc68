package dev.rear.engine.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which values must not be shown, and how they are shown instead. */
final class Secrets {
    private Secrets() {}

    static final String MASK = "***";

    private static final Pattern OPTION_PASSWORD = Pattern.compile("(?i)(?<![A-Za-z0-9_])(password|passwd|pass)=[^,\\s]*");

    /**
     * Whether a variable holds a secret by its name: {@code BACKUP_PROG_CRYPT_KEY},
     * {@code SSH_ROOT_PASSWORD}, anything with {@code PASSWORD}, {@code PASSWD}, {@code PASSPHRASE},
     * {@code SECRET} or {@code TOKEN} in its name, and names ending in {@code _KEY}. (Variables set in
     * ReaR's confidential form are secret too; {@link ConfigEnvironment} remembers those.)
     */
    static boolean isSecretName(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        return n.contains("PASSWORD") || n.contains("PASSWD") || n.contains("PASSPHRASE") || n.contains("SECRET")
                || n.contains("TOKEN") || n.endsWith("_KEY");
    }

    /**
     * A value with the credentials it may carry masked: the password of every URL
     * ({@code cifs://user:pw@host/share} → {@code cifs://user:***@host/share}, the password being
     * what follows the first {@code :} of what precedes the last {@code @} before the path, as ReaR's
     * {@code url_password} reads it) and {@code password=}, {@code passwd=} and {@code pass=} mount
     * options ({@code username=u,password=pw} → {@code username=u,password=***}).
     */
    static String maskCredentials(String value) {
        String s = maskUrlPasswords(value);
        Matcher m = OPTION_PASSWORD.matcher(s);
        return m.find() ? m.replaceAll("$1=" + MASK) : s;
    }

    static String maskUrlPasswords(String value) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int scheme = value.indexOf("://", from);
            if (scheme < 0) {
                return out.append(value, from, value.length()).toString();
            }
            int start = scheme + 3;
            int end = start;
            while (end < value.length() && value.charAt(end) != '/' && !Character.isWhitespace(value.charAt(end))) {
                end++;
            }
            String authority = value.substring(start, end);
            int at = authority.lastIndexOf('@');
            int colon = at < 0 ? -1 : authority.indexOf(':');
            out.append(value, from, start);
            if (colon >= 0 && colon < at) {
                out.append(authority, 0, colon + 1).append(MASK).append(authority, at, authority.length());
            } else {
                out.append(authority);
            }
            from = end;
        }
    }
}
