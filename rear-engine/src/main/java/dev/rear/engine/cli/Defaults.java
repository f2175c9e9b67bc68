package dev.rear.engine.cli;

import dev.rear.engine.discovery.LinuxDiscovery;
import dev.rear.engine.exec.ProcessCommandRunner;

/** The real outside world. */
final class Defaults {
    private Defaults() {}

    /** This machine, for a run inside another program's JVM (tests): no run lock, no log of its own. */
    static final Services SERVICES = options -> new LinuxDiscovery(new ProcessCommandRunner(), options);

    /** This machine, for the rear process ({@link Main}): the run lock in /run/rear, and its log. */
    static Services live(java.nio.file.@org.jspecify.annotations.Nullable Path runLog) {
        return new Services() {
            @Override
            public dev.rear.engine.discovery.Discovery discovery(dev.rear.engine.discovery.DiscoveryOptions options) {
                return SERVICES.discovery(options);
            }

            @Override
            public java.nio.file.Path lockDirectory() {
                return dev.rear.engine.workflow.RunLock.DEFAULT_DIR;
            }

            @Override
            public java.nio.file.@org.jspecify.annotations.Nullable Path runLog() {
                return runLog;
            }
        };
    }
}
