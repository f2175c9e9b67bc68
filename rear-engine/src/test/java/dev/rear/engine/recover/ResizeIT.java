package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root: {@code rear layoutonly} onto targets larger and smaller than the originals of
 * {@link Originals}. The resize policy is printed before anything is written (the lines are asserted),
 * and rediscovery equals the descriptor field by field except exactly the starts and sizes the policy
 * changed, which must be the values computed here by hand from the original layout:
 *
 * <p>GPT original (1 GiB, last usable LBA 2097118): p1 ext4 2048+786432, p2 xfs 788480+786432, p3 swap
 * 1574912+520192. DOS original (512 MiB): p1 ext4 /boot (protected), extended p2, logical p5 btrfs.
 */
class ResizeIT {

    static final long MIB = 1024L * 1024;

    @TempDir
    static Path tmp;

    static Originals orig;

    @BeforeAll
    static void setUp() throws Exception {
        LoopDevices.assumeUsable(Originals.TOOLS);
        orig = Originals.create(tmp);
        Partition p2 = part(orig.d(), orig.gpt(), 2);
        assertThat(List.of(part(orig.d(), orig.gpt(), 1).startSector(), part(orig.d(), orig.gpt(), 1).sizeSectors(), p2.startSector(),
                p2.sizeSectors(), part(orig.d(), orig.gpt(), 3).startSector(), part(orig.d(), orig.gpt(), 3).sizeSectors()))
                .as("the original GPT layout the expectations below are computed from")
                .containsExactly(2048L, 786432L, 788480L, 786432L, 1574912L, 520192L);
    }

    static Partition part(SystemDescriptor d, String disk, int n) {
        return Recreated.disk(d, disk).partitionTable().partitions().stream().filter(p -> p.number() == n).findFirst().orElseThrow();
    }

    /** layoutonly onto targets of these sizes with these options; the rediscovered layout and what was printed. */
    record Outcome(SystemDescriptor r, String out, String gptNew, String dosNew, Path root) { }

    static void run(String name, long gptBytes, long dosBytes, List<String> options, java.util.function.Consumer<Outcome> check)
            throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path root = Files.createDirectories(dir.resolve("root"));
        try (LoopDevices loops = new LoopDevices(dir)) {
            String gptNew = loops.attach("gpt-new", gptBytes);
            String dosNew = loops.attach("dos-new", dosBytes);
            try {
                List<String> args = new ArrayList<>(List.of("layoutonly", orig.descriptor().toString(), "--target", orig.gpt() + "=" + gptNew,
                        "--target", orig.dos() + "=" + dosNew, "--yes", "--journal", dir.resolve("j.jsonl").toString(),
                        "--target-root", root.toString()));
                args.addAll(options);
                RearRun lo = RearRun.withoutConfig(dir, args.toArray(String[]::new));
                assertThat(lo.code()).as(lo.out() + lo.err()).isZero();
                check.accept(new Outcome(Recreated.rediscover(dir, "rediscovered", List.of(gptNew, dosNew)), lo.out(), gptNew, dosNew, root));
            } finally {
                LayoutOnlyIT.cleanMounts(loops, root, List.of(gptNew, dosNew));
            }
        }
    }

    @Test
    void largerTargetsGrowTheLastResizablePartitionAndMoveWhatFollows() throws Exception {
        long gptBytes = 1536 * MIB;
        long dosBytes = 768 * MIB;
        run("larger", gptBytes, dosBytes, List.of(), o -> {
            // GPT: 1 GiB -> 1.5 GiB: last usable 3145694, 1048576 sectors more; swap is protected, so data (p2) takes them all.
            String g = orig.gpt();
            String d = orig.dos();
            Partition p5 = part(orig.d(), d, 5);
            Partition ext = part(orig.d(), d, 2);
            long dosGrowth = (dosBytes - Originals.DOS_BYTES) / 512;
            assertThat(o.out()).contains("Resize:\n"
                    + "  " + g + " (1073741824 bytes) -> " + o.gptNew() + " (1610612736 bytes): " + g
                    + "p2 (partition 2) grows 402653184 -> 939524096 bytes; other partitions keep their size\n");
            assertThat(o.out()).contains("  " + d + " (536870912 bytes) -> " + o.dosNew() + " (805306368 bytes): " + d
                    + "p5 (partition 5) grows " + p5.sizeSectors() * 512 + " -> " + (p5.sizeSectors() + dosGrowth) * 512
                    + " bytes; other partitions keep their size\n");
            Recreated.assertEqual(orig.d(), o.r(), Map.of(g, o.gptNew(), d, o.dosNew()), Map.of(o.gptNew(), gptBytes, o.dosNew(), dosBytes),
                    Map.of(g + "p2", new Recreated.Placement(788480, 786432 + 1048576),
                            g + "p3", new Recreated.Placement(788480 + 1835008, 520192),
                            d + "p2", new Recreated.Placement(ext.startSector(), ext.sizeSectors() + dosGrowth),
                            d + "p5", new Recreated.Placement(p5.startSector(), p5.sizeSectors() + dosGrowth)), o.root());
        });
    }

    @Test
    void aSmallerTargetShrinksTheLastResizablePartitionWhenItsDataFits() throws Exception {
        long gptBytes = 960 * MIB;
        run("smaller", gptBytes, Originals.DOS_BYTES, List.of("--used", "/srv=52428800"), o -> {
            // 960 MiB: last usable 1966046; the partitions end at 2095103, 129057 sectors too far, rounded up to
            // whole MiB: 131072 sectors (64 MiB) less for data (p2, 320 MiB: still above xfs's 300 MiB minimum).
            String g = orig.gpt();
            assertThat(o.out()).contains("  " + g + " (1073741824 bytes) -> " + o.gptNew() + " (1006632960 bytes): " + g
                    + "p2 (partition 2) shrinks 402653184 -> 335544320 bytes; other partitions keep their size\n");
            assertThat(o.out()).contains("  " + g + "p2 (xfs on /srv) shrinks by 67108864 bytes to 335544320 bytes; used 50.0 MiB given"
                    + " with --used, needs 300.0 MiB (the xfs minimum of 300.0 MiB): fits\n");
            Recreated.assertEqual(orig.d(), o.r(), Map.of(g, o.gptNew(), orig.dos(), o.dosNew()), Map.of(o.gptNew(), gptBytes),
                    Map.of(g + "p2", new Recreated.Placement(788480, 655360),
                            g + "p3", new Recreated.Placement(788480 + 655360, 520192)), o.root());
        });
    }

    @Test
    void theProportionalPolicyScalesEveryResizablePartition() throws Exception {
        long gptBytes = 1536 * MIB;
        run("proportional", gptBytes, Originals.DOS_BYTES, List.of("--resize", "proportional"), o -> {
            // root and data share 1572864 + 1048576 sectors in proportion 1:1: 1310720 each (640 MiB); swap keeps its size.
            String g = orig.gpt();
            assertThat(o.out()).contains("  " + g + " (1073741824 bytes) -> " + o.gptNew() + " (1610612736 bytes): " + g
                    + "p1 (partition 1) scaled 402653184 -> 671088640 bytes\n"
                    + "  " + g + " (1073741824 bytes) -> " + o.gptNew() + " (1610612736 bytes): " + g
                    + "p2 (partition 2) scaled 402653184 -> 671088640 bytes\n");
            Recreated.assertEqual(orig.d(), o.r(), Map.of(g, o.gptNew(), orig.dos(), o.dosNew()), Map.of(o.gptNew(), gptBytes),
                    Map.of(g + "p1", new Recreated.Placement(2048, 1310720),
                            g + "p2", new Recreated.Placement(2048 + 1310720, 1310720),
                            g + "p3", new Recreated.Placement(2048 + 2 * 1310720, 520192)), o.root());
        });
    }
}
