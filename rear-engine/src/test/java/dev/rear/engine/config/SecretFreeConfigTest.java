package dev.rear.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link SecretFreeConfig}: secrets blanked, everything else and the line structure kept. */
class SecretFreeConfigTest {

    static final String CONF = """
            # site configuration
            BACKUP=NETFS
            BACKUP_URL=cifs://backup:cifs-pw-77@server/share
            BACKUP_OPTIONS="username=backup,password=opt-pw-66"
            BACKUP_PROG_CRYPT_ENABLED=yes
            BACKUP_PROG_CRYPT_KEY="crypt key 55 \\
            continued"
            SSH_ROOT_PASSWORD='root-pw-44' OUTPUT=ISO
            { TSM_NODE_SECRET_VALUE='conf-33' ; } 2>>/dev/$SECRET_OUTPUT_DEV
            { MY_VALUE='confidential-22' ; } 2>>/dev/$SECRET_OUTPUT_DEV
            API_TOKENS=( tok-11 tok-12 )
            COPY_AS_IS+=( /etc/ssh )
            """;

    @Test
    void everySecretIsBlankedAndEveryLineStaysWhereItWas() {
        SecretFreeConfig.Result r = SecretFreeConfig.render("/etc/rear/local.conf", CONF);
        for (String secret : new String[] {"cifs-pw-77", "opt-pw-66", "crypt key 55", "continued", "root-pw-44", "conf-33",
                "confidential-22", "tok-11", "tok-12"}) {
            assertThat(r.text()).doesNotContain(secret);
        }
        assertThat(r.text().split("\n", -1)).hasSameSizeAs(CONF.split("\n", -1));
        assertThat(r.text()).contains("# site configuration\nBACKUP=NETFS\n", "BACKUP_URL=cifs://backup:***@server/share",
                "username=backup,password=***", "BACKUP_PROG_CRYPT_KEY=''\n\n", "SSH_ROOT_PASSWORD='' OUTPUT=ISO",
                "{ TSM_NODE_SECRET_VALUE='' ; } 2>>/dev/$SECRET_OUTPUT_DEV", "{ MY_VALUE='' ; }", "API_TOKENS=()",
                "COPY_AS_IS+=( /etc/ssh )");
        assertThat(r.blanked()).extracting(SecretFreeConfig.Blanked::name).containsExactly("BACKUP_URL", "BACKUP_OPTIONS",
                "BACKUP_PROG_CRYPT_KEY", "SSH_ROOT_PASSWORD", "TSM_NODE_SECRET_VALUE", "MY_VALUE", "API_TOKENS");
        assertThat(r.blanked().get(2).line()).isEqualTo(6);
        // what is carried is still a valid configuration with the same non-secret values
        RearConfigTestAccess.parses(r.text());
    }

    @Test
    void aFileThatIsNoConfigurationIsRefusedNotCarriedHalfway() {
        assertThatThrownBy(() -> SecretFreeConfig.render("/etc/rear/local.conf", "BACKUP=NETFS\necho $(cat /root/pw)\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("local.conf");
    }

    /** Parsing through the package's own parser. */
    static final class RearConfigTestAccess {
        static void parses(String text) {
            assertThat(ConfigParser.parse("carried", text)).isNotEmpty();
        }
    }
}
