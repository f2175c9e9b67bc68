package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A route.
 *
 * @param destination {@code default} or a network with prefix length
 * @param gateway     the next hop, if any
 * @param device      the outgoing interface
 * @param metric      the metric
 * @since 0.1
 */
public record Route(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = "^default$|" + Patterns.CIDR) String destination,
        @Nullable @Pattern(regexp = Patterns.IP) String gateway,
        @Nullable String device,
        @Nullable @PositiveOrZero Integer metric) {

    public Route {
        Objects.requireNonNull(destination, "destination");
    }

    /**
     * {@code route:<destination>} for IPv4, {@code route:inet6:<destination>} for IPv6: both
     * families have a {@code default}.
     */
    public String id() {
        return "route:" + (isIpv6() ? "inet6:" : "") + destination;
    }

    /** Whether this is an IPv6 route (its destination or gateway is an IPv6 address). */
    public boolean isIpv6() {
        return destination.contains(":") || (gateway != null && gateway.contains(":"));
    }
}
