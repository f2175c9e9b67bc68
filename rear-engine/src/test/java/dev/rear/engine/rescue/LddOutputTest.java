package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link LddOutput} on ldd's output captured on Debian 12 ({@code fixtures/rescue/ldd/*}). */
class LddOutputTest {

    static String fixture(String name) {
        try (InputStream in = LddOutputTest.class.getResourceAsStream("/fixtures/rescue/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void listsEveryLibraryAndTheLoaderButNotTheVdso() {
        String out = fixture("ldd/cryptsetup.txt");
        assertThat(LddOutput.isStatic(out)).isFalse();
        assertThat(LddOutput.libraries("cryptsetup", out))
                .startsWith("/lib/x86_64-linux-gnu/libcryptsetup.so.12", "/lib/x86_64-linux-gnu/libpopt.so.0")
                .contains("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libargon2.so.1", "/lib/x86_64-linux-gnu/libpcre2-8.so.0")
                .hasSize(14)
                .noneMatch(l -> l.contains("vdso"));
    }

    @Test
    void aStaticBusyboxNeedsNothing() {
        assertThat(LddOutput.isStatic(fixture("ldd/busybox-static.txt"))).isTrue();
    }

    @Test
    void aLibraryLddCannotFindIsAnErrorNamingIt() {
        String out = fixture("ldd/cryptsetup.txt").replace("libargon2.so.1 => /lib/x86_64-linux-gnu/libargon2.so.1 (0x00007f267bb7e000)",
                "libargon2.so.1 => not found");
        assertThatThrownBy(() -> LddOutput.libraries("/usr/sbin/cryptsetup", out))
                .hasMessageContaining("/usr/sbin/cryptsetup needs libargon2.so.1");
    }
}
