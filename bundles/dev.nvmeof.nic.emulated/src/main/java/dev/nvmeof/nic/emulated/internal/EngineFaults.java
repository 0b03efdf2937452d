package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.NetDevice;
import dev.nvmeof.nic.emulated.NicFaults;
import dev.nvmeof.nic.emulated.Port;
import dev.nvmeof.nic.emulated.QueuePair;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** {@link NicFaults} applied on the engine thread; each call returns once the fault is in effect. */
final class EngineFaults implements NicFaults {
    private final NetDevice netDevice;
    private final Engine engine;

    EngineFaults(NetDevice netDevice, Engine engine) {
        this.netDevice = netDevice;
        this.engine = engine;
    }

    @Override
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

    @Override
    public void linkUp(String port) {
        netDevice.port(port).linkUp(true);
    }

    @Override
    public void resetConnection(QueuePair qp) {
        run(() -> engineQueuePair(qp).injectReset());
    }

    @Override
    public void corruptDataDigests(QueuePair qp, int count) {
        run(() -> engineQueuePair(qp).injectCorruptDataDigests(count));
    }

    @Override
    public void dropNextCompletion(QueuePair qp) {
        run(() -> engineQueuePair(qp).injectDropNextCompletion());
    }

    @Override
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
