package dev.rear.engine.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.command.CommandSpec;
import dev.rear.engine.exec.ProcessCommandRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootSectorTest {

    @TempDir
    Path tmp;

    static byte[] sector(String code, boolean signature) {
        byte[] s = new byte[512];
        byte[] c = code.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(c, 0, s, 0x180, c.length);
        if (signature) {
            s[510] = 0x55;
            s[511] = (byte) 0xaa;
        }
        return s;
    }

    @Test
    void grubBootCodeIsRecognised() {
        assertThat(BootSector.classify(sector("GRUB \0Geom\0Hard Disk\0Read\0 Error", true))).isEqualTo(BootSector.Code.GRUB);
    }

    @Test
    void otherBootCodeIsNotGrub() {
        assertThat(BootSector.classify(sector("Missing operating system", true))).isEqualTo(BootSector.Code.OTHER);
    }

    @Test
    void noSignatureMeansNoBootCode() {
        assertThat(BootSector.classify(sector("GRUB", false))).isEqualTo(BootSector.Code.NONE);
    }

    @Test
    void aProtectiveMbrWrittenBySfdiskCarriesNoCode() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sfdisk")) || Files.isExecutable(Path.of("/sbin/sfdisk")),
                "sfdisk is not installed (package fdisk)");
        Path img = tmp.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(64L * 1024 * 1024);
        }
        new ProcessCommandRunner().run(CommandSpec.of("sfdisk", "--quiet", img.toString())
                .withStdin("label: gpt\n,,L\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(BootSector.read(img)).isEqualTo(BootSector.Code.NONE);
    }

    @Test
    void aShortDeviceIsAnError() throws IOException {
        Path img = Files.write(tmp.resolve("short.img"), new byte[100]);
        assertThatThrownBy(() -> BootSector.read(img)).isInstanceOf(IOException.class).hasMessageContaining("shorter than one sector");
    }
}
