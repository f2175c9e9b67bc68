package dev.rear.engine.plan;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.BootloaderType;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.EfiBootEntry;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.OsRelease;
import dev.rear.api.descriptor.Partition;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.RaidMember;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The steps after the restore that make the restored system boot on the recreated layout, and the
 * pure decisions behind them (which disks get GRUB, which initramfs tool, which EFI entries), shared
 * by the planner (what the plan shows) and the step actions (what runs).
 *
 * <p>Order, each step after the one before: bind mounts of {@code /proc /sys /dev /run} into the
 * target root (chrooted tools need them) → rewrite {@code etc/fstab}, {@code etc/crypttab},
 * {@code etc/mdadm/mdadm.conf}, {@code etc/mdadm.conf}, {@code etc/default/grub} → rebuild the
 * initramfs (only when {@link #initramfsReason} gives a reason) → install the bootloader → EFI boot
 * entries (UEFI only) → GRUB configuration → verify → unmount. Verify comes before the unmount
 * because rediscovery reads btrfs subvolumes and the mounts from the mounted filesystems; a failed
 * verify stops the run with everything still mounted, so the administrator can look and repair.
 */
public final class FinalizeSteps {
    private FinalizeSteps() {}

    /** The kinds of the finalize steps, in order (the planner's phase order after {@code hook}). */
    public static final List<String> KINDS = List.of("bind-mount", "rewrite-config", "initramfs", "bootloader", "efi-entries",
            "grub-config", "verify", "unmount");

    /** What is bind-mounted into the target root, in this order. */
    public static final List<String> BIND_MOUNTS = List.of("/proc", "/sys", "/dev", "/run");

    /** The files rewritten where the mapping renamed devices, in this order (paths inside the restored system). */
    public static final List<String> CONFIG_FILES = List.of("/etc/fstab", "/etc/crypttab", "/etc/mdadm/mdadm.conf", "/etc/mdadm.conf",
            "/etc/default/grub");

    /** The distribution families that differ in their tools. */
    public enum Family {
        DEBIAN, REDHAT, SUSE, UNKNOWN;

        /** From {@code ID} and {@code ID_LIKE}: debian/ubuntu, rhel/fedora/centos, suse/sles/opensuse. */
        public static Family of(@Nullable OsRelease os) {
            if (os == null) {
                return UNKNOWN;
            }
            List<String> ids = new ArrayList<>();
            ids.add(os.id().toLowerCase(Locale.ROOT));
            os.idLike().forEach(x -> ids.add(x.toLowerCase(Locale.ROOT)));
            for (String id : ids) {
                if (id.equals("debian") || id.equals("ubuntu")) {
                    return DEBIAN;
                }
                if (id.startsWith("opensuse") || id.equals("suse") || id.equals("sles") || id.equals("sled")) {
                    return SUSE;
                }
                if (id.equals("rhel") || id.equals("fedora") || id.equals("centos") || id.equals("rocky") || id.equals("almalinux")) {
                    return REDHAT;
                }
            }
            return UNKNOWN;
        }

        /** The initramfs tool and its arguments this family uses. */
        public List<String> initramfsCommand() {
            return this == DEBIAN || this == UNKNOWN ? List.of("update-initramfs", "-u", "-k", "all")
                    : List.of("dracut", "--force", "--regenerate-all");
        }

        /** {@code grub-install} (Debian) or {@code grub2-install}. */
        public String grubInstall() {
            return this == REDHAT || this == SUSE ? "grub2-install" : "grub-install";
        }

        /** How this family writes GRUB's configuration. */
        public List<String> grubConfigCommand() {
            return this == REDHAT || this == SUSE ? List.of("grub2-mkconfig", "-o", "/boot/grub2/grub.cfg") : List.of("update-grub");
        }
    }

    /** The finalize steps, the first after {@code after} (the restore's token), each after the one before. */
    static List<Step> steps(SystemDescriptor d, DiskMapping mapping, Map<String, Set<String>> lower, String root, String after,
                            List<String> planMounts) {
        List<Step> out = new ArrayList<>();
        String prev = after;
        for (String b : BIND_MOUNTS) {
            String path = root + b;
            String token = "bind:" + b;
            out.add(new Step(token, "bind-mount", "bind-mount the rescue system's " + b + " on " + path + " (for the chrooted tools)",
                    List.of(), List.of(prev), List.of(token), List.of(CommandSpec.of("mkdir", "-p", path),
                    CommandSpec.of("mount", "--bind", b, path)), new Check("mounted", path, Map.of())));
            prev = token;
        }
        Family family = Family.of(d.host().osRelease());
        for (String f : CONFIG_FILES) {
            String token = "rewrite:" + f;
            out.add(new Step(token, "rewrite-config", "rewrite device names in " + root + f + " where the mapping changed them,"
                    + " keeping the original as " + root + f + ".rear-orig-<time>; check that every device it names exists",
                    List.of(), List.of(prev), List.of(token), List.of(), new Check("idempotent", root + f, Map.of()),
                    List.of("read " + root + f + " (absent: nothing to do)", "rename " + renamesText(mapping),
                            "fail naming the line when a device, UUID=, LABEL=, PARTUUID= it needs at boot will not exist"
                                    + " (warn for noauto/nofail lines and excluded components)")));
            prev = token;
        }
        Optional<String> why = initramfsReason(d, mapping);
        if (why.isPresent()) {
            List<String> argv = new ArrayList<>(List.of("chroot", root));
            argv.addAll(family.initramfsCommand());
            out.add(new Step("initramfs", "initramfs", "rebuild the initramfs of the restored system: " + why.get(), List.of(),
                    List.of(prev), List.of("initramfs"), List.of(), Check.none(),
                    List.of(String.join(" ", argv) + "   (the tool the restored system has: update-initramfs, else dracut)")));
            prev = "initramfs";
        }
        BootloaderType type = d.bootloader().type();
        if (type == BootloaderType.GRUB2_BIOS) {
            List<String> disks = biosInstallDisks(d, mapping, lower);
            List<String> preview = new ArrayList<>();
            for (String disk : disks) {
                preview.add(String.join(" ", grubInstallBios(root, family.grubInstall(), disk)));
            }
            out.add(new Step("bootloader", "bootloader", "install GRUB for BIOS in the boot area of " + String.join(", ", disks)
                    + " (where the original had it: " + String.join(", ", d.bootloader().installDevices()) + ")", disks,
                    List.of(prev), List.of("bootloader"), List.of(), Check.none(), preview));
            prev = "bootloader";
        } else if (type.isEfi()) {
            String esp = espMountpoint(d);
            String id = bootloaderId(d);
            String espDev = d.bootloader().esp() == null ? "(none)" : mapping.translate(d.bootloader().esp());
            List<String> preview = type == BootloaderType.SYSTEMD_BOOT
                    ? List.of("chroot " + root + " bootctl install --esp-path=" + esp + " --no-variables")
                    : List.of(String.join(" ", grubInstallEfi(root, family.grubInstall(), esp, id))
                            + "   (skipped when the restored system has no x86_64-efi GRUB modules: its ESP came back with the backup)");
            out.add(new Step("bootloader", "bootloader", "install " + (type == BootloaderType.SYSTEMD_BOOT ? "systemd-boot" : "GRUB for UEFI")
                    + " on the EFI system partition " + espDev + " mounted at " + root + esp, List.of(espDev), List.of(prev),
                    List.of("bootloader"), List.of(), Check.none(), preview));
            prev = "bootloader";
            List<String> efi = new ArrayList<>();
            for (EfiEntry e : efiEntries(d, mapping)) {
                efi.add(e.skip() == null ? String.join(" ", e.createArgv()) + "   (unless an entry with that label, partition and loader exists)"
                        : "skip Boot" + e.number() + " '" + e.label() + "': " + e.skip());
            }
            efi.add("efibootmgr --bootorder <the new numbers in the order of " + String.join(",", d.bootloader().bootOrder())
                    + ">,<the other entries as they were>");
            efi.add("all of it skipped, with a note, when the rescue system was not booted with UEFI (no /sys/firmware/efi)");
            out.add(new Step("efi-entries", "efi-entries", "recreate the firmware's boot entries of the descriptor on the mapped ESP and"
                    + " set BootOrder", List.of(), List.of(prev), List.of("efi-entries"), List.of(), new Check("idempotent", "", Map.of()), efi));
            prev = "efi-entries";
        }
        if (type == BootloaderType.GRUB2_BIOS || type == BootloaderType.GRUB2_EFI) {
            List<String> argv = new ArrayList<>(List.of("chroot", root));
            argv.addAll(family.grubConfigCommand());
            out.add(new Step("grub-config", "grub-config", "write GRUB's configuration in the restored system (finds the new kernel"
                    + " command line and the recreated devices)", List.of(), List.of(prev), List.of("grub-config"), List.of(), Check.none(),
                    List.of(String.join(" ", argv) + "   (else grub-mkconfig -o /boot/grub/grub.cfg or grub2-mkconfig -o /boot/grub2/grub.cfg,"
                            + " whichever the restored system has)")));
            prev = "grub-config";
        }
        out.add(new Step("verify", "verify", "rediscover the layout on " + String.join(", ", mapping.targetPaths()) + " and compare it with"
                + " the descriptor under the mapping; a difference neither the mapping nor the resize explains fails the run"
                + " and leaves everything mounted for repair", List.of(), List.of(prev), List.of("verify"), List.of(), Check.none(),
                List.of("discover the block devices, filesystems and swap on the mapped targets (LinuxDiscovery)",
                        "compare with the descriptor: device names as mapped, sizes and starts as resized are expected")));
        prev = "verify";
        List<String> unmount = new ArrayList<>();
        List<String> all = new ArrayList<>(planMounts);
        BIND_MOUNTS.forEach(b -> all.add(root + b));
        for (int i = all.size() - 1; i >= 0; i--) {
            unmount.add("umount " + all.get(i));
        }
        unmount.add("(anything else mounted below " + root + " first, deepest first; a busy mount is retried, then named)");
        out.add(new Step("unmount", "unmount", "unmount everything below " + root + " in reverse order, bind mounts included"
                + " (after a failed step nothing is unmounted: the mounts stay for repair)", List.of(), List.of(prev), List.of("unmount"),
                List.of(), new Check("idempotent", root, Map.of()), unmount));
        return out;
    }

    private static String renamesText(DiskMapping mapping) {
        List<String> r = new ArrayList<>();
        for (DiskMapping.Entry e : mapping.entries()) {
            if (!e.originalPath().equals(e.target().path())) {
                r.add(e.originalPath() + "* -> " + e.target().path() + "*");
            }
        }
        return r.isEmpty() ? "nothing (every disk keeps its name)" : String.join(", ", r);
    }

    /**
     * Why the initramfs must be rebuilt, or empty when the restored one still fits. Rebuilt when the
     * root filesystem sits on md, LUKS or LVM (their assembly and {@code mdadm.conf}/{@code crypttab}
     * are copied into the initramfs), or when a disk moved to another device name or transport (the
     * copied configuration names it, and a host-only initramfs may lack the new disk's driver).
     * Not rebuilt when every disk keeps its name and the root is a plain partition: the restored
     * initramfs is exactly the one that booted the original.
     */
    public static Optional<String> initramfsReason(SystemDescriptor d, DiskMapping mapping) {
        List<String> reasons = new ArrayList<>();
        Filesystem root = d.filesystemAt("/");
        if (root != null) {
            Set<String> stack = stack(d, root.device());
            if (!stack.isEmpty()) {
                reasons.add("the root filesystem is on " + String.join(" and ", stack));
            }
        }
        List<String> moved = new ArrayList<>();
        for (DiskMapping.Entry e : mapping.entries()) {
            if (!e.originalPath().equals(e.target().path())) {
                moved.add(e.originalPath() + " is now " + e.target().path());
            }
        }
        if (!moved.isEmpty()) {
            reasons.add(String.join(", ", moved));
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** The kinds of layer ({@code md}, {@code LUKS}, {@code LVM}) below a device, as the descriptor describes them. */
    static Set<String> stack(SystemDescriptor d, String device) {
        Set<String> kinds = new TreeSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(device));
        while (!todo.isEmpty()) {
            String dev = todo.pop();
            if (!seen.add(dev)) {
                continue;
            }
            for (RaidArray md : d.raidArrays()) {
                if (md.device().equals(dev)) {
                    kinds.add("md");
                    md.members().stream().map(RaidMember::device).forEach(todo::add);
                }
            }
            for (LuksDevice l : d.encryption()) {
                if (l.mapperPath().equals(dev)) {
                    kinds.add("LUKS");
                    todo.add(l.device());
                }
            }
            for (VolumeGroup vg : d.lvm().volumeGroups()) {
                for (LogicalVolume lv : vg.logicalVolumes()) {
                    if (vg.pathOf(lv).equals(dev) || vg.mapperPathOf(lv).equals(dev)) {
                        kinds.add("LVM");
                        vg.physicalVolumes().stream().map(PhysicalVolume::device).forEach(todo::add);
                    }
                }
            }
        }
        return kinds;
    }

    /**
     * The target disks GRUB goes on for BIOS: every mapped disk below each of the descriptor's install
     * devices (an md RAID1 boot device gives all its members' disks); with no install devices recorded,
     * the disks below {@code /boot}, else below {@code /}.
     */
    public static List<String> biosInstallDisks(SystemDescriptor d, DiskMapping mapping, Map<String, Set<String>> lower) {
        Set<String> targets = new LinkedHashSet<>(mapping.targetPaths());
        List<String> from = new ArrayList<>(d.bootloader().installDevices());
        if (from.isEmpty()) {
            Filesystem boot = d.filesystemAt("/boot");
            Filesystem root = boot != null ? boot : d.filesystemAt("/");
            if (root != null) {
                from.add(root.device());
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String dev : from) {
            Deque<String> todo = new ArrayDeque<>(List.of(mapping.translate(dev)));
            Set<String> seen = new LinkedHashSet<>();
            while (!todo.isEmpty()) {
                String x = todo.pop();
                if (!seen.add(x)) {
                    continue;
                }
                if (targets.contains(x)) {
                    out.add(x);
                }
                todo.addAll(lower.getOrDefault(x, Set.of()));
            }
        }
        return List.copyOf(out);
    }

    /** {@code chroot ROOT grub-install --target=i386-pc DISK}. */
    public static List<String> grubInstallBios(String root, String tool, String disk) {
        return List.of("chroot", root, tool, "--target=i386-pc", disk);
    }

    /**
     * {@code chroot ROOT grub-install --target=x86_64-efi --efi-directory=ESP --bootloader-id=ID --no-nvram}:
     * {@code --no-nvram} because the entries are made by the {@code efi-entries} step, from the descriptor.
     */
    public static List<String> grubInstallEfi(String root, String tool, String espMountpoint, String bootloaderId) {
        return List.of("chroot", root, tool, "--target=x86_64-efi", "--efi-directory=" + espMountpoint,
                "--bootloader-id=" + bootloaderId, "--no-nvram");
    }

    /** Where the ESP is mounted in the restored system ({@code /boot/efi} when the descriptor does not say). */
    public static String espMountpoint(SystemDescriptor d) {
        String esp = d.bootloader().esp();
        for (Filesystem f : d.filesystems()) {
            if (f.device().equals(esp) && !f.mounts().isEmpty()) {
                return f.mounts().stream().map(Mount::mountpoint).findFirst().orElseThrow();
            }
        }
        return "/boot/efi";
    }

    /**
     * The bootloader id: the directory under {@code \EFI\} of the first entry in boot order that loads from
     * the ESP and is not the fallback {@code \EFI\BOOT\}; else the os-release {@code ID}; else {@code grub}.
     */
    public static String bootloaderId(SystemDescriptor d) {
        String espUuid = espPartUuid(d);
        List<EfiBootEntry> ordered = new ArrayList<>();
        for (String n : d.bootloader().bootOrder()) {
            d.bootloader().efiEntries().stream().filter(e -> e.number().equalsIgnoreCase(n)).forEach(ordered::add);
        }
        d.bootloader().efiEntries().stream().filter(e -> !ordered.contains(e)).forEach(ordered::add);
        for (EfiBootEntry e : ordered) {
            if (e.loaderPath() == null || e.partUuid() == null || (espUuid != null && !e.partUuid().equalsIgnoreCase(espUuid))) {
                continue;
            }
            String[] parts = e.loaderPath().replace('/', '\\').split("\\\\");
            List<String> p = java.util.Arrays.stream(parts).filter(x -> !x.isEmpty()).toList();
            if (p.size() >= 3 && p.get(0).equalsIgnoreCase("EFI") && !p.get(1).equalsIgnoreCase("BOOT")) {
                return p.get(1);
            }
        }
        OsRelease os = d.host().osRelease();
        return os != null ? os.id() : "grub";
    }

    private static @Nullable String espPartUuid(SystemDescriptor d) {
        String esp = d.bootloader().esp();
        for (Disk disk : d.disks()) {
            for (Partition p : disk.partitionTable().partitions()) {
                if (p.path().equals(esp)) {
                    return p.partUuid();
                }
            }
        }
        return null;
    }

    /**
     * One of the descriptor's EFI boot entries as it is recreated: on the mapped disk and partition
     * (found by its PARTUUID, which is recreated), or skipped with the reason.
     */
    public record EfiEntry(String number, String label, @Nullable String disk, int partition, @Nullable String loader, boolean active,
                           @Nullable String skip) {
        /** {@code efibootmgr --create --disk D --part N --label L --loader P} (plus {@code --inactive}). */
        public List<String> createArgv() {
            List<String> argv = new ArrayList<>(List.of("efibootmgr", "--create", "--disk", String.valueOf(disk), "--part",
                    Integer.toString(partition), "--label", label, "--loader", String.valueOf(loader)));
            if (!active) {
                argv.add("--inactive");
            }
            return argv;
        }
    }

    /** The descriptor's EFI entries, in boot order first, then the rest, each mapped or with the reason it is skipped. */
    public static List<EfiEntry> efiEntries(SystemDescriptor d, DiskMapping mapping) {
        List<EfiBootEntry> ordered = new ArrayList<>();
        for (String n : d.bootloader().bootOrder()) {
            d.bootloader().efiEntries().stream().filter(e -> e.number().equalsIgnoreCase(n) && !ordered.contains(e)).forEach(ordered::add);
        }
        d.bootloader().efiEntries().stream().filter(e -> !ordered.contains(e)).forEach(ordered::add);
        List<EfiEntry> out = new ArrayList<>();
        for (EfiBootEntry e : ordered) {
            if (e.partUuid() == null || e.loaderPath() == null) {
                out.add(new EfiEntry(e.number(), e.label(), null, 0, e.loaderPath(), e.active(),
                        "it loads from no partition of this machine (network, shell or firmware entry); the new firmware has its own"));
                continue;
            }
            EfiEntry found = null;
            for (Disk disk : d.disks()) {
                for (Partition p : disk.partitionTable().partitions()) {
                    if (e.partUuid().equalsIgnoreCase(p.partUuid())) {
                        Optional<DiskMapping.Entry> m = mapping.forOriginal(disk.path());
                        if (m.isPresent()) {
                            found = new EfiEntry(e.number(), e.label(), m.get().target().path(), p.number(), e.loaderPath(), e.active(), null);
                        }
                    }
                }
            }
            out.add(found != null ? found : new EfiEntry(e.number(), e.label(), null, 0, e.loaderPath(), e.active(),
                    "its partition " + e.partUuid() + " is on no recreated disk"));
        }
        return out;
    }
}
