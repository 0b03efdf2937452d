package dev.nvmeof.nic.emulated;

import dev.nvmeof.nic.emulated.internal.Engine;
import dev.nvmeof.nic.emulated.internal.EngineQueuePair;
import dev.nvmeof.protocol.NanoClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One emulated NIC function: its capabilities, its paired {@link NetDevice} and its offload engine (one thread named
 * {@code nic-<serial>}). Plain Java: ConfigAdmin wiring comes later.
 */
public final class NicFunction implements AutoCloseable {
    private final NicCapabilities capabilities;
    private final NetDevice netDevice;
    private final Engine engine;
    private final NicFaults faults;

    private NicFunction(NicCapabilities capabilities, int slot, int ports, NanoClock clock) {
        this.capabilities = capabilities;
        this.netDevice = new NetDevice("p" + slot + "p", ports);
        this.engine = new Engine("nic-" + capabilities.serial(), clock);
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
        return start(capabilities, slot, ports, NanoClock.SYSTEM);
    }

    /** As {@link #start(NicCapabilities, int, int)}, keeping the engine's deadlines on {@code clock} (tests). */
    public static NicFunction start(NicCapabilities capabilities, int slot, int ports, NanoClock clock) {
        if (slot < 0 || slot > 255 || ports < 1 || ports > 16) {
            throw new IllegalArgumentException("slot 0..255 and 1..16 ports, were " + slot + " and " + ports);
        }
        return new NicFunction(capabilities, slot, ports, clock);
    }

    /**
     * Runs the engine's deadline checks (connect and ICResp timeouts) now, against its clock; they also run on every
     * turn. Completes when they ran.
     */
    public CompletableFuture<Void> checkDeadlines() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        engine.execute(() -> done.complete(null)); // a task wakes the engine; the turn checks deadlines after tasks
        return done.thenCompose(v -> {
            CompletableFuture<Void> after = new CompletableFuture<>();
            engine.execute(() -> after.complete(null)); // the next turn: the one above has checked them by now
            return after;
        });
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
     * The queue pairs the engine serves now (connecting or live), in creation order: to find the one under a driver's
     * queue, e.g. to inject a fault with {@link #faults()}.
     *
     * @throws IllegalStateException when the engine does not answer within 5 s (it was closed)
     */
    public List<QueuePair> queuePairs() {
        CompletableFuture<List<QueuePair>> snapshot = new CompletableFuture<>();
        // The engine's list is confined to its thread: copy it there.
        engine.execute(() -> snapshot.complete(List.copyOf(engine.queuePairsSnapshot())));
        try {
            return snapshot.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the queue pairs of " + capabilities.serial(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the engine of " + capabilities.serial() + " did not answer", e);
        }
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
