package dev.nvmeof.nic.emulated;

/**
 * Fault injection, controllable from code. Each method returns once the engine applied the fault. Effects:
 * <ul>
 * <li>{@link #linkDown}: every queue pair on the port fails ({@code queueFailed} with "link down"), new queue pairs
 * on it are refused, and routes stop using it, until {@link #linkUp}.</li>
 * <li>{@link #resetConnection}: the socket is closed with an RST; {@code queueFailed} with a {@code SocketException}.</li>
 * <li>{@link #corruptNextDataDigest} ({@link #corruptDataDigests} for several): the next received data PDU counts as
 * a data digest error (with data digests negotiated): {@code digestErrors} grows and that command completes with Data
 * Transfer Error (no DNR), as on the {@code tcp} transport; the queue pair stays up and the host core retries it.</li>
 * <li>{@link #dropNextCompletion}: the next completion is never published; its entry stays outstanding.</li>
 * <li>{@link #stall}: the queue pair stops consuming its ring and reading its socket until resumed.</li>
 * </ul>
 */
@org.osgi.annotation.versioning.ProviderType
public interface NicFaults {
    void linkDown(String port);

    void linkUp(String port);

    void resetConnection(QueuePair qp);

    default void corruptNextDataDigest(QueuePair qp) {
        corruptDataDigests(qp, 1);
    }

    /** The next {@code count} received data PDUs count as data digest errors (with data digests negotiated). */
    void corruptDataDigests(QueuePair qp, int count);

    void dropNextCompletion(QueuePair qp);

    void stall(QueuePair qp, boolean stalled);
}
