package dev.rear.engine.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.event.PlannedStep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a recovery will do: the disk mapping, the resize decisions and the ordered steps.
 *
 * @param mapping the disk mapping
 * @param resize  the resize outcome (placements, LV sizes, decisions in words)
 * @param steps   the steps, each after the steps creating what it uses
 * @param lower   device → the devices it sits on directly (partition → disk, md → members, LV → VG → PVs)
 */
public record Plan(DiskMapping mapping, ResizePolicy.Result resize, List<Step> steps, Map<String, Set<String>> lower) {
    /** The environment variable the {@code --format=sh} script reads the LUKS key file's path from. */
    public static final String KEY_VAR = "REAR_KEY_FILE";

    public Plan {
        steps = List.copyOf(steps);
        lower = new TreeMap<>(lower);
    }

    /**
     * The steps that recreate the layout ({@link Planner#LAYOUT_KINDS}: wipe to mount), without the restore
     * and the finalize steps after it, whatever they are called: what {@code layoutonly} runs.
     */
    public Plan layoutOnly() {
        return new Plan(mapping, resize, steps.stream().filter(s -> Planner.LAYOUT_KINDS.contains(s.kind())).toList(), lower);
    }

    public List<PlannedStep> toPlannedSteps() {
        return steps.stream().map(Step::toPlannedStep).toList();
    }

    /** The mapped target disks {@code device} lies on (empty when it is not on one). */
    public Set<String> targetsUnder(String device) {
        Set<String> targets = new TreeSet<>(mapping.targetPaths());
        Set<String> out = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(device));
        while (!todo.isEmpty()) {
            String d = todo.pop();
            if (!seen.add(d)) {
                continue;
            }
            if (targets.contains(d)) {
                out.add(d);
            }
            todo.addAll(lower.getOrDefault(d, Set.of()));
        }
        return out;
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("Disk mapping:\n");
        for (DiskMapping.Entry e : mapping.entries()) {
            b.append("  ").append(e.originalPath()).append(" (").append(e.original().sizeBytes()).append(" bytes) -> ")
                    .append(e.target().path()).append(" (").append(e.target().sizeBytes()).append(" bytes)  matched by ")
                    .append(e.how()).append('\n');
        }
        b.append("Resize:\n");
        if (resize.decisions().isEmpty()) {
            b.append("  none (every target has its original's size)\n");
        }
        resize.decisions().forEach(x -> b.append("  ").append(x).append('\n'));
        b.append("Steps (").append(steps.size()).append("):\n");
        int i = 1;
        for (Step s : steps) {
            b.append(String.format("%3d. %-28s %s%n", i++, s.id(), s.description()));
            if (!s.devices().isEmpty()) {
                b.append("       writes: ").append(String.join(", ", s.devices())).append('\n');
            }
            for (CommandSpec c : s.commands()) {
                b.append("       $ ").append(c.display()).append(c.stdin() == null ? "" : "  <<input>>").append('\n');
                if (c.stdin() != null) {
                    for (String line : new String(c.stdin(), StandardCharsets.UTF_8).split("\n")) {
                        b.append("           | ").append(line).append('\n');
                    }
                }
            }
            for (String a : s.preview()) {
                b.append("       action: ").append(a).append('\n');
            }
            b.append("       check: ").append(s.check().describe()).append('\n');
        }
        b.append("Nothing was written; this is a plan.\n");
        return b.toString();
    }

    public JsonNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ArrayNode map = root.putArray("mapping");
        for (DiskMapping.Entry e : mapping.entries()) {
            ObjectNode o = map.addObject();
            o.put("original", e.originalPath());
            o.put("originalSizeBytes", e.original().sizeBytes());
            o.put("target", e.target().path());
            o.put("targetSizeBytes", e.target().sizeBytes());
            o.put("matchedBy", e.how());
        }
        ArrayNode res = root.putArray("resize");
        resize.decisions().forEach(res::add);
        ObjectNode lvs = root.putObject("lvSizes");
        resize.lvSizes().forEach(lvs::put);
        ArrayNode st = root.putArray("steps");
        for (Step s : steps) {
            ObjectNode o = st.addObject();
            o.put("id", s.id());
            o.put("kind", s.kind());
            o.put("description", s.description());
            ArrayNode devs = o.putArray("devices");
            s.devices().forEach(devs::add);
            ArrayNode cmds = o.putArray("commands");
            for (CommandSpec c : s.commands()) {
                ObjectNode co = cmds.addObject();
                ArrayNode argv = co.putArray("argv");
                c.redactedArgv().forEach(argv::add);
                if (c.stdin() != null) {
                    co.put("stdin", new String(c.stdin(), StandardCharsets.UTF_8));
                }
            }
            if (!s.preview().isEmpty()) {
                ArrayNode act = o.putArray("action");
                s.preview().forEach(act::add);
            }
            ObjectNode ch = o.putObject("check");
            ch.put("probe", s.check().probe());
            ch.put("target", s.check().target());
            ObjectNode ex = ch.putObject("expect");
            s.check().expect().forEach(ex::put);
        }
        return root;
    }

    /**
     * A reviewable shell script like ReaR's {@code diskrestore.sh}: {@code set -e}, one comment block
     * per step, every argument shell-quoted; a secret argument becomes {@code "$REAR_KEY_FILE"}.
     */
    public String toShell() {
        StringBuilder b = new StringBuilder();
        b.append("#!/bin/sh\n");
        b.append("# Generated by 'rear plan': recreates the disk layout. Review before running; it DESTROYS the targets:\n");
        for (DiskMapping.Entry e : mapping.entries()) {
            b.append("#   ").append(e.originalPath()).append(" -> ").append(e.target().path()).append(" (").append(e.target().sizeBytes())
                    .append(" bytes, matched by ").append(e.how()).append(")\n");
        }
        resize.decisions().forEach(x -> b.append("# resize: ").append(x).append('\n'));
        b.append("set -e\n");
        boolean secrets = steps.stream().flatMap(s -> s.commands().stream()).anyMatch(c -> !c.secretArgs().isEmpty());
        if (secrets) {
            b.append(": \"${").append(KEY_VAR).append(":?set ").append(KEY_VAR).append(" to the LUKS key file}\"\n");
        }
        b.append("export LC_ALL=C\n");
        int i = 1;
        for (Step s : steps) {
            b.append("\n# ").append(i++).append('/').append(steps.size()).append(' ').append(s.id()).append(": ").append(s.description()).append('\n');
            b.append("# check: ").append(s.check().describe()).append('\n');
            for (String a : s.preview()) {
                b.append("# rear does: ").append(a).append('\n');
            }
            if (s.commands().isEmpty()) {
                b.append(s.preview().isEmpty() ? ": # nothing to run here\n" : ": # rear's own work (see above), not a shell command\n");
            }
            for (CommandSpec c : s.commands()) {
                StringBuilder line = new StringBuilder();
                for (int a = 0; a < c.argv().size(); a++) {
                    if (a > 0) {
                        line.append(' ');
                    }
                    line.append(c.secretArgs().contains(a) ? "\"$" + KEY_VAR + "\"" : quote(c.argv().get(a)));
                }
                if (c.stdin() != null) {
                    line.append(" <<'REAR_EOF'");
                }
                // exit codes the command may also end with (besides 0) do not stop the script
                java.util.Set<Integer> alsoOk = new java.util.TreeSet<>(c.okExitCodes());
                alsoOk.remove(0);
                if (!alsoOk.isEmpty()) {
                    line.append(" || case $? in ").append(String.join("|", alsoOk.stream().map(String::valueOf).toList()))
                            .append(") ;; *) false ;; esac");
                }
                if (c.stdin() != null) {
                    String in = new String(c.stdin(), StandardCharsets.UTF_8);
                    line.append('\n').append(in).append(in.endsWith("\n") ? "" : "\n").append("REAR_EOF");
                }
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** Single-quotes an argument unless it consists only of characters the shell never interprets. */
    public static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
