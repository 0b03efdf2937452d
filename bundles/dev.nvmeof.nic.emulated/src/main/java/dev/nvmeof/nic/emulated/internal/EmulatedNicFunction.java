package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.NetDevice;
import dev.nvmeof.nic.emulated.NicCapabilities;
import dev.nvmeof.nic.emulated.NicCounters;
import dev.nvmeof.nic.emulated.NicFaults;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.Port;
import dev.nvmeof.nic.emulated.PortAddress;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.nic.emulated.QueuePairListener;
import dev.nvmeof.nic.emulated.QueuePairOptions;
import dev.nvmeof.nic.emulated.Route;
import dev.nvmeof.protocol.NanoClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The emulated {@link NicFunction}: a {@link NetDevice} and the engine thread serving its queue pairs. */
public final class EmulatedNicFunction implements NicFunction {
    private final NicCapabilities capabilities;
    private final NetDevice netDevice;
    private final Engine engine;
    private final NicFaults faults;

    private EmulatedNicFunction(NicCapabilities capabilities, int slot, int ports, NanoClock clock) {
        this.capabilities = capabilities;
        this.netDevice = new NetDevice("p" + slot + "p", ports);
        this.engine = new Engine("nic-" + capabilities.serial(), clock);
        this.faults = new EngineFaults(netDevice, engine);
    }

    /** See {@link NicFunction#start(NicCapabilities, int, int, NanoClock)}. */
    public static NicFunction start(NicCapabilities capabilities, int slot, int ports, NanoClock clock) {
        if (slot < 0 || slot > 255 || ports < 1 || ports > 16) {
            throw new IllegalArgumentException("slot 0..255 and 1..16 ports, were " + slot + " and " + ports);
        }
        return new EmulatedNicFunction(capabilities, slot, ports, clock);
    }

    @Override
    public CompletableFuture<Void> checkDeadlines() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        engine.execute(() -> done.complete(null)); // a task wakes the engine; the turn checks deadlines after tasks
        return done.thenCompose(v -> {
            CompletableFuture<Void> after = new CompletableFuture<>();
            engine.execute(() -> after.complete(null)); // the next turn: the one above has checked them by now
            return after;
        });
    }

    @Override
    public NicCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public NetDevice netDevice() {
        return netDevice;
    }

    @Override
    public NicCounters counters() {
        return engine.counters().snapshot();
    }

    @Override
    public NicFaults faults() {
        return faults;
    }

    @Override
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

    @Override
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
