package dev.nvmeof.offload.internal;

import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadDeviceInfo.OffloadQueueInfo;

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
import java.util.Comparator;
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
    /** What each queue was created with, in the order of {@link #queues}; for {@code ofld queues}. */
    private final List<QueueParameters> parameters = new ArrayList<>();
    private final ConnectRequest request;
    private boolean closed;

    OffloadAssociation(OffloadTransport transport, OffloadDriver driver, String deviceName,
            OffloadController controller, TransportLimits limits, RankingReport report, ConnectRequest request) {
        this.transport = transport;
        this.request = request;
        this.driver = driver;
        this.deviceName = deviceName;
        this.controller = controller;
        this.limits = limits;
        this.report = report;
    }

    OffloadDriver driver() {
        return driver;
    }

    /** The queues it carries now, as the inspector shows them; none once closed. */
    synchronized List<OffloadQueueInfo> queueInfo() {
        if (closed) {
            return List.of();
        }
        String target = request.target().getAddress().getHostAddress() + ":" + request.target().getPort();
        List<OffloadQueueInfo> info = new ArrayList<>(parameters.size());
        for (QueueParameters p : parameters) {
            info.add(new OffloadQueueInfo(request.options().nqn(), target, p.qid(), p.queueSize(), p.polled(),
                    p.headerDigest(), p.dataDigest()));
        }
        return info;
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
        if (parameters.polled() && !limits.polling()) {
            // The core asks for polled queues only when limits() says so; a device that cannot poll never gets one.
            throw NvmeTransportException.of("offload device " + deviceName + " cannot poll: queue "
                    + parameters.qid() + " refused", null, false, null);
        }
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
            this.parameters.add(parameters);
        }
        return wrapper;
    }

    /**
     * The path and every driver's line of the ranking, e.g. {@code tcp_offload via p1p1 from 127.0.0.2: p1p1 won:
     * longest route prefix /24 (p2p1: /16); p2p1 lost: longest route prefix /16 (p1p1: /24)}.
     */
    @Override
    public String describe() {
        Ranked winner = report.winner().orElseThrow();
        return OffloadTransport.NAME + " via " + deviceName + " from "
                + winner.candidate().claim().localAddress().getHostAddress() + ": " + report;
    }

    /**
     * The queues in teardown order, under the monitor: I/O queues before the admin queue, as Linux and the host core
     * tear down. A target tears the whole controller down when its admin queue goes, so closing that first has the
     * target drop the I/O queues' connections under the device, and the core hears those errors (EOF, broken pipe)
     * instead of the real reason, while the teardown is still under way.
     */
    private List<OffloadTransportQueue> ioQueuesFirst() {
        List<OffloadTransportQueue> order = new ArrayList<>(queues);
        order.sort(Comparator.comparingInt(OffloadTransportQueue::qid).reversed());
        return order;
    }

    /**
     * Closes every queue (I/O queues first), then the controller. Under the monitor: a racing {@link #deviceLeft()}
     * (or a second close) returns only after the teardown is done, so a leaving device is never called after its
     * removal returns.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (OffloadTransportQueue queue : ioQueuesFirst()) {
                queue.close();
            }
            controller.close();
        }
        transport.forget(this);
    }

    /**
     * Called while the device is leaving: the last calls it gets from this association. Returns once every queue
     * was drained and destroyed; the cores hear that their paths are gone after that, outside the monitor.
     */
    void deviceLeft() {
        List<OffloadTransportQueue> gone;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            gone = ioQueuesFirst();
            for (OffloadTransportQueue queue : gone) {
                queue.closeForLeavingDevice();
            }
            controller.close();
        }
        for (OffloadTransportQueue queue : gone) {
            queue.pathGone();
        }
    }
}
