package dev.nvmeof.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.protocol.IdentifyController;

/** A connected controller, as {@code /sys/class/nvme/nvmeN} shows it. */
@ProviderType
public interface NvmeController {

    /** {@code nvme0}, {@code nvme1}, ... */
    String name();

    ConnectOptions options();

    ControllerState state();

    /**
     * Why the controller last went into error recovery (RESETTING) or was given up (DEAD); kept after it recovers,
     * so {@code nvme list}-like tools can show it. Empty if that never happened.
     *
     * @since 1.2
     */
    Optional<ControllerFailure> lastFailure();

    String subsystemNqn();

    /** The controller ID the target assigned (changes across reconnects with the dynamic model). */
    int cntlid();

    /** How the transport carries it, e.g. {@code tcp 127.0.0.1:4420 from 127.0.0.1:40312}, or the offload claim. */
    String transportDescription();

    /** The I/O queues of the current association, all kinds ({@link #queueCounts()}{@code .total()}); 0 if none. */
    int ioQueueCount();

    /**
     * How the I/O queues of the current association are split, as Linux's {@code nvmf_set_io_queues} splits what the
     * controller granted for {@code nr_io_queues + nr_write_queues + nr_poll_queues}; all 0 while not connected.
     *
     * @since 1.1
     */
    QueueCounts queueCounts();

    /** Identify Controller data from the last (re)connect. */
    IdentifyController identify();

    List<NvmeNamespace> namespaces();

    /** Shuts the controller down (CC.SHN) and disconnects ({@code nvme disconnect}); its block devices go away. */
    void disconnect() throws NvmeException;

    /**
     * Resets the controller as Linux's {@code nvme reset} does over fabrics: its association is torn down and
     * connected again at once (LIVE -> RESETTING -> CONNECTING -> LIVE, reason {@code RESET}), I/O in flight is
     * held and reissued; the connect goes through the transport the controller was created with, so a controller
     * continuing on {@code offload_fallback} moves back to {@code tcp_offload} when a device claims again. Returns
     * once the reset started; the state and {@link ControllerListener} events tell when it is LIVE again.
     *
     * @throws IllegalStateException when the controller is not LIVE (busy: a reset or recovery runs, or it is going
     *                               away), as Linux answers {@code EBUSY}
     * @since 1.4
     */
    void reset();
}
