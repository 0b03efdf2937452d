package dev.nvmeof.nic.emulated;

import dev.nvmeof.nic.emulated.internal.Engine;
import dev.nvmeof.nic.emulated.internal.EngineQueuePair;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One emulated NIC function: its capabilities, its paired {@link NetDevice} and its offload engine (one thread named
 * {@code nic-<serial>}). Plain Java: ConfigAdmin wiring comes later.
 */
public final class NicFunction implements AutoCloseable {
    private final NicCapabilities capabilities;
    private final NetDevice netDevice;
    private final Engine engine;
    private final NicFaults faults;

    private NicFunction(NicCapabilities capabilities, int slot, int ports) {
        this.capabilities = capabilities;
        this.netDevice = new NetDevice("p" + slot + "p", ports);
        this.engine = new Engine("nic-" + capabilities.serial());
        this.faults = new NicFaults(netDevice, engine);
    }

    /** Starts a function in slot 1: ports {@code p1p1, p1p2, ...}, without addresses. */
    public static NicFunction start(NicCapabilities capabilities, int ports) {
        return start(capabilities, 1, ports);
    }

    /**
     * Starts a function in PCI slot {@code slot} with {@code ports} ports named like Linux names them,
     * {@code p<slot>p1, p<slot>p2, ...}, without addresses; so two NICs never share a port name.
     */
    public static NicFunction start(NicCapabilities capabilities, int slot, int ports) {
        if (slot < 0 || slot > 255 || ports < 1 || ports > 16) {
            throw new IllegalArgumentException("slot 0..255 and 1..16 ports, were " + slot + " and " + ports);
        }
        return new NicFunction(capabilities, slot, ports);
    }

    public NicCapabilities capabilities() {
        return capabilities;
    }

    public NetDevice netDevice() {
        return netDevice;
    }

    public NicCounters counters() {
        return engine.counters().snapshot();
    }

    public NicFaults faults() {
        return faults;
    }

    /**
     * Creates a queue pair on {@code port} to {@code target}: a TCP socket bound to the port's address that routes to
     * the target (else its first address), then ICReq/ICResp within {@link QueuePairOptions#connectTimeout()}.
     *
     * @param listener the completion notification, or null for a polled queue pair (if the NIC polls)
     * @return completes with the live queue pair, or exceptionally with an {@link IOException} saying why not
     */
    public CompletableFuture<QueuePair> createQueuePair(String port, InetSocketAddress target,
            QueuePairOptions options, QueuePairListener listener) {
        Port p = netDevice.port(port);
        if (listener == null && !capabilities.polling()) {
            throw new IllegalArgumentException(capabilities.serial() + " does not poll: a listener is required");
        }
        if (!p.linkUp()) {
            return CompletableFuture.failedFuture(new IOException("link down on " + port));
        }
        var local = netDevice.route(port, target.getAddress()).map(Route::localAddress)
                .or(() -> p.addresses().stream().findFirst().map(PortAddress::address));
        if (local.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("port " + port + " has no address"));
        }
        return EngineQueuePair.open(engine, port, new InetSocketAddress(local.get(), 0), target, options, listener);
    }

    @Override
    public void close() {
        engine.close();
    }
}
