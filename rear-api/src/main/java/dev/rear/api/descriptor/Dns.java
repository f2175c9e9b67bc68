package dev.rear.api.descriptor;

import jakarta.validation.constraints.Pattern;
import java.util.List;

/**
 * Name resolution, from {@code /etc/resolv.conf}.
 *
 * @param nameservers the resolvers, in order
 * @param search      the search domains, in order
 * @since 0.1
 */
public record Dns(List<@Pattern(regexp = Patterns.IP) String> nameservers, List<String> search) {

    /** No resolvers. */
    public static final Dns EMPTY = new Dns(List.of(), List.of());

    public Dns {
        nameservers = Lists.copy(nameservers);
        search = Lists.copy(search);
    }
}
