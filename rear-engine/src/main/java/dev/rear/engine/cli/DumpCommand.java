package dev.rear.engine.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rear.api.descriptor.Host;
import dev.rear.engine.config.RearConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rear dump}: what rear would work with — the effective configuration (secrets masked,
 * each value with where it came from), the system definition, and the chosen methods.
 */
@Command(name = "dump", description = {"Print the configuration, the system definition and the chosen methods.", "",
    "Every variable in effect is shown in ReaR's syntax with the file and line it came from;",
    "passwords, keys and credentials in URLs are masked."})
final class DumpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand Rear root;
    @Mixin LayoutOptions options;

    @Option(names = "--json", description = "Print the system definition and methods as JSON for scripts (configuration values masked as in the text).")
    boolean json;

    @Override
    public Integer call() {
        RearConfig config = root.config("dump");
        Host host = root.services().discovery(options.discoveryOptions(config)).host();
        PrintWriter out = spec.commandLine().getOut();
        String arch = host.arch();
        String reArch = arch.matches("x86_64|i[3-6]86") ? "Linux-i386" : arch.startsWith("arm") || arch.startsWith("aarch") ? "Linux-arm" : "Linux-" + arch;
        String vendor = host.osRelease() == null ? "generic" : host.osRelease().id();
        String version = host.osRelease() == null || host.osRelease().versionId() == null ? "" : host.osRelease().versionId();
        if (json) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            ObjectNode system = doc.putObject("system");
            system.put("hostname", host.hostname()).put("arch", reArch).put("machine", arch).put("os", "GNU/Linux")
                    .put("osVendor", vendor).put("osVersion", version).put("firmware", host.firmware().name().toLowerCase(java.util.Locale.ROOT))
                    .put("kernel", host.kernel().release());
            doc.putObject("methods").put("BACKUP", config.backup().name()).put("OUTPUT", config.output().name())
                    .put("BACKUP_URL", config.shown("BACKUP_URL", config.backupUrl() == null ? "" : config.backupUrl()));
            var files = doc.putArray("configFiles");
            config.files().forEach(f -> files.add(f.toString()));
            doc.put("configuration", config.dump());
            Json.print(out, doc);
            return ExitCode.OK.code();
        }
        out.println("# rear dump");
        out.println("# Configuration files read: " + (config.files().isEmpty() ? "none (the embedded default applies)"
                : String.join(", ", config.files().stream().map(Object::toString).toList())));
        out.println();
        out.println("# System definition");
        out.println("HOSTNAME=" + host.hostname());
        out.println("ARCH=" + reArch + "  # " + arch);
        out.println("OS=GNU/Linux");
        out.println("OS_VENDOR=" + vendor);
        out.println("OS_VERSION=" + version);
        out.println("FIRMWARE=" + host.firmware().name().toLowerCase(java.util.Locale.ROOT)
                + (host.secureBoot() == null ? "" : "  # Secure Boot " + (host.secureBoot() ? "on" : "off")));
        out.println("KERNEL=" + host.kernel().release());
        out.println();
        out.println("# Methods");
        out.println("BACKUP=" + config.backup().name() + "  # backup provider: " + providerId(config));
        out.println("OUTPUT=" + config.output().name());
        out.println();
        out.println("# Configuration in effect (secrets masked)");
        out.print(config.dump());
        return ExitCode.OK.code();
    }

    /** The provider that serves BACKUP, and whether it is installed. */
    private String providerId(RearConfig config) {
        String id = dev.rear.engine.provider.BackupMethods.providerId(config.backup().name());
        boolean installed = root.services().providers().ids().contains(id);
        return id + (installed ? "" : " (not installed: 'rear providers' lists those that are)");
    }
}
