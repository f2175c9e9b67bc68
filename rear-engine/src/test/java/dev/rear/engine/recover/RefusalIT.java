package dev.rear.engine.recover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.testing.LoopDevices;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host tier, as root: {@code rear layoutonly} refuses, with a clear message and an exit code, and
 * without writing to any device — the target images' SHA-256 are the same after the refusal as before,
 * and the wrapper scripts of every writing tool (see {@link CrashResumeIT}) logged no invocation but
 * read-only {@code blkid} probes. The targets carry random data at their start, middle and end, so that
 * a wipe, a table or a zeroing would change them.
 */
class RefusalIT {

    @TempDir
    static Path tmp;

    static Originals orig;
    static Path wrappers;

    @BeforeAll
    static void setUp() throws IOException {
        LoopDevices.assumeUsable(Originals.TOOLS);
        orig = Originals.create(tmp);
        wrappers = CrashResumeIT.writeWrappers(tmp.resolve("wrappers"));
    }

    /** What a refused run printed, with its exit code. */
    record Refused(int code, String out, String err, List<String> invoked) { }

    /** Targets with random data at start, middle and end; returns the device. */
    static String target(LoopDevices loops, Path dir, String name, long bytes) throws IOException {
        Random r = new Random(name.hashCode());
        byte[] mib = new byte[1 << 20];
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(name + ".img").toFile(), "rw")) {
            f.setLength(bytes);
            for (long at : new long[] {0, bytes / 2, bytes - mib.length}) {
                r.nextBytes(mib);
                f.seek(at);
                f.write(mib);
            }
        }
        return loops.attach(name, bytes);
    }

    static Map<Path, String> hashes(Path dir) throws IOException {
        Map<Path, String> out = new LinkedHashMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".img")).sorted().toList()) {
                out.put(p, sha256(p));
            }
        }
        return out;
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[4 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code rear ARGS} as its own JVM with the wrappers logging; asserts the images unchanged and nothing but blkid run. */
    static Refused refused(Path dir, String... args) throws Exception {
        Map<Path, String> before = hashes(dir);
        assertThat(before).isNotEmpty();
        Path ctl = CrashResumeIT.control(dir.resolve("refusal"), 0, "none");
        int code = CrashResumeIT.runSeparately(wrappers, ctl, dir.resolve("refusal"), args);
        Refused r = new Refused(code, CrashResumeIT.text(dir.resolve("refusal/rear.out")), CrashResumeIT.text(dir.resolve("refusal/rear.err")),
                Files.readAllLines(ctl.resolve("log")));
        assertThat(r.invoked()).as("tools rear ran while refusing").allMatch(l -> l.startsWith("blkid "));
        assertThat(hashes(dir)).as("SHA-256 of the target images after the refusal").isEqualTo(before);
        return r;
    }

    static String[] layoutonly(Path dir, String gptTarget, String dosTarget, String... more) {
        List<String> a = new ArrayList<>(List.of("layoutonly", orig.descriptor().toString(), "--target", orig.gpt() + "=" + gptTarget,
                "--target", orig.dos() + "=" + dosTarget, "--yes", "--journal", dir.resolve("layoutonly.jsonl").toString(),
                "--target-root", dir.resolve("root").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void aTargetSmallerThanTheDataNeedsIsRefusedWithTheNumbers() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("small"));
        try (LoopDevices loops = new LoopDevices(dir)) {
            String gpt = target(loops, dir, "gpt-small", Originals.GPT_BYTES - 256L * 1024 * 1024);
            String dos = target(loops, dir, "dos", Originals.DOS_BYTES);
            Refused r = refused(dir, layoutonly(dir, gpt, dos, "--used", "/srv=314572800"));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(4);
            // 300 MiB used + 10% + 64 MiB for journal and metadata: 413138944 bytes
            assertThat(r.err()).contains("target too small: " + orig.gpt() + "p2 (xfs on /srv) holds 314572800 bytes (300.0 MiB, given"
                    + " with --used) and needs 413138944 bytes (used + 10% + 64 MiB) but would get only " + (128L * 1024 * 1024)
                    + " bytes (128.0 MiB)");
            assertThat(dir.resolve("layoutonly.jsonl")).doesNotExist();
        }
    }

    @Test
    void aMountedTargetIsRefusedNamingTheMount() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mounted"));
        try (LoopDevices loops = new LoopDevices(dir)) {
            String gpt = target(loops, dir, "gpt", Originals.GPT_BYTES);
            String dos = target(loops, dir, "dos", Originals.DOS_BYTES);
            loops.run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", dos);
            Path mp = dir.resolve("in-use");
            loops.mount(dos, mp, "ro");
            Refused r = refused(dir, layoutonly(dir, gpt, dos));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(4);
            assertThat(r.err()).contains("refusing to write to the targets: " + dos + " is in use: " + dos + " is mounted on " + mp);
            assertThat(dir.resolve("layoutonly.jsonl")).doesNotExist();
        }
    }

    @Test
    void twoOriginalsOntoOneDiskAreRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("two-on-one"));
        try (LoopDevices loops = new LoopDevices(dir)) {
            String gpt = target(loops, dir, "gpt", Originals.GPT_BYTES);
            Refused r = refused(dir, layoutonly(dir, gpt, gpt));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(4);
            assertThat(r.err()).contains("--target:2: " + gpt + " is already the target of line 1; two originals cannot go onto one disk");
            // The same in ReaR's disk_mappings file.
            Path mappings = Files.writeString(dir.resolve("disk_mappings"), orig.gpt() + " " + gpt + "\n" + orig.dos() + " " + gpt + "\n");
            Refused f = refused(dir, "layoutonly", orig.descriptor().toString(), "--mapping-file", mappings.toString(), "--yes",
                    "--journal", dir.resolve("layoutonly.jsonl").toString(), "--target-root", dir.resolve("root").toString());
            assertThat(f.code()).as(f.out() + f.err()).isEqualTo(4);
            assertThat(f.err()).contains(mappings + ":2: " + gpt + " is already the target of line 1");
            assertThat(dir.resolve("layoutonly.jsonl")).doesNotExist();
        }
    }

    /** A run killed before its first mkfs, the journal tests' starting point; returns the targets. */
    static List<String> crashed(LoopDevices loops, Path dir) throws Exception {
        String gpt = target(loops, dir, "gpt", Originals.GPT_BYTES);
        String dos = target(loops, dir, "dos", Originals.DOS_BYTES);
        Path run = Files.createDirectories(dir.resolve("killed"));
        // The 23rd tool rear runs is the first mkfs (CrashResumeIT's reference run lists them): the wipes and
        // the tables are done and journaled when it is killed.
        Path ctl = CrashResumeIT.control(run, 23, "before");
        int code = CrashResumeIT.runSeparately(wrappers, ctl, run, layoutonly(dir, gpt, dos));
        assertThat(code).as("killed").isEqualTo(137);
        List<String> log = Files.readAllLines(ctl.resolve("log"));
        assertThat(log.get(log.size() - 1)).startsWith("mkfs.ext4");
        assertThat(JournalReader.read(dir.resolve("layoutonly.jsonl")).entries().size()).isGreaterThan(8);
        return List.of(gpt, dos);
    }

    @Test
    void aJournalWithAByteChangedInTheMiddleIsRefusedNamingTheLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tampered"));
        try (LoopDevices loops = new LoopDevices(dir)) {
            List<String> t = crashed(loops, dir);
            Path j = dir.resolve("layoutonly.jsonl");
            List<String> lines = new ArrayList<>(Files.readAllLines(j));
            int m = lines.size() / 2; // 0-based: line m + 1
            int at = lines.get(m).indexOf("\"stepId\":\"") + 10;
            char c = lines.get(m).charAt(at);
            lines.set(m, lines.get(m).substring(0, at) + (char) (c ^ 0x20) + lines.get(m).substring(at + 1)); // one byte: its case
            Files.writeString(j, String.join("\n", lines) + "\n");
            Refused r = refused(dir, layoutonly(dir, t.get(0), t.get(1), "--resume"));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(9);
            assertThat(r.err()).contains(j + ":" + (m + 2) + ": its link to line " + (m + 1) + " does not match")
                    .contains("cannot be trusted");
        }
    }

    @Test
    void aJournalTruncatedInTheMiddleIsRefusedNamingTheLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("truncated"));
        try (LoopDevices loops = new LoopDevices(dir)) {
            List<String> t = crashed(loops, dir);
            Path j = dir.resolve("layoutonly.jsonl");
            List<String> lines = new ArrayList<>(Files.readAllLines(j));
            int m = lines.size() / 2;
            lines.set(m, lines.get(m).substring(0, lines.get(m).length() / 2)); // cut short, and lines follow it
            Files.writeString(j, String.join("\n", lines) + "\n");
            Refused r = refused(dir, layoutonly(dir, t.get(0), t.get(1), "--resume"));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(9);
            assertThat(r.err()).contains(j + ":" + (m + 1) + ": not a journal entry");
        }
    }

    @Test
    void resumingWithTheJournalOfAnotherDescriptorIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("other-descriptor"));
        try (LoopDevices loops = new LoopDevices(dir)) {
            List<String> t = crashed(loops, dir);
            Path other = dir.resolve("other.json");
            Files.writeString(other, Files.readString(orig.descriptor(), StandardCharsets.UTF_8).replace("rear-data", "rear-d4ta"));
            String[] args = layoutonly(dir, t.get(0), t.get(1), "--resume");
            args[1] = other.toString();
            Refused r = refused(dir, args);
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(4);
            assertThat(r.err()).contains("is of another descriptor").contains("refusing to resume it");
        }
    }
}
