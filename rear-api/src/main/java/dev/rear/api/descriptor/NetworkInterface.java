package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A network interface.
 *
 * @param name      the kernel name ({@code eth0}, {@code enp1s0})
 * @param mac       the permanent hardware address, lower case
 * @param mtu       the MTU
 * @param dhcp      whether its addresses came from DHCP
 * @param addresses static addresses with prefix length ({@code 192.0.2.10/24})
 * @param driver    the kernel driver ({@code virtio_net}, {@code e1000e}), which the rescue system loads
 * @since 0.1
 */
public record NetworkInterface(
        @JsonProperty(required = true) @NotBlank @Pattern(regexp = "^[A-Za-z0-9._@:-]{1,15}$") String name,
        @Nullable @Pattern(regexp = Patterns.MAC) String mac,
        @Nullable @Positive Integer mtu,
        @JsonProperty(required = true) boolean dhcp,
        List<@Pattern(regexp = Patterns.CIDR) String> addresses,
        @Nullable String driver) {

    public NetworkInterface {
        Objects.requireNonNull(name, "name");
        addresses = Lists.copy(addresses);
    }

    /** {@code net:<name>}. */
    public String id() {
        return "net:" + name;
    }
}
