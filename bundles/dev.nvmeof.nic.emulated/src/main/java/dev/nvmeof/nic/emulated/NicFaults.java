package dev.nvmeof.nic.emulated;

import dev.nvmeof.nic.emulated.internal.Engine;
import dev.nvmeof.nic.emulated.internal.EngineQueuePair;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

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
public final class NicFaults {
    private final NetDevice netDevice;
    private final Engine engine;

    NicFaults(NetDevice netDevice, Engine engine) {
        this.netDevice = netDevice;
        this.engine = engine;
    }

    public void linkDown(String port) {
        Port p = netDevice.port(port);
        p.linkUp(false);
        run(() -> {
            for (EngineQueuePair qp : engineQueuePairs()) {
                if (qp.port().equals(port)) {
                    qp.injectLinkDown();
                }
            }
        });
    }

    public void linkUp(String port) {
        netDevice.port(port).linkUp(true);
    }

    public void resetConnection(QueuePair qp) {
        run(() -> engineQueuePair(qp).injectReset());
    }

    public void corruptNextDataDigest(QueuePair qp) {
        corruptDataDigests(qp, 1);
    }

    /** The next {@code count} received data PDUs count as data digest errors (with data digests negotiated). */
    public void corruptDataDigests(QueuePair qp, int count) {
        run(() -> engineQueuePair(qp).injectCorruptDataDigests(count));
    }

    public void dropNextCompletion(QueuePair qp) {
        run(() -> engineQueuePair(qp).injectDropNextCompletion());
    }

    public void stall(QueuePair qp, boolean stalled) {
        run(() -> engineQueuePair(qp).injectStall(stalled));
    }

    private java.util.List<EngineQueuePair> engineQueuePairs() {
        return engine.queuePairsSnapshot();
    }

    private static EngineQueuePair engineQueuePair(QueuePair qp) {
        if (!(qp instanceof EngineQueuePair e)) {
            throw new IllegalArgumentException(qp + " is not a queue pair of this NIC");
        }
        return e;
    }

    private void run(Runnable fault) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        engine.execute(() -> {
            try {
                fault.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.join();
    }

    static IOException linkDownCause(String port) {
        return new IOException("link down on " + port);
    }
}
