package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.IpParser.Address;
import dev.rear.engine.discovery.linux.IpParser.Interface;
import dev.rear.engine.discovery.linux.IpParser.Route;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ip -j addr}, {@code ip -j route}, {@code ip -6 -j route}: of this VM, and of the
 * throw-away network namespace of capture-host-fixtures.sh (veth v0/v1, MTU 9000, a static and a
 * dynamic address, gateway routes with metrics).
 */
class IpParserTest {

    private static final String NETNS_ADDR = Fixtures.read("ip/netns-addr.json");
    private static final String HOST_ADDR = Fixtures.read("ip/host-addr.json");

    private static Interface named(List<Interface> all, String name) {
        return all.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readsTheVethWithItsMacMtuAndStaticAndDynamicAddresses() {
        List<Interface> all = IpParser.parseAddresses(NETNS_ADDR);
        assertThat(all).extracting(Interface::name).containsExactly("lo", "v1", "v0");
        Interface v0 = named(all, "v0");
        assertThat(v0.ifindex()).isEqualTo(3);
        assertThat(v0.mac()).isEqualTo("02:00:00:00:00:10");
        assertThat(v0.mtu()).isEqualTo(9000);
        assertThat(v0.link()).isEqualTo("v1");
        assertThat(v0.linkType()).isEqualTo("ether");
        assertThat(v0.operstate()).isEqualTo("UP");
        assertThat(v0.isUp()).isTrue();
        assertThat(v0.isLoopback()).isFalse();
        assertThat(v0.addresses()).extracting(Address::cidr).containsExactly(
                "192.168.77.10/24", "192.168.77.20/24", "fd00:77::20/64", "fd00:77::10/64", "fe80::ff:fe00:10/64");
        assertThat(v0.addresses()).extracting(Address::dynamic).containsExactly(false, true, true, false, false);

        Address staticV4 = v0.addresses().get(0);
        assertThat(staticV4.family()).isEqualTo("inet");
        assertThat(staticV4.scope()).isEqualTo("global");
        assertThat(staticV4.label()).isEqualTo("v0");
        assertThat(staticV4.secondary()).isFalse();
        assertThat(staticV4.validLifetime()).isEqualTo(IpParser.FOREVER);

        Address dhcp = v0.addresses().get(1);
        assertThat(dhcp.secondary()).isTrue();
        assertThat(dhcp.validLifetime()).isEqualTo(3600);
        assertThat(dhcp.preferredLifetime()).isEqualTo(1800);

        Address v6 = v0.addresses().get(2);
        assertThat(v6.family()).isEqualTo("inet6");
        assertThat(v6.broadcast()).isNull();
        assertThat(v6.validLifetime()).isEqualTo(7200);
    }

    @Test
    void readsTheLoopbackAndTheVmsInterfaces() {
        List<Interface> all = IpParser.parseAddresses(HOST_ADDR);
        assertThat(all).extracting(Interface::name).containsExactly("lo", "ifb0", "ifb1", "eth0");
        Interface lo = all.get(0);
        assertThat(lo.isLoopback()).isTrue();
        assertThat(lo.mac()).isEqualTo("00:00:00:00:00:00");
        assertThat(lo.addresses()).extracting(Address::cidr).containsExactly("127.0.0.1/8", "::1/128");
        Interface ifb0 = named(all, "ifb0");
        assertThat(ifb0.isUp()).isFalse();
        assertThat(ifb0.addresses()).isEmpty();
        Interface eth0 = named(all, "eth0");
        assertThat(eth0.mtu()).isEqualTo(1400);
        assertThat(eth0.mac()).isEqualTo("02:fc:00:00:00:01");
        assertThat(eth0.addresses()).extracting(Address::cidr).containsExactly("192.0.2.2/24", "fd00::2/64", "fe80::fc:ff:fe00:1/64");
        assertThat(eth0.addresses().get(0).broadcast()).isEqualTo("192.0.2.255");
        assertThat(eth0.addresses()).extracting(Address::dynamic).containsOnly(false);
    }

    @Test
    void readsRoutesWithGatewaysMetricsAndProtocols() {
        List<Route> v4 = IpParser.parseRoutes(Fixtures.read("ip/netns-route.json"));
        assertThat(v4).containsExactly(
                new Route("inet", "default", "192.168.77.1", "v0", 100L, "dhcp", null, null, "unicast", List.of(), List.of()),
                new Route("inet", "10.20.0.0/16", "192.168.77.254", "v0", 200L, null, null, null, "unicast", List.of(), List.of()),
                new Route("inet", "192.168.77.0/24", null, "v0", null, "kernel", "link", "192.168.77.10", "unicast", List.of(), List.of()));
        assertThat(v4.get(0).isDefault()).isTrue();

        List<Route> v6 = IpParser.parseRoutes6(Fixtures.read("ip/netns-route6.json"));
        assertThat(v6).extracting(Route::family).containsOnly("inet6");
        assertThat(v6).extracting(Route::destination).containsExactly("fd00:77::/64", "fe80::/64", "fe80::/64", "default");
        Route def6 = v6.get(3);
        assertThat(def6.gateway()).isEqualTo("fd00:77::1");
        assertThat(def6.dev()).isEqualTo("v0");
        assertThat(def6.metric()).isEqualTo(1024);
    }

    @Test
    void readsTheVmsRoutes() {
        List<Route> v4 = IpParser.parseRoutes(Fixtures.read("ip/host-route.json"));
        assertThat(v4.get(0)).isEqualTo(new Route("inet", "default", "192.0.2.1", "eth0", null, null, null, null, "unicast",
                List.of(), List.of()));
        List<Route> v6 = IpParser.parseRoutes6(Fixtures.read("ip/host-route6.json"));
        assertThat(v6).filteredOn(Route::isDefault).singleElement()
                .satisfies(r -> assertThat(r.gateway()).isEqualTo("fd00::1"));
    }

    @Test
    void multipathAndNonUnicastRoutesAreRead() {
        List<Route> r = IpParser.parseRoutes("[{\"type\":\"unreachable\",\"dst\":\"10.99.0.0/16\",\"flags\":[]},"
                + "{\"dst\":\"default\",\"protocol\":\"static\",\"metric\":5,\"flags\":[],\"nexthops\":["
                + "{\"gateway\":\"10.0.0.1\",\"dev\":\"eth0\",\"weight\":1,\"flags\":[]},"
                + "{\"gateway\":\"10.0.1.1\",\"dev\":\"eth1\",\"weight\":2,\"flags\":[]}]}]");
        assertThat(r.get(0).type()).isEqualTo("unreachable");
        assertThat(r.get(0).dev()).isNull();
        assertThat(r.get(1).gateway()).isNull();
        assertThat(r.get(1).nexthops()).extracting(IpParser.NextHop::gateway).containsExactly("10.0.0.1", "10.0.1.1");
    }

    @Test
    void keysOfANewerIpAreIgnored() {
        assertThat(IpParser.parseAddresses(Fixtures.withUnknownKeys(NETNS_ADDR))).isEqualTo(IpParser.parseAddresses(NETNS_ADDR));
        String routes = Fixtures.read("ip/netns-route.json");
        assertThat(IpParser.parseRoutes(Fixtures.withUnknownKeys(routes))).isEqualTo(IpParser.parseRoutes(routes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ifindex", "ifname", "mtu", "flags", "addr_info"})
    void anInterfaceWithoutARequiredKeyIsAnError(String key) {
        String broken = Fixtures.editAt(NETNS_ADDR, "/2", o -> o.remove(key));
        assertThatThrownBy(() -> IpParser.parseAddresses(broken))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("ip -j addr"))
                .hasMessageContaining("[2]").hasMessageContaining("\"" + key + "\" is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"family", "local", "prefixlen"})
    void anAddressWithoutARequiredKeyIsAnError(String key) {
        String broken = Fixtures.editAt(NETNS_ADDR, "/2/addr_info/1", o -> o.remove(key));
        assertThatThrownBy(() -> IpParser.parseAddresses(broken)).isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("[2] (v0).addr_info[1]: \"" + key + "\" is missing");
    }

    @Test
    void aRouteWithoutDestinationIsAnError() {
        String broken = Fixtures.editAt(Fixtures.read("ip/netns-route6.json"), "/3", o -> o.remove("dst"));
        assertThatThrownBy(() -> IpParser.parseRoutes6(broken))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("ip -6 -j route"))
                .hasMessageContaining("[3]: \"dst\" is missing");
    }

    @Test
    void truncatedJsonIsAnError() {
        assertThatThrownBy(() -> IpParser.parseAddresses(Fixtures.truncated(NETNS_ADDR, 0.5)))
                .isInstanceOf(ToolOutputException.class).hasMessageContaining("ends early");
        assertThatThrownBy(() -> IpParser.parseRoutes(Fixtures.truncated(Fixtures.read("ip/netns-route.json"), 0.9)))
                .isInstanceOf(ToolOutputException.class).hasMessageContaining("ip -j route");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\n    inet 127.0.0.1/8 scope host lo\n",
        "{\"ifname\": \"lo\"}",
        "[{\"ifindex\": 1, \"ifname\": \"lo\", \"flags\": [], \"mtu\": \"big\", \"addr_info\": []}]",
        "[{\"ifindex\": 1, \"ifname\": \"lo\", \"flags\": [], \"mtu\": 1500, \"addr_info\": [{\"family\": \"inet\", \"local\": \"1.2.3.4\", \"prefixlen\": 300}]}]",
        "[\"eth0\"]"
    })
    void outputThatIsNotTheInterfaceListIsAnError(String garbage) {
        assertThatThrownBy(() -> IpParser.parseAddresses(garbage))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("ip -j addr"));
    }
}
