package dev.nvmeof.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.protocol.ErrorLogEntry;
import dev.nvmeof.protocol.IdentifyController;
import dev.nvmeof.protocol.IdentifyNamespace;
import dev.nvmeof.protocol.SmartLog;

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

    /**
     * Runs DH-HMAC-CHAP again on every queue, admin queue first, with the {@code dhchap_secret} (and
     * {@code dhchap_ctrl_secret}) the controller was connected with, as Linux does when its {@code dhchap_secret}
     * is written in sysfs; I/O goes on meanwhile. A queue that fails starts error recovery, whose reconnect
     * authenticates again (and ends DEAD, {@code RECONNECT_REFUSED}, when the controller refuses that too).
     *
     * @throws NvmeStatusException Authentication Required (DNR) naming the queue and the reason, when a queue fails
     * @throws NvmeException       when the controller is not LIVE or was connected without a {@code dhchap_secret}
     * @since 1.8
     */
    default void reauthenticate() throws NvmeException {
        throw new UnsupportedOperationException("re-authentication");
    }

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

    /**
     * Identify Namespace (CNS 00h) of {@code nsid}, asked of the controller now ({@code nvme id-ns}).
     *
     * @throws NvmeStatusException  the controller refused (e.g. Invalid Namespace or Format for an unknown NSID)
     * @throws NvmeException        the controller is not LIVE, or the command failed
     * @since 1.5
     */
    IdentifyNamespace identifyNamespace(int nsid) throws NvmeException;

    /**
     * Reads {@code length} bytes of log page {@code logId} for {@code nsid} from byte {@code offset} ({@code nvme
     * get-log}), in as many Get Log Page commands as the transfer size needs. Retains the asynchronous event (RAE),
     * so reading a log here never takes a notice away from the host's own handling.
     *
     * @param length a multiple of 4, at least 4
     * @param offset a multiple of 4
     * @since 1.5
     */
    byte[] logPage(int logId, int nsid, int length, long offset) throws NvmeException;

    /**
     * The SMART / Health Information log page (02h) of {@code nsid}, FFFFFFFFh for the controller
     * ({@code nvme smart-log}).
     *
     * @since 1.5
     */
    SmartLog smartLog(int nsid) throws NvmeException;

    /**
     * The first {@code entries} entries of the Error Information log page (01h), newest first ({@code nvme error-log}).
     *
     * @since 1.5
     */
    List<ErrorLogEntry> errorLog(int entries) throws NvmeException;

    /**
     * The Changed Namespace List log page (04h): NSIDs, or {@code [-1]} when more than 1,024 changed.
     *
     * @since 1.5
     */
    int[] changedNamespaces() throws NvmeException;

    /**
     * Runs an admin command as given ({@code nvme admin-passthru}) and returns its completion's DW0.
     *
     * @throws NvmeStatusException the command completed with an error status
     * @since 1.5
     */
    int adminPassthru(AdminPassthru command) throws NvmeException;
}
