package dev.nvmeof.nic.emulated;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The net device paired with a NIC function: its ports and their addresses, managed like {@code ip addr}, and the
 * route lookup that decides which port (and so which local address) reaches a target.
 */
public final class NetDevice {
    private final List<Port> ports;

    public NetDevice(String prefix, int portCount) {
        if (portCount <= 0) {
            throw new IllegalArgumentException("a net device needs at least one port, was " + portCount);
        }
        List<Port> list = new ArrayList<>();
        for (int i = 1; i <= portCount; i++) {
            list.add(new Port(prefix + i));
        }
        this.ports = List.copyOf(list);
    }

    public List<Port> ports() {
        return ports;
    }

    /** @throws IllegalArgumentException when there is no port of that name, naming the ports there are */
    public Port port(String name) {
        for (Port p : ports) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no port '" + name + "' (ports: "
                + ports.stream().map(Port::name).toList() + ")");
    }

    /** {@code ip addr add CIDR dev PORT}: e.g. {@code addAddress("p1p1", "127.0.0.2/24")}. */
    public PortAddress addAddress(String port, String cidr) {
        PortAddress address = PortAddress.parse(cidr);
        port(port).add(address);
        return address;
    }

    /** {@code ip addr del CIDR dev PORT}; false when the port had no such address. */
    public boolean removeAddress(String port, String cidr) {
        return port(port).remove(PortAddress.parse(cidr));
    }

    /**
     * The route to {@code target}: among the addresses of ports whose link is up, the one whose subnet covers the
     * target with the longest prefix (the first port wins a tie); empty when none covers it.
     */
    public Optional<Route> route(InetAddress target) {
        Route best = null;
        for (Port p : ports) {
            if (!p.linkUp()) {
                continue;
            }
            for (PortAddress a : p.addresses()) {
                if (a.covers(target) && (best == null || a.prefixLength() > best.prefixLength())) {
                    best = new Route(p.name(), a.address(), a.prefixLength());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The route to {@code target} through one given port only. */
    public Optional<Route> route(String port, InetAddress target) {
        Port p = port(port);
        Route best = null;
        for (PortAddress a : p.addresses()) {
            if (a.covers(target) && (best == null || a.prefixLength() > best.prefixLength())) {
                best = new Route(p.name(), a.address(), a.prefixLength());
            }
        }
        return Optional.ofNullable(best);
    }
}
