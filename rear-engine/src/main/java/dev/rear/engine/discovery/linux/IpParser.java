package dev.rear.engine.discovery.linux;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON of iproute2 (6.1): interfaces and their addresses from {@code ip -j addr}, routes
 * from {@code ip -j route} (IPv4) and {@code ip -6 -j route} (IPv6). An interface (abridged):
 *
 * <pre>{@code
 * {"ifindex": 3, "link": "v1", "ifname": "v0", "flags": ["BROADCAST","MULTICAST","UP","LOWER_UP"],
 *  "mtu": 9000, "operstate": "UP", "link_type": "ether", "address": "02:00:00:00:00:10",
 *  "addr_info": [{"family": "inet", "local": "192.168.77.20", "prefixlen": 24, "scope": "global",
 *    "secondary": true, "dynamic": true, "label": "v0", "valid_life_time": 3600, "preferred_life_time": 1800}]}
 * }</pre>
 *
 * and a route: {@code {"dst": "default", "gateway": "192.168.77.1", "dev": "v0", "protocol": "dhcp",
 * "metric": 100, "flags": []}}.
 *
 * <p>{@code "dynamic": true} marks an address with a finite lifetime, which is what DHCP clients
 * (and SLAAC) install; a static address has none and lifetimes of 4294967295 ("forever"). An
 * IPv4 route without a metric has no {@code metric} key (metric 0). Route JSON does not name the
 * address family; it follows from the command, hence two route methods. Keys newer iproute2
 * versions add are ignored.
 */
public final class IpParser {

    public static final String ADDR_COMMAND = "ip -j addr";
    public static final String ROUTE_COMMAND = "ip -j route";
    public static final String ROUTE6_COMMAND = "ip -6 -j route";

    /** The lifetime iproute2 prints for "forever". */
    public static final long FOREVER = 4294967295L;

    private IpParser() {}

    /**
     * @param flags e.g. {@code UP}, {@code LOWER_UP}, {@code LOOPBACK}
     * @param mac the link-layer address ({@code address}); {@code null} for links without one
     * @param link the peer or lower device ({@code link}), e.g. the other end of a veth pair
     * @param master the bridge or bond it belongs to
     */
    public record Interface(
            int ifindex,
            String name,
            List<String> flags,
            int mtu,
            @Nullable String operstate,
            @Nullable String linkType,
            @Nullable String mac,
            @Nullable String link,
            @Nullable String master,
            List<Address> addresses) {

        public Interface {
            Objects.requireNonNull(name, "name");
            flags = List.copyOf(flags);
            addresses = List.copyOf(addresses);
        }

        public boolean isUp() {
            return flags.contains("UP");
        }

        public boolean isLoopback() {
            return flags.contains("LOOPBACK");
        }
    }

    /**
     * @param family {@code inet} or {@code inet6}
     * @param local the address
     * @param dynamic the address has a finite lifetime (DHCP, SLAAC)
     * @param validLifetime seconds; {@value #FOREVER} for forever
     */
    public record Address(
            String family,
            String local,
            int prefixLength,
            @Nullable String broadcast,
            @Nullable String scope,
            @Nullable String label,
            boolean dynamic,
            boolean secondary,
            @Nullable Long validLifetime,
            @Nullable Long preferredLifetime) {

        public Address {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(local, "local");
        }

        /** {@code 192.168.77.20/24}. */
        public String cidr() {
            return local + "/" + prefixLength;
        }
    }

    /**
     * @param family {@code inet} or {@code inet6}, from the command
     * @param destination {@code default} or a prefix ({@code 10.20.0.0/16}, a host address without /)
     * @param metric {@code null} when not printed (IPv4 metric 0)
     * @param type {@code unicast} unless printed ({@code local}, {@code unreachable}, {@code blackhole}...)
     * @param nexthops the gateways of a multipath route; empty otherwise
     */
    public record Route(
            String family,
            String destination,
            @Nullable String gateway,
            @Nullable String dev,
            @Nullable Long metric,
            @Nullable String protocol,
            @Nullable String scope,
            @Nullable String prefsrc,
            String type,
            List<String> flags,
            List<NextHop> nexthops) {

        public Route {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(type, "type");
            flags = List.copyOf(flags);
            nexthops = List.copyOf(nexthops);
        }

        public boolean isDefault() {
            return destination.equals("default");
        }
    }

    public record NextHop(@Nullable String gateway, @Nullable String dev, @Nullable Long weight) {}

    /**
     * @param output what {@code ip -j addr} printed
     * @throws ToolOutputException if it is empty, not a JSON array, truncated, or an interface
     *     lacks {@code ifindex}, {@code ifname}, {@code mtu}, {@code flags} or {@code addr_info},
     *     or an address lacks {@code family}, {@code local} or {@code prefixlen}
     */
    public static List<Interface> parseAddresses(String output) {
        ToolJson json = new ToolJson(ADDR_COMMAND);
        JsonNode root = json.rootArray(output);
        List<Interface> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            String where = "[" + i + "]";
            JsonNode n = json.object(root.get(i), where);
            String name = json.text(n, "ifname", where);
            String at = where + " (" + name + ")";
            List<Address> addresses = new ArrayList<>();
            List<JsonNode> infos = json.array(n, "addr_info", at);
            for (int j = 0; j < infos.size(); j++) {
                String aw = at + ".addr_info[" + j + "]";
                JsonNode a = json.object(infos.get(j), aw);
                long prefix = json.number(a, "prefixlen", aw);
                if (prefix < 0 || prefix > 128) {
                    throw json.fail(aw + ": prefixlen " + prefix + " is out of range");
                }
                addresses.add(new Address(
                        json.text(a, "family", aw),
                        json.text(a, "local", aw),
                        (int) prefix,
                        json.optText(a, "broadcast", aw),
                        json.optText(a, "scope", aw),
                        json.optText(a, "label", aw),
                        json.optBool(a, "dynamic", aw, false),
                        json.optBool(a, "secondary", aw, false),
                        json.optNumber(a, "valid_life_time", aw),
                        json.optNumber(a, "preferred_life_time", aw)));
            }
            out.add(new Interface(
                    Math.toIntExact(json.number(n, "ifindex", at)),
                    name,
                    json.textList(n, "flags", at),
                    Math.toIntExact(json.number(n, "mtu", at)),
                    json.optText(n, "operstate", at),
                    json.optText(n, "link_type", at),
                    json.optText(n, "address", at),
                    json.optText(n, "link", at),
                    json.optText(n, "master", at),
                    addresses));
        }
        return out;
    }

    /**
     * @param output what {@code ip -j route} printed
     * @throws ToolOutputException if it is empty, not a JSON array, truncated, or a route lacks {@code dst}
     */
    public static List<Route> parseRoutes(String output) {
        return routes(output, ROUTE_COMMAND, "inet");
    }

    /** As {@link #parseRoutes}, for {@code ip -6 -j route}. */
    public static List<Route> parseRoutes6(String output) {
        return routes(output, ROUTE6_COMMAND, "inet6");
    }

    private static List<Route> routes(String output, String command, String family) {
        ToolJson json = new ToolJson(command);
        JsonNode root = json.rootArray(output);
        List<Route> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            String where = "[" + i + "]";
            JsonNode r = json.object(root.get(i), where);
            String dst = json.text(r, "dst", where);
            String at = where + " (" + dst + ")";
            List<NextHop> hops = new ArrayList<>();
            List<JsonNode> nh = json.optArray(r, "nexthops", at);
            for (int j = 0; j < nh.size(); j++) {
                String hw = at + ".nexthops[" + j + "]";
                JsonNode h = json.object(nh.get(j), hw);
                hops.add(new NextHop(json.optText(h, "gateway", hw), json.optText(h, "dev", hw), json.optNumber(h, "weight", hw)));
            }
            String type = json.optText(r, "type", at);
            out.add(new Route(
                    family,
                    dst,
                    json.optText(r, "gateway", at),
                    json.optText(r, "dev", at),
                    json.optNumber(r, "metric", at),
                    json.optText(r, "protocol", at),
                    json.optText(r, "scope", at),
                    json.optText(r, "prefsrc", at),
                    type == null ? "unicast" : type,
                    json.optTextList(r, "flags", at),
                    hops));
        }
        return out;
    }
}
