package dev.rear.engine.recover.finalize;

import dev.rear.api.RearException;
import dev.rear.api.command.CommandResult;
import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.Swap;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.discovery.DiscoveryResult;
import dev.rear.engine.discovery.Finding;
import dev.rear.engine.discovery.LinuxDiscovery;
import dev.rear.engine.discovery.linux.EfibootmgrParser;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.FinalizeSteps;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.Step;
import dev.rear.engine.recover.Executor;
import dev.rear.engine.recover.HostProbe;
import dev.rear.engine.recover.StepAction;
import dev.rear.engine.recover.StepActionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The work of the finalize steps ({@link FinalizeSteps}) as {@link StepAction}s, one per step kind:
 * {@code rewrite-config}, {@code initramfs}, {@code bootloader}, {@code efi-entries}, {@code grub-config},
 * {@code verify}, {@code unmount} (the bind mounts are plain commands). Every program runs through the
 * step's journaled runner; chrooted tools run as {@code chroot TARGET_ROOT /path/in/target ...}.
 *
 * <p>Use: {@code FinalizeActions.forPlan(descriptor, plan, targetRoot).forEach((kind, a) -> executor = executor.withAction(kind, a))},
 * or {@link #register}.
 */
public final class FinalizeActions {
    private FinalizeActions() {}

    /** How long an initramfs rebuild or a bootloader installation may take. */
    static final Duration LONG = Duration.ofMinutes(30);

    /**
     * What the actions ask the machine beyond their commands.
     *
     * @param host        mounts (for the unmount and the ESP check)
     * @param rescueRoot  the rescue system's root, {@code /}: {@code sys/firmware/efi} below it tells a UEFI boot
     * @param clock       for the name of the backup copies
     * @param rediscover  the layout as it is now, discovered through the given (journaled) runner
     */
    public record Environment(HostProbe host, Path rescueRoot, Clock clock, Function<CommandRunner, DiscoveryResult> rediscover) {

        /** This machine: {@link HostProbe#linux()}, {@code /}, UTC, {@link LinuxDiscovery} of every disk (loop devices too when a target is one). */
        public static Environment live(Plan plan) {
            boolean loops = plan.mapping().targetPaths().stream().anyMatch(p -> p.startsWith("/dev/loop"));
            DiscoveryOptions options = new DiscoveryOptions(false, List.of(), List.of(), List.of(), List.of(), loops, false, List.of(), Path.of("/"));
            return new Environment(HostProbe.linux(), Path.of("/"), Clock.systemUTC(), runner -> new LinuxDiscovery(runner, options).discover());
        }
    }

    /** The actions of the finalize steps of {@code plan}, keyed by step kind, on this machine. */
    public static Map<String, StepAction> forPlan(SystemDescriptor d, Plan plan, String targetRoot) {
        return forPlan(d, plan, targetRoot, Environment.live(plan));
    }

    /** The actions of the finalize steps of {@code plan}, keyed by step kind. */
    public static Map<String, StepAction> forPlan(SystemDescriptor d, Plan plan, String targetRoot, Environment env) {
        Finalizer f = new Finalizer(d, plan, targetRoot, env);
        Map<String, StepAction> m = new TreeMap<>();
        m.put("rewrite-config", f::rewrite);
        m.put("initramfs", f::initramfs);
        m.put("bootloader", f::bootloader);
        m.put("efi-entries", f::efiEntries);
        m.put("grub-config", f::grubConfig);
        m.put("verify", f::verify);
        m.put("unmount", f::unmount);
        return m;
    }

    /** {@code executor} with every action of {@code actions} registered. */
    public static Executor register(Executor executor, Map<String, StepAction> actions) {
        Executor e = executor;
        for (Map.Entry<String, StepAction> a : actions.entrySet()) {
            e = e.withAction(a.getKey(), a.getValue());
        }
        return e;
    }

    /** The suffix of a backup copy: {@code .rear-orig-20261126T152518Z}. */
    static final String BACKUP_INFIX = ".rear-orig-";

    static final class Finalizer {
        private final SystemDescriptor d;
        private final Plan plan;
        private final String root;
        private final Environment env;
        private final DeviceNames names;
        private final FinalizeSteps.Family family;

        Finalizer(SystemDescriptor d, Plan plan, String root, Environment env) {
            this.d = d;
            this.plan = plan;
            this.root = root;
            this.env = env;
            this.names = DeviceNames.of(d, plan.mapping());
            this.family = FinalizeSteps.Family.of(d.host().osRelease());
        }

        // ------------------------------------------------------------------------------ rewrite

        Map<String, String> rewrite(Step step, StepAction.Context ctx) {
            String file = step.id().substring("rewrite:".length());
            Path path = Path.of(root + file);
            Map<String, String> facts = new LinkedHashMap<>();
            if (!Files.isRegularFile(path)) {
                facts.put("file", path + " is absent: nothing to rewrite");
                return facts;
            }
            ConfigRewriter.Kind kind = ConfigRewriter.Kind.of(file);
            String text = read(path);
            ConfigRewriter.Result r = null;
            Path from = null;
            for (Path sibling : backups(path)) {
                ConfigRewriter.Result x = ConfigRewriter.rewrite(kind, read(sibling), names);
                if (x.changed() && x.text().equals(text)) {
                    r = x;
                    from = sibling;
                    break;
                }
            }
            if (r == null) {
                r = ConfigRewriter.rewrite(kind, text, names);
            }
            List<ConfigRewriter.Problem> fails = r.failures();
            if (!fails.isEmpty()) {
                throw new StepActionException(path + " refers to what will not exist after recovery: "
                        + String.join("; ", fails.stream().map(ConfigRewriter.Problem::message).toList()));
            }
            int w = 0;
            for (ConfigRewriter.Problem p : r.problems()) {
                ctx.note("warning: " + path + ": " + p.message());
                facts.put("warning." + (++w), p.message());
            }
            if (from != null) {
                facts.put("file", path + " was rewritten before (its original is " + from + "); nothing changed now");
                return facts;
            }
            if (!r.changed()) {
                facts.put("file", path + " names no device the mapping renames; left untouched");
                return facts;
            }
            Path backup = backupName(path);
            try {
                Files.copy(path, backup, StandardCopyOption.COPY_ATTRIBUTES);
                Path tmp = path.resolveSibling(path.getFileName() + ".rear-new");
                Files.write(tmp, r.text().getBytes(StandardCharsets.ISO_8859_1));
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(path));
                    Files.setOwner(tmp, Files.getOwner(path));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX filesystem: the defaults stay
                }
                try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new StepActionException("cannot rewrite " + path + " (original kept as " + backup + "): " + e.getMessage(), e);
            }
            facts.put("file", path.toString());
            facts.put("backup", backup.toString());
            for (ConfigRewriter.Change c : r.changes()) {
                facts.put("line." + c.line(), c.before().strip() + " => " + c.after().strip());
            }
            ctx.note("rewrote " + r.changes().size() + " line(s) of " + path + "; the original is " + backup);
            return facts;
        }

        /** Earlier backup copies of {@code path}, newest first. */
        private static List<Path> backups(Path path) {
            try (Stream<Path> s = Files.list(path.getParent())) {
                return s.filter(p -> p.getFileName().toString().startsWith(path.getFileName() + BACKUP_INFIX))
                        .sorted(java.util.Comparator.comparing(Path::toString).reversed()).toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        private Path backupName(Path path) {
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(env.clock().instant());
            Path b = path.resolveSibling(path.getFileName() + BACKUP_INFIX + stamp);
            for (int i = 2; Files.exists(b); i++) {
                b = path.resolveSibling(path.getFileName() + BACKUP_INFIX + stamp + "-" + i);
            }
            return b;
        }

        private static String read(Path p) {
            try {
                // ISO-8859-1 maps every byte to one char and back: bytes that are no UTF-8 survive untouched
                return Files.readString(p, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new StepActionException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }

        // ------------------------------------------------------------------------------ tools in the target

        /** The path inside the target of the first of {@code tools} it has, or empty. */
        /** The initramfs images in the restored system's /boot (Debian's initrd.img-*, dracut's initramfs-*.img, SUSE's initrd-*). */
        List<String> initramfsImages() {
            Path boot = Path.of(root, "boot");
            if (!Files.isDirectory(boot)) {
                return List.of();
            }
            try (java.util.stream.Stream<Path> s = Files.list(boot)) {
                return s.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("initrd") || (n.startsWith("initramfs-") && n.endsWith(".img")))
                        .sorted().toList();
            } catch (java.io.IOException e) {
                throw new StepActionException("cannot list " + boot + ": " + e.getMessage(), e);
            }
        }

        Optional<String> toolInTarget(String... tools) {
            for (String t : tools) {
                for (String dir : List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/")) {
                    Path p = Path.of(root + dir + t);
                    if (Files.isExecutable(p) || Files.isSymbolicLink(p)) {
                        return Optional.of(dir + t);
                    }
                }
            }
            return Optional.empty();
        }

        private CommandResult chroot(StepAction.Context ctx, String tool, List<String> args) {
            List<String> argv = new ArrayList<>(List.of("chroot", root, tool));
            argv.addAll(args);
            return run(ctx, new CommandSpec(argv, LONG, Map.of(), Set.of(0), Set.of(), null));
        }

        private static CommandResult run(StepAction.Context ctx, CommandSpec spec) {
            try {
                return ctx.commands().run(spec);
            } catch (StepActionException e) {
                throw e;
            } catch (RearException e) {
                throw new StepActionException("`" + spec.display() + "` failed: " + firstLines(e.getMessage()), e);
            }
        }

        private static String firstLines(@Nullable String s) {
            if (s == null) {
                return "(no message)";
            }
            List<String> lines = s.strip().lines().toList();
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
        }

        // ------------------------------------------------------------------------------ initramfs

        Map<String, String> initramfs(Step step, StepAction.Context ctx) {
            List<String> preferred = family.initramfsCommand();
            List<String> other = preferred.get(0).equals("dracut") ? List.of("update-initramfs", "-u", "-k", "all")
                    : List.of("dracut", "--force", "--regenerate-all");
            for (List<String> cmd : List.of(preferred, other)) {
                Optional<String> tool = toolInTarget(cmd.get(0));
                if (tool.isPresent()) {
                    chroot(ctx, tool.get(), cmd.subList(1, cmd.size()));
                    return Map.of("tool", tool.get(), "command", "chroot " + root + " " + tool.get() + " " + String.join(" ", cmd.subList(1, cmd.size())));
                }
            }
            List<String> images = initramfsImages();
            if (images.isEmpty()) {
                // Nothing embeds the old layout: a system that boots without an initramfs (or a data-only restore).
                ctx.note("the restored system has no initramfs in /boot and no tool to build one: nothing to rebuild");
                return Map.of("skipped", "no initramfs image in " + root + "/boot and neither update-initramfs nor dracut");
            }
            throw new StepActionException("the restored system under " + root + " has " + String.join(", ", images)
                    + " in /boot but neither update-initramfs nor dracut"
                    + " (looked in /usr/sbin, /usr/bin, /sbin, /bin), so its initramfs cannot be rebuilt for the new layout;"
                    + " was the backup restored completely?");
        }

        // ------------------------------------------------------------------------------ bootloader

        Map<String, String> bootloader(Step step, StepAction.Context ctx) {
            BootloaderType type = d.bootloader().type();
            Map<String, String> facts = new LinkedHashMap<>();
            if (type == BootloaderType.SYSTEMD_BOOT) {
                String esp = espMounted();
                String bootctl = toolInTarget("bootctl").orElseThrow(() -> new StepActionException(
                        "the restored system under " + root + " has no bootctl, so systemd-boot cannot be installed"));
                chroot(ctx, bootctl, List.of("install", "--esp-path=" + esp, "--no-variables"));
                facts.put("installed", "systemd-boot on " + root + esp);
                return facts;
            }
            String tool = toolInTarget(family.grubInstall(), "grub-install", "grub2-install").orElseThrow(() -> new StepActionException(
                    "the restored system under " + root + " has neither grub-install nor grub2-install, so GRUB cannot be installed"
                            + " (was the backup restored completely?)"));
            if (type == BootloaderType.GRUB2_BIOS) {
                List<String> disks = FinalizeSteps.biosInstallDisks(d, plan.mapping(), plan.lower());
                if (disks.isEmpty()) {
                    throw new StepActionException("the descriptor's GRUB install devices " + d.bootloader().installDevices()
                            + " lie on no mapped target disk, so there is nowhere to install GRUB");
                }
                for (String disk : disks) {
                    List<String> argv = FinalizeSteps.grubInstallBios(root, tool, disk);
                    chroot(ctx, tool, argv.subList(3, argv.size()));
                }
                facts.put("installed", "GRUB i386-pc on " + String.join(", ", disks));
                return facts;
            }
            String esp = espMounted();
            boolean modules = Files.isDirectory(Path.of(root + "/usr/lib/grub/x86_64-efi"))
                    || Files.isDirectory(Path.of(root + "/usr/lib/grub2/x86_64-efi"));
            if (!modules) {
                String why = "the restored system has no GRUB x86_64-efi modules (/usr/lib/grub/x86_64-efi), as with the signed"
                        + " shim+GRUB of Red Hat and SUSE: the loader files came back with the backup on the ESP, so grub-install is skipped";
                ctx.note(why);
                facts.put("skipped", why);
                return facts;
            }
            List<String> argv = FinalizeSteps.grubInstallEfi(root, tool, esp, FinalizeSteps.bootloaderId(d));
            chroot(ctx, tool, argv.subList(3, argv.size()));
            facts.put("installed", "GRUB x86_64-efi on " + root + esp + " as " + FinalizeSteps.bootloaderId(d));
            return facts;
        }

        /** The ESP's mountpoint inside the target; fails unless something is mounted there. */
        private String espMounted() {
            String esp = FinalizeSteps.espMountpoint(d);
            String at = root + esp;
            if (env.host().mounts().stream().noneMatch(m -> m.mountPoint().equals(at))) {
                throw new StepActionException("the EFI system partition is not mounted on " + at + " (the plan's mount step for " + esp
                        + " should have mounted it), so no EFI loader can be installed");
            }
            return esp;
        }

        // ------------------------------------------------------------------------------ EFI entries

        Map<String, String> efiEntries(Step step, StepAction.Context ctx) {
            Map<String, String> facts = new LinkedHashMap<>();
            if (!Files.isDirectory(env.rescueRoot().resolve("sys/firmware/efi"))) {
                String why = "the rescue system was not booted with UEFI (no /sys/firmware/efi), so the firmware's boot entries cannot be"
                        + " written from here; boot the machine with UEFI from its ESP's fallback loader or rerun efibootmgr later";
                ctx.note(why);
                facts.put("skipped", why);
                return facts;
            }
            EfibootmgrParser.BootManager now = listEntries(ctx);
            List<String> order = new ArrayList<>();
            for (FinalizeSteps.EfiEntry e : FinalizeSteps.efiEntries(d, plan.mapping())) {
                if (e.skip() != null) {
                    facts.put("Boot" + e.number(), "skipped: " + e.skip());
                    continue;
                }
                String partUuid = originalPartUuid(e.number());
                Optional<EfibootmgrParser.Entry> same = find(now, e, partUuid);
                if (same.isEmpty()) {
                    run(ctx, CommandSpec.of(e.createArgv().toArray(String[]::new)));
                    now = listEntries(ctx);
                    same = find(now, e, partUuid);
                    if (same.isEmpty()) {
                        throw new StepActionException("efibootmgr created no entry '" + e.label() + "' for " + e.disk() + " partition "
                                + e.partition() + " (" + e.loader() + "): the firmware did not keep it");
                    }
                    facts.put("Boot" + e.number(), "recreated as Boot" + same.get().number() + " '" + e.label() + "' on " + e.disk() + " partition "
                            + e.partition());
                } else {
                    facts.put("Boot" + e.number(), "already there as Boot" + same.get().number());
                }
                if (d.bootloader().bootOrder().stream().anyMatch(n -> n.equalsIgnoreCase(e.number()))) {
                    order.add(same.get().number());
                }
            }
            List<String> full = new ArrayList<>(new LinkedHashSet<>(order));
            now.bootOrder().stream().map(x -> x.toUpperCase(Locale.ROOT)).filter(x -> !full.contains(x)).forEach(full::add);
            if (!full.isEmpty() && !full.equals(now.bootOrder().stream().map(x -> x.toUpperCase(Locale.ROOT)).toList())) {
                run(ctx, CommandSpec.of("efibootmgr", "--bootorder", String.join(",", full)));
            }
            facts.put("BootOrder", String.join(",", full));
            return facts;
        }

        private @Nullable String originalPartUuid(String number) {
            return d.bootloader().efiEntries().stream().filter(x -> x.number().equalsIgnoreCase(number)).map(x -> x.partUuid())
                    .findFirst().orElse(null);
        }

        private static Optional<EfibootmgrParser.Entry> find(EfibootmgrParser.BootManager now, FinalizeSteps.EfiEntry e, @Nullable String partUuid) {
            return now.entries().stream().filter(x -> x.label().equals(e.label()) && partUuid != null && partUuid.equalsIgnoreCase(x.partUuid())
                    && e.loader() != null && e.loader().equalsIgnoreCase(x.loaderPath())).findFirst();
        }

        private static EfibootmgrParser.BootManager listEntries(StepAction.Context ctx) {
            CommandResult r = run(ctx, CommandSpec.of("efibootmgr", "-v"));
            try {
                return EfibootmgrParser.parse(r.stdout());
            } catch (RearException e) {
                throw new StepActionException("cannot read the firmware's boot entries: " + e.getMessage(), e);
            }
        }

        // ------------------------------------------------------------------------------ grub config

        Map<String, String> grubConfig(Step step, StepAction.Context ctx) {
            List<List<String>> candidates = new ArrayList<>();
            candidates.add(family.grubConfigCommand());
            candidates.add(List.of("update-grub"));
            candidates.add(List.of("grub-mkconfig", "-o", "/boot/grub/grub.cfg"));
            candidates.add(List.of("grub2-mkconfig", "-o", "/boot/grub2/grub.cfg"));
            for (List<String> cmd : candidates) {
                Optional<String> tool = toolInTarget(cmd.get(0));
                if (tool.isPresent()) {
                    chroot(ctx, tool.get(), cmd.subList(1, cmd.size()));
                    return Map.of("command", "chroot " + root + " " + tool.get() + " " + String.join(" ", cmd.subList(1, cmd.size())));
                }
            }
            throw new StepActionException("the restored system under " + root + " has none of update-grub, grub-mkconfig, grub2-mkconfig,"
                    + " so GRUB's configuration cannot be written");
        }

        // ------------------------------------------------------------------------------ verify

        Map<String, String> verify(Step step, StepAction.Context ctx) {
            DiscoveryResult found = env.rediscover().apply(ctx.commands());
            List<String> errors = found.findings().stream().filter(f -> f.severity() == Finding.Severity.ERROR)
                    .filter(f -> concernsTargets(f.message())).map(Finding::message).toList();
            if (!errors.isEmpty()) {
                throw new StepActionException("the recreated layout cannot be verified, rediscovery failed: " + String.join("; ", errors));
            }
            LayoutVerifier.Report report = LayoutVerifier.compare(d, plan, root, found.descriptor());
            List<String> unexpected = new ArrayList<>(report.unexpected());
            unexpected.addAll(swapDifferences(ctx));
            unexpected.addAll(bootDifferences(found.descriptor()));
            Map<String, String> facts = new LinkedHashMap<>();
            for (int i = 0; i < report.expected().size(); i++) {
                facts.put("expected." + (i + 1), report.expected().get(i));
            }
            for (int i = 0; i < report.notCompared().size(); i++) {
                facts.put("not-compared." + (i + 1), report.notCompared().get(i));
            }
            if (!unexpected.isEmpty()) {
                throw new StepActionException("the recreated layout differs from the descriptor in " + unexpected.size()
                        + " way(s) the mapping and the resize do not explain: " + String.join("; ", unexpected)
                        + " (everything stays mounted below " + root + " for a look)");
            }
            facts.put("verdict", "the layout on " + String.join(", ", plan.mapping().targetPaths()) + " matches the descriptor under the mapping");
            return facts;
        }

        private boolean concernsTargets(String message) {
            return plan.mapping().targetPaths().stream().anyMatch(message::contains) || !message.contains("/dev/");
        }

        /** Swap is discovered only when active: each described swap area is probed with blkid instead. */
        private List<String> swapDifferences(StepAction.Context ctx) {
            List<String> out = new ArrayList<>();
            for (Swap s : d.swap()) {
                String dev = plan.mapping().translate(s.device());
                Map<String, String> got = new TreeMap<>();
                try {
                    CommandResult r = ctx.commands().run(CommandSpec.of("blkid", "-c", "/dev/null", "-p", "-o", "export", dev).alsoOk(2));
                    r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> got.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
                } catch (RearException e) {
                    out.add("swap " + dev + " cannot be probed: " + e.getMessage());
                    continue;
                }
                if (!"swap".equals(got.get("TYPE"))) {
                    out.add("swap " + dev + " holds no swap (blkid TYPE " + got.getOrDefault("TYPE", "none") + ")");
                } else {
                    if (s.uuid() != null && !s.uuid().equalsIgnoreCase(got.get("UUID"))) {
                        out.add("swap " + dev + " UUID: \"" + s.uuid() + "\" in the descriptor, \"" + got.get("UUID") + "\" on the targets");
                    }
                    if (s.label() != null && !s.label().equals(got.get("LABEL"))) {
                        out.add("swap " + dev + " LABEL: \"" + s.label() + "\" in the descriptor, \"" + got.get("LABEL") + "\" on the targets");
                    }
                }
            }
            return out;
        }

        /** For BIOS GRUB: every disk it was installed on must now show GRUB's boot code. */
        private List<String> bootDifferences(SystemDescriptor found) {
            if (d.bootloader().type() != BootloaderType.GRUB2_BIOS) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String disk : FinalizeSteps.biosInstallDisks(d, plan.mapping(), plan.lower())) {
                if (found.bootloader().type() != BootloaderType.GRUB2_BIOS || !found.bootloader().installDevices().contains(disk)) {
                    out.add("bootloader: no GRUB boot code found on " + disk + " (the descriptor has it on "
                            + String.join(", ", d.bootloader().installDevices()) + ")");
                }
            }
            return out;
        }

        // ------------------------------------------------------------------------------ unmount

        Map<String, String> unmount(Step step, StepAction.Context ctx) {
            Map<String, String> facts = new LinkedHashMap<>();
            List<String> done = new ArrayList<>();
            for (int round = 0; round < 64; round++) {
                List<HostProbe.Mount> below = env.host().mounts().stream()
                        .filter(m -> m.mountPoint().equals(root) || m.mountPoint().startsWith(root + "/")).toList();
                if (below.isEmpty()) {
                    break;
                }
                // the last mounted first (mountinfo lists in mount order); a mount below another comes out before it
                HostProbe.Mount last = below.get(below.size() - 1);
                for (HostProbe.Mount m : below) {
                    if (m.mountPoint().startsWith(last.mountPoint() + "/")) {
                        last = m;
                    }
                }
                umount(ctx, last.mountPoint());
                done.add(last.mountPoint());
            }
            List<HostProbe.Mount> left = env.host().mounts().stream()
                    .filter(m -> m.mountPoint().equals(root) || m.mountPoint().startsWith(root + "/")).toList();
            if (!left.isEmpty()) {
                throw new StepActionException("still mounted below " + root + " after unmounting: "
                        + String.join(", ", left.stream().map(HostProbe.Mount::mountPoint).toList()));
            }
            facts.put("unmounted", done.isEmpty() ? "nothing was mounted below " + root : String.join(", ", done));
            return facts;
        }

        private void umount(StepAction.Context ctx, String mountpoint) {
            RearException last = null;
            for (int attempt = 1; attempt <= 3; attempt++) {
                try {
                    ctx.commands().run(CommandSpec.of("umount", mountpoint));
                    return;
                } catch (RearException e) {
                    last = e;
                    if (env.host().mounts().stream().noneMatch(m -> m.mountPoint().equals(mountpoint))) {
                        return; // gone meanwhile
                    }
                    try {
                        Thread.sleep(500L * attempt);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            throw new StepActionException("cannot unmount " + mountpoint + " (" + firstLines(last == null ? null : last.getMessage())
                    + "); something still uses it: `fuser -vm " + mountpoint + "` names it; stop it and run the step again");
        }
    }

    /** The mapping in words, for notes. */
    static String mappingText(DiskMapping m) {
        return String.join(", ", m.entries().stream().map(e -> e.originalPath() + " -> " + e.target().path()).toList());
    }
}
