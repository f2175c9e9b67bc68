package dev.rear.engine.discovery;

/** Reads the running system into a descriptor. */
public interface Discovery {

    /**
     * Discovers the system.
     *
     * @throws dev.rear.api.RearException when not even a partial descriptor can be made
     */
    DiscoveryResult discover();

    /** Only the host facts (name, OS, kernel, firmware): cheap, for {@code rear dump}. */
    default dev.rear.api.descriptor.Host host() {
        return discover().descriptor().host();
    }
}
