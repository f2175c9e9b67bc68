package dev.rear.engine.discovery;

/** Reads the running system into a descriptor. */
public interface Discovery {

    /**
     * Discovers the system.
     *
     * @throws dev.rear.api.RearException when not even a partial descriptor can be made
     */
    DiscoveryResult discover();
}
