package dev.nvmeof.offload.internal;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportAssociation;
import dev.nvmeof.spi.transport.TransportLimits;
import dev.nvmeof.spi.transport.TransportQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * One controller carried by the device whose claim won: its queues are the device's hardware queues. When the device
 * leaves, its queues are drained and destroyed while it is still there, the core is told the path failed, and the
 * device is never called again.
 */
final class OffloadAssociation implements TransportAssociation {

    private final OffloadTransport transport;
    private final OffloadDriver driver;
    private final String deviceName;
    private final OffloadController controller;
    private final TransportLimits limits;
    private final RankingReport report;
    private final List<OffloadTransportQueue> queues = new ArrayList<>();
    private boolean closed;

    OffloadAssociation(OffloadTransport transport, OffloadDriver driver, String deviceName,
            OffloadController controller, TransportLimits limits, RankingReport report) {
        this.transport = transport;
        this.driver = driver;
        this.deviceName = deviceName;
        this.controller = controller;
        this.limits = limits;
        this.report = report;
    }

    OffloadDriver driver() {
        return driver;
    }

    RankingReport report() {
        return report;
    }

    @Override
    public TransportLimits limits() {
        return limits;
    }

    @Override
    public TransportQueue createQueue(QueueParameters parameters, QueueCallbacks callbacks) throws NvmeException {
        OffloadTransportQueue wrapper = new OffloadTransportQueue(parameters.qid(), deviceName, callbacks);
        synchronized (this) {
            if (closed) {
                throw NvmeTransportException.connectionLost("offload device " + deviceName
                        + " is gone or the association is closed", null);
            }
            // Under the lock so a leaving device cannot tear down between the creation and the bookkeeping.
            OffloadQueue queue = controller.createQueue(parameters, wrapper);
            wrapper.bind(queue);
            queues.add(wrapper);
        }
        return wrapper;
    }

    /** {@code tcp_offload via p1p1 from 127.0.0.2: p1p1 won: longest route prefix /24 (p2p1: /16)}. */
    @Override
    public String describe() {
        Ranked winner = report.winner().orElseThrow();
        return OffloadTransport.NAME + " via " + deviceName + " from "
                + winner.candidate().claim().localAddress().getHostAddress() + ": " + report.summary();
    }

    @Override
    public void close() {
        List<OffloadTransportQueue> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(queues);
        }
        transport.forget(this);
        for (OffloadTransportQueue queue : open) {
            queue.close();
        }
        controller.close();
    }

    /** Called while the device is leaving: the last calls it gets from this association. */
    void deviceLeft() {
        List<OffloadTransportQueue> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(queues);
        }
        for (OffloadTransportQueue queue : open) {
            queue.deviceLeft();
        }
        controller.close();
    }
}
