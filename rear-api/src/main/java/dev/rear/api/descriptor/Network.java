package dev.rear.api.descriptor;

import jakarta.validation.Valid;
import java.util.List;

/**
 * What the rescue system needs to reach a backup server.
 *
 * @param interfaces the interfaces (loopback excluded)
 * @param routes     the routes of the main table
 * @param dns        resolvers and search domains
 * @since 0.1
 */
public record Network(
        List<@Valid NetworkInterface> interfaces,
        List<@Valid Route> routes,
        @Valid Dns dns) {

    /** No network at all. */
    public static final Network EMPTY = new Network(List.of(), List.of(), Dns.EMPTY);

    public Network {
        interfaces = Lists.copy(interfaces);
        routes = Lists.copy(routes);
        dns = dns == null ? Dns.EMPTY : dns;
    }
}
