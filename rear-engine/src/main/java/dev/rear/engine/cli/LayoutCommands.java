package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorDiff;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.descriptor.DescriptorValidator;
import dev.rear.engine.descriptor.Violation;
import dev.rear.engine.discovery.DiscoveryResult;
import dev.rear.engine.discovery.Finding;
import dev.rear.engine.layout.LayoutStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code savelayout}, {@code checklayout} and {@code audit}: the layout of this machine, saved and watched. */
final class LayoutCommands {
    private LayoutCommands() {}

    /**
     * Discovers; prints the findings unless {@code quiet} (--json carries them instead); refuses a
     * descriptor that cannot be trusted.
     */
    static DiscoveryResult discoverResult(Rear root, LayoutOptions options, PrintWriter err, boolean quiet, String workflow) {
        DiscoveryResult r = root.services().discovery(options.discoveryOptions(root.config(workflow))).discover();
        if (!quiet) {
            r.findings().forEach(f -> err.println("rear: " + f));
        }
        if (r.hasErrors()) {
            long n = r.findings().stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "discovery could not find out " + n
                    + " required fact(s) (listed above); nothing was saved");
        }
        List<Violation> violations = DescriptorValidator.validate(r.descriptor());
        if (!violations.isEmpty()) {
            violations.forEach(v -> err.println("rear:   " + v));
            throw new Rear.ExitException(ExitCode.DESCRIPTOR_INVALID, "the discovered layout breaks " + violations.size()
                    + " rule(s) (listed above); nothing was saved. This is a bug or a layout rear does not understand yet");
        }
        return r;
    }

    static ArrayNode findingsJson(DiscoveryResult r) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        r.findings().forEach(f -> list.addObject().put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT))
                .put("component", f.component()).put("message", f.message()));
        return list;
    }

    static String summary(SystemDescriptor d) {
        int parts = d.disks().stream().mapToInt(x -> x.partitionTable().partitions().size()).sum();
        return d.disks().size() + " disk(s), " + parts + " partition(s), " + d.raidArrays().size() + " md array(s), "
                + d.lvm().volumeGroups().size() + " VG(s), " + d.encryption().size() + " LUKS, "
                + d.filesystems().size() + " filesystem(s), " + d.swap().size() + " swap, " + d.excluded().size() + " excluded";
    }

    @Command(name = "savelayout", description = {"Discover this machine's layout and save it.", "",
        "Writes the descriptor to the layout directory and keeps every distinct version in its",
        "history/ subdirectory, named by time and content hash."})
    static final class SaveLayout implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand Rear root;
        @Mixin LayoutOptions options;

        @Option(names = "--json", description = "Print the result as JSON for scripts.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DiscoveryResult found = discoverResult(root, options, spec.commandLine().getErr(), json, "savelayout");
            SystemDescriptor d = found.descriptor();
            if (root.simulating()) {
                out.println("savelayout (simulation): would save " + summary(d) + " to " + options.store().descriptorFile()
                        + "; nothing was touched");
                return ExitCode.OK.code();
            }
            LayoutStore.Saved saved = options.store().save(d);
            if (json) {
                ObjectNode doc = JsonNodeFactory.instance.objectNode();
                doc.set("findings", findingsJson(found));
                doc.put("descriptor", saved.descriptor().toString()).put("contentHash", saved.contentHash());
                saved.newHistoryEntry().ifPresent(p -> doc.put("newHistoryEntry", p.toString()));
                doc.put("summary", summary(d));
                Json.print(out, doc);
            } else {
                out.println("saved " + saved.descriptor() + ": " + summary(d));
                out.println(saved.newHistoryEntry().map(p -> "new version kept as " + p)
                        .orElse("unchanged since the last saved version; no history entry added"));
                out.println("rear savelayout: saved");
            }
            return ExitCode.OK.code();
        }
    }

    @Command(name = "checklayout", description = {"Discover the layout again and compare it with the saved one.", "",
        "Exit 0 when it is unchanged, 1 when it changed (cron: rear checklayout || rear mkrescue).",
        "Disk names swapped between the same disks and reordered mount options are no change."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:unchanged", "  1:changed", "  3:the saved descriptor is invalid", "  4:no saved layout, or discovery failed"})
    static final class CheckLayout implements Callable<Integer> {
        @Spec CommandSpec spec;
        @ParentCommand Rear root;
        @Mixin LayoutOptions options;

        @Option(names = "--json", description = "Print the changes as JSON for scripts.")
        boolean json;

        @Override
        public Integer call() {
            LayoutStore store = options.store();
            if (!store.hasDescriptor()) {
                throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "no saved layout at " + store.descriptorFile()
                        + ": run 'rear savelayout' first");
            }
            SystemDescriptor saved = DescriptorFiles.load(store.descriptorFile());
            DiscoveryResult found = discoverResult(root, options, spec.commandLine().getErr(), json, "checklayout");
            DescriptorDiff.Result changes = DescriptorDiff.compare(saved, found.descriptor()).significant();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode doc = (ObjectNode) changes.toJson();
                doc.put("changed", !changes.isEmpty());
                doc.set("findings", findingsJson(found));
                Json.print(out, doc);
            } else {
                if (!changes.isEmpty()) {
                    out.print(changes.toText());
                }
                out.println("rear checklayout: " + (changes.isEmpty() ? "layout unchanged" : "layout CHANGED since "
                        + saved.capturedAt() + "; run 'rear mkrescue' (or 'rear savelayout') to record it"));
            }
            return changes.isEmpty() ? ExitCode.OK.code() : ExitCode.DIFFERENCES.code();
        }
    }

    @Command(name = "audit", description = {"List the saved versions of the layout and what changed in each."})
    static final class Audit implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--layout-dir", paramLabel = "DIR", description = "Where the layout is kept (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path layoutDir = LayoutStore.DEFAULT_DIR;

        @Option(names = "--json", description = "Print the history as JSON for scripts.")
        boolean json;

        @Override
        public Integer call() {
            LayoutStore store = new LayoutStore(layoutDir);
            List<LayoutStore.HistoryEntry> history = store.history();
            PrintWriter out = spec.commandLine().getOut();
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            SystemDescriptor previous = null;
            for (LayoutStore.HistoryEntry e : history) {
                DescriptorFiles.Checked c = DescriptorFiles.check(e.file());
                ObjectNode row = list.addObject().put("file", e.file().toString()).put("contentHash", e.contentHash());
                String line;
                if (c.descriptor() == null) {
                    line = "unreadable: " + (c.error() != null ? c.error() : c.violations().size() + " structural violation(s)");
                    row.put("error", line);
                } else {
                    row.put("capturedAt", c.descriptor().capturedAt().toString());
                    if (previous == null) {
                        line = "first version: " + summary(c.descriptor());
                    } else {
                        DescriptorDiff.Result d = DescriptorDiff.compare(previous, c.descriptor());
                        line = oneLine(d);
                        row.set("changes", d.toJson().get("changes"));
                    }
                    previous = c.descriptor();
                    row.put("summary", line);
                }
                if (!json) {
                    out.println(e.stamp() + "  " + e.contentHash() + "  " + line);
                }
            }
            if (json) {
                Json.print(out, JsonNodeFactory.instance.objectNode().set("history", list));
            } else {
                out.println("rear audit: " + history.size() + " version(s) in " + store.historyDir());
            }
            return ExitCode.OK.code();
        }

        /** {@code 1 changed, 1 added: ~part:sda2 (sizeSectors), +fs:/data}, cut after a few components. */
        static String oneLine(DescriptorDiff.Result d) {
            if (d.isEmpty()) {
                return "no change (capture time only)";
            }
            long added = d.changes().stream().filter(c -> c.change() == DescriptorDiff.Change.ADDED).count();
            long removed = d.changes().stream().filter(c -> c.change() == DescriptorDiff.Change.REMOVED).count();
            long changed = d.changes().size() - added - removed;
            StringBuilder b = new StringBuilder();
            b.append(changed).append(" changed, ").append(added).append(" added, ").append(removed).append(" removed: ");
            int shown = 0;
            for (DescriptorDiff.ComponentChange c : d.changes()) {
                if (shown == 4) {
                    b.append(", …");
                    break;
                }
                if (shown++ > 0) {
                    b.append(", ");
                }
                switch (c.change()) {
                    case ADDED -> b.append('+').append(c.newId());
                    case REMOVED -> b.append('-').append(c.oldId());
                    case CHANGED -> b.append('~').append(c.id()).append(" (")
                            .append(String.join(", ", c.fields().stream().map(DescriptorDiff.FieldChange::field).limit(3).toList()))
                            .append(')');
                }
            }
            return b.toString();
        }
    }
}
