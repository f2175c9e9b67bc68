package dev.rear.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel release read from a bzImage's setup header (and, failing that, from its name). */
class KernelImageTest {

    static byte[] header(String version) {
        byte[] b = new byte[0x800];
        System.arraycopy("HdrS".getBytes(StandardCharsets.US_ASCII), 0, b, 0x202, 4);
        b[0x20e] = 0x00;
        b[0x20f] = 0x04; // 0x400: the string at 0x600
        byte[] v = version.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, b, 0x600, v.length);
        return b;
    }

    @Test
    void theReleaseIsTheVersionStringsFirstWord(@TempDir Path tmp) throws Exception {
        Path k = tmp.resolve("bzImage");
        Files.write(k, header("6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1"));
        assertThat(KernelImage.release(k)).contains("6.1.0-56-amd64");
    }

    @Test
    void withoutAHeaderTheNameTells(@TempDir Path tmp) throws Exception {
        Path k = tmp.resolve("vmlinuz-5.10.0-30-amd64");
        Files.writeString(k, "not a bzImage");
        assertThat(KernelImage.release(k)).contains("5.10.0-30-amd64");
        assertThat(KernelImage.release(tmp.resolve("kernel.img"))).isEmpty();
    }

    @Test
    void aDamagedHeaderIsNoRelease() {
        byte[] b = header("6.1.0-56-amd64");
        b[0x20f] = 0x7f; // beyond the bytes read
        assertThat(KernelImage.parseHeader(b, b.length)).isEmpty();
        assertThat(KernelImage.parseHeader(header("\u0001garbage"), 0x800)).isEmpty();
    }

    @Test
    void debiansKernelsOnThisMachineTellTheirRelease() throws Exception {
        List<Path> kernels;
        try (var s = Files.list(Path.of("/boot"))) {
            kernels = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-") && Files.isReadable(p)).toList();
        } catch (java.io.IOException e) {
            kernels = List.of();
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(kernels.isEmpty(), "no /boot/vmlinuz-* here (linux-image-amd64 installs one)");
        for (Path k : kernels) {
            Optional<String> fromHeader = KernelImage.headerRelease(k);
            assertThat(fromHeader).as(k + "'s header").contains(k.getFileName().toString().substring("vmlinuz-".length()));
        }
    }
}
