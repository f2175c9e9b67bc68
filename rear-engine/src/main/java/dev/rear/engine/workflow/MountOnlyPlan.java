package dev.rear.engine.workflow;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.Filesystem;
import dev.rear.api.descriptor.LogicalVolume;
import dev.rear.api.descriptor.LuksDevice;
import dev.rear.api.descriptor.LvSegmentType;
import dev.rear.api.descriptor.Mount;
import dev.rear.api.descriptor.PhysicalVolume;
import dev.rear.api.descriptor.RaidArray;
import dev.rear.api.descriptor.RaidMember;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.descriptor.VolumeGroup;
import dev.rear.engine.plan.Check;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanException;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.ResizePolicy;
import dev.rear.engine.plan.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code mountonly}'s plan: bring up what the restored system's filesystems sit on and mount them
 * under the target root for repair — assemble the md arrays ({@code mdadm --assemble} by UUID),
 * open the LUKS devices ({@code cryptsetup open}), activate the volume groups
 * ({@code vgchange --activate y}), then mount every described filesystem, parents first, with its
 * original options (plus {@code ro} with {@code readOnly}). Nothing is created, formatted or
 * written: the only directory made is the target root itself (outside the restored system); a
 * mountpoint missing in the restored system fails its step, naming it.
 *
 * <p>Each step's check is what it brings up (the array's, mapper's or LV's device exists; the
 * filesystem is mounted there), so a second run, or a resumed one, skips what is up already.
 */
public final class MountOnlyPlan {
    private MountOnlyPlan() {}

    /** The step kinds, in phase order. */
    public static final List<String> KINDS = List.of("md-assemble", "luks-open", "vg-activate", "mount");

    /**
     * The plan.
     *
     * @param keyFile the LUKS key file, or null to read the key from standard input ({@link Planner#KEY_FROM_STDIN})
     */
    public static Plan plan(SystemDescriptor d, DiskMapping mapping, String targetRoot, boolean readOnly, @Nullable String keyFile) {
        List<Step> steps = new ArrayList<>();
        for (RaidArray md : d.raidArrays()) {
            List<String> members = md.members().stream().map(RaidMember::device).map(mapping::translate).toList();
            List<String> argv = new ArrayList<>(List.of("mdadm", "--assemble", md.device(), "--uuid=" + md.uuid()));
            if (readOnly) {
                argv.add("--readonly");
            }
            argv.addAll(members);
            steps.add(new Step("md:" + md.device().substring(md.device().lastIndexOf('/') + 1), "md-assemble", "assemble the "
                    + md.level() + " array " + md.device() + " (UUID " + md.uuid() + ") from " + String.join(", ", members),
                    List.of(), members, List.of(md.device()), List.of(CommandSpec.of(argv.toArray(String[]::new))),
                    new Check("exists", md.device(), Map.of())));
        }
        String key = keyFile == null ? Planner.KEY_FROM_STDIN : keyFile;
        for (LuksDevice l : d.encryption()) {
            String dev = mapping.translate(l.device());
            List<String> argv = new ArrayList<>(List.of("cryptsetup", "open", "--type", "luks"));
            if (readOnly) {
                argv.add("--readonly");
            }
            argv.add("--key-file");
            int secret = argv.size();
            argv.add(key);
            argv.add(dev);
            argv.add(l.name());
            steps.add(new Step("open:" + l.name(), "luks-open", "open " + dev + " as " + l.mapperPath() + (readOnly ? " read-only" : "")
                    + "; key from " + (keyFile == null ? "standard input" : "the key file"), List.of(), List.of(dev), List.of(l.mapperPath()),
                    List.of(new CommandSpec(argv, CommandSpec.DEFAULT_TIMEOUT, Map.of(), Set.of(0), Set.of(secret), null)),
                    new Check("exists", l.mapperPath(), Map.of())));
        }
        for (VolumeGroup vg : d.lvm().volumeGroups()) {
            List<String> pvs = vg.physicalVolumes().stream().map(PhysicalVolume::device).map(mapping::translate).toList();
            List<String> lvs = new ArrayList<>();
            for (LogicalVolume lv : vg.logicalVolumes()) {
                if (lv.segmentType() != LvSegmentType.THIN_POOL) {
                    lvs.add(vg.pathOf(lv));
                    lvs.add(vg.mapperPathOf(lv));
                }
            }
            String probe = lvs.isEmpty() ? "/dev/" + vg.name() : lvs.get(0);
            steps.add(new Step("vg:" + vg.name(), "vg-activate", "activate volume group " + vg.name() + " on " + String.join(", ", pvs),
                    List.of(), pvs, lvs, List.of(CommandSpec.of("vgchange", "--activate", "y", vg.name())),
                    new Check("exists", probe, Map.of())));
        }
        record M(Filesystem fs, Mount m) {}
        List<M> mounts = new ArrayList<>();
        d.filesystems().forEach(fs -> fs.mounts().forEach(m -> mounts.add(new M(fs, m))));
        mounts.sort(Comparator.comparingInt((M x) -> depth(x.m().mountpoint())).thenComparing(x -> x.m().mountpoint()));
        Set<String> seen = new LinkedHashSet<>();
        String root = targetRoot.replaceAll("/+$", "");
        for (M x : mounts) {
            String mp = x.m().mountpoint();
            if (!seen.add(mp)) {
                continue;
            }
            String dev = mapping.translate(x.fs().device());
            String path = mp.equals("/") ? root : root + mp;
            List<String> opts = new ArrayList<>(x.m().options().stream().filter(o -> !o.equals("defaults") && !o.equals("rw")).toList());
            if (readOnly) {
                opts.removeIf(o -> o.equals("ro"));
                opts.add("ro");
            }
            List<String> argv = new ArrayList<>(List.of("mount", "-t", x.fs().type().name().toLowerCase(Locale.ROOT)));
            if (!opts.isEmpty()) {
                argv.addAll(List.of("-o", String.join(",", opts)));
            }
            argv.addAll(List.of(dev, path));
            List<CommandSpec> cmds = new ArrayList<>();
            if (mp.equals("/")) {
                cmds.add(CommandSpec.of("mkdir", "-p", path));
            }
            cmds.add(CommandSpec.of(argv.toArray(String[]::new)));
            List<String> uses = new ArrayList<>(List.of(dev));
            String parent = parent(mp, seen);
            if (parent != null) {
                uses.add("mnt:" + parent);
            }
            steps.add(new Step("mount:" + mp, "mount", "mount " + dev + " (" + x.fs().type().name().toLowerCase(Locale.ROOT) + ") on "
                    + path + (readOnly ? " read-only" : ""), List.of(), uses, List.of("mnt:" + mp), cmds,
                    new Check("mounted", path, Map.of("SOURCE", dev))));
        }
        if (steps.stream().noneMatch(s -> s.kind().equals("mount"))) {
            throw new PlanException("the descriptor describes no mounted filesystem: there is nothing to mount");
        }
        return new Plan(mapping, new ResizePolicy.Result(List.of(), Map.of(), List.of()), Planner.topoSort(steps, KINDS), Map.of());
    }

    /** What undoes the plan, in order: for the administrator once the repair is done. */
    public static List<String> undo(SystemDescriptor d, String targetRoot) {
        List<String> out = new ArrayList<>(List.of("umount -R " + targetRoot));
        d.lvm().volumeGroups().forEach(vg -> out.add("vgchange --activate n " + vg.name()));
        d.encryption().forEach(l -> out.add("cryptsetup close " + l.name()));
        d.raidArrays().forEach(md -> out.add("mdadm --stop " + md.device()));
        return out;
    }

    private static int depth(String mp) {
        return mp.equals("/") ? 0 : mp.split("/").length - 1;
    }

    private static @Nullable String parent(String mp, Set<String> known) {
        if (mp.equals("/")) {
            return null;
        }
        String p = mp;
        while (true) {
            int i = p.lastIndexOf('/');
            p = i <= 0 ? "/" : p.substring(0, i);
            if (known.contains(p) && !p.equals(mp)) {
                return p;
            }
            if (p.equals("/")) {
                return null;
            }
        }
    }
}
