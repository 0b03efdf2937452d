package dev.nvmeof.api;

/**
 * The life of a controller, as the Linux host sees it ({@code enum nvme_ctrl_state} in
 * {@code drivers/nvme/host/nvme.h}), and the transitions it allows, as {@code nvme_change_ctrl_state} in
 * {@code drivers/nvme/host/core.c} (Linux 6.x) lists them:
 *
 * <pre>
 *   to \ from   NEW  CONNECTING  LIVE  RESETTING  DELETING  DEAD
 *   CONNECTING   x                       x
 *   LIVE               x
 *   RESETTING                     x
 *   DELETING           x          x      x
 *   DEAD                                            x
 * </pre>
 *
 * <p>So: {@code NEW -> CONNECTING -> LIVE -> RESETTING -> CONNECTING -> LIVE ...} while things go well or recover;
 * deletion (a disconnect, or giving up after {@code ctrl_loss_tmo}) is {@code LIVE|RESETTING|CONNECTING -> DELETING
 * -> DEAD}. Nothing leaves {@code DEAD}, nothing returns to {@code NEW}, and no state goes to itself.
 *
 * <p>Two deliberate differences from the kernel's table, both because we are a fabrics host only:
 * <ul>
 *   <li>No {@code DELETING_NOIO}. The kernel splits deletion so it can stop I/O after removing namespaces
 *       ({@code nvme_remove_namespaces}); here {@code DELETING} covers both phases and {@code DEAD} is the sink in
 *       which every remaining request fails with Host Path Error.</li>
 *   <li>No {@code NEW -> RESETTING}. Only the PCI driver uses it (its probe is a reset, {@code nvme_probe} ->
 *       {@code nvme_reset_ctrl}); the fabrics hosts go {@code NEW -> CONNECTING} as soon as the controller exists
 *       ({@code nvme_tcp_create_ctrl}), and so do we. A controller that never got going is therefore deleted from
 *       {@code CONNECTING}, never from {@code NEW}.</li>
 * </ul>
 */
@org.osgi.annotation.versioning.ProviderType
public enum ControllerState {
    /** Created, nothing started yet. Left at once for {@link #CONNECTING}. */
    NEW,
    /** Establishing (or re-establishing) the admin and I/O queues; only Connect commands may be sent. */
    CONNECTING,
    /** Every queue live; I/O flows. */
    LIVE,
    /** Error recovery owns the controller: queues torn down, in-flight requests put back to be reissued. */
    RESETTING,
    /** Being removed (disconnect, or {@code ctrl_loss_tmo} passed); no new I/O is accepted. */
    DELETING,
    /** Gone for good; every request still held fails with Host Path Error. */
    DEAD;

    /**
     * Whether the kernel's table allows {@code this -> to}. Written, like {@code nvme_change_ctrl_state}, as "which
     * old states may enter the new one".
     */
    public boolean canTransitionTo(ControllerState to) {
        return switch (to) {
            case CONNECTING -> this == NEW || this == RESETTING;
            case LIVE -> this == CONNECTING;
            case RESETTING -> this == LIVE;
            case DELETING -> this == LIVE || this == RESETTING || this == CONNECTING;
            case DEAD -> this == DELETING;
            case NEW -> false;
        };
    }

    /**
     * True for the states that can never become {@link #LIVE} again, as {@code nvme_state_terminal}: a caller
     * waiting for recovery stops waiting.
     */
    public boolean isTerminal() {
        return this == DELETING || this == DEAD;
    }
}
