package dev.rear.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.rescue.RescueImage;
import dev.rear.engine.testing.FixtureCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RAMDISK, PXE and ISO written with a runner that answers from fixtures: names, contents, argv, failures. */
class FileOutputsTest {

    @TempDir
    Path tmp;

    @Test
    void ramdiskWritesKernelInitramfsAndABootHintAndCopiesThemToAFileUrl() throws Exception {
        RescueImage image = TestImages.image(tmp);
        Path out = tmp.resolve("output");
        FixtureCommandRunner runner = new FixtureCommandRunner();

        OutputResult r = Outputs.forMethod(OutputMethod.RAMDISK).write(image, TestImages.request(OutputMethod.RAMDISK, out,
                "file://" + tmp.resolve("url")), runner);

        assertThat(out.resolve("kernel-web1")).hasContent("KERNEL-BYTES");
        assertThat(out.resolve("initramfs-web1.img")).hasContent("INITRD-BYTES");
        assertThat(Files.readString(out.resolve("README"))).contains("console=ttyS0,115200 quiet")
                .contains("-kernel kernel-web1 -initrd initramfs-web1.img");
        assertThat(r.artifacts()).containsExactly(out.resolve("kernel-web1"), out.resolve("initramfs-web1.img"), out.resolve("README"));
        assertThat(r.copiedTo()).containsExactly("file://" + tmp.resolve("url") + "/web1/");
        assertThat(tmp.resolve("url/web1/initramfs-web1.img")).hasContent("INITRD-BYTES");
        assertThat(r.summary()).startsWith("RAMDISK " + out.resolve("kernel-web1"));
        assertThat(names(out)).containsExactlyInAnyOrder("kernel-web1", "initramfs-web1.img", "README");
    }

    @Test
    void pxeWritesTheTftpFilesAndBothBootConfigurationsWithPathsRelativeToTheTftpRoot() throws Exception {
        RescueImage image = TestImages.image(tmp);
        Path out = tmp.resolve("output");

        OutputResult r = Outputs.forMethod(OutputMethod.PXE).write(image, TestImages.request(OutputMethod.PXE, out, null),
                new FixtureCommandRunner());

        assertThat(out.resolve("web1.kernel")).hasContent("KERNEL-BYTES");
        assertThat(out.resolve("web1.initrd")).hasContent("INITRD-BYTES");
        assertThat(Files.readString(out.resolve("pxelinux.cfg/rear-web1")))
                .contains("    kernel web1.kernel\n    append initrd=web1.initrd console=ttyS0,115200 quiet\n");
        assertThat(Files.readString(out.resolve("rear-web1.grub.cfg")))
                .contains("    linux /web1.kernel console=ttyS0,115200 quiet unattended\n    initrd /web1.initrd\n");
        assertThat(r.copiedTo()).isEmpty();
        assertThat(r.artifacts()).hasSize(5);
    }

    @Test
    void pxeHonoursTheTftpAndConfigDirectories() throws Exception {
        RescueImage image = TestImages.image(tmp);
        Path tftp = tmp.resolve("srv/tftp");
        Path cfg = tmp.resolve("srv/tftp/pxelinux.cfg.rear");

        Outputs.pxe(tftp, cfg).write(image, TestImages.request(OutputMethod.PXE, tmp.resolve("output"), null), new FixtureCommandRunner());

        assertThat(tftp.resolve("web1.kernel")).exists();
        assertThat(cfg.resolve("rear-web1")).exists();
        assertThat(tmp.resolve("output")).doesNotExist();
    }

    @Test
    void isoIsMadeByGrubMkrescueWithTheVolumeIdAndCheckedForBothBootEntries() throws Exception {
        RescueImage image = TestImages.image(tmp);
        Path out = tmp.resolve("output");
        Path part = out.resolve(".rear-web1.iso.part");
        Path staging = out.resolve(".rear-web1.iso.staging");
        FixtureCommandRunner fixtures = new FixtureCommandRunner()
                .answerText("", "grub-mkrescue", "--output=" + part, "--locales=", "--fonts=", "--themes=", "--product-name=rear",
                        staging.toString(), "--", "-volid", "RELAXRECOVER")
                .answer("xorriso/report-el-torito-bios-uefi.txt", "xorriso", "-indev", part.toString(), "-report_el_torito", "plain");
        List<String> grubCfg = new java.util.ArrayList<>();
        CommandRunner runner = isoMaker(fixtures, part, staging, grubCfg);

        OutputResult r = Outputs.forMethod(OutputMethod.ISO).write(image, TestImages.request(OutputMethod.ISO, out, null), runner);

        fixtures.verify();
        assertThat(fixtures.neverRan()).isEmpty();
        assertThat(out.resolve("rear-web1.iso")).hasContent("ISO9660");
        assertThat(grubCfg.get(0)).contains("menuentry \"Recover web1\"", "linux /boot/kernel console=ttyS0,115200 quiet\n");
        assertThat(r.summary()).contains("BIOS and UEFI", "volume id RELAXRECOVER");
        assertThat(names(out)).containsExactlyInAnyOrder("rear-web1.iso", "README");
    }

    @Test
    void anIsoThatWouldBootOnlyOnUefiIsRefusedAndRemoved() throws Exception {
        RescueImage image = TestImages.image(tmp);
        Path out = tmp.resolve("output");
        Path part = out.resolve(".rear-web1.iso.part");
        Path staging = out.resolve(".rear-web1.iso.staging");
        FixtureCommandRunner fixtures = new FixtureCommandRunner()
                .answerText("", "grub-mkrescue", "--output=" + part, "--locales=", "--fonts=", "--themes=", "--product-name=rear",
                        staging.toString(), "--", "-volid", "RELAXRECOVER")
                .answer("xorriso/report-el-torito-uefi-only.txt", "xorriso", "-indev", part.toString(), "-report_el_torito", "plain");

        assertThatThrownBy(() -> Outputs.forMethod(OutputMethod.ISO).write(image, TestImages.request(OutputMethod.ISO, out, null),
                isoMaker(fixtures, part, staging, new java.util.ArrayList<>())))
                .isInstanceOf(OutputException.class)
                .hasMessageContaining("the ISO image " + out.resolve("rear-web1.iso"))
                .hasMessageContaining("boots only on UEFI").hasMessageContaining("grub-pc-bin");
        assertThat(names(out)).isEmpty();
    }

    @Test
    void aFailingGrubMkrescueIsReportedWithItsStderrAndLeavesNothing() throws Exception {
        RescueImage image = TestImages.image(tmp);
        Path out = tmp.resolve("output");
        Path part = out.resolve(".rear-web1.iso.part");
        Path staging = out.resolve(".rear-web1.iso.staging");
        FixtureCommandRunner fixtures = new FixtureCommandRunner()
                .fail(1, "grub-mkrescue: error: `mformat` invocation failed", "grub-mkrescue", "--output=" + part, "--locales=", "--fonts=",
                        "--themes=", "--product-name=rear", staging.toString(), "--", "-volid", "RELAXRECOVER");

        assertThatThrownBy(() -> Outputs.forMethod(OutputMethod.ISO).write(image, TestImages.request(OutputMethod.ISO, out, null), fixtures))
                .isInstanceOf(OutputException.class)
                .hasMessageContaining("cannot write the ISO image " + out.resolve("rear-web1.iso"))
                .hasMessageContaining("grub-mkrescue failed (exit code 1)").hasMessageContaining("`mformat` invocation failed");
        assertThat(names(out)).isEmpty();
    }

    @Test
    void missingGrubPlatformFilesAreNamedWithTheirPackagesBeforeAnythingRuns() throws Exception {
        RescueImage image = TestImages.image(tmp);
        Path emptyGrubLib = Files.createDirectories(tmp.resolve("grub"));
        FixtureCommandRunner none = new FixtureCommandRunner();

        assertThatThrownBy(() -> new IsoOutput(emptyGrubLib).write(image, TestImages.request(OutputMethod.ISO, tmp.resolve("o"), null), none))
                .isInstanceOf(OutputException.class)
                .hasMessageContaining("package grub-pc-bin").hasMessageContaining("package grub-efi-amd64-bin")
                .hasMessageContaining("apt-get install grub-pc-bin grub-efi-amd64-bin");
        assertThat(none.commands()).isEmpty();
    }

    @Test
    void anUnusableOutputUrlOrVolumeIdFailsBeforeAnythingIsWritten() throws Exception {
        RescueImage image = TestImages.image(tmp);
        Path out = tmp.resolve("output");
        assertThatThrownBy(() -> Outputs.forMethod(OutputMethod.RAMDISK).write(image,
                TestImages.request(OutputMethod.RAMDISK, out, "ftp://server/dir"), new FixtureCommandRunner()))
                .hasMessageContaining("the scheme 'ftp' is not supported");
        assertThat(out).doesNotExist();
        OutputRequest badVolid = new OutputRequest(OutputMethod.ISO, out, null, "web1", "rear-web1", "RELAX RECOVER", List.of(), null);
        assertThatThrownBy(() -> Outputs.forMethod(OutputMethod.ISO).write(image, badVolid, new FixtureCommandRunner()))
                .hasMessageContaining("volume id 'RELAX RECOVER'");
    }

    /** Answers from {@code fixtures}, and for grub-mkrescue also makes the file it writes (and keeps the staged grub.cfg). */
    private static CommandRunner isoMaker(FixtureCommandRunner fixtures, Path part, Path staging, List<String> grubCfg) {
        return spec -> {
            CommandResult r = fixtures.run(spec);
            if (spec.program().equals("grub-mkrescue")) {
                try {
                    grubCfg.add(Files.readString(staging.resolve("boot/grub/grub.cfg")));
                    assertThat(staging.resolve("boot/kernel")).hasContent("KERNEL-BYTES");
                    Files.writeString(part, "ISO9660");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return r;
        };
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
