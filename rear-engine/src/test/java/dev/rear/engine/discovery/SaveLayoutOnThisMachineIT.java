package dev.rear.engine.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.cli.Rear;
import dev.rear.engine.descriptor.DescriptorFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rear savelayout} on the machine the tests run on, as it is: whatever it has. On this
 * project's VMs the root filesystem is ext4 straight on {@code /dev/vda}, which refuses raw reads
 * and has no udev: the layout is still saved, and every fact that could not be had is a warning
 * naming the device and the command.
 */
class SaveLayoutOnThisMachineIT {

    @TempDir
    Path tmp;

    @Test
    void savelayoutSucceedsWithTheFactsItCanGetAndSaysWhichItCouldNot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to read block devices");
        Files.createDirectories(tmp.resolve("etc"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), "-c", tmp.resolve("etc").toString(), "savelayout",
                "--layout-dir", tmp.resolve("layout").toString());
        System.out.println(out);
        System.out.println(err);

        assertThat(code).as(out + "\n" + err).isZero();
        SystemDescriptor d = DescriptorFiles.load(tmp.resolve("layout/descriptor.json"));
        assertThat(d.filesystemAt("/")).as("the root filesystem is described").isNotNull();
        assertThat(d.host().kernel().release()).isNotBlank();
        // Every warning names what it is about; none is an unexplained gap.
        assertThat(err.toString().lines().filter(l -> l.startsWith("rear: warning:")))
                .allSatisfy(l -> assertThat(l.substring("rear: warning: ".length())).matches("[^:]+(:[^ ]+)?: .{20,}"));
        if (!Files.isReadable(Path.of("/dev/vda")) || rawReadRefused("/dev/vda")) {
            assertThat(err.toString()).contains("/dev/vda");
        }
    }

    private static boolean rawReadRefused(String device) {
        try (var in = Files.newInputStream(Path.of(device))) {
            return in.read() < 0;
        } catch (Exception e) {
            return true;
        }
    }
}
