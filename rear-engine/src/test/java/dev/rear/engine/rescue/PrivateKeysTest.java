package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrivateKeys} on keys made by OpenSSH's ssh-keygen ({@code fixtures/rescue/keys}, see its
 * README): with and without passphrase, in OpenSSH, PEM and PKCS#8 form.
 */
class PrivateKeysTest {

    static Path key(String name) {
        return Path.of("src/test/resources/fixtures/rescue/keys", name);
    }

    @Test
    void keysWithoutPassphraseAreUnprotectedInEveryForm() throws IOException {
        for (String k : new String[] {"ed25519-nopass", "rsa-pem-nopass", "ecdsa-pkcs8-nopass"}) {
            assertThat(PrivateKeys.classify(key(k))).as(k).isEqualTo(PrivateKeys.Kind.UNPROTECTED);
        }
    }

    @Test
    void keysWithPassphraseAreProtectedInEveryForm() throws IOException {
        for (String k : new String[] {"ed25519-pass", "rsa-pem-pass", "ecdsa-pkcs8-pass"}) {
            assertThat(PrivateKeys.classify(key(k))).as(k).isEqualTo(PrivateKeys.Kind.PROTECTED);
        }
    }

    @Test
    void otherFilesAndPublicKeysAreNoKeys(@TempDir Path tmp) throws IOException {
        assertThat(PrivateKeys.classify("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx rear@test\n")).isEqualTo(PrivateKeys.Kind.NOT_A_KEY);
        assertThat(PrivateKeys.classify("BACKUP=NETFS\n")).isEqualTo(PrivateKeys.Kind.NOT_A_KEY);
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, key("ed25519-nopass").toAbsolutePath());
        assertThat(PrivateKeys.classify(link)).as("a link is not followed").isEqualTo(PrivateKeys.Kind.NOT_A_KEY);
    }

    @Test
    void aKeyBlockThatCannotBeTakenApartCountsAsUnprotected() {
        assertThat(PrivateKeys.classify("-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----\n"))
                .isEqualTo(PrivateKeys.Kind.UNPROTECTED);
        assertThat(PrivateKeys.classify("garbage -----BEGIN RSA PRIVATE KEY----- truncated")).isEqualTo(PrivateKeys.Kind.UNPROTECTED);
    }

    /** The classification agrees with OpenSSH itself: {@code ssh-keygen -y -P ''} reads exactly the unprotected keys. */
    @Test
    void agreesWithSshKeygen() throws Exception {
        boolean have = Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
        org.junit.jupiter.api.Assumptions.assumeTrue(have, "ssh-keygen is not installed (package openssh-client)");
        for (String k : new String[] {"ed25519-nopass", "ed25519-pass", "rsa-pem-nopass", "rsa-pem-pass", "ecdsa-pkcs8-nopass", "ecdsa-pkcs8-pass"}) {
            Path copy = Files.createTempFile("key", "");
            try {
                Files.copy(key(k), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                Process p = new ProcessBuilder("ssh-keygen", "-y", "-P", "", "-f", copy.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue() == 0).as(k).isEqualTo(PrivateKeys.classify(key(k)) == PrivateKeys.Kind.UNPROTECTED);
            } finally {
                Files.deleteIfExists(copy);
            }
        }
    }
}
