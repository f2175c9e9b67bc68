package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.spi.ApiVersion;
import dev.rear.api.spi.Capability;
import dev.rear.engine.provider.ProviderRegistry;
import dev.rear.engine.provider.ProviderRegistry.Entry;
import dev.rear.engine.provider.ProviderRegistry.Status;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rear providers [ID]}: the backup providers on the class path, with version, jar and
 * capabilities, and those that failed to load or were refused, with the reason.
 *
 * <p>Exit 0 when every provider found is usable (also when none is found: that is a fact, not a
 * failure); exit 5 when any failed to load, was refused or shares its id with another — a broken
 * plugin on the class path is something to fix before the day a recovery needs it. With an ID,
 * only that provider: exit 5 when it cannot be selected, with the ids that can.
 */
@Command(name = "providers",
        description = {"List the backup providers found on the class path and their capabilities.", "",
            "Shows each provider's id, version, SPI version, jar and capabilities, and",
            "every provider that failed to load, was refused (built for another SPI",
            "version) or shares its id with another, with the reason.",
            "BACKUP=NETFS selects 'tar', TSM 'tsm', GALAXY11 'galaxy', BACULA 'bacula';",
            "any other value selects the id in lower case."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:every provider found is usable (or none was found)",
            "  5:a provider failed to load, was refused or has a duplicate id; with ID: that id cannot be selected"})
final class ProvidersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Rear root;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "Show only this provider; an error when it cannot be selected.")
    @Nullable String id;

    @Option(names = "--json", description = "Print one JSON document for scripts instead of text.")
    boolean json;

    @Override
    public Integer call() {
        ProviderRegistry registry = root.services().providers();
        if (id != null) {
            registry.select(id); // throws, naming the ids available, when it cannot be selected
        }
        List<Entry> shown = id == null ? registry.entries() : registry.entries().stream().filter(e -> id.equals(e.id())).toList();
        List<Entry> problems = shown.stream().filter(e -> !e.usable()).toList();
        ExitCode code = problems.isEmpty() ? ExitCode.OK : ExitCode.PROVIDER_FAILURE;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("spiVersion", ApiVersion.CURRENT.toString());
            ArrayNode list = doc.putArray("providers");
            for (Entry e : shown) {
                ObjectNode p = list.addObject();
                putIfPresent(p, "id", e.id());
                p.put("status", e.status().name().toLowerCase(Locale.ROOT));
                putIfPresent(p, "version", e.version());
                putIfPresent(p, "spiVersion", e.apiVersion());
                p.put("class", e.className());
                putIfPresent(p, "jar", e.location());
                ArrayNode caps = p.putArray("capabilities");
                e.capabilities().forEach(c -> caps.add(c.displayName()));
                putIfPresent(p, "reason", e.reason());
            }
            doc.put("usable", shown.size() - problems.size()).put("problems", problems.size()).put("exitCode", code.code());
            Json.print(out, doc);
            return code.code();
        }
        if (shown.isEmpty()) {
            out.println("no backup providers found on the class path");
        }
        for (Entry e : shown) {
            if (e.usable()) {
                out.println(e.id() + " " + e.version() + " (SPI " + e.apiVersion() + ")");
                out.println("  capabilities: " + capabilities(e));
            } else {
                out.println(label(e) + ": " + (e.id() == null ? e.className() : e.id() + " " + Objects.toString(e.version(), "")).strip());
                out.println("  reason:       " + e.reason());
                if (e.id() != null && !e.capabilities().isEmpty()) {
                    out.println("  capabilities: " + capabilities(e));
                }
            }
            out.println("  class:        " + e.className());
            out.println("  jar:          " + (e.location() == null ? "(unknown)" : e.location()));
        }
        out.println("rear providers: " + (shown.size() - problems.size()) + " usable"
                + (problems.isEmpty() ? "" : ", " + problems.size() + " with problems (listed above)"));
        return code.code();
    }

    private static String label(Entry e) {
        return e.status() == Status.FAILED ? "FAILED TO LOAD" : e.status() == Status.REFUSED ? "REFUSED" : "DUPLICATE ID";
    }

    private static String capabilities(Entry e) {
        return e.capabilities().isEmpty() ? "(none)" : e.capabilities().stream().map(Capability::displayName).collect(Collectors.joining(", "));
    }

    private static void putIfPresent(ObjectNode node, String key, @Nullable String value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
