package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.journal.RunState;
import dev.rear.engine.testing.LoopDevices;
import dev.rear.engine.testing.RearRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root: a GPT disk (ext4 with label and UUID, xfs, swap) and a DOS disk (primary ext4,
 * extended, logical btrfs with subvolumes and a default one) on loop devices; {@code rear savelayout};
 * the originals detached; {@code rear layoutonly} onto two new blank loop devices; rediscovered and
 * compared field by field with the original descriptor under the mapping.
 */
class LayoutOnlyIT {

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requirements() {
        LoopDevices.assumeUsable(Originals.TOOLS);
    }

    static RearRun rear(String... args) {
        return RearRun.withoutConfig(tmp, args);
    }

    @Test
    void layoutonlyRecreatesTheLayoutOnNewDisks() throws Exception {
        Originals o = Originals.create(tmp);
        Path targetRoot = tmp.resolve("target-root");
        Path journal = tmp.resolve("layoutonly.jsonl");
        try (LoopDevices loops = new LoopDevices(Files.createDirectories(tmp.resolve("new")))) {
            String gptNew = loops.attach("gpt-new", Originals.GPT_BYTES);
            String dosNew = loops.attach("dos-new", Originals.DOS_BYTES);
            Files.createDirectories(targetRoot);
            try {
                RearRun lo = rear("layoutonly", o.descriptor().toString(), "--target", o.gpt() + "=" + gptNew,
                        "--target", o.dos() + "=" + dosNew, "--yes", "--journal", journal.toString(), "--target-root", targetRoot.toString());
                assertThat(lo.code()).as(lo.out() + lo.err()).isZero();
                assertThat(lo.out()).contains("layoutonly: succeeded");
                RunState st = JournalReader.read(journal).state();
                assertThat(st.remaining()).isEmpty();
                SystemDescriptor r = Recreated.rediscover(tmp, "layout2", List.of(gptNew, dosNew));
                Recreated.assertEqual(o.d(), r, Map.of(o.gpt(), gptNew, o.dos(), dosNew), Map.of(), Map.of(), targetRoot);
                Swap os = o.d().swap().stream().filter(s -> s.device().equals(o.gpt() + "p3")).findFirst().orElseThrow();
                assertThat(os.uuid()).isEqualTo(Originals.SWAP_UUID);
                assertThat(blkid(loops, gptNew + "p3")).contains("TYPE=swap", "UUID=" + Originals.SWAP_UUID, "LABEL=rear-swap");
            } finally {
                cleanMounts(loops, targetRoot, List.of(gptNew, dosNew));
            }
        }
    }

    /**
     * The descriptor of the loop devices {@code mine} alone (other tests may have loop devices attached meanwhile),
     * as if {@code mnt} were {@code /}: other disks and what is
     * on them are left out, mountpoints under {@code mnt} lose that prefix, others (the btrfs top level) go.
     */
    static void onlyLoops(Path in, Path out, Path mnt, List<String> mine) throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode t = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.rear.engine.descriptor.DescriptorJson.parseTree(Files.readAllBytes(in), in.toString());
        java.util.Set<String> keep = new java.util.TreeSet<>();
        com.fasterxml.jackson.databind.node.ArrayNode disks = t.putArray("disks-new");
        for (com.fasterxml.jackson.databind.JsonNode x : t.get("disks")) {
            if (x.get("path").asText().startsWith("/dev/loop") && mine.contains(x.get("path").asText())) {
                keep.add(x.get("path").asText());
                disks.add(x);
            }
        }
        t.set("disks", disks);
        t.remove("disks-new");
        java.util.function.Predicate<String> on = dev -> keep.stream().anyMatch(k -> dev.equals(k) || dev.startsWith(k + "p"));
        com.fasterxml.jackson.databind.node.ArrayNode fss = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (com.fasterxml.jackson.databind.JsonNode f : t.get("filesystems")) {
            if (!on.test(f.get("device").asText())) {
                continue;
            }
            com.fasterxml.jackson.databind.node.ArrayNode mounts = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (com.fasterxml.jackson.databind.JsonNode m : f.path("mounts")) {
                String mp = rebase(m.get("mountpoint").asText(), mnt);
                if (mp != null) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) m).put("mountpoint", mp);
                    mounts.add(m);
                }
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) f).set("mounts", mounts);
            for (com.fasterxml.jackson.databind.JsonNode sv : f.path("parameters").path("subvolumes")) {
                if (sv.hasNonNull("mountpoint")) {
                    String mp = rebase(sv.get("mountpoint").asText(), mnt);
                    if (mp == null) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) sv).remove("mountpoint");
                    } else {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) sv).put("mountpoint", mp);
                    }
                }
            }
            fss.add(f);
        }
        t.set("filesystems", fss);
        com.fasterxml.jackson.databind.node.ArrayNode swaps = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (com.fasterxml.jackson.databind.JsonNode x : t.path("swap")) {
            if (on.test(x.get("device").asText())) {
                swaps.add(x);
            }
        }
        t.set("swap", swaps);
        t.putArray("excluded");
        t.remove("bootloader");
        Files.write(out, dev.rear.engine.descriptor.DescriptorJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(t));
    }

    static @org.jspecify.annotations.Nullable String rebase(String mp, Path mnt) {
        if (mp.equals(mnt.toString())) {
            return "/";
        }
        return mp.startsWith(mnt + "/") ? mp.substring(mnt.toString().length()) : null;
    }

    /**
     * savelayout with the loop devices {@code mine}; every other loop device attached now is excluded
     * (tests in other worktrees on this machine attach their own, in states of their own).
     */
    static String[] savelayout(Path dir, java.util.Collection<String> mine) {
        List<String> a = new java.util.ArrayList<>(List.of("savelayout", "--include-loop", "--layout-dir", dir.toString()));
        try (var s = Files.list(Path.of("/sys/block"))) {
            s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith("loop") && !mine.contains("/dev/" + n)).sorted()
                    .forEach(n -> a.addAll(List.of("--exclude", "disk:" + n)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return a.toArray(String[]::new);
    }

    static String blkid(LoopDevices loops, String dev) {
        return loops.run("blkid", "-c", "/dev/null", "-p", "-o", "export", dev).stdout();
    }

    /** Unmounts whatever layoutonly mounted under the target root (and a btrfs work mount of a failed step), deepest first. */
    static void cleanMounts(LoopDevices loops, Path root, List<String> devices) {
        try {
            List<String> mps = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> HostProbe.unescape(l.split(" ")[4]))
                    .filter(m -> m.startsWith(root.toString())
                            || devices.stream().anyMatch(dv -> m.startsWith("/run/rear/btrfs/" + dv.substring(5) + "p")
                                    || m.startsWith("/run/rear/check/" + dv.substring(5) + "p"))).sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
            for (String m : mps) {
                try {
                    loops.run("umount", "-l", m);
                } catch (RuntimeException e) {
                    // keep going
                }
            }
        } catch (java.io.IOException e) {
            // nothing to clean
        }
    }

    static Disk disk(SystemDescriptor d, String path) {
        return d.disks().stream().filter(x -> x.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is not among " + d.disks().stream().map(Disk::path).toList()));
    }

    static Filesystem fs(SystemDescriptor d, String device) {
        return d.filesystems().stream().filter(x -> x.device().equals(device)).findFirst()
                .orElseThrow(() -> new AssertionError(device + " holds no described filesystem: "
                        + d.filesystems().stream().map(Filesystem::device).toList()));
    }
}
