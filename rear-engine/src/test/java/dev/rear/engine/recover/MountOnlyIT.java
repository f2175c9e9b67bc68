package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.journal.RunState;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root: the {@link Originals} (ext4 root with label and UUID, xfs on /srv, ext4 /boot on
 * a DOS disk, btrfs with subvolumes and /home on the {@code @home} one, made with the real mkfs and
 * btrfs tools and saved with {@code rear savelayout}) are attached again as other loop devices;
 * {@code rear mountonly} finds them through a {@code disk_mappings} file and mounts them under a
 * target root — read-write, then read-only — and formats nothing: every UUID is what it was.
 */
class MountOnlyIT {

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requirements() {
        LoopDevices.assumeUsable(Originals.TOOLS);
    }

    @Test
    void mountonlyMountsTheSavedLayoutForRepairAndCreatesNothing() throws Exception {
        Originals o = Originals.create(tmp);
        Path root = tmp.resolve("mnt-local");
        try (LoopDevices loops = new LoopDevices(tmp.resolve("orig"))) {
            // the same images (Originals detached them), on whatever loop devices are free now
            String gpt = loops.attach("gpt", Originals.GPT_BYTES);
            loops.addPartitions(gpt);
            String dos = loops.attach("dos", Originals.DOS_BYTES);
            loops.addPartitions(dos);
            Path mapping = tmp.resolve("disk_mappings");
            Files.writeString(mapping, o.gpt() + " " + gpt + "\n" + o.dos() + " " + dos + "\n");
            String before = blkids(loops, gpt, dos);
            try {
                RearRun r = RearRun.withoutConfig(tmp, "mountonly", "--descriptor", o.descriptor().toString(), "--mapping", mapping.toString(),
                        "--target-root", root.toString(), "--journal", tmp.resolve("mountonly.jsonl").toString());
                assertThat(r.code()).as(r.out() + r.err()).isZero();
                assertThat(mount(loops, root)).isEqualTo(gpt + "p1 ext4");
                assertThat(mount(loops, root.resolve("srv"))).isEqualTo(gpt + "p2 xfs");
                assertThat(mount(loops, root.resolve("boot"))).isEqualTo(dos + "p1 ext4");
                assertThat(mount(loops, root.resolve("home"))).isEqualTo(dos + "p5[/@home] btrfs");
                assertThat(r.out()).contains("Mounted:", "  " + gpt + "p2 on " + root.resolve("srv"),
                        "When done: umount -R " + root, "mountonly: mounted 4 filesystem(s) under " + root);
                RunState st = JournalReader.read(tmp.resolve("mountonly.jsonl")).state();
                assertThat(st.remaining()).isEmpty();
                assertThat(st.steps()).containsOnlyKeys("mount:/", "mount:/boot", "mount:/home", "mount:/srv");

                RearRun again = RearRun.withoutConfig(tmp, "mountonly", "--descriptor", o.descriptor().toString(), "--mapping",
                        mapping.toString(), "--target-root", root.toString(), "--journal", tmp.resolve("again.jsonl").toString());
                assertThat(again.code()).as(again.out() + again.err()).isZero();
                assertThat(again.out()).contains("4 steps: 0 ran, 4 skipped");

                loops.run("umount", "-R", root.toString());
                RearRun ro = RearRun.withoutConfig(tmp, "mountonly", "--read-only", "--descriptor", o.descriptor().toString(), "--mapping",
                        mapping.toString(), "--target-root", root.toString(), "--journal", tmp.resolve("ro.jsonl").toString());
                assertThat(ro.code()).as(ro.out() + ro.err()).isZero();
                for (Path p : List.of(root, root.resolve("srv"), root.resolve("boot"), root.resolve("home"))) {
                    assertThat(loops.run("findmnt", "-n", "-o", "OPTIONS", "--mountpoint", p.toString()).stdout().strip())
                            .as(p + " is read-only").matches("ro(,.*)?");
                }
                assertThat(ro.out()).contains("Mounted (read-only):", "read-only");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Files.writeString(root.resolve("srv/x"), "x"))
                        .isInstanceOf(IOException.class);
            } finally {
                LayoutOnlyIT.cleanMounts(loops, root, List.of(gpt, dos));
            }
            assertThat(blkids(loops, gpt, dos)).as("nothing was formatted").isEqualTo(before);
        }
    }

    static String mount(LoopDevices loops, Path mountpoint) {
        return loops.run("findmnt", "-n", "-o", "SOURCE,FSTYPE", "--mountpoint", mountpoint.toString()).stdout().strip().replaceAll("\\s+", " ");
    }

    static String blkids(LoopDevices loops, String gpt, String dos) {
        StringBuilder b = new StringBuilder();
        for (String p : List.of(gpt + "p1", gpt + "p2", gpt + "p3", dos + "p1", dos + "p5")) {
            b.append(LayoutOnlyIT.blkid(loops, p).lines().filter(l -> l.startsWith("UUID=") || l.startsWith("TYPE=") || l.startsWith("LABEL="))
                    .sorted().toList()).append('\n');
        }
        return b.toString();
    }
}
