package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.EnumMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tier 3, the drill of issue 7, per {@link Drill}: {@code rear mkbackup} inside a real installed
 * Debian (onto a second disk as {@code usb://}, {@code OUTPUT=RAMDISK}); the rescue kernel and
 * initramfs it wrote booted with {@code unattended} on blank system disks (of the drill's size),
 * the recovery journal kept on the backup disk ({@code rear.journal=}); {@code rear recover} to its
 * verdict; then the recovered disks booted through SeaBIOS and their own GRUB to multi-user, where
 * the marker corpus is checked and {@code rear savelayout} rediscovers the layout, which is diffed
 * against the source's descriptor: only what the drill's disks explain may differ.
 *
 * <p>One backup per scenario serves all its drills of a run. Which drills run:
 * {@code -Drear.e2e.drills=S1,S2,S2_GROW} (the default of the pom) or {@code all} (profile
 * {@code e2e-long}); empty skips them. {@code -Drear.e2e.parallel=N} (2 in the pom) drills run side by
 * side, each VM being one single-threaded TCG process. Every failure shows the console tail of the VM concerned and
 * the last events of the recovery journal; everything the VMs left is kept under
 * {@code target/vm-results/RecoveryDrillIT-DRILL/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryDrillIT {

    static final Duration BOOT_LIMIT = Duration.ofMinutes(10);
    static final int BACKUP_LIMIT_SECONDS = 1800;
    static final Duration RECOVER_LIMIT = Duration.ofMinutes(40);
    static final String MEDIA_LABEL = "REAR-MEDIA";

    /**
     * The drills: a scenario, the size of its new disks, and what is done to the recovery. The first
     * drill of each scenario comes first: drills run side by side, and a drill whose scenario's backup
     * is still being made waits for it.
     */
    enum Drill {
        S1(SourceScenario.S1, 1.0, false, false, "onto blank disks like the originals"),
        S2(SourceScenario.S2, 1.0, false, false, "onto blank disks like the originals"),
        S3(SourceScenario.S3, 1.0, true, false, "UEFI, LUKS2 under LVM, btrfs subvolumes: a new machine (empty NVRAM, other serial), the key file given"),
        S1_SHRINK(SourceScenario.S1, 0.9, true, false, "onto a disk 10% smaller (other serial, disk_mappings file)"),
        S2_GROW(SourceScenario.S2, 1.5, true, false, "onto two disks 50% larger (other serials, mapped by size)"),
        S2_RESUME(SourceScenario.S2, 1.0, false, true, "cut off after the RAID is created, resumed after a reboot of the rescue system");

        final SourceScenario scenario;
        final double sizeFactor;
        final boolean newDisks;
        final boolean interrupt;
        final String description;

        Drill(SourceScenario scenario, double sizeFactor, boolean newDisks, boolean interrupt, String description) {
            this.scenario = scenario;
            this.sizeFactor = sizeFactor;
            this.newDisks = newDisks;
            this.interrupt = interrupt;
            this.description = description;
        }
    }

    /** What stage 1 left for a scenario: the backup disk (read-only from now on) and its figures. */
    record Backup(Path disk, String descriptor, String mkbackupSeconds, String rescueSeconds, String backupSeconds, Duration vmTime, Path kernel,
            Path initrd) {}

    private static final Pattern RESCUE_BUILT = Pattern.compile("mkbackup: built .* initramfs .* in ([0-9.]+) s");
    private static final Pattern BACKED_UP = Pattern.compile("mkbackup: backed up .* in ([0-9.]+) s");

    /** The seconds a line of mkbackup's output gives, or {@code ?}. */
    static String seconds(Pattern p, String log) {
        java.util.regex.Matcher m = p.matcher(log);
        return m.find() ? String.valueOf(Math.round(Double.parseDouble(m.group(1)))) : "?";
    }

    // drills run side by side (-Drear.e2e.parallel): one monitor per scenario guards its backup, made by its first drill
    private final Map<SourceScenario, Object> scenarioLocks = new ConcurrentHashMap<>();
    private final Map<SourceScenario, Backup> backups = new ConcurrentHashMap<>();
    private final Map<SourceScenario, Drill> failedBackups = new ConcurrentHashMap<>();
    private final Map<Drill, String> timings = new ConcurrentSkipListMap<>();
    private Path work;
    private final Map<Drill, Future<?>> runs = new EnumMap<>(Drill.class);
    private ExecutorService pool;

    /** The drills asked for, started now in their order on {@code rear.e2e.parallel} threads; each test awaits its own. */
    @BeforeAll
    void startDrills() {
        List<Drill> wanted = Arrays.stream(Drill.values()).filter(RecoveryDrillIT::wanted).toList();
        if (wanted.isEmpty()) {
            return;
        }
        int threads = Math.max(1, Integer.getInteger("rear.e2e.parallel", 1));
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(Math.min(threads, wanted.size()), r -> {
            Thread t = new Thread(r, "drill-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        System.out.printf("rear-e2e: drills %s, %d side by side%n", wanted, Math.min(threads, wanted.size()));
        for (Drill d : wanted) {
            runs.put(d, pool.submit(() -> {
                run(d);
                return null;
            }));
        }
    }

    static boolean wanted(Drill drill) {
        String wanted = System.getProperty("rear.e2e.drills", "");
        Set<String> set = Arrays.stream(wanted.split(",")).map(String::strip).collect(Collectors.toSet());
        return set.contains("all") || set.contains(drill.name());
    }

    @ParameterizedTest
    @EnumSource(Drill.class)
    void drill(Drill drill) throws Throwable {
        Assumptions.assumeTrue(runs.containsKey(drill), () -> drill + " is not in -Drear.e2e.drills=" + System.getProperty("rear.e2e.drills", ""));
        try {
            runs.get(drill).get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    @AfterAll
    void cleanUp() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow(); // every run was awaited by its test; nothing is left running but after an interrupt
            if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                System.out.println("rear-e2e: drill threads still running after 5 minutes");
            }
        }
        if (!timings.isEmpty()) {
            System.out.println("rear-e2e: drill timings (seconds, wall clock under qemu TCG, up to " + System.getProperty("rear.e2e.parallel", "1")
                    + " drills side by side)");
            System.out.println("rear-e2e:   mkbackup: rear mkbackup inside the source, of which rescue: the rescue system's build and backup: the"
                    + " backup; source VM: qemu start to power-off; initramfs: the rescue image; recovery: rescue boot to verdict (both boots"
                    + " when cut off); recovered: qemu start to multi-user of the recovered disks");
            System.out.printf("rear-e2e: %-10s %8s %7s %7s %9s %10s %9s %10s%n", "drill", "mkbackup", "rescue", "backup", "source VM",
                    "initramfs", "recovery", "recovered");
            timings.values().forEach(t -> System.out.println("rear-e2e: " + t));
        }
        if (work != null) {
            JavaRuntimeImage.deleteTree(work);
        }
    }

    /** One drill, all three stages; run by the pool of {@link #startDrills}. */
    private void run(Drill drill) throws Exception {
        VmHost host = VmHost.find();
        Assumptions.assumeTrue(host.dist() != null && Files.isExecutable(host.dist().resolve("bin/rear")),
                () -> "no rear distribution at " + host.dist() + " (mvn -pl rear-dist -am package)");
        SourceScenario scenario = drill.scenario;
        SourceSystem src = SourceSystem.install(host, scenario);
        Path work = work(src);
        Path results = host.cacheDir().resolveSibling("vm-results").resolve(getClass().getSimpleName() + "-" + drill);
        JavaRuntimeImage.deleteTree(results);
        Files.createDirectories(results);
        Backup backup;
        synchronized (scenarioLocks.computeIfAbsent(scenario, s -> new Object())) {
            Assumptions.assumeFalse(failedBackups.containsKey(scenario),
                    () -> "stage 1 (mkbackup) of " + scenario + " failed in drill " + failedBackups.get(scenario) + ": nothing to recover from");
            backup = backups.get(scenario);
            if (backup == null) {
                try {
                    backup = mkbackup(host, src, work, results);
                } catch (AssertionError | RuntimeException e) {
                    failedBackups.put(scenario, drill);
                    throw e;
                }
                backups.put(scenario, backup);
            }
        }
        Files.writeString(results.resolve("source-descriptor.json"), backup.descriptor());

        // stage 2: blank disks of the drill's size, the backup disk (a copy: the journal goes onto it), a media disk
        Path dir = Files.createDirectories(work.resolve(drill.name()));
        List<QemuVm.Drive> targets = new ArrayList<>();
        List<Path> blanks = new ArrayList<>();
        StringBuilder mapping = new StringBuilder();
        for (int i = 0; i < src.disks().size(); i++) {
            long size = (long) (Files.size(src.disks().get(i)) * drill.sizeFactor) >> 20 << 20;
            Path blank = sparse(dir.resolve("target" + i + ".img"), size);
            blanks.add(blank);
            String serial = drill.newDisks ? "new-" + (char) ('a' + i) : scenario.disks.get(i).serial();
            targets.add(new QemuVm.Image(blank, serial, QemuVm.Access.WRITE));
            String dev = "/dev/vd" + (char) ('a' + i);
            mapping.append(dev).append(' ').append(dev).append('\n');
        }
        Path backupCopy = dir.resolve("backup.img");
        HostProcess.run(Duration.ofMinutes(5), "cp", "--sparse=always", backup.disk().toString(), backupCopy.toString()).ok();
        Map<String, byte[]> media = new LinkedHashMap<>();
        List<String> args = new ArrayList<>(List.of("console=ttyS0,115200", "unattended", "panic=-1", "rear.journal=LABEL=REAR-000"));
        if (drill.sizeFactor < 1) {
            media.put("disk_mappings", mapping.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            args.add("rear.mapping=LABEL=" + MEDIA_LABEL + ":disk_mappings");
        }
        // a UEFI machine is a new one: its NVRAM starts empty; the rescue system's recovery writes the boot entry there
        QemuVm.Firmware firmware = QemuVm.Firmware.BIOS;
        Path nvram = null;
        if (scenario.firmware == IsoBoot.Firmware.UEFI) {
            nvram = QemuVm.Uefi.fresh(dir.resolve("nvram.fd")).nvram();
            firmware = QemuVm.Firmware.uefi(nvram);
        }
        if (Files.exists(src.dir().resolve(SourceSystem.KEY_FILE))) {
            media.put("luks.key", Files.readAllBytes(src.keyFile()));
            args.add("rear.keyfile=LABEL=" + MEDIA_LABEL + ":luks.key");
        }
        Path mediaDisk = mediaDisk(dir, media);
        List<QemuVm.Drive> drives = new ArrayList<>(targets);
        drives.add(new QemuVm.Image(backupCopy, "rear-backup", QemuVm.Access.WRITE));
        drives.add(new QemuVm.Image(mediaDisk, "rear-media", QemuVm.Access.READ_ONLY));
        Duration recoverTime = Duration.ZERO;
        String verdict = null;
        AssertionError noVerdict = null;
        {
            if (drill.interrupt) {
                recoverTime = recoverTime.plus(interrupted(host, dir, firmware, backup, args, drives, results));
                args.add("rear.resume");
            }
            try (QemuVm vm = QemuVm.boot(host.qemu(), dir, firmware, backup.kernel(), backup.initrd(), String.join(" ", args), 2048, 2, drives,
                    false, List.of())) {
                try {
                    verdict = vm.await("rear-rescue: VERDICT", RECOVER_LIMIT);
                    vm.awaitExit(Duration.ofSeconds(5));
                } catch (AssertionError e) {
                    noVerdict = e; // the journal is read once the VM is gone
                } finally {
                    Files.writeString(results.resolve("rescue-console.log"), vm.consoleText());
                }
                recoverTime = recoverTime.plus(vm.uptime());
            }
            if (noVerdict != null) {
                throw new AssertionError("the unattended recovery of " + drill + " reached no verdict: " + noVerdict.getMessage() + "\n"
                        + journalTail(backupCopy, scenario, results), noVerdict);
            }
            assertThat(verdict).as("the unattended recovery of %s\n%s\n%s", drill, SourceSystemIT.tail(Files.readString(results.resolve(
                    "rescue-console.log")), 80), journalTail(backupCopy, scenario, results)).contains("rc=0");
        }
        // the plan as the rescue console showed it: the disk mapping and what the resize policy decided
        String plan = planBlock(Files.readString(results.resolve("rescue-console.log")));
        System.out.println("rear-e2e: drill " + drill + " plan (mapping and resize):\n" + plan);
        if (drill.sizeFactor == 1.0) {
            assertThat(plan).as("the resize of %s, on disks of the original size", drill).contains("none (every target has its original's size)");
        } else {
            assertThat(plan).as("the resize of %s, on disks %s", drill, drill.sizeFactor > 1 ? "larger" : "smaller")
                    .doesNotContain("none (every target").containsPattern("(?m)^  /dev/vd[a-z] \\(.* -> ");
        }
        String journal = journalTail(backupCopy, scenario, results);
        System.out.printf("rear-e2e: drill %s stage 2 (unattended recover%s) passed in %.0fs: %s%n", drill, drill.interrupt ? ", cut off and resumed" : "",
                recoverTime.toMillis() / 1000.0, verdict.strip());
        if (drill.interrupt) {
            // the whole journal (journalTail copied it): one run, resumed once, its arrays assembled again after the restart
            String whole;
            try (Stream<Path> js = Files.list(results)) {
                Path last = js.filter(p -> p.getFileName().toString().matches("recover-.*\\.jsonl")).max(Path::compareTo)
                        .orElseThrow(() -> new AssertionError("no recovery journal copied to " + results + "\n" + journal));
                whole = Files.readString(last);
            }
            assertThat(whole).as("the journal of the resumed recovery\n%s", journal).contains("\"type\":\"run.resumed\"")
                    .contains("\"argv\":[\"mdadm\",\"--assemble\"");
        }

        // stage 3: the recovered disks boot through SeaBIOS and their own GRUB; markers, layout and its diff inside
        List<QemuVm.Drive> recoveredDrives = new ArrayList<>();
        for (QemuVm.Drive t : targets) {
            QemuVm.Image im = (QemuVm.Image) t;
            recoveredDrives.add(new QemuVm.Image(im.file(), im.serial(), QemuVm.Access.WRITE));
        }
        SourceSystem.Run check = src.runOn(host, recoveredDrives,
                CommandDisk.of(checkScript(), 900).text("source-descriptor.json", backup.descriptor(), 0644), List.of(), 64L << 20, BOOT_LIMIT,
                nvram);
        check.out().saveAll(results.resolve("recovered"));
        Files.writeString(results.resolve("recovered/console.log"), check.console());
        String ctx = "\n" + check.out().tail("run.log", 40) + "\n" + SourceSystemIT.tail(check.console(), 40) + "\n" + journal;
        assertThat(check.console()).as("the recovered %s booted by its own GRUB%s", drill, ctx).contains("GNU GRUB");
        assertThat(check.out().text("markers.txt")).as("markers in the recovered %s%s", drill, ctx).contains("MARKERS: VERDICT OK")
                .doesNotContain("MARKER FAIL");
        assertThat(check.out().text("savelayout.rc").strip()).as("rear savelayout in the recovered %s%s", drill, ctx).isEqualTo("0");
        List<String> unexplained = unexplainedDifferences(drill, check.out().text("diff.json"));
        System.out.println("rear-e2e: drill " + drill + " layout diff (source -> recovered):\n" + check.out().text("diff.txt").strip());
        assertThat(unexplained).as("differences between the source's and the recovered layout that %s does not explain\n%s", drill,
                check.out().text("diff.txt")).isEmpty();
        assertThat(check.out().text("failed-units.txt").strip()).as("failed units in the recovered %s", drill).isEmpty();
        assertThat(check.rc()).as("the check in the recovered %s (%s)%s", drill, check.doneLine(), ctx).isZero();
        System.out.printf("rear-e2e: drill %s stage 3 (recovered boot, markers, layout diff) passed: multi-user %.0fs after qemu started%n", drill,
                check.toMultiUser().toMillis() / 1000.0);
        timings.put(drill, String.format("%-10s %8s %7s %7s %9.0f %6d MiB %9.0f %10.0f", drill, backup.mkbackupSeconds(), backup.rescueSeconds(),
                backup.backupSeconds(), backup.vmTime().toMillis() / 1000.0, Files.size(backup.initrd()) >> 20, recoverTime.toMillis() / 1000.0,
                check.toMultiUser().toMillis() / 1000.0));
    }

    /** The plan's "Disk mapping:" and "Resize:" sections from a console log (the last plan shown), or what is there. */
    static String planBlock(String console) {
        String text = console.replace("\r", "");
        int start = text.lastIndexOf("Disk mapping:\n");
        int end = start < 0 ? -1 : text.indexOf("Steps (", start);
        return start < 0 || end < 0 ? "(no plan on the console)" : text.substring(start, end).strip();
    }

    /** Stage 1: rear format + rear mkbackup in the source, then the rescue kernel and initramfs copied out of the backup disk. */
    private synchronized Path work(SourceSystem src) throws IOException {
        if (work == null) {
            work = Files.createTempDirectory(Files.createDirectories(src.dir().resolveSibling("vm-work")), "drill-");
        }
        return work;
    }

    private Backup mkbackup(VmHost host, SourceSystem src, Path work, Path results) throws Exception {
        SourceScenario scenario = src.scenario();
        Path dir = Files.createDirectories(work.resolve("backup-" + scenario));
        Path backupDisk = sparse(dir.resolve("backup.img"), 4L << 30);
        Instant t0 = Instant.now();
        SourceSystem.Run backup = src.run(host, CommandDisk.of(mkbackupScript(), BACKUP_LIMIT_SECONDS).tree("rear", host.dist()),
                List.of(new QemuVm.Image(backupDisk, "rear-backup", QemuVm.Access.WRITE)), 64L << 20, BOOT_LIMIT);
        Duration vmTime = Duration.between(t0, Instant.now());
        backup.out().saveAll(results.resolve("backup"));
        Files.writeString(results.resolve("backup/console.log"), backup.console());
        assertThat(backup.rc()).as("rear mkbackup in %s (%s)\n%s\n%s\n%s", scenario, backup.doneLine(), backup.out().tail("mkbackup.log", 40),
                backup.out().tail("run.log", 20), SourceSystemIT.tail(backup.console(), 30)).isZero();
        String seconds = backup.out().has("mkbackup.seconds") ? backup.out().text("mkbackup.seconds").strip() : "?";
        Path rescue = Files.createDirectories(dir.resolve("rescue"));
        List<String> onDisk = onBackupDisk(backupDisk, mnt -> {
            try (Stream<Path> s = Files.walk(mnt)) {
                List<Path> all = s.toList();
                for (Path p : all) {
                    String n = p.getFileName().toString();
                    if (Files.isRegularFile(p) && (n.startsWith("kernel-") || n.startsWith("initramfs-"))) {
                        Files.copy(p, rescue.resolve(n));
                    }
                }
                return all.stream().map(p -> mnt.relativize(p).toString()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.out.println("rear-e2e: " + scenario + " backup disk holds " + onDisk);
        Path kernel = find(rescue, "kernel-");
        Path initrd = find(rescue, "initramfs-");
        System.out.printf("rear-e2e: %s stage 1 (mkbackup) passed: mkbackup %ss inside, source VM %.0fs; rescue %s (%d MiB), %s (%d MiB)%n",
                scenario, seconds, vmTime.toMillis() / 1000.0, kernel.getFileName(), Files.size(kernel) >> 20, initrd.getFileName(),
                Files.size(initrd) >> 20);
        String log = backup.out().text("mkbackup.log");
        return new Backup(backupDisk, backup.out().text("descriptor.json"), seconds, seconds(RESCUE_BUILT, log), seconds(BACKED_UP, log), vmTime,
                kernel, initrd);
    }

    /**
     * The interruption: the rescue system boots, the recovery runs until the RAID is created and the
     * next step's first command shows, and then the VM is killed — a power cut in the middle of the
     * layout. Returns how long that VM ran.
     */
    private Duration interrupted(VmHost host, Path dir, QemuVm.Firmware firmware, Backup backup, List<String> args, List<QemuVm.Drive> drives,
            Path results) throws IOException {
        try (QemuVm vm = QemuVm.boot(host.qemu(), dir, firmware, backup.kernel(), backup.initrd(), String.join(" ", args), 2048, 2, drives,
                false, List.of())) {
            try {
                // the plan lists the commands first ("       $ pvcreate ..."); the run shows each as it starts ("  $ pvcreate ...")
                vm.await("journal: /var/lib/rear/recovery/", RECOVER_LIMIT);
                vm.awaitMatch(Pattern.compile("^  \\$ (lvm )?pvcreate"), RECOVER_LIMIT);
                System.out.printf("rear-e2e: the RAID is created and pvcreate runs at %.0fs: the VM is killed now%n", vm.uptime().toMillis() / 1000.0);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("the recovery to be cut off never reached pvcreate\n" + vm.tail(60), e);
            } finally {
                Files.writeString(results.resolve("rescue-console-cut-off.log"), vm.consoleText());
            }
            return vm.uptime(); // and close() kills it: qemu gone, no shutdown, like a power cut

        }
    }

    /** The last events of the recovery journal that the rescue system kept on the backup disk, for failure messages. */
    static String journalTail(Path backupDisk, SourceScenario scenario, Path results) {
        try {
            return onBackupDisk(backupDisk, mnt -> {
                Path dir = mnt.resolve("rear/recovery/" + scenario.hostname);
                try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
                    List<Path> journals = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
                    if (journals.isEmpty()) {
                        return "(no recovery journal on the backup disk under " + mnt.relativize(dir) + ")";
                    }
                    StringBuilder b = new StringBuilder("the recovery journal " + journals.get(journals.size() - 1).getFileName() + ", last events:\n");
                    for (Path j : journals) {
                        Files.copy(j, results.resolve(j.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    List<String> lines = Files.readAllLines(journals.get(journals.size() - 1));
                    lines.subList(Math.max(0, lines.size() - 12), lines.size())
                            .forEach(l -> b.append("  ").append(l.length() > 400 ? l.substring(0, 400) + "..." : l).append('\n'));
                    return b.toString();
                } catch (IOException e) {
                    return "(cannot read the journal: " + e.getMessage() + ")";
                }
            });
        } catch (RuntimeException | AssertionError e) {
            return "(cannot read the backup disk for the journal: " + e.getMessage() + ")";
        }
    }

    /**
     * The layout differences a drill does not explain. Same-size drills explain none but the
     * descriptor's capture details; drills onto other disks explain the disks' identity and sizes,
     * and the sizes of what grows or shrinks with them (partitions, md arrays, PVs and VGs, swap).
     */
    /** The mkfs geometry that follows from a filesystem's size (as recover's own verify has it). */
    static final Set<String> FOLLOW_RESIZE = Set.of("blockCount", "inodeCount", "reservedBlocks", "agSizeBlocks", "agCount", "logBlocks");

    static List<String> unexplainedDifferences(Drill drill, String diffJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(diffJson);
        List<String> out = new ArrayList<>();
        Set<String> always = Set.of("capturedAt", "host.kernel", "host.uptime");
        Set<String> identity = Set.of("serial", "wwn", "model", "byIdLinks", "startSector", "sectors", "extents", "extentCount", "freeExtents",
                "peCount");
        // VGs and LVs get new UUIDs (vgcreate and lvcreate cannot set them; the recovery's verify says so),
        // and new disks new serials: rear diff, matching by those first, shows them removed and added under
        // the same id; such a pair is explained when nothing but what the drill explains differs
        Map<String, JsonNode> removed = new LinkedHashMap<>();
        Map<String, JsonNode> added = new LinkedHashMap<>();
        for (JsonNode c : root.path("changes")) {
            String kind = c.path("kind").asText();
            if (kind.equals("vg") || kind.equals("lv") || kind.equals("disk")) {
                if (c.path("change").asText().equals("removed")) {
                    removed.put(kind + " " + c.path("oldId").asText(), c);
                } else if (c.path("change").asText().equals("added")) {
                    added.put(kind + " " + c.path("newId").asText(), c);
                }
            }
        }
        Set<String> recreated = new java.util.HashSet<>(removed.keySet());
        recreated.retainAll(added.keySet());
        for (String key : recreated) {
            Map<String, String> before = new java.util.TreeMap<>();
            Map<String, String> after = new java.util.TreeMap<>();
            removed.get(key).path("fields").forEach(f -> before.put(f.path("field").asText(), f.path("old").toString()));
            added.get(key).path("fields").forEach(f -> after.put(f.path("field").asText(), f.path("new").toString()));
            for (String field : new java.util.TreeSet<>(before.keySet())) {
                String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[.*", "");
                boolean sizes = drill.newDisks && (identity.contains(last) || last.toLowerCase().contains("size")
                        || last.toLowerCase().contains("bytes") || last.toLowerCase().contains("extent") || last.equals("lastUsableLba"));
                if (!last.equals("uuid") && !sizes && !before.get(field).equals(after.get(field))) {
                    out.add(key + ": " + field + " " + before.get(field) + " -> " + after.get(field));
                }
            }
        }
        for (JsonNode c : root.path("changes")) {
            String kind = c.path("kind").asText();
            String change = c.path("change").asText();
            if ("excluded".equals(kind)) {
                continue; // the disks left out of the layout: the VM's backup, command and output disks, not the system
            }
            String id = kind + " " + c.path("oldId").asText(c.path("newId").asText());
            if (!"changed".equals(change)) {
                if (!recreated.contains(id)) {
                    out.add(change + " " + id);
                }
                continue;
            }
            for (JsonNode f : c.path("fields")) {
                String field = f.path("field").asText();
                String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[.*", "");
                if (kind.equals("bootloader") && bootEntriesExplained(field, f, c)) {
                    continue;
                }
                if (drill.sizeFactor != 1.0 && kind.equals("filesystem") && field.startsWith("parameters.") && FOLLOW_RESIZE.contains(last)) {
                    continue; // a filesystem made on a resized device: its geometry follows from the size
                }
                if (always.contains(field) || (drill.newDisks && (identity.contains(last) || last.toLowerCase().contains("size")
                        || last.toLowerCase().contains("bytes")))) {
                    continue;
                }
                out.add(kind + " " + c.path("oldId").asText() + ": " + field + " " + f.path("old") + " -> " + f.path("new"));
            }
        }
        return out;
    }

    /**
     * The UEFI boot entries: the firmware makes entries of its own for the devices a VM has (UiApp,
     * "UEFI Misc Device N", the shell), which differ between the source's VM and the check's; what must
     * hold is that every operating system's entry (one with a loader path) is there again with the same
     * label, partition and loader, and that the machine boots the same entry first.
     */
    static boolean bootEntriesExplained(String field, JsonNode f, JsonNode change) {
        if (field.equals("efiEntries")) {
            List<String> before = osEntries(f.path("old"));
            List<String> after = osEntries(f.path("new"));
            return !before.isEmpty() && after.containsAll(before);
        }
        if (field.equals("bootOrder")) {
            String first = f.path("old").path(0).asText("");
            String now = f.path("new").path(0).asText("");
            if (first.isEmpty() || now.isEmpty()) {
                return false;
            }
            if (first.equals(now)) {
                return true;
            }
            for (JsonNode g : change.path("fields")) {
                if (g.path("field").asText().equals("efiEntries")) {
                    return entry(g.path("old"), first).equals(entry(g.path("new"), now)) && !entry(g.path("old"), first).isEmpty();
                }
            }
        }
        return false;
    }

    private static List<String> osEntries(JsonNode entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> {
            if (e.hasNonNull("loaderPath")) {
                out.add(e.path("label").asText() + " " + e.path("partUuid").asText() + " " + e.path("loaderPath").asText() + " "
                        + e.path("active").asBoolean());
            }
        });
        return out;
    }

    private static String entry(JsonNode entries, String number) {
        for (JsonNode e : entries) {
            if (e.path("number").asText().equals(number) && e.hasNonNull("loaderPath")) {
                return e.path("label").asText() + " " + e.path("partUuid").asText() + " " + e.path("loaderPath").asText();
            }
        }
        return "";
    }

    /** A small ext4 disk labelled {@link #MEDIA_LABEL} holding {@code files}, made without mounting ({@code mkfs.ext4 -d}). */
    static Path mediaDisk(Path dir, Map<String, byte[]> files) throws IOException {
        Path content = Files.createDirectories(dir.resolve("media"));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(content.resolve(e.getKey()), e.getValue());
        }
        Path img = sparse(dir.resolve("media.img"), 16L << 20);
        HostProcess.run(Duration.ofMinutes(1), "mkfs.ext4", "-q", "-F", "-L", MEDIA_LABEL, "-d", content.toString(), img.toString()).ok();
        return img;
    }

    static String mkbackupScript() {
        return """
                #!/bin/sh
                set -eu
                OUT=$1
                exec >>"$OUT/mkbackup.log" 2>&1
                set -x
                cp -a rear /opt/rear
                chmod 0755 /opt/rear/bin/*
                ln -sf /opt/rear/bin/rear /usr/local/sbin/rear
                /opt/rear/bin/rear --version > "$OUT/version.txt"
                udevadm settle || true
                DEV=$(readlink -f /dev/disk/by-id/virtio-rear-backup)
                rear format --yes "$DEV"
                udevadm settle || true
                mkdir -p /etc/rear
                printf 'BACKUP=NETFS\\nBACKUP_URL=usb:///dev/disk/by-label/REAR-000\\nOUTPUT=RAMDISK\\n' > /etc/rear/local.conf
                cp /etc/rear/local.conf "$OUT/local.conf"
                echo "REAR-E2E: mkbackup starts" > /dev/console
                s=$(date +%s)
                rc=0; rear -v mkbackup || rc=$?
                echo $(( $(date +%s) - s )) > "$OUT/mkbackup.seconds"
                echo "REAR-E2E: mkbackup rc=$rc" > /dev/console
                cp /var/lib/rear/layout/descriptor.json "$OUT/descriptor.json" || true
                cp -r /var/log/rear "$OUT/log" || true
                cp hs_err_pid*.log /tmp/hs_err_pid*.log "$OUT/" 2>/dev/null || true # a crashed JVM's report
                exit $rc
                """;
    }

    static String checkScript() {
        return """
                #!/bin/sh
                OUT=$1
                rear-e2e-check-markers > "$OUT/markers.txt" 2>&1; m=$?
                echo $m > "$OUT/markers.rc"
                rear savelayout > "$OUT/savelayout.log" 2>&1; s=$?
                echo $s > "$OUT/savelayout.rc"
                cp /var/lib/rear/layout/descriptor.json "$OUT/descriptor.json" 2>/dev/null
                rear diff source-descriptor.json /var/lib/rear/layout/descriptor.json > "$OUT/diff.txt" 2>&1
                rear diff --json source-descriptor.json /var/lib/rear/layout/descriptor.json > "$OUT/diff.json" 2>"$OUT/diff.err"
                cp -r /var/log/rear/recover "$OUT/recover-log" 2>/dev/null
                cat /proc/cmdline > "$OUT/cmdline.txt"
                lsblk -o NAME,SIZE,TYPE,FSTYPE,LABEL,MOUNTPOINT > "$OUT/lsblk.txt" 2>&1
                cat /proc/mdstat > "$OUT/mdstat.txt" 2>&1
                systemctl --failed --no-legend --plain > "$OUT/failed-units.txt" 2>&1
                [ $m -eq 0 ] && [ $s -eq 0 ]
                """;
    }

    static Path sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    /**
     * Runs {@code body} on the first partition of the backup disk image (made by {@code rear format}),
     * loop-mounted read-only at its offset, and unmounts it in every outcome.
     */
    static <T> T onBackupDisk(Path backupDisk, Function<Path, T> body) {
        HostProcess table = HostProcess.run(Duration.ofSeconds(30), "sfdisk", "--json", backupDisk.toString());
        assertThat(table.exitCode()).as("the partition table of the backup disk %s: %s", backupDisk, table.stderr()).isZero();
        long start;
        long sectorSize;
        try {
            JsonNode t = new ObjectMapper().readTree(table.stdout()).path("partitiontable");
            start = t.path("partitions").path(0).path("start").asLong();
            sectorSize = t.path("sectorsize").asLong(512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path mnt;
        try {
            mnt = Files.createTempDirectory(backupDisk.getParent(), "backup-mnt-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HostProcess m = HostProcess.run(Duration.ofSeconds(60), "mount", "-o", "ro,loop,noload,offset=" + start * sectorSize, backupDisk.toString(),
                mnt.toString());
        assertThat(m.exitCode()).as("mount the backup disk %s at offset %d: %s", backupDisk, start * sectorSize, m.stderr()).isZero();
        try {
            return body.apply(mnt);
        } finally {
            HostProcess.run(Duration.ofSeconds(60), "umount", mnt.toString());
            try {
                Files.deleteIfExists(mnt);
            } catch (IOException e) {
                System.err.println("rear-e2e: cannot remove " + mnt + ": " + e.getMessage());
            }
        }
    }

    static Path find(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "* on the backup disk"));
        }
    }
}
