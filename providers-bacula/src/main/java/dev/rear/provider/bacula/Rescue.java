package dev.rear.provider.bacula;

import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderException.Kind;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueRequirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the rescue system needs for {@code BACKUP=BACULA}.
 *
 * <ul>
 *   <li>{@code bacula-fd} and {@code bacula-fd.conf}: the director connects to this file daemon to
 *       push the restore, and authenticates with the password in the fd's {@code Director}
 *       resource, so that file is carried as it is (without it there is no restore). The fd's
 *       working and pid directories are carried empty.</li>
 *   <li>{@code bconsole} and its configuration: carried by default
 *       ({@code BACULA_RESCUE_CONSOLE_CONFIG=yes}) because its console password is what lets the
 *       recovery run unattended — treat the rescue image like the director's credentials. With
 *       {@code BACULA_RESCUE_CONSOLE_CONFIG=no} it is left out as a secret; the director's name,
 *       address and port are carried as {@code BACULA_DIRECTOR_*} variables and the password is
 *       asked at recovery (or taken from {@code BACULA_CONSOLE_PASSWORD}).</li>
 *   <li>{@code bextract}, {@code bls} and {@code bacula-sd.conf} when they are installed or
 *       {@code BEXTRACT_DEVICE} is set (then they are required): the offline path.</li>
 *   <li>Bacula's private libraries directory ({@code /usr/lib/bacula}), the group {@code bacula}.</li>
 *   <li>A service {@code bacula-fd}: started (it daemonizes) before the restore, ready once its
 *       port accepts a connection, stopped afterwards by its pid file.</li>
 * </ul>
 */
final class Rescue {
    private Rescue() {}

    static RescueRequirements requirements(BaculaSettings s, ProviderSettings raw) {
        RescueRequirements.Builder b = RescueRequirements.builder();
        Path fdConf = s.confDir().resolve("bacula-fd.conf");
        if (!Files.isReadable(fdConf)) {
            throw new ProviderException(Kind.MISCONFIGURED, "the Bacula file daemon's configuration " + fdConf
                    + " is not readable: the rescue system needs it so the director can push the restore (BACULA_CONF_DIR)");
        }
        BaculaConf fd;
        try {
            fd = BaculaConf.parse(Files.readString(fdConf, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderException(Kind.MISCONFIGURED, "cannot read " + fdConf + ": " + e.getMessage(), e);
        }
        Path bin = s.binDir();
        b.program(bin.resolve("bacula-fd").toString(), bin.resolve("bconsole").toString());
        b.file(fdConf.toString());
        Optional<BaculaConf.Resource> daemon = fd.first("FileDaemon");
        String port = daemon.flatMap(r -> r.get("FDport")).orElse("9102");
        String address = daemon.flatMap(r -> r.get("FDAddress")).filter(a -> !a.equals("0.0.0.0")).orElse("127.0.0.1");
        Optional<String> work = daemon.flatMap(r -> r.get("WorkingDirectory"));
        Optional<String> pids = daemon.flatMap(r -> r.get("PidDirectory"));
        work.filter(w -> w.startsWith("/")).ifPresent(w -> b.directory(w).exclude(w + "/*"));
        pids.filter(p -> p.startsWith("/") && !p.equals(work.orElse(""))).ifPresent(p -> b.directory(p).exclude(p + "/*"));

        Path bconsole = s.bconsoleConf();
        if (s.rescueConsoleConfig()) {
            b.file(bconsole.toString());
        } else {
            b.secretFile(bconsole.toString(), "holds the Bacula console password; the recovery asks for it (or reads BACULA_CONSOLE_PASSWORD)");
            b.secretVariable(BaculaBackupProvider.Console.PASSWORD);
            try {
                BaculaConf.Resource dir = BaculaConf.parse(Files.readString(bconsole, StandardCharsets.UTF_8)).first("Director")
                        .orElseThrow(() -> new ProviderException(Kind.MISCONFIGURED, bconsole + " has no Director resource"));
                b.variable(BaculaBackupProvider.Console.DIRECTOR_NAME, dir.get("Name").orElseThrow(() ->
                        new ProviderException(Kind.MISCONFIGURED, "the Director resource of " + bconsole + " has no Name")));
                b.variable(BaculaBackupProvider.Console.DIRECTOR_ADDRESS, dir.get("Address").orElseThrow(() ->
                        new ProviderException(Kind.MISCONFIGURED, "the Director resource of " + bconsole + " has no Address")));
                b.variable(BaculaBackupProvider.Console.DIRECTOR_PORT, dir.get("DIRport").orElse("9101"));
            } catch (IOException e) {
                throw new ProviderException(Kind.MISCONFIGURED, "cannot read " + bconsole + ": " + e.getMessage(), e);
            }
        }
        Path sdConf = s.confDir().resolve("bacula-sd.conf");
        boolean offline = s.offlineConfigured();
        if (offline || Files.isExecutable(bin.resolve("bextract"))) {
            b.program(bin.resolve("bextract").toString());
            if (offline || Files.isExecutable(bin.resolve("bls"))) {
                b.program(bin.resolve("bls").toString());
            }
            if (Files.isReadable(sdConf)) {
                b.file(sdConf.toString());
            }
        }
        if (Files.isDirectory(Path.of("/usr/lib/bacula"))) {
            b.libraryDirectory("/usr/lib/bacula");
        } else if (Files.isDirectory(Path.of("/opt/bacula/lib"))) {
            b.libraryDirectory("/opt/bacula/lib");
        }
        b.group("bacula");
        String pidFile = pids.orElse("/run/bacula") + "/bacula-fd." + port + ".pid";
        b.service(new RescueRequirements.RescueService("bacula-fd",
                List.of(bin.resolve("bacula-fd").toString(), "-u", "root", "-g", "root", "-c", fdConf.toString()),
                List.of("bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port),
                List.of("sh", "-c", "kill \"$(cat '" + pidFile + "')\""),
                Duration.ofSeconds(30)));
        b.program("bash", "sh");
        return b.build();
    }
}
