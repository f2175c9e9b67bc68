package dev.rear.engine.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one configuration file in ReaR's syntax into the assignments bash would make, without
 * running anything; every other line is refused with a {@link ConfigException} naming the file,
 * the line and the column.
 *
 * <p>Accepted, as bash reads it:
 * <ul>
 *   <li>{@code KEY=value}, {@code KEY=} (empty), {@code KEY+=value} (append to the string), several
 *       assignments on one line ({@code A=1 B=2}, {@code A=1; B=2}), {@code export KEY=value};</li>
 *   <li>unquoted text with backslash escapes ({@code a\ b}), {@code '...'} (literal),
 *       {@code "..."} (with {@code \" \\ \$ \`} escapes, {@code $VAR} expanded, several lines);</li>
 *   <li>arrays {@code KEY=( a "b c" 'd' )} and {@code KEY+=( e )}, over several lines, with comments
 *       inside; {@code ${KEY[@]}} and {@code ${KEY[*]}} as in {@code KEY=( "${KEY[@]}" /etc/foo )};</li>
 *   <li>{@code $NAME} and {@code ${NAME}}, expanded later by {@link ConfigEnvironment};</li>
 *   <li>comments ({@code #} at the start of a word), blank lines, a backslash at the end of a line
 *       to continue it;</li>
 *   <li>ReaR's confidential form {@code { KEY='secret' ; } 2>>/dev/$SECRET_OUTPUT_DEV}, whose
 *       assignments are marked secret.</li>
 * </ul>
 *
 * <p>Refused: commands, {@code readonly}/{@code declare}/{@code local}, {@code if}/{@code case}/loops,
 * {@code [[ ]]}/{@code test}, {@code &&}/{@code ||}/pipes/redirections/{@code &}, here-documents,
 * functions, {@code source}/{@code .}, subshells, command substitution ({@code $(...)} and
 * backticks), arithmetic ({@code $((...))}), parameter expansions other than those above, special
 * parameters ({@code $1}, {@code $?}), {@code $'...'}, tilde and brace expansion, assignments to one
 * array element, unquoted values with spaces ({@code KEY=a b}), carriage returns anywhere.
 *
 * <p>Unquoted glob characters ({@code *}, {@code ?}, {@code [...]}) are kept as they are written:
 * bash would expand them against the files present while it reads the configuration; rear leaves
 * that to whoever uses the value (tar, the rescue-system builder).
 */
final class ConfigParser {

    /** A 1-based line and column. */
    record Pos(int line, int column) {}

    /** How a variable is expanded. */
    enum Mode {
        /** {@code $NAME}, {@code ${NAME}}: the string, or the first element of an array. */
        TEXT,
        /** {@code ${NAME[@]}}: every element (separate words when quoted). */
        ALL,
        /** {@code ${NAME[*]}}: every element, joined by a space when quoted. */
        JOINED
    }

    /** A piece of a word. */
    sealed interface Part permits Lit, Ref {}

    /** Literal text; {@code quoted} when it was inside quotes or escaped. */
    record Lit(String text, boolean quoted) implements Part {}

    /** A variable to expand. */
    record Ref(String name, Mode mode, boolean quoted, Pos pos) implements Part {}

    /** One word as written: literal text and variable references. */
    record Word(List<Part> parts, Pos pos) {}

    /**
     * One assignment.
     *
     * @param array  {@code KEY=( ... )}: {@code words} are the elements; otherwise one word
     * @param secret made inside ReaR's confidential {@code { ... ; } 2>>/dev/$SECRET_OUTPUT_DEV}
     */
    record Assignment(String name, boolean append, boolean array, List<Word> words, boolean secret, Pos pos) {
        Assignment {
            words = List.copyOf(words);
        }
    }

    static final String SECRET_REDIRECT = "2>>/dev/$SECRET_OUTPUT_DEV";

    private static final Pattern REF = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\[([@*])\\])?");
    private static final Pattern INDEXED_REF = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\[.*\\]");
    private static final Set<String> DECLARATIONS = Set.of("readonly", "declare", "typeset", "local");
    private static final Set<String> CONDITIONALS = Set.of("if", "then", "elif", "else", "fi", "case", "esac", "test");
    private static final Set<String> LOOPS = Set.of("for", "while", "until", "do", "done", "select");

    private final String file;
    private final String src;
    private final java.util.IdentityHashMap<Assignment, int[]> spans = new java.util.IdentityHashMap<>();
    private final int[] lineStarts;
    private int i;

    private ConfigParser(String file, String src) {
        this.file = file;
        this.src = src;
        int n = 1;
        for (int k = 0; k < src.length(); k++) {
            if (src.charAt(k) == '\n') {
                n++;
            }
        }
        lineStarts = new int[n];
        int l = 1;
        for (int k = 0; k < src.length(); k++) {
            if (src.charAt(k) == '\n') {
                lineStarts[l++] = k + 1;
            }
        }
    }

    /**
     * The assignments of one file, in order.
     *
     * @param file the name used in messages ({@code /etc/rear/local.conf})
     * @param text the content of the file
     * @throws ConfigException at the first thing that is not an assignment
     */
    static List<Assignment> parse(String file, String text) {
        return new ConfigParser(file, text).parseFile();
    }

    /** An assignment and where its text ({@code KEY=value}) is in the file: {@code [start, end)} offsets. */
    record Span(Assignment assignment, int start, int end) {}

    /** {@link #parse} with each assignment's place in {@code text}, in order. */
    static List<Span> spans(String file, String text) {
        ConfigParser p = new ConfigParser(file, text);
        List<Span> out = new ArrayList<>();
        for (Assignment a : p.parseFile()) {
            int[] se = p.spans.get(a);
            out.add(new Span(a, se[0], se[1]));
        }
        return out;
    }

    // ---------------------------------------------------------------- statements

    private List<Assignment> parseFile() {
        int cr = src.indexOf('\r');
        if (cr >= 0) {
            throw err(cr, "carriage return character (perhaps DOS or Mac format), which ReaR refuses too: convert the file with dos2unix");
        }
        if (src.startsWith("\uFEFF")) {
            throw err(0, "the file starts with a byte order mark, which bash would take as part of a command: save it without one");
        }
        List<Assignment> out = new ArrayList<>();
        while (true) {
            skipSeparators();
            if (eof()) {
                return out;
            }
            parseCommand(out, false);
        }
    }

    /**
     * One command, which must be assignments (or ReaR's confidential group). Returns whether it
     * ended with {@code ;} or the end of a line, as bash needs before a closing {@code }}.
     */
    private boolean parseCommand(List<Assignment> out, boolean secret) {
        char c = peek();
        if (c == '{') {
            if (secret) {
                throw err(i, "a { ... } group inside another is not supported: write { KEY='value' ; } " + SECRET_REDIRECT);
            }
            parseSecretGroup(out);
            return true;
        }
        if (c == ';') {
            throw err(i, startsWith(i, ";;") ? "';;' outside a case statement is a syntax error in bash" : "';' without an assignment before it is a syntax error in bash");
        }
        String name = identAt(i);
        int after = i + name.length();
        if (isName(name)) {
            if (at(after) == '=' || startsWith(after, "+=")) {
                return parseAssignments(out, secret, false);
            }
            if (at(after) == '[' && elementAssignment(after)) {
                throw err(i, "assigning one array element (" + name + "[...]=) is not supported: write the whole array, " + name + "=( ... ), or append with " + name + "+=( ... )");
            }
        }
        if (name.equals("export") && isBlank(at(after))) {
            i = after;
            skipBlanks();
            if (!looksLikeAssignment(i)) {
                throw err(i, "export without KEY=value is not supported: write export KEY=value, or just KEY=value");
            }
            return parseAssignments(out, secret, true);
        }
        if (isBlankOrEnd(at(after)) || at(after) == ';') {
            if (DECLARATIONS.contains(name)) {
                throw err(i, "'" + name + "' is not supported: write a plain assignment KEY=value");
            }
            if (CONDITIONALS.contains(name)) {
                throw err(i, "conditionals ('" + name + "') are not supported: rear's configuration holds assignments only; write the value itself");
            }
            if (LOOPS.contains(name)) {
                throw err(i, "loops ('" + name + "') are not supported: rear's configuration holds assignments only");
            }
            if (name.equals("function")) {
                throw err(i, "function definitions are not supported: rear's configuration holds assignments only");
            }
            if (name.equals("source")) {
                throw err(i, "reading another file with 'source' is not supported: give it to rear with -C FILE");
            }
        }
        if (c == '.' && isBlankOrEnd(at(i + 1))) {
            throw err(i, "reading another file with '.' is not supported: give it to rear with -C FILE");
        }
        if (startsWith(i, "[[") || (c == '[' && isBlankOrEnd(at(i + 1)))) {
            throw err(i, "conditionals ('" + (startsWith(i, "[[") ? "[[" : "[") + "') are not supported: rear's configuration holds assignments only; write the value itself");
        }
        if (c == '(') {
            throw err(i, startsWith(i, "((")
                    ? "arithmetic commands (( ... )) are not supported: rear's configuration holds assignments only"
                    : "subshells ( ... ) are not supported: rear's configuration holds assignments only");
        }
        if (c == '}') {
            throw err(i, "'}' without a '{' before it is a syntax error in bash");
        }
        if (c == '$' || c == '`') {
            // e.g. $(command) or `command` as a command of its own
            if (c == '`') {
                throw backtick(i);
            }
            int save = i;
            parseDollar(new ArrayList<>(), false);
            i = save;
        }
        if (isName(name)) {
            int j = after;
            while (isBlank(at(j))) {
                j++;
            }
            if (startsWith(j, "()")) {
                throw err(i, "function definitions are not supported: rear's configuration holds assignments only");
            }
            if (at(j) == '=' || startsWith(j, "+=")) {
                throw err(i, "spaces around '=': bash would run '" + name + "' as a command; write " + name + "=value without spaces");
            }
        }
        if (restOfLine(i).contains("<<")) {
            throw err(i, "here-documents (<<) are not supported: write the value in quotes, KEY=\"...\"");
        }
        throw err(i, "'" + tokenAt(i) + "' is a command, not an assignment: rear's configuration holds assignments only (KEY=value, KEY=( ... ), KEY+=...)");
    }

    /** One or more assignments of one command, and what ends the command. */
    private boolean parseAssignments(List<Assignment> out, boolean secret, boolean exported) {
        while (true) {
            int start = i;
            Assignment a = parseAssignment(secret);
            out.add(a);
            int end = i;
            spans.put(a, new int[] {start, end});
            skipBlanks();
            boolean blank = i > end;
            if (eof() || peek() == '\n') {
                return true;
            }
            char c = peek();
            if (c == '#' && blank) {
                skipComment();
                return true;
            }
            if (c == ';') {
                if (startsWith(i, ";;")) {
                    throw err(i, "';;' outside a case statement is a syntax error in bash");
                }
                i++;
                return true;
            }
            if (startsWith(i, "&&") || startsWith(i, "||")) {
                throw err(i, "'" + src.substring(i, i + 2) + "' is not supported: rear's configuration holds assignments only, no conditionals");
            }
            if (c == '|') {
                throw err(i, "pipes (|) are not supported: rear's configuration holds assignments only");
            }
            if (c == '&') {
                throw err(i, "'&' (running in the background) is not supported: rear's configuration holds assignments only");
            }
            if (startsWith(i, "<<")) {
                throw err(i, "here-documents (<<) are not supported: write the value in quotes, KEY=\"...\"");
            }
            if (c == '<' || c == '>' || (Character.isDigit(c) && (at(i + 1) == '>' || at(i + 1) == '<'))) {
                throw err(i, "redirections (<, >) are not supported: rear's configuration holds assignments only");
            }
            if (!blank) {
                throw err(i, "unexpected '" + c + "' right after the value of " + a.name() + ": quote the value");
            }
            if (secret && c == '}') {
                return false;
            }
            if (looksLikeAssignment(i)) {
                continue;
            }
            String word = tokenAt(i);
            if (!a.array() && a.words().get(0).parts().isEmpty() && at(start + a.name().length() + (a.append() ? 2 : 1)) != '\\') {
                throw err(i, "space after '=': bash would set " + a.name() + " to an empty value and run '" + word
                        + "' as a command; write " + a.name() + "=" + word + " or " + a.name() + "=\"" + word + "\"");
            }
            String value = src.substring(start + a.name().length() + (a.append() ? 2 : 1), end);
            if (exported && isName(word)) {
                throw err(i, "export without KEY=value is not supported: write export KEY=value, or just KEY=value");
            }
            String fix = value.matches("[^'\"\\\\$`]*") && word.matches("[^'\"\\\\$`]*")
                    ? "quote the value: " + a.name() + "=\"" + value + " " + word + "\"" : "put the whole value in quotes";
            throw err(i, "unquoted value with a space: bash would run '" + word + "' as a command with " + a.name() + "=" + value
                    + " in its environment; " + fix);
        }
    }

    private Assignment parseAssignment(boolean secret) {
        int start = i;
        String name = identAt(i);
        i += name.length();
        boolean append = false;
        if (peek() == '+') {
            append = true;
            i++;
        }
        i++; // '='
        if (!eof() && peek() == '(') {
            int open = i++;
            List<Word> words = parseArrayBody(open);
            return new Assignment(name, append, true, words, secret, pos(start));
        }
        Word w = parseWord(false);
        return new Assignment(name, append, false, List.of(w), secret, pos(start));
    }

    /** ReaR's {@code { KEY='secret' ; } 2>>/dev/$SECRET_OUTPUT_DEV}. */
    private void parseSecretGroup(List<Assignment> out) {
        int open = i;
        String form = "a { ... } group is accepted only in ReaR's form for secrets, { KEY='value' ; } " + SECRET_REDIRECT;
        i++;
        if (!isBlankOrEnd(peek())) {
            throw err(open, form);
        }
        boolean terminated = true;
        int count = 0;
        while (true) {
            skipSeparators();
            if (eof()) {
                throw err(open, "the '{' opened here is not closed with '}': " + form);
            }
            if (peek() == '}') {
                if (!terminated) {
                    throw err(i, "'}' must follow ';' or a new line: " + form);
                }
                if (count == 0) {
                    throw err(open, "an empty { } group is a syntax error in bash");
                }
                i++;
                break;
            }
            if (!terminated) {
                throw err(i, form);
            }
            int before = out.size();
            terminated = parseCommand(out, true);
            count += out.size() - before;
        }
        skipBlanks();
        if (!startsWith(i, SECRET_REDIRECT)) {
            throw err(open, form);
        }
        i += SECRET_REDIRECT.length();
        int end = i;
        skipBlanks();
        if (eof() || peek() == '\n') {
            return;
        }
        if (peek() == '#' && i > end) {
            skipComment();
            return;
        }
        if (peek() == ';' && !startsWith(i, ";;")) {
            i++;
            return;
        }
        throw err(i, form);
    }

    // ---------------------------------------------------------------- words

    private List<Word> parseArrayBody(int open) {
        List<Word> words = new ArrayList<>();
        while (true) {
            skipSeparators();
            if (eof()) {
                throw err(open, "the array opened here with '(' is not closed with ')'");
            }
            char c = peek();
            if (c == ')') {
                i++;
                return words;
            }
            if (c == '(') {
                throw err(i, "'(' inside an array is not supported: quote it");
            }
            if (startsWith(i, "<<")) {
                throw err(i, "here-documents (<<) are not supported: write the value in quotes, KEY=\"...\"");
            }
            if (";&|<>".indexOf(c) >= 0) {
                throw err(i, "'" + c + "' inside an array is not supported: quote it");
            }
            if (c == '[' && elementAssignment(i)) {
                throw err(i, "array elements with an index ([N]=value) are not supported: list the elements in order");
            }
            words.add(parseWord(true));
        }
    }

    /** One word: up to an unquoted blank, new line or operator. */
    private Word parseWord(boolean inArray) {
        int start = i;
        List<Part> parts = new ArrayList<>();
        while (!eof()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>') {
                break;
            }
            if (c == ')') {
                if (inArray) {
                    break;
                }
                throw err(i, "unquoted ')' in a value: quote the value");
            }
            if (c == '(') {
                throw err(i, inArray ? "'(' inside an array is not supported: quote it" : "unquoted '(' in a value: quote the value");
            }
            switch (c) {
                case '\\' -> {
                    if (at(i + 1) == '\n') {
                        i += 2;
                    } else if (i + 1 >= src.length()) {
                        throw err(i, "a backslash at the end of the file continues nothing: remove it");
                    } else {
                        parts.add(new Lit(String.valueOf(src.charAt(i + 1)), true));
                        i += 2;
                    }
                }
                case '\'' -> parseSingleQuoted(parts);
                case '"' -> parseDoubleQuoted(parts);
                case '$' -> parseDollar(parts, false);
                case '`' -> throw backtick(i);
                case '~' -> {
                    if (i == start || (!inArray && endsWithUnquotedColon(parts))) {
                        throw err(i, "tilde expansion (~) is not supported: write the path itself, e.g. /root");
                    }
                    parts.add(new Lit("~", false));
                    i++;
                }
                case '{', '}' -> {
                    if (inArray) {
                        throw err(i, "brace expansion ({a,b}) is not supported: write the words out, or quote the braces");
                    }
                    parts.add(new Lit(String.valueOf(c), false));
                    i++;
                }
                default -> {
                    parts.add(new Lit(String.valueOf(c), false));
                    i++;
                }
            }
        }
        return new Word(merge(parts), pos(start));
    }

    private void parseSingleQuoted(List<Part> parts) {
        int open = i;
        int close = src.indexOf('\'', i + 1);
        if (close < 0) {
            throw err(open, "the single quote opened here is not closed");
        }
        parts.add(new Lit(src.substring(i + 1, close), true));
        i = close + 1;
    }

    private void parseDoubleQuoted(List<Part> parts) {
        int open = i++;
        int first = parts.size();
        while (true) {
            if (eof()) {
                throw err(open, "the double quote opened here is not closed");
            }
            char c = peek();
            if (c == '"') {
                i++;
                break;
            }
            if (c == '\\') {
                char n = at(i + 1);
                if (n == '\n') {
                    i += 2;
                } else if (i + 1 < src.length() && (n == '$' || n == '`' || n == '"' || n == '\\')) {
                    parts.add(new Lit(String.valueOf(n), true));
                    i += 2;
                } else {
                    parts.add(new Lit("\\", true));
                    i++;
                }
            } else if (c == '$') {
                parseDollar(parts, true);
            } else if (c == '`') {
                throw backtick(i);
            } else {
                parts.add(new Lit(String.valueOf(c), true));
                i++;
            }
        }
        // "" makes a word of its own, even empty; "${A[@]}" of an empty array makes none, as in bash.
        boolean all = parts.subList(first, parts.size()).stream().anyMatch(p -> p instanceof Ref r && r.mode() == Mode.ALL);
        if (!all) {
            parts.add(new Lit("", true));
        }
    }

    /** At a {@code $}: a variable, a literal {@code $}, or something refused. */
    private void parseDollar(List<Part> parts, boolean quoted) {
        int d = i;
        char n = at(i + 1);
        if (n == '(') {
            throw err(d, startsWith(d, "$((")
                    ? "arithmetic expansion $((...)) is not supported: write the number itself"
                    : "command substitution $(...) is not supported: write the value itself");
        }
        if (n == '[') {
            throw err(d, "arithmetic expansion $[...] is not supported: write the number itself");
        }
        if (n == '{') {
            int close = src.indexOf('}', d + 2);
            int newline = src.indexOf('\n', d + 2);
            if (close < 0 || (newline >= 0 && newline < close)) {
                throw err(d, "the '${' here is not closed with '}'");
            }
            String inner = src.substring(d + 2, close);
            Matcher m = REF.matcher(inner);
            if (m.matches()) {
                Mode mode = m.group(2) == null ? Mode.TEXT : m.group(2).equals("@") ? Mode.ALL : Mode.JOINED;
                parts.add(new Ref(m.group(1), mode, quoted, pos(d)));
                i = close + 1;
                return;
            }
            if (INDEXED_REF.matcher(inner).matches()) {
                throw err(d, "one array element (${" + inner + "}) is not supported: rear expands ${NAME}, ${NAME[@]} and ${NAME[*]}");
            }
            if (inner.contains("$(") || inner.contains("`")) {
                throw err(d, "command substitution $(...) is not supported: write the value itself");
            }
            throw err(d, "parameter expansion ${" + inner + "} is not supported: rear expands $NAME, ${NAME}, ${NAME[@]} and ${NAME[*]}; write the value itself");
        }
        if (isNameStart(n)) {
            int e = i + 1;
            while (e < src.length() && isNameChar(src.charAt(e))) {
                e++;
            }
            parts.add(new Ref(src.substring(i + 1, e), Mode.TEXT, quoted, pos(d)));
            i = e;
            return;
        }
        if (n != 0 && (Character.isDigit(n) || "@*#?-$!".indexOf(n) >= 0)) {
            throw err(d, "$" + n + " is a special parameter of bash, which rear does not support: write the value itself");
        }
        if (!quoted && n == '\'') {
            throw err(d, "$'...' quoting is not supported: use '...' or \"...\"");
        }
        if (!quoted && n == '"') {
            throw err(d, "$\"...\" (locale translation) is not supported: use \"...\"");
        }
        parts.add(new Lit("$", quoted));
        i++;
    }

    private ConfigException backtick(int at) {
        return err(at, "command substitution `...` is not supported: write the value itself");
    }

    private static List<Part> merge(List<Part> parts) {
        List<Part> out = new ArrayList<>();
        for (Part p : parts) {
            if (!out.isEmpty() && p instanceof Lit l && out.get(out.size() - 1) instanceof Lit prev && prev.quoted() == l.quoted()) {
                out.set(out.size() - 1, new Lit(prev.text() + l.text(), l.quoted()));
            } else {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    private static boolean endsWithUnquotedColon(List<Part> parts) {
        return !parts.isEmpty() && parts.get(parts.size() - 1) instanceof Lit l && !l.quoted() && l.text().endsWith(":");
    }

    // ---------------------------------------------------------------- lexing helpers

    private void skipSeparators() {
        while (!eof()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\n') {
                i++;
            } else if (c == '\\' && at(i + 1) == '\n') {
                i += 2;
            } else if (c == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipBlanks() {
        while (!eof()) {
            char c = peek();
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '\\' && at(i + 1) == '\n') {
                i += 2;
            } else {
                return;
            }
        }
    }

    private void skipComment() {
        while (!eof() && peek() != '\n') {
            i++;
        }
    }

    private boolean looksLikeAssignment(int at) {
        String name = identAt(at);
        int after = at + name.length();
        return isName(name) && (at(after) == '=' || startsWith(after, "+="));
    }

    /** At a {@code [}: whether {@code [...]=} or {@code [...]+=} follows before a blank. */
    private boolean elementAssignment(int bracket) {
        for (int k = bracket; k < src.length() && !isBlankOrEnd(src.charAt(k)); k++) {
            if (src.charAt(k) == ']') {
                return at(k + 1) == '=' || startsWith(k + 1, "+=");
            }
        }
        return false;
    }

    private String identAt(int at) {
        int e = at;
        while (e < src.length() && isNameChar(src.charAt(e))) {
            e++;
        }
        return src.substring(at, e);
    }

    /** The raw text up to the next blank or operator, for messages. */
    private String tokenAt(int at) {
        int e = at;
        while (e < src.length() && !isBlankOrEnd(src.charAt(e)) && ";&|<>()".indexOf(src.charAt(e)) < 0) {
            e++;
        }
        return e == at ? String.valueOf(src.charAt(at)) : src.substring(at, e);
    }

    private String restOfLine(int at) {
        int e = src.indexOf('\n', at);
        return src.substring(at, e < 0 ? src.length() : e);
    }

    private static boolean isName(String s) {
        return !s.isEmpty() && isNameStart(s.charAt(0));
    }

    private static boolean isNameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isBlankOrEnd(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0;
    }

    private boolean eof() {
        return i >= src.length();
    }

    private char peek() {
        return src.charAt(i);
    }

    /** The character at {@code k}, or 0 past the end. */
    private char at(int k) {
        return k < src.length() ? src.charAt(k) : 0;
    }

    private boolean startsWith(int at, String s) {
        return src.startsWith(s, at);
    }

    private Pos pos(int index) {
        int l = Arrays.binarySearch(lineStarts, index);
        int line = l >= 0 ? l : -l - 2;
        return new Pos(line + 1, index - lineStarts[line] + 1);
    }

    private ConfigException err(int index, String reason) {
        Pos p = pos(index);
        return new ConfigException(file, p.line(), p.column(), reason);
    }
}
