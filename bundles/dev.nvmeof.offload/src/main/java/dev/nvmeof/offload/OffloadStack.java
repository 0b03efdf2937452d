package dev.nvmeof.offload;

import java.util.concurrent.atomic.AtomicLong;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.offload.internal.Inspector;
import dev.nvmeof.offload.internal.OffloadTransport;
import dev.nvmeof.spi.offload.OffloadInspector;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.transport.Transport;

/**
 * The {@code tcp_offload} ULP assembled in plain Java: one {@link Transport} named {@value #TRANSPORT_NAME} over the
 * offload devices added here, for {@code EmbeddedNvmeHost.start(stateDirectory, stack.transport())}.
 *
 * <pre>{@code
 * try (OffloadStack stack = new OffloadStack();
 *      EmbeddedNvmeHost host = EmbeddedNvmeHost.start(stateDir, stack.transport())) {
 *     stack.addDriver(driver);                       // as a driver bundle registering its device
 *     host.connect(ConnectOptions.parse("transport=tcp_offload,traddr=127.0.0.1,trsvcid=4420,nqn=testnqn"));
 *     stack.removeDriver(driver);                    // as its bundle stopping: its controllers fail over
 * }
 * }</pre>
 *
 * <p>What the OSGi component does with driver services, this does with calls: {@link #addDriver(OffloadDriver, int,
 * long)} takes the {@code service.ranking} and {@code service.id} the claim ranking uses to break ties (higher
 * ranking, then lower id, wins); {@link #addDriver(OffloadDriver)} gives ranking 0 and the next id, so drivers added
 * later lose ties, like services registered later. {@link #removeDriver} is an unbind: it returns once the device's
 * queues are drained and destroyed and its controllers were told their path is withdrawn, and the device is never
 * called again. Thread-safe: drivers may come and go while controllers connect and carry I/O.
 */
@ProviderType
public final class OffloadStack implements AutoCloseable {

    /** The {@code transport=} name of the offload transport. */
    public static final String TRANSPORT_NAME = OffloadTransport.NAME;

    private final OffloadTransport transport = new OffloadTransport();
    private final Inspector inspector = new Inspector(transport);
    /** The highest service id given so far, explicit or assigned. */
    private final AtomicLong lastServiceId = new AtomicLong();

    /** The {@code tcp_offload} transport, to hand to a host; the same object for the stack's life. */
    public Transport transport() {
        return transport;
    }

    /** Who would claim a connection and why, and the devices with their queues (what {@code ofld} shows). */
    public OffloadInspector inspector() {
        return inspector;
    }

    /** Adds a device with {@code service.ranking} 0 and the next {@code service.id}; returns that id. */
    public long addDriver(OffloadDriver driver) {
        long id = lastServiceId.incrementAndGet();
        transport.addDriver(driver, 0, id);
        return id;
    }

    /**
     * Adds a device as a service with this {@code service.ranking} and {@code service.id} would be bound. Adding a
     * device already present replaces its ranking and id.
     */
    public void addDriver(OffloadDriver driver, int serviceRanking, long serviceId) {
        lastServiceId.accumulateAndGet(serviceId, Math::max);
        transport.addDriver(driver, serviceRanking, serviceId);
    }

    /**
     * Removes a device, as its service going away: waits for the calls in progress on it, drains and destroys the
     * queues of its controllers (which then reconnect through the best remaining claim) and returns; from then on
     * the device is never called. Nothing happens for a device not present.
     */
    public void removeDriver(OffloadDriver driver) {
        transport.removeDriver(driver);
    }

    /** How many devices are present now. */
    public int drivers() {
        return transport.drivers();
    }

    /**
     * Closes every association the transport carries (the controllers on it lose their path); the devices stay.
     * Close the hosts using {@link #transport()} first: they disconnect cleanly while the path is there.
     */
    @Override
    public void close() {
        transport.closeAll();
    }
}
