package dev.nvmeof.nic.emulated;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One port of a {@link NetDevice} ({@code p1p1}, ...): its addresses and its link state. */
public final class Port {
    private final String name;
    private final List<PortAddress> addresses = new CopyOnWriteArrayList<>();
    private volatile boolean linkUp = true;

    Port(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The addresses, in the order they were added. */
    public List<PortAddress> addresses() {
        return List.copyOf(addresses);
    }

    public boolean linkUp() {
        return linkUp;
    }

    public void linkUp(boolean up) {
        linkUp = up;
    }

    synchronized void add(PortAddress address) {
        for (PortAddress a : addresses) {
            if (a.address().equals(address.address())) {
                throw new IllegalArgumentException("address " + address.address().getHostAddress()
                        + " is already on " + name + " (as " + a + ")");
            }
        }
        addresses.add(address);
    }

    synchronized boolean remove(PortAddress address) {
        return addresses.remove(address);
    }

    @Override
    public String toString() {
        return name + (linkUp ? " UP " : " DOWN ") + addresses;
    }
}
