package dev.rear.engine.cli;

import org.jspecify.annotations.Nullable;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.MappingFile;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanOptions;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.TargetDisk;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rear plan DESCRIPTOR --target-disk PATH:SIZE ...}: what a recovery would do, touching nothing. */
@Command(name = "plan",
        description = {"Print the plan that would recreate a descriptor's layout on target disks. Touches no disk.", "",
            "Targets are given with --target-disk PATH:SIZE[:serial=S][:wwn=W][:sector=N] (SIZE in bytes or with",
            "K/M/G/T, powers of 1024); the recover workflow discovers them itself. Originals are matched to",
            "targets by WWN/serial, then same name and size, then size (exact, else the smallest larger one);",
            "--target ORIG=TARGET and --mapping-file FILE (ReaR's disk_mappings: 'source target' lines) override.",
            "A --target whose disk is not described by --target-disk is assumed to have its original's size."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:the plan was printed", "  2:usage error", "  3:the descriptor is not valid",
            "  4:a disk cannot be mapped, a target is too small, or a shrink lacks used-space figures", "  7:a file could not be read"})
class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DESCRIPTOR", description = "The descriptor whose layout is planned.")
    Path descriptor;

    @Option(names = "--target", paramLabel = "ORIG=TARGET", description = "Map an original disk onto a target disk.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--mapping-file", paramLabel = "FILE", description = "A disk_mappings file: 'source target' per line.")
    @Nullable Path mappingFile;

    @Option(names = "--target-disk", paramLabel = "PATH:SIZE", description = "A target disk and its size (and optionally serial=, wwn=, sector=).")
    List<String> targetDisks = new ArrayList<>();

    @Option(names = "--resize", paramLabel = "last|proportional", description = "Resize policy for targets of another size (default: last).")
    String resize = "last";

    @Option(names = "--resize-protected", description = "Allow resizing ESP, /boot, bios_grub and swap partitions too.")
    boolean resizeProtected;

    @Option(names = "--used", paramLabel = "DEV|MOUNTPOINT=BYTES", description = "Used space of a filesystem or LV, allowing it to shrink; wins over the figure recorded at capture time.")
    List<String> used = new ArrayList<>();

    @Option(names = "--key-file", paramLabel = "FILE", description = "The LUKS key file (default: the key is prompted for at recovery).")
    @Nullable String keyFile;

    @Option(names = "--json", description = "Print the plan as one JSON document.")
    boolean json;

    @Option(names = "--format", paramLabel = "text|json|sh", description = "Output: text (default), json, or sh (a reviewable script like ReaR's diskrestore.sh).")
    String format = "text";

    @Override
    public Integer call() {
        String fmt = json ? "json" : format.toLowerCase(Locale.ROOT);
        if (!List.of("text", "json", "sh").contains(fmt)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be text, json or sh, not '" + format + "'");
        }
        Plan plan = buildPlan(DescriptorFiles.load(descriptor), PlanOptions.DEFAULTS.targetRoot(), List.of());
        PrintWriter out = spec.commandLine().getOut();
        switch (fmt) {
            case "json" -> Json.print(out, plan.toJson());
            case "sh" -> out.print(plan.toShell());
            default -> out.print(plan.toText());
        }
        out.flush();
        return ExitCode.OK.code();
    }

    /**
     * The plan of the options: mapping (--target, --mapping-file, --target-disk and {@code extraDisks}),
     * resize policy and used space, mounts under {@code targetRoot}.
     */
    Plan buildPlan(SystemDescriptor d, String targetRoot, List<TargetDisk> extraDisks) {
        Map<String, String> lines = new LinkedHashMap<>();
        if (mappingFile != null) {
            lines.putAll(MappingFile.read(mappingFile));
        }
        StringBuilder fromArgs = new StringBuilder();
        for (String t : targets) {
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--target wants ORIG=TARGET, not '" + t + "'");
            }
            lines.remove(t.substring(0, eq));
            fromArgs.append(t, 0, eq).append(' ').append(t.substring(eq + 1)).append('\n');
        }
        Map<String, String> merged = new LinkedHashMap<>(lines);
        merged.putAll(MappingFile.parse(fromArgs.toString(), "--target"));
        List<TargetDisk> disks = new ArrayList<>();
        for (String td : targetDisks) {
            disks.add(parseTargetDisk(td));
        }
        for (TargetDisk x : extraDisks) {
            if (disks.stream().noneMatch(y -> y.path().equals(x.path()))) {
                disks.add(x);
            }
        }
        if (disks.isEmpty() && merged.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no targets: give --target-disk PATH:SIZE (and/or --target ORIG=TARGET, --mapping-file FILE)");
        }
        Map<String, Long> usedBytes = usedBytes(spec, used);
        ResizePolicy.Mode mode;
        try {
            mode = ResizePolicy.Mode.parse(resize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PlanOptions options = new PlanOptions(mode, resizeProtected, usedBytes, keyFile, targetRoot);
        DiskMapping mapping = DiskMapping.map(d, disks, merged);
        return Planner.plan(d, mapping, options);
    }

    /** The target paths of --target ORIG=TARGET, in order. */
    List<String> mappedTargets() {
        List<String> out = new ArrayList<>();
        for (String t : targets) {
            int eq = t.indexOf('=');
            if (eq > 0 && eq < t.length() - 1) {
                out.add(t.substring(eq + 1));
            }
        }
        return out;
    }

    private TargetDisk parseTargetDisk(String s) {
        String[] f = s.split(":");
        if (f.length < 2 || !f[0].startsWith("/dev/")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--target-disk wants PATH:SIZE, not '" + s + "'");
        }
        String serial = null;
        String wwn = null;
        int sector = 512;
        for (int i = 2; i < f.length; i++) {
            String[] kv = f[i].split("=", 2);
            if (kv.length != 2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--target-disk " + s + ": '" + f[i] + "' is not KEY=VALUE");
            }
            switch (kv[0]) {
                case "serial" -> serial = kv[1];
                case "wwn" -> wwn = kv[1];
                case "sector" -> sector = (int) size(kv[1], "--target-disk " + s);
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--target-disk " + s + ": unknown key '" + kv[0] + "' (serial, wwn, sector)");
            }
        }
        return new TargetDisk(f[0], size(f[1], "--target-disk " + s), sector, serial, wwn, null);
    }

    /**
     * {@code --used DEV|MOUNTPOINT=BYTES}, as {@code plan} and {@code recover} take it: the used
     * space of a filesystem or LV, which wins over the figure the descriptor recorded at capture.
     */
    static Map<String, Long> usedBytes(CommandSpec spec, List<String> used) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String u : used) {
            int eq = u.lastIndexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--used wants DEV|MOUNTPOINT=BYTES, not '" + u + "'");
            }
            out.put(u.substring(0, eq), size(spec, u.substring(eq + 1), "--used " + u));
        }
        return out;
    }

    private long size(String v, String where) {
        return size(spec, v, where);
    }

    private static long size(CommandSpec spec, String v, String where) {
        String x = v.strip().toUpperCase(Locale.ROOT).replaceFirst("I?B$", "");
        long mul = 1;
        if (!x.isEmpty() && "KMGT".indexOf(x.charAt(x.length() - 1)) >= 0) {
            mul = 1L << (10 * ("KMGT".indexOf(x.charAt(x.length() - 1)) + 1));
            x = x.substring(0, x.length() - 1);
        }
        try {
            long n = Math.multiplyExact(Long.parseLong(x), mul);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), where + ": '" + v + "' is not a positive size");
        }
    }
}
