package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.spi.BackupResult;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.config.RearConfig;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.discovery.DiscoveryResult;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.layout.LayoutStore;
import dev.rear.engine.output.OutputException;
import dev.rear.engine.output.OutputRequest;
import dev.rear.engine.output.OutputResult;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.Step;
import dev.rear.engine.provider.ConsoleProgress;
import dev.rear.engine.provider.EngineProviderContext;
import dev.rear.engine.recover.BackupAction;
import dev.rear.engine.recover.Executor;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.recover.StepAction;
import dev.rear.engine.recover.StepActionException;
import dev.rear.engine.rescue.RescueBuildException;
import dev.rear.engine.rescue.RescueImage;
import dev.rear.engine.rescue.RescueSpec;
import dev.rear.engine.workflow.RearDistribution;
import dev.rear.engine.workflow.RescueSpecs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rear mkrescue}: savelayout, then the rescue system built from the configuration and written
 * in the form {@code OUTPUT} names; {@link MkBackupCommand mkbackup} adds the backup. The build, the
 * output and the backup are the steps of one journal ({@code /var/lib/rear/journal/WORKFLOW-TIME.jsonl});
 * one verdict line ends the run. {@code -s} lists the steps with the settings in effect and touches nothing.
 */
@Command(name = "mkrescue",
        description = {"Make the rescue system: save the layout (a fresh descriptor for the rescue",
            "system to carry), build the rescue system (kernel KERNEL_FILE, its modules,",
            "the programs recovery needs with their libraries, a jlink'ed Java runtime,",
            "rear, the descriptor and the configuration without its secrets), and write",
            "it as OUTPUT says (ISO by default, to ISO_DIR, copied to OUTPUT_URL). Ends",
            "with a report: image size compressed and not, build time, modules and",
            "programs, secrets left out, the artifacts. -s lists the steps and the",
            "settings and touches nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:made (or, with -s, listed)", "  2:usage error",
            "  4:something the build needs is missing (kernel, modules, JDK, a required program; the package is named),"
                + " or another rear runs", "  5:the backup provider failed", "  7:the output could not be written",
            "  8:the configuration or the provider's settings are invalid", "130:interrupted (Ctrl-C)"})
class MkRescueCommand implements Callable<Integer> {

    static final Path WORK_DIR = Path.of("/var/lib/rear/work");
    static final Path CACHE_DIR = Path.of("/var/cache/rear");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** The ids (and kinds) of the steps. */
    static final String RESCUE_STEP = "rescue";
    static final String OUTPUT_STEP = "output";

    @Spec
    CommandSpec spec;

    @ParentCommand
    Rear root;

    @Mixin
    LayoutOptions options;

    @Option(names = "--journal", paramLabel = "FILE", description = "The journal (default: a new WORKFLOW-TIME.jsonl in "
            + MkBackupOnlyCommand.JOURNAL_DIR_TEXT + ").")
    @Nullable Path journal;

    @Option(names = "--work-dir", paramLabel = "DIR", hidden = true, description = "Where the build works (default: a new directory in /var/lib/rear/work).")
    @Nullable Path workDir;

    @Option(names = "--json", description = "Print one JSON document with the outcome (progress then goes to standard error).")
    boolean json;

    /** The workflow's name. */
    String workflow() {
        return "mkrescue";
    }

    /** Whether the backup follows the rescue system. */
    boolean withBackup() {
        return false;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String wf = workflow();
        try (ProviderRun run = ProviderRun.open(root, spec, wf, json, false)) {
            RearConfig c = run.config;
            if (root.simulating()) {
                return simulate(out, run);
            }
            long t0 = System.nanoTime();
            // 1. savelayout, as ReaR's mkrescue does: the descriptor the rescue system carries is fresh.
            DiscoveryResult found = LayoutCommands.discoverResult(root, options, run.err, json, wf);
            SystemDescriptor d = found.descriptor();
            LayoutStore.Saved saved = options.store().save(d);
            say(out, wf + ": layout saved to " + saved.descriptor() + " (" + LayoutCommands.summary(d) + ")");

            RescueRequirements needs = requirements(run);
            Path dist = root.services().distribution().orElseThrow(() -> new Rear.ExitException(ExitCode.PRECONDITION_FAILED,
                    "rear runs from its classes, not from its distribution (bin/rear and lib/), which the rescue system carries:"
                    + " build it with 'mvn -B -DskipTests package' and run bin/rear, or set REAR_HOME to the distribution directory"));
            Path jdk = RearDistribution.jdk(Path.of(System.getProperty("java.home")), Path.of("/usr/lib/jvm"));
            Path work = workDirectory(wf);
            Path initrd = work.resolve(RescueSpecs.initrdName(c));
            RescueSpecs.Result built = RescueSpecs.build(new RescueSpecs.Inputs(c, options.root, needs, saved.descriptor(), d, dist, jdk,
                    work, CACHE_DIR, initrd));
            RescueSpec rs = built.spec();
            say(out, wf + ": rescue system: kernel " + rs.kernelFile() + " (" + rs.kernelRelease() + "), " + rs.requiredPrograms().size()
                    + " programs required and " + rs.optionalPrograms().size() + " copied where present, Java runtime from " + jdk
                    + ", rear from " + dist + ", " + rs.compression().name().toLowerCase(Locale.ROOT) + " compression");
            if (root.verbose()) {
                verbose(out, rs, built);
            }

            Work w = new Work();
            OutputRequest request = outputRequest(c);
            List<Step> steps = new ArrayList<>();
            steps.add(step(RESCUE_STEP, "build the rescue system (kernel " + rs.kernelRelease() + ") into " + initrd));
            steps.add(step(OUTPUT_STEP, "write it as OUTPUT=" + request.method() + " to " + request.outputDir()
                    + (request.outputUrl() == null ? "" : " and copy it to " + c.shown("OUTPUT_URL", request.outputUrl()))));
            BackupWork backup = withBackup() ? BackupWork.of(c, d, null) : null;
            BackupAction backupAction = backup == null ? null : backup.action(run);
            if (backup != null) {
                steps.add(BackupAction.plan(run.provider, backup.request()).steps().get(0));
            }
            RescueImageStore store = RescueImageStore.of(run.provider, run.settings);
            if (store != null) {
                steps.add(step(RescueImageStore.STEP, store.describe()));
            }
            Plan plan = new Plan(new DiskMapping(List.of()), new ResizePolicy.Result(List.of(), Map.of(), List.of()), steps, Map.of());
            Path j = journal != null ? ProviderRun.journalFile(journal) : ProviderRun.newJournal(MkBackupOnlyCommand.JOURNAL_DIR, wf);
            say(out, "journal: " + j);
            Executor ex = new Executor(new ProcessCommandRunner(), HostProbe.linux(), Clock.systemUTC())
                    .withAction(RESCUE_STEP, (step, ctx) -> w.build(step, ctx, rs, run))
                    .withAction(OUTPUT_STEP, (step, ctx) -> w.output(step, ctx, request, c))
                    .withNotes(line -> run.err.println("rear: " + line));
            if (backupAction != null) {
                ex = ex.withAction(BackupAction.STEP, (step, ctx) -> {
                    say(out, wf + ": " + backup.describe(run));
                    w.backupStart = System.nanoTime();
                    return backupAction.run(step, ctx);
                });
            }
            if (store != null) {
                ex = ex.withAction(RescueImageStore.STEP, (step, ctx) -> {
                    say(out, wf + ": " + store.describe() + " ...");
                    return store.run(ctx, w.output, request.outputDir(), run);
                });
            }
            Executor.Outcome o = ex.run(plan, wf, DescriptorJson.sha256(d), j, true);
            run.progress.finish();
            double seconds = (System.nanoTime() - t0) / 1e9;
            boolean artifactInside = w.output != null && w.output.artifacts().stream().anyMatch(a -> a.toAbsolutePath().startsWith(work));
            if (!o.ok() && w.image != null) {
                run.err.println("rear: the build directory " + work + " is kept for a look at what was built");
            } else if (!artifactInside) {
                deleteTree(work);
            }
            return report(out, run, o, j, w, built, backupAction == null ? null : backupAction.result(), store, seconds);
        }
    }

    /** What the steps hand each other. */
    private final class Work {
        @Nullable RescueImage image;
        @Nullable OutputResult output;
        @Nullable RuntimeException failure;
        long backupStart;

        Map<String, String> build(Step step, StepAction.Context ctx, RescueSpec rs, ProviderRun run) {
            PrintWriter out = spec.commandLine().getOut();
            say(out, workflow() + ": building the rescue system ...");
            RescueImage img;
            try {
                img = root.services().rescueBuilder().build(rs, ctx.commands(), run.progress);
            } catch (RescueBuildException e) {
                failure = e;
                throw new StepActionException(e.getMessage(), e);
            }
            run.progress.finish();
            image = img;
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("kernel", img.kernel().toString());
            facts.put("kernelRelease", img.kernelRelease());
            facts.put("initrd", img.initrd().toString());
            facts.put("initrdBytes", Long.toString(img.initrdBytes()));
            facts.put("treeBytes", Long.toString(img.treeBytes()));
            facts.put("entries", Integer.toString(img.entries()));
            facts.put("buildMillis", Long.toString(img.buildTime().toMillis()));
            facts.put("modules", Integer.toString(img.modules().size()));
            facts.put("programs", Integer.toString(img.programs().size()));
            facts.put("leftOut", String.join(" ", img.leftOut().stream().map(RescueImage.LeftOut::path).toList()));
            say(out, workflow() + ": built " + ConsoleProgress.bytes(img.initrdBytes()) + " initramfs (" + ConsoleProgress.bytes(img.treeBytes())
                    + " unpacked) in " + seconds(img.buildTime().toNanos()));
            return facts;
        }

        Map<String, String> output(Step step, StepAction.Context ctx, OutputRequest request, RearConfig c) {
            RescueImage img = image;
            if (img == null) {
                throw new StepActionException("there is no rescue image to write (the build step did not run in this process)");
            }
            say(spec.commandLine().getOut(), workflow() + ": writing OUTPUT=" + request.method() + " ...");
            OutputResult r;
            try {
                r = root.services().output(request.method()).write(img, request, ctx.commands());
            } catch (OutputException e) {
                failure = e;
                throw new StepActionException(e.getMessage(), e);
            }
            output = r;
            Map<String, String> facts = new LinkedHashMap<>();
            int i = 1;
            for (Path a : r.artifacts()) {
                facts.put("artifact." + i++, a.toString());
            }
            i = 1;
            for (String to : r.copiedTo()) {
                facts.put("copiedTo." + i++, c.shown("OUTPUT_URL", to));
            }
            facts.put("summary", r.summary());
            return facts;
        }
    }

    /** The provider's needs in the rescue system, asked on this system. */
    private RescueRequirements requirements(ProviderRun run) {
        try (EngineProviderContext ctx = run.context(new ProcessCommandRunner())) {
            return run.provider.rescueRequirements(ctx);
        } catch (ProviderException e) {
            throw new Rear.ExitException(ExitCode.PROVIDER_FAILURE, "backup provider '" + run.provider.id()
                    + "' cannot say what the rescue system needs: " + e.getMessage());
        }
    }

    /** ISO_DIR, OUTPUT_URL (ReaR's null: none), the names. */
    static OutputRequest outputRequest(RearConfig c) {
        String url = c.outputUrl();
        String hostname = RearConfig.Host.current().hostname();
        Path usb = null;
        if (c.output() == OutputMethod.USB && c.backupUrl().startsWith("usb://")) {
            usb = Path.of(c.backupUrl().substring("usb://".length()));
        }
        return new OutputRequest(c.output(), c.isoDir(), url == null || url.isEmpty() || url.equals("null") ? null : url, hostname,
                c.isoPrefix(), c.output() == OutputMethod.USB ? "REAR-000" : "RELAXRECOVER", List.of(), usb);
    }

    private Path workDirectory(String wf) {
        Path base = workDir != null ? workDir : WORK_DIR;
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, wf + "-" + STAMP.format(Instant.now()) + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the build directory in " + base + ": " + e.getMessage(), e);
        }
    }

    private static Step step(String id, String description) {
        return new Step(id, id, description, List.of(), List.of(), List.of(), List.of(), Check.none());
    }

    private void say(PrintWriter out, String line) {
        if (!json) {
            out.println(line);
            out.flush();
        }
    }

    private void verbose(PrintWriter out, RescueSpec rs, RescueSpecs.Result built) {
        say(out, "  required programs: " + String.join(" ", rs.requiredPrograms()));
        say(out, "  programs copied where present: " + String.join(" ", rs.optionalPrograms()));
        say(out, "  modules beyond rear's set: " + (rs.modules().isEmpty() ? "none" : String.join(" ", rs.modules())));
        say(out, "  COPY_AS_IS: " + String.join(" ", rs.copyAsIs()) + "; excluded: " + String.join(" ", rs.copyAsIsExclude()));
        say(out, "  provider: " + rs.provider().programs().size() + " programs, " + rs.provider().files().size() + " files, "
                + rs.provider().directories().size() + " directories, " + rs.provider().services().size() + " services");
        built.notes().forEach(n -> say(out, "  note: " + n));
    }

    /** The report and the verdict line (or the JSON document). */
    private int report(PrintWriter out, ProviderRun run, Executor.Outcome o, Path j, Work w, RescueSpecs.Result built,
                       @Nullable BackupResult backup, @Nullable RescueImageStore store, double seconds) {
        String wf = workflow();
        ExitCode code = o.ok() ? ExitCode.OK : run.interrupted() ? ExitCode.INTERRUPTED
                : w.failure instanceof RescueBuildException ? ExitCode.PRECONDITION_FAILED
                : w.failure instanceof OutputException ? ExitCode.IO_ERROR : ExitCode.PROVIDER_FAILURE;
        // path -> why: the secrets the configuration and the provider declare, then what the builder left out
        java.util.Map<String, String> leftOut = new java.util.LinkedHashMap<>();
        built.secrets().forEach(s -> leftOut.put(s, "secret"));
        if (w.image != null) {
            w.image.leftOut().forEach(l -> leftOut.put(l.path(), l.reason()));
        }
        List<String> secretsLeftOut = leftOut.entrySet().stream().filter(e -> !e.getValue().equals("COPY_AS_IS_EXCLUDE"))
                .map(java.util.Map.Entry::getKey).toList();
        List<String> excluded = leftOut.entrySet().stream().filter(e -> e.getValue().equals("COPY_AS_IS_EXCLUDE"))
                .map(java.util.Map.Entry::getKey).toList();
        if (json) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("workflow", wf).put("verdict", o.verdict().name().toLowerCase(Locale.ROOT)).put("message", o.message())
                    .put("journal", j.toString()).put("seconds", Math.round(seconds * 1000) / 1000.0).put("exitCode", code.code());
            if (w.image != null) {
                RescueImage img = w.image;
                ObjectNode i = doc.putObject("image");
                i.put("kernel", img.kernel().toString()).put("kernelRelease", img.kernelRelease()).put("initrd", img.initrd().toString())
                        .put("initrdBytes", img.initrdBytes()).put("treeBytes", img.treeBytes()).put("entries", img.entries())
                        .put("buildSeconds", img.buildTime().toMillis() / 1000.0).put("modules", img.modules().size())
                        .put("programs", img.programs().size());
            }
            ArrayNode lo = doc.putArray("leftOut");
            leftOut.forEach((path, why) -> lo.addObject().put("path", path).put("reason", why));
            ArrayNode notes = doc.putArray("notes");
            built.notes().forEach(notes::add);
            ArrayNode arts = doc.putArray("artifacts");
            ArrayNode copied = doc.putArray("copiedTo");
            if (w.output != null) {
                w.output.artifacts().forEach(a -> arts.add(a.toString()));
                w.output.copiedTo().forEach(x -> copied.add(run.config.shown("OUTPUT_URL", x)));
                doc.put("output", w.output.summary());
            }
            if (backup != null) {
                BackupWork.putJson(doc.putObject("backup"), backup);
            }
            if (store != null) {
                store.putJson(doc);
            }
            Json.print(out, doc);
            if (!o.ok()) {
                run.err.println("rear: " + o.message());
            }
            return code.code();
        }
        if (w.image != null) {
            RescueImage img = w.image;
            out.println("Rescue system:");
            out.println("  kernel      " + img.kernel() + " (" + img.kernelRelease() + ")");
            out.println("  initramfs   " + ConsoleProgress.bytes(img.initrdBytes()) + " compressed, " + ConsoleProgress.bytes(img.treeBytes())
                    + " uncompressed, " + String.format(Locale.ROOT, "%,d", img.entries()) + " entries");
            out.println("  build time  " + seconds(img.buildTime().toNanos()));
            out.println("  contents    " + img.modules().size() + " kernel modules, " + img.programs().size() + " programs");
            out.println("  secrets     " + (secretsLeftOut.isEmpty() ? "none found" : "left out: " + String.join(", ", secretsLeftOut)));
            if (!excluded.isEmpty()) {
                out.println("  excluded    " + String.join(", ", excluded) + " (COPY_AS_IS_EXCLUDE and rear's own work, output and backup directories)");
            }
        }
        built.notes().forEach(n -> out.println("  note        " + n));
        if (w.output != null) {
            out.println("Output: " + w.output.summary());
            for (Path a : w.output.artifacts()) {
                out.println("  " + a + sizeOf(a));
            }
            w.output.copiedTo().forEach(x -> out.println("  copied to " + run.config.shown("OUTPUT_URL", x)));
        }
        if (backup != null) {
            out.println(wf + ": " + BackupWork.summary(backup, (System.nanoTime() - w.backupStart) / 1e9));
        }
        if (store != null) {
            store.print(out);
        }
        if (o.ok()) {
            out.println(wf + ": succeeded in " + String.format(Locale.ROOT, "%.1f s", seconds) + (w.output == null ? ""
                    : ": " + String.join(", ", w.output.artifacts().stream().map(Path::toString).toList()))
                    + (backup == null ? "" : "; backup " + backup.restorePointId()) + "; journal " + j);
        } else {
            run.err.println("rear: " + o.message());
            out.println(wf + ": FAILED at step " + o.failedStep() + " (exit " + code.code() + "); journal " + j);
        }
        out.flush();
        return code.code();
    }

    private static String sizeOf(Path p) {
        try {
            return Files.isRegularFile(p) ? " (" + ConsoleProgress.bytes(Files.size(p)) + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** {@code -s}: the steps with the settings in effect; nothing is read beyond the configuration and /boot. */
    private int simulate(PrintWriter out, ProviderRun run) {
        RearConfig c = run.config;
        String wf = workflow();
        List<String> problems = new ArrayList<>();
        out.println(wf + " (simulation): nothing is touched; the steps that would run:");
        out.println("  configuration: " + (c.files().isEmpty() ? "no file read: the embedded default (BACKUP=" + c.backup().name()
                + " to " + c.shown("BACKUP_URL", c.backupUrl()) + ", OUTPUT=" + c.output().name() + ")"
                : String.join(", ", c.files().stream().map(Path::toString).toList())));
        String local = RescueSpecsView.localBackup(c);
        if (local != null) {
            out.println("  warning: the backup goes to " + local + " on this machine's own disk: that is no disaster recovery;"
                    + " set BACKUP_URL in /etc/rear/local.conf to a place off this machine (nfs://, cifs://, usb://, ...)");
        }
        if (run.embeddedDirToMake() != null) {
            out.println("  " + run.embeddedDirToMake() + " does not exist yet: the run makes it (mode 0700)");
        }
        out.println("  1 savelayout: discover this machine's layout, write " + options.store().descriptorFile()
                + " (every changed version kept in " + options.store().historyDir() + ")");
        RescueSpecs.Kernel k = RescueSpecs.kernel(c, options.root);
        boolean kernelThere = Files.isRegularFile(options.root.resolve(k.file().toString().replaceFirst("^/+", "")));
        String kernel = "kernel " + k.file() + " (" + k.how() + ")";
        if (!kernelThere) {
            String why = RescueSpecs.missingKernel(c, options.root, k);
            problems.add(why);
            kernel += " — MISSING";
        }
        String dist = root.services().distribution().map(Path::toString).orElse(null);
        if (dist == null) {
            problems.add("rear runs from its classes, not from a distribution (bin/rear, lib/)");
        }
        String jdk;
        try {
            jdk = RearDistribution.jdk(Path.of(System.getProperty("java.home")), Path.of("/usr/lib/jvm")).toString();
        } catch (RescueBuildException e) {
            problems.add(e.getMessage());
            jdk = "MISSING (" + e.getMessage() + ")";
        }
        out.println("  2 rescue: build the rescue system: " + kernel);
        out.println("      modules: " + (c.isSetByFile("MODULES") ? "MODULES=( " + String.join(" ", c.modules()) + " )"
                : "rear's set (storage, md, dm, filesystems, network) and the provider's; ReaR's all_modules only when set"));
        out.println("      programs: those a recovery of the saved layout runs, REQUIRED_PROGS"
                + (c.isSetByFile("REQUIRED_PROGS") ? "" : " (ReaR's default list: where present)") + ", PROGS"
                + (c.progs().isEmpty() ? "" : "=( " + String.join(" ", c.progs()) + " )") + ", the provider's, with their libraries");
        out.println("      COPY_AS_IS=( " + String.join(" ", c.copyAsIs()) + " ); firmware: "
                + (c.isSetByFile("FIRMWARE_FILES") ? String.join(" ", c.firmwareFiles()) : "none"));
        out.println("      Java runtime: jlink from " + jdk + "; rear from " + (dist == null ? "NOT FOUND (run bin/rear of a built distribution)" : dist));
        out.println("      in " + WORK_DIR + "/" + wf + "-TIME, cache " + CACHE_DIR + "; secrets are left out and named in the report");
        OutputRequest request = outputRequest(c);
        String artifact = switch (request.method()) {
            case ISO -> request.outputDir().resolve(request.isoPrefix() + ".iso").toString();
            case RAMDISK -> "kernel and initramfs in " + request.outputDir();
            case PXE -> "kernel, initramfs and a PXE configuration in " + request.outputDir();
            case USB -> "a bootable rescue system on " + (request.usbDevice() == null ? "the disk labelled REAR-000" : request.usbDevice());
        };
        out.println("  3 output: OUTPUT=" + request.method() + ": " + artifact + "; OUTPUT_URL: "
                + (request.outputUrl() == null ? "none (it stays in " + request.outputDir() + ")" : c.shown("OUTPUT_URL", request.outputUrl())));
        int n = 3;
        if (withBackup()) {
            BackupWork bw = BackupWork.of(c, null, null);
            out.println("  4 backup: backup provider '" + run.provider.id() + "' (BACKUP=" + c.backup().name() + ") to "
                    + c.shown("BACKUP_URL", c.backupUrl()) + ": the mountpoints of the local filesystems (found by step 1)"
                    + (c.backupProgInclude().isEmpty() ? "" : " and " + String.join(" ", c.backupProgInclude())) + ", less "
                    + String.join(" ", bw.request().excludes()) + " (" + bw.request().kind().name().toLowerCase(Locale.ROOT) + ")");
            n = 4;
        }
        RescueImageStore store = RescueImageStore.of(run.provider, run.settings);
        if (store != null) {
            out.println("  " + ++n + " " + RescueImageStore.STEP + ": " + store.describe() + " (its settings ask for it)");
        }
        out.println("  journal: " + (journal != null ? journal : MkBackupOnlyCommand.JOURNAL_DIR_TEXT + "/" + wf + "-TIME.jsonl")
                + "; log: /var/log/rear/rear-" + RearConfig.Host.current().hostname() + ".log");
        if (problems.isEmpty()) {
            out.println(wf + " (simulation): " + n + " steps would run; nothing was touched");
            out.flush();
            return ExitCode.OK.code();
        }
        out.println(wf + " (simulation): " + n + " steps; it would stop at step 2: " + String.join("; ", problems) + "; nothing was touched");
        out.flush();
        return ExitCode.PRECONDITION_FAILED.code();
    }

    /** Removes the build directory (the initramfs was copied by the output). */
    static void deleteTree(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a scratch directory; left behind it says so by its name
        }
    }

    /** Small views of the configuration for the simulation. */
    static final class RescueSpecsView {
        private RescueSpecsView() {}

        /** The local directory a {@code file://} BACKUP_URL names, else null. */
        static @Nullable String localBackup(RearConfig c) {
            String u = c.backupUrl();
            return u != null && u.startsWith("file:///") ? u.substring("file://".length()) : null;
        }
    }
}
