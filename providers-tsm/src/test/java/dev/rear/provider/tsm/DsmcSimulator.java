package dev.rear.provider.tsm;

import dev.rear.api.spi.ProviderSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code dsmc} simulator of {@code src/test/resources/sim/dsmc-sim.sh} set up in a test
 * directory: a client directory ({@code TSM_CLIENT_DIR}) with {@code dsm.sys}, {@code dsm.opt} and
 * a {@code dsmc} wrapper that runs the simulator on this test's server directory, a password
 * directory ({@code PASSWORDDIR} of the stanza), and the server's storage. Tests script failures by
 * writing data files ({@link #fault}).
 */
final class DsmcSimulator {

    /**
     * The environment the simulator runs in: the server clock {@code DSMC_SIM_NOW} from the test's
     * clock and {@code TZ=UTC} (the test clocks' zone).
     */
    static java.util.Map<String, String> environment(java.time.Instant now) {
        return java.util.Map.of("TZ", "UTC", "DSMC_SIM_NOW", Long.toString(now.getEpochSecond()));
    }


    static final String PASSWORD = "n0de-Passw0rd";

    final Path clientDir;
    final Path server;
    final Path passwordDir;

    private DsmcSimulator(Path clientDir, Path server, Path passwordDir) {
        this.clientDir = clientDir;
        this.server = server;
        this.passwordDir = passwordDir;
    }

    /** A simulator in {@code dir}: server TSMSRV1, node TESTNODE, node password {@link #PASSWORD}, no password stored. */
    static DsmcSimulator in(Path dir) throws IOException {
        Path client = Files.createDirectories(dir.resolve("client/ba/bin"));
        Path server = Files.createDirectories(dir.resolve("server"));
        Path pw = Files.createDirectories(dir.resolve("etc-adsm"));
        Files.createDirectories(server.resolve("fs"));
        Files.createDirectories(server.resolve("state"));
        Files.createDirectories(server.resolve("faults"));
        Files.writeString(server.resolve("name"), "TSMSRV1\n");
        Files.writeString(server.resolve("node"), "TESTNODE\n");
        Files.writeString(server.resolve("password"), PASSWORD + "\n");
        Path script = dir.resolve("dsmc-sim.sh");
        try (InputStream in = DsmcSimulator.class.getResourceAsStream("/sim/dsmc-sim.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Files.writeString(client.resolve("dsm.sys"), String.join("\n",
                "* rear test stanza (the simulator reads PASSWORDDIR from here)",
                "SErvername  tsmsrv1",
                "   COMMMethod            TCPip",
                "   TCPPort               1500",
                "   TCPServeraddress      tsm-server.example",
                "   passwordaccess        generate",
                "   PASSWORDDIR           " + pw,
                "   errorlogname          " + dir.resolve("dsmerror.log"),
                "") );
        Files.writeString(client.resolve("dsm.opt"), "SErvername tsmsrv1\n");
        Path dsmc = client.resolve("dsmc");
        Files.writeString(dsmc, "#!/bin/bash\nexport DSMC_SIM_SERVER='" + server + "'\nexec bash '" + script + "' \"$@\"\n");
        Files.setPosixFilePermissions(dsmc, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new DsmcSimulator(client, server, pw);
    }

    /** Settings that reach this simulator, nothing else set. */
    ProviderSettings settings() {
        return ProviderSettings.builder().set(TsmSettings.CLIENT_DIR, clientDir.toString()).build();
    }

    /** Stores the node password on the client, as {@code passwordaccess generate} does after a first login. */
    DsmcSimulator storePassword(String password) throws IOException {
        Files.writeString(passwordDir.resolve("TSM.KDB"), password + "\n");
        return this;
    }

    /** Scripts a failure of a command ({@code restore}, {@code incremental}, {@code query-backup}, ...): a bash fragment. */
    DsmcSimulator fault(String command, String... lines) throws IOException {
        Files.writeString(server.resolve("faults").resolve(command), String.join("\n", lines) + "\n");
        return this;
    }

    /** The node's password expires on the server. */
    DsmcSimulator expire() throws IOException {
        Files.writeString(server.resolve("state/expired"), "");
        return this;
    }

    /** The server goes unreachable. */
    DsmcSimulator down() throws IOException {
        Files.writeString(server.resolve("state/down"), "");
        return this;
    }

    /** A bash array of quoted strings. */
    static String array(List<String> values) {
        return "( " + values.stream().map(v -> "'" + v.replace("'", "'\\''") + "'").collect(Collectors.joining(" ")) + " )";
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
