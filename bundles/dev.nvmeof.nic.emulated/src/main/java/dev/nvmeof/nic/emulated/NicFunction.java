package dev.nvmeof.nic.emulated;

import dev.nvmeof.nic.emulated.internal.EmulatedNicFunction;
import dev.nvmeof.protocol.NanoClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One emulated NIC function, as hardware presents itself to a driver: its capabilities, its paired
 * {@link NetDevice} (ports and addresses), queue pairs with rings and an interrupt, counters and fault injection.
 * The offload engine behind it (one thread named {@code nic-<serial>}) is not part of this interface.
 */
@org.osgi.annotation.versioning.ProviderType
public interface NicFunction extends AutoCloseable {

    /** Starts a function in slot 1: ports {@code p1p1, p1p2, ...}, without addresses. */
    static NicFunction start(NicCapabilities capabilities, int ports) {
        return start(capabilities, 1, ports);
    }

    /**
     * Starts a function in PCI slot {@code slot} with {@code ports} ports named like Linux names them,
     * {@code p<slot>p1, p<slot>p2, ...}, without addresses; so two NICs never share a port name.
     */
    static NicFunction start(NicCapabilities capabilities, int slot, int ports) {
        return start(capabilities, slot, ports, NanoClock.SYSTEM);
    }

    /** As {@link #start(NicCapabilities, int, int)}, keeping the engine's deadlines on {@code clock} (tests). */
    static NicFunction start(NicCapabilities capabilities, int slot, int ports, NanoClock clock) {
        return EmulatedNicFunction.start(capabilities, slot, ports, clock);
    }

    /**
     * Runs the engine's deadline checks (connect and ICResp timeouts) now, against its clock; they also run on every
     * turn. Completes when they ran.
     */
    CompletableFuture<Void> checkDeadlines();

    NicCapabilities capabilities();

    NetDevice netDevice();

    NicCounters counters();

    NicFaults faults();

    /**
     * The queue pairs the engine serves now (connecting or live), in creation order: to find the one under a driver's
     * queue, e.g. to inject a fault with {@link #faults()}.
     *
     * @throws IllegalStateException when the engine does not answer within 5 s (it was closed)
     */
    List<QueuePair> queuePairs();

    /**
     * Creates a queue pair on {@code port} to {@code target}: a TCP socket bound to the port's address that routes to
     * the target (else its first address), then ICReq/ICResp within {@link QueuePairOptions#connectTimeout()}.
     *
     * @param listener the completion notification, or null for a polled queue pair (if the NIC polls)
     * @return completes with the live queue pair, or exceptionally with an {@link IOException} saying why not
     */
    CompletableFuture<QueuePair> createQueuePair(String port, InetSocketAddress target, QueuePairOptions options,
            QueuePairListener listener);

    /** Stops the engine: every queue pair ends. */
    @Override
    void close();
}
