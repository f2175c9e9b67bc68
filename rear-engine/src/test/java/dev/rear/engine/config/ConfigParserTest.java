package dev.rear.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.config.ConfigParser.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ReaR's configuration syntax: what bash would assign for every accepted form, and the file, line
 * and reason for every refused one.
 */
class ConfigParserTest {

    private static final String FILE = "/etc/rear/local.conf";

    /** Parses and applies {@code text} on top of a few of rear's fixed variables. */
    static Map<String, ConfigValue> eval(String text) {
        ConfigEnvironment env = new ConfigEnvironment();
        env.fix("VAR_DIR", "/var/lib/rear");
        env.fix("HOSTNAME", "pluto");
        env.apply(FILE, ConfigParser.parse(FILE, text));
        return env.all().entrySet().stream()
                .filter(e -> !e.getValue().fixed())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().value()));
    }

    static String text(String config, String name) {
        ConfigValue v = eval(config).get(name);
        assertThat(v).as(name).isNotNull();
        assertThat(v.array()).as(name + " is a string").isFalse();
        return v.text();
    }

    static List<String> array(String config, String name) {
        ConfigValue v = eval(config).get(name);
        assertThat(v).as(name).isNotNull();
        assertThat(v.array()).as(name + " is an array").isTrue();
        return v.elements();
    }

    /** The message of the ConfigException the text is refused with. */
    static String refused(String text) {
        try {
            eval(text);
        } catch (ConfigException e) {
            assertThat(e.file()).isEqualTo(FILE);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Nested
    class Accepted {

        @Test
        void plainValues() {
            assertThat(text("OUTPUT=ISO\n", "OUTPUT")).isEqualTo("ISO");
            assertThat(text("BACKUP_URL=nfs://server/export/rear\n", "BACKUP_URL")).isEqualTo("nfs://server/export/rear");
            assertThat(text("BACKUP_URL=\n", "BACKUP_URL")).isEmpty();
            assertThat(text("BACKUP_TYPE=", "BACKUP_TYPE")).isEmpty();
            assertThat(text("A=x=y,z:w\n", "A")).isEqualTo("x=y,z:w");
            assertThat(text("A=a#b\n", "A")).as("# inside a word is not a comment").isEqualTo("a#b");
            assertThat(text("A=#b\n", "A")).as("nor right after =").isEqualTo("#b");
            assertThat(text("A=a\\ b\\\"c\n", "A")).isEqualTo("a b\"c");
            assertThat(text("A=a{b,c}\n", "A")).as("no brace expansion in an assignment").isEqualTo("a{b,c}");
            assertThat(text("A=/opt/*.conf\n", "A")).as("globs are kept").isEqualTo("/opt/*.conf");
        }

        @Test
        void doubleQuotes() {
            assertThat(text("A=\"a b\"\n", "A")).isEqualTo("a b");
            assertThat(text("A=\"\"\n", "A")).isEmpty();
            assertThat(text("A=\"q\\\"q b\\\\s d\\$HOME t\\`x\"\n", "A")).isEqualTo("q\"q b\\s d$HOME t`x");
            assertThat(text("A=\"a\\nb\\tc\"\n", "A")).as("other backslashes stay").isEqualTo("a\\nb\\tc");
            assertThat(text("A=\"it's\"\n", "A")).isEqualTo("it's");
            assertThat(text("A=\"cost $ 5 and $\"\n", "A")).isEqualTo("cost $ 5 and $");
            assertThat(text("A=\"line one\nline two\"\n", "A")).isEqualTo("line one\nline two");
        }

        @Test
        void singleQuotes() {
            assertThat(text("A='$HOME \"x\" \\n `y` $(z)'\n", "A")).isEqualTo("$HOME \"x\" \\n `y` $(z)");
            assertThat(text("A=''\n", "A")).isEmpty();
            assertThat(text("A=a\"b c\"'d e'f\n", "A")).isEqualTo("ab cd ef");
        }

        @Test
        void expansionOfVariablesAlreadySet() {
            String conf = """
                    SERVER=nas1
                    BACKUP_URL=nfs://$SERVER/export/${HOSTNAME}
                    OUT="$VAR_DIR/output/*"
                    LATE=${SERVER}_x$SERVER.y
                    """;
            assertThat(text(conf, "BACKUP_URL")).isEqualTo("nfs://nas1/export/pluto");
            assertThat(text(conf, "OUT")).isEqualTo("/var/lib/rear/output/*");
            assertThat(text(conf, "LATE")).isEqualTo("nas1_xnas1.y");
        }

        @Test
        void arrays() {
            assertThat(array("A=( a \"b c\" 'd' )\n", "A")).containsExactly("a", "b c", "d");
            assertThat(array("A=()\n", "A")).isEmpty();
            assertThat(array("A=( )\n", "A")).isEmpty();
            assertThat(array("A=(a b)\n", "A")).containsExactly("a", "b");
            assertThat(array("A=( \"\" '' x )\n", "A")).as("quoted empty strings are elements").containsExactly("", "", "x");
            assertThat(array("A=( '/tmp/*' /dev/shm/* a#b )\n", "A")).containsExactly("/tmp/*", "/dev/shm/*", "a#b");
            assertThat(array("A=( $VAR_DIR/output/\\* dev/watchdog\\* )\n", "A")).containsExactly("/var/lib/rear/output/*", "dev/watchdog*");
        }

        @Test
        void multiLineArrayWithComments() {
            String conf = """
                    # programs for the rescue system
                    REQUIRED_PROGS=(
                        snapper   # btrfs snapshots
                        chattr
                    # a comment on its own line
                        "my prog" # with a space
                    )
                    PROGS=( a
                            b )
                    """;
            assertThat(array(conf, "REQUIRED_PROGS")).containsExactly("snapper", "chattr", "my prog");
            assertThat(array(conf, "PROGS")).containsExactly("a", "b");
        }

        @Test
        void appendToArraysAndStrings() {
            String conf = """
                    COPY_AS_IS=( /usr/share/rear /var/lib/rear )
                    COPY_AS_IS+=( /etc/foo "/etc/b a r" )
                    NEW+=( x )
                    S=abc
                    S+=def
                    S+="$S"
                    """;
            assertThat(array(conf, "COPY_AS_IS")).containsExactly("/usr/share/rear", "/var/lib/rear", "/etc/foo", "/etc/b a r");
            assertThat(array(conf, "NEW")).containsExactly("x");
            assertThat(text(conf, "S")).isEqualTo("abcdefabcdef");
        }

        @Test
        void spliceIdiom() {
            String conf = """
                    COPY_AS_IS=( /usr/share/rear "/with space" )
                    COPY_AS_IS=( "${COPY_AS_IS[@]}" /etc/foo )
                    BACKUP_PROG_EXCLUDE=( '/tmp/*' )
                    BACKUP_PROG_EXCLUDE=("${BACKUP_PROG_EXCLUDE[@]}" '/mnt/*')
                    """;
            assertThat(array(conf, "COPY_AS_IS")).containsExactly("/usr/share/rear", "/with space", "/etc/foo");
            assertThat(array(conf, "BACKUP_PROG_EXCLUDE")).containsExactly("/tmp/*", "/mnt/*");
        }

        @Test
        void arrayExpansionsAsBashMakesThem() {
            String conf = """
                    A=( "x y" z )
                    E=( )
                    EMPTY=
                    SPLIT=( ${A[@]} )
                    STAR=( "${A[*]}" )
                    FIRST=$A
                    JOINED="${A[@]}"
                    NONE=( "${E[@]}" $EMPTY )
                    KEPT=( "$EMPTY" )
                    AFFIX=( "<${A[@]}>" )
                    WORDS=" p  q "
                    W=( $WORDS x$WORDS )
                    """;
            assertThat(array(conf, "SPLIT")).containsExactly("x", "y", "z");
            assertThat(array(conf, "STAR")).containsExactly("x y z");
            assertThat(text(conf, "FIRST")).isEqualTo("x y");
            assertThat(text(conf, "JOINED")).isEqualTo("x y z");
            assertThat(array(conf, "NONE")).isEmpty();
            assertThat(array(conf, "KEPT")).containsExactly("");
            assertThat(array(conf, "AFFIX")).containsExactly("<x y", "z>");
            assertThat(array(conf, "W")).containsExactly("p", "q", "x", "p", "q");
        }

        @Test
        void commentsAndBlankLines() {
            String conf = """
                    # ReaR local.conf

                       # indented comment
                    OUTPUT=ISO # the default
                    BACKUP=NETFS	# tab before the comment
                    # BACKUP=TSM
                    """;
            Map<String, ConfigValue> vars = eval(conf);
            assertThat(vars).containsOnlyKeys("OUTPUT", "BACKUP");
            assertThat(vars.get("OUTPUT").text()).isEqualTo("ISO");
            assertThat(vars.get("BACKUP").text()).isEqualTo("NETFS");
        }

        @Test
        void continuationLines() {
            String conf = "BACKUP_OPTIONS=\"nfsvers=4,\\\nnolock\"\n"
                    + "A=abc\\\ndef\n"
                    + "COPY_AS_IS+=( /a \\\n  /b )\n"
                    + "export \\\n  B=1\n"
                    + "C=1 \\\n D=2\n"
                    + "# a comment ends at its line \\\nE=3\n";
            Map<String, ConfigValue> vars = eval(conf);
            assertThat(vars.get("BACKUP_OPTIONS").text()).isEqualTo("nfsvers=4,nolock");
            assertThat(vars.get("A").text()).isEqualTo("abcdef");
            assertThat(vars.get("COPY_AS_IS").elements()).containsExactly("/a", "/b");
            assertThat(vars.get("B").text()).isEqualTo("1");
            assertThat(vars.get("D").text()).isEqualTo("2");
            assertThat(vars.get("E").text()).isEqualTo("3");
        }

        @Test
        void exportAndSeveralAssignmentsOnALine() {
            Map<String, ConfigValue> vars = eval("export A=1\nexport B=( x ) C=2\nD=3 E=4\nF=5; G=6;\nH=7 ;\n");
            assertThat(vars.get("A").text()).isEqualTo("1");
            assertThat(vars.get("B").elements()).containsExactly("x");
            assertThat(vars.get("C").text()).isEqualTo("2");
            assertThat(vars.get("D").text()).isEqualTo("3");
            assertThat(vars.get("E").text()).isEqualTo("4");
            assertThat(vars.get("F").text()).isEqualTo("5");
            assertThat(vars.get("G").text()).isEqualTo("6");
            assertThat(vars.get("H").text()).isEqualTo("7");
        }

        @Test
        void reaRsConfidentialFormMarksSecrets() {
            List<Assignment> as = ConfigParser.parse(FILE, """
                    { BACKUP_PROG_CRYPT_KEY='my secret' ; } 2>>/dev/$SECRET_OUTPUT_DEV
                    {  A="x" ; B=( 'y' "z" ) ; } 2>>/dev/$SECRET_OUTPUT_DEV   # comment
                    C=plain
                    """);
            assertThat(as).extracting(Assignment::name).containsExactly("BACKUP_PROG_CRYPT_KEY", "A", "B", "C");
            assertThat(as).extracting(Assignment::secret).containsExactly(true, true, true, false);
            assertThat(as.get(1).pos().line()).isEqualTo(2);
            assertThat(eval("{ K='my secret' ; } 2>>/dev/$SECRET_OUTPUT_DEV\n").get("K").text()).isEqualTo("my secret");
        }

        @Test
        void scalarOnAnArrayOfOneElementIsWhatBashDoes() {
            // bash replaces element 0, which for MODULES=( all_modules ) is the whole array
            assertThat(array("MODULES=( all_modules )\nMODULES=loaded_modules\n", "MODULES")).containsExactly("loaded_modules");
        }

        @Test
        void emptyFileAndShippedLocalConf() {
            assertThat(eval("")).isEmpty();
            assertThat(eval("# see /usr/share/rear/conf/default.conf\n\n")).isEmpty();
            assertThat(eval("A=1")).containsKey("A");
        }

        @Test
        void positions() {
            List<Assignment> as = ConfigParser.parse(FILE, "\n  A=1\nB=( x\n y )  C=2\n");
            assertThat(as).extracting(a -> a.pos().line() + ":" + a.pos().column()).containsExactly("2:3", "3:1", "4:7");
        }
    }

    @Nested
    class Refused {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiterString = "=>", quoteCharacter = '\u00a4', textBlock = """
                KEY=a b                                  => 2 => unquoted value with a space: bash would run 'b' as a command with KEY=a in its environment; quote the value: KEY="a b"
                KEY="a" b                                => 2 => unquoted value with a space: bash would run 'b' as a command with KEY="a" in its environment; put the whole value in quotes
                export A=1 B                             => 2 => export without KEY=value is not supported: write export KEY=value, or just KEY=value
                KEY= value                               => 2 => space after '=': bash would set KEY to an empty value and run 'value' as a command
                KEY = value                              => 2 => spaces around '=': bash would run 'KEY' as a command; write KEY=value without spaces
                KEY=$(hostname -s)                       => 2 => command substitution $(...) is not supported: write the value itself
                KEY="x$(date)"                           => 2 => command substitution $(...) is not supported: write the value itself
                KEY=`hostname`                           => 2 => command substitution `...` is not supported: write the value itself
                KEY="`hostname`"                         => 2 => command substitution `...` is not supported: write the value itself
                $(rm -rf /tmp/x)                         => 2 => command substitution $(...) is not supported
                KEY=$((1+2))                             => 2 => arithmetic expansion $((...)) is not supported: write the number itself
                KEY=${X:-default}                        => 2 => parameter expansion ${X:-default} is not supported
                KEY=${#A[@]}                             => 2 => parameter expansion ${#A[@]} is not supported
                KEY=${A[0]}                              => 2 => one array element (${A[0]}) is not supported
                KEY=$1                                   => 2 => $1 is a special parameter of bash, which rear does not support
                KEY="$?"                                 => 2 => $? is a special parameter of bash
                KEY=$'a\\tb'                             => 2 => $'...' quoting is not supported
                KEY=~/backup                             => 2 => tilde expansion (~) is not supported: write the path itself
                KEY=( a {b,c} )                          => 2 => brace expansion ({a,b}) is not supported
                if [ -f /etc/foo ]; then KEY=1; fi       => 2 => conditionals ('if') are not supported
                [[ -f /etc/foo ]] && KEY=1               => 2 => conditionals ('[[') are not supported
                [ -f /etc/foo ] && KEY=1                 => 2 => conditionals ('[') are not supported
                test -f /etc/foo && KEY=1                => 2 => conditionals ('test') are not supported
                KEY=1 && OTHER=2                         => 2 => '&&' is not supported: rear's configuration holds assignments only, no conditionals
                KEY=1 || OTHER=2                         => 2 => '||' is not supported
                case $X in                               => 2 => conditionals ('case') are not supported
                for x in a b; do KEY=$x; done            => 2 => loops ('for') are not supported
                while true; do :; done                   => 2 => loops ('while') are not supported
                function setup {                         => 2 => function definitions are not supported
                setup() { KEY=1; }                       => 2 => function definitions are not supported
                setup () { KEY=1; }                      => 2 => function definitions are not supported
                source /etc/rear/other.conf              => 2 => reading another file with 'source' is not supported: give it to rear with -C FILE
                . /etc/rear/other.conf                   => 2 => reading another file with '.' is not supported: give it to rear with -C FILE
                readonly KEY=1                           => 2 => 'readonly' is not supported: write a plain assignment KEY=value
                declare -a KEY=( a )                     => 2 => 'declare' is not supported: write a plain assignment KEY=value
                local KEY=1                              => 2 => 'local' is not supported
                export KEY                               => 2 => export without KEY=value is not supported
                echo hello                               => 2 => 'echo' is a command, not an assignment: rear's configuration holds assignments only
                unset KEY                                => 2 => 'unset' is a command, not an assignment
                cat >/tmp/x <<EOF                        => 2 => here-documents (<<) are not supported
                KEY=1 <<EOF                              => 2 => here-documents (<<) are not supported
                KEY=1 | tee x                            => 2 => pipes (|) are not supported
                KEY=1 > /tmp/x                           => 2 => redirections (<, >) are not supported
                KEY=1 2>/dev/null                        => 2 => redirections (<, >) are not supported
                KEY=1 &                                  => 2 => '&' (running in the background) is not supported
                ( KEY=1 )                                => 2 => subshells ( ... ) are not supported
                (( X = 1 ))                              => 2 => arithmetic commands (( ... )) are not supported
                KEY[0]=x                                 => 2 => assigning one array element (KEY[...]=) is not supported
                KEY=( [0]=a [1]=b )                      => 2 => array elements with an index ([N]=value) are not supported
                KEY=(a)b                                 => 2 => unexpected 'b' right after the value of KEY
                KEY=( a ( b ) )                          => 2 => '(' inside an array is not supported: quote it
                KEY=a(b)                                 => 2 => unquoted '(' in a value: quote the value
                KEY=( a; b )                             => 2 => ';' inside an array is not supported
                ;                                        => 2 => ';' without an assignment before it is a syntax error in bash
                { KEY=1 ; }                              => 2 => a { ... } group is accepted only in ReaR's form for secrets
                { KEY=1 ; } 2>/dev/null                  => 2 => a { ... } group is accepted only in ReaR's form for secrets
                { KEY=1 } 2>>/dev/$SECRET_OUTPUT_DEV     => 2 => '}' must follow ';' or a new line
                }                                        => 2 => '}' without a '{' before it
                """)
        void refusedWithFileLineAndReason(String line, int lineNo, String reason) {
            assertThat(refused("# a comment first\n" + line.strip() + "\nAFTER=1\n")).startsWith(FILE + ":" + lineNo + ": " + reason);
        }

        @Test
        void theBriefsExampleMessage() {
            String conf = "OUTPUT=ISO\n".repeat(11) + "BACKUP_URL=nfs://$(hostname)/rear\n";
            assertThatThrownBy(() -> eval(conf)).isInstanceOf(ConfigException.class)
                    .hasMessage("/etc/rear/local.conf:12: command substitution $(...) is not supported: write the value itself")
                    .satisfies(e -> {
                        ConfigException c = (ConfigException) e;
                        assertThat(c.line()).isEqualTo(12);
                        assertThat(c.column()).isEqualTo(18);
                        assertThat(c.reason()).isEqualTo("command substitution $(...) is not supported: write the value itself");
                    });
        }

        @Test
        void unterminatedQuotesAndArraysNameWhereTheyOpen() {
            assertThat(refused("A=1\nB='abc\nC=2\n")).isEqualTo(FILE + ":2: the single quote opened here is not closed");
            assertThat(refused("A=1\nB=\"abc\nC=2\n")).isEqualTo(FILE + ":2: the double quote opened here is not closed");
            assertThat(refused("A=1\nB=( a\n b\n")).isEqualTo(FILE + ":2: the array opened here with '(' is not closed with ')'");
            assertThat(refused("B=\"${A\"\n")).startsWith(FILE + ":1: the '${' here is not closed");
        }

        @Test
        void refusalsInsideMultiLineConstructsNameTheirOwnLine() {
            assertThat(refused("COPY_AS_IS=(\n  /etc/a\n  /etc/$(hostname)\n)\n")).startsWith(FILE + ":3: command substitution");
            assertThat(refused("A=\"one\ntwo `x`\"\n")).startsWith(FILE + ":2: command substitution `...`");
            assertThat(refused("A=abc \\\n  b\n")).startsWith(FILE + ":2: unquoted value with a space");
        }

        @Test
        void carriageReturnsAsReaRRefusesThem() {
            assertThat(refused("A=1\nB=2\r\nC=3\r\n")).isEqualTo(FILE
                    + ":2: carriage return character (perhaps DOS or Mac format), which ReaR refuses too: convert the file with dos2unix");
            assertThat(refused("# only in a comment\r\n")).startsWith(FILE + ":1: carriage return");
        }

        @Test
        void byteOrderMark() {
            assertThat(refused("\uFEFFA=1\n")).startsWith(FILE + ":1: the file starts with a byte order mark");
        }

        @Test
        void variablesNotSetBefore() {
            assertThat(refused("A=1\nB=\"$NOT_SET/x\"\n")).isEqualTo(FILE + ":2: $NOT_SET is not set at this point: rear expands only variables set before,"
                    + " in its defaults or in the configuration files (not the environment); write the value itself");
            assertThat(refused("A=( \"${LATER[@]}\" )\nLATER=( x )\n")).startsWith(FILE + ":1: $LATER is not set at this point");
        }

        @Test
        void stringAssignmentToALongerArray() {
            assertThat(refused("EXCLUDE_VG=( vg1 vg2 )\nEXCLUDE_VG=vg3\n")).isEqualTo(FILE
                    + ":2: EXCLUDE_VG is an array of 2 elements, and in bash EXCLUDE_VG=value replaces its first element only:"
                    + " write EXCLUDE_VG=( ... ) to replace it, or EXCLUDE_VG+=( ... ) to add to it");
            assertThat(refused("COPY_AS_IS=( a b )\nCOPY_AS_IS+=/etc/foo\n")).startsWith(FILE
                    + ":2: COPY_AS_IS is an array of 2 elements, and in bash COPY_AS_IS+=value appends to its first element only");
        }

        @Test
        void fixedVariablesAndTmpdir() {
            assertThat(refused("VAR_DIR=/srv/rear\n")).isEqualTo(FILE + ":1: VAR_DIR is set by rear (/var/lib/rear) and cannot be assigned in a configuration file");
            assertThat(refused("A=1\nexport TMPDIR=/big\n")).isEqualTo(FILE
                    + ":2: setting TMPDIR in a configuration file is not supported (nor in ReaR): export TMPDIR before running rear");
        }
    }

    // ---------------------------------------------------------------- rendering round trip

    @Property(tries = 500)
    void renderedArraysParseBackUnchanged(@ForAll("elements") List<String> elements) {
        String conf = "A=" + ConfigSyntax.array(elements) + "\n";
        assertThat(array(conf, "A")).isEqualTo(elements);
    }

    @Property(tries = 300)
    void renderedStringsParseBackUnchanged(@ForAll("element") String value) {
        assertThat(text("A=" + ConfigSyntax.quote(value) + "\n", "A")).isEqualTo(value);
        assertThat(eval("A=" + ConfigValue.ofString(value).toSyntax()).get("A")).isEqualTo(ConfigValue.ofString(value));
    }

    @Provide
    Arbitrary<List<String>> elements() {
        return element().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> element() {
        // Everything but the carriage return, which no configuration file may hold; the shell's
        // special characters more often than chance would give them.
        Arbitrary<Character> special = Arbitraries.of('"', '\'', '\\', '$', '`', ' ', '\t', '\n', '#', '(', ')', '{', '}', '[', ']',
                '*', '?', '~', ';', '&', '|', '<', '>', '@', '!', '=');
        Arbitrary<Character> any = Arbitraries.chars().filter(c -> c != '\r');
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, special),
                        net.jqwik.api.Tuple.of(3, Arbitraries.chars().alpha()),
                        net.jqwik.api.Tuple.of(1, any))
                .list().ofMaxSize(12)
                .map(cs -> {
                    StringBuilder sb = new StringBuilder();
                    cs.forEach(sb::append);
                    return sb.toString();
                });
    }

    @Test
    void renderingExamples() {
        assertThat(ConfigSyntax.array(List.of())).isEqualTo("( )");
        assertThat(ConfigSyntax.array(List.of("/tmp/*", "a b", "$X", "q\"`\\"))).isEqualTo("( \"/tmp/*\" \"a b\" \"\\$X\" \"q\\\"\\`\\\\\" )");
        List<String> back = new ArrayList<>(array("A=( \"/tmp/*\" \"a b\" \"\\$X\" \"q\\\"\\`\\\\\" )", "A"));
        assertThat(back).containsExactly("/tmp/*", "a b", "$X", "q\"`\\");
    }
}
