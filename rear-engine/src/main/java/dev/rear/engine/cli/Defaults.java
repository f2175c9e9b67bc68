package dev.rear.engine.cli;

import dev.rear.engine.discovery.LinuxDiscovery;
import dev.rear.engine.exec.ProcessCommandRunner;

/** The real outside world. */
final class Defaults {
    private Defaults() {}

    static final Services SERVICES = options -> new LinuxDiscovery(new ProcessCommandRunner(), options);
}
