package dev.nvmeof.testkit.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.nic.emulated.CompletionHandler;
import dev.nvmeof.nic.emulated.NicFunction;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.nic.emulated.QueuePairListener;
import dev.nvmeof.nic.emulated.QueuePairOptions;
import dev.nvmeof.nic.emulated.Route;
import dev.nvmeof.nic.emulated.SubmissionSlot;
import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.offload.OffloadLimits;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * A deliberately plain driver of the emulated NIC, written here from the SPI and the NIC's interfaces alone (the kit
 * must not lean on our own driver kit): routes through the net device, one queue pair per queue, a monitor around the
 * submission side, completions reaped on the NIC's interrupt. It keeps every rule; the broken drivers of
 * {@link BrokenDriver} wrap it.
 */
final class ReferenceNicDriver implements OffloadDriver {
    private static final Set<String> HONOURED = Set.of("transport", "traddr", "trsvcid", "nqn", "nr_io_queues",
            "queue_size", "reconnect_delay", "ctrl_loss_tmo", "keep_alive_tmo", "hostnqn", "hostid");

    private final NicFunction nic;
    private final OffloadLimits limits;
    private final AtomicInteger vectorsInUse = new AtomicInteger();
    private final AtomicInteger queues = new AtomicInteger();

    ReferenceNicDriver(NicFunction nic) {
        this.nic = nic;
        this.limits = new OffloadLimits(nic.capabilities().maxIoSize(), nic.capabilities().maxSegments(),
                nic.capabilities().hardwareVectors(), false);
    }

    @Override
    public String deviceName() {
        return "reference-" + nic.capabilities().serial();
    }

    @Override
    public OffloadLimits limits() {
        return limits;
    }

    @Override
    public OptionPolicy optionPolicy() {
        return new OptionPolicy(deviceName(), Set.of("trsvcid", "reconnect_delay", "ctrl_loss_tmo"), Set.of("traddr"));
    }

    @Override
    public Optional<OffloadClaim> claimDev(ConnectRequest request) {
        return nic.netDevice().route(request.target().getAddress()).map(route -> {
            Set<String> honoured = new LinkedHashSet<>(request.requested());
            honoured.retainAll(HONOURED);
            return new OffloadClaim(deviceName(), route.localAddress(), route.prefixLength(),
                    nic.capabilities().linkSpeedMbps() * 1_000_000L,
                    Math.max(0, limits.hardwareVectors() - vectorsInUse.get()), queues.get(), honoured);
        });
    }

    @Override
    public String declineReason(ConnectRequest request) {
        return "no up port of " + deviceName() + " routes to " + request.target().getAddress().getHostAddress();
    }

    @Override
    public OffloadController setupCtrl(ConnectRequest request, OffloadClaim claim) throws NvmeException {
        Route route = nic.netDevice().route(request.target().getAddress()).orElseThrow(() -> NvmeTransportException
                .unreachable(request.target().toString(), new IOException("no route any more")));
        return new Controller(route.port(), request.target());
    }

    private final class Controller implements OffloadController {
        private final String port;
        private final InetSocketAddress target;
        private final List<Queue> open = new ArrayList<>();

        Controller(String port, InetSocketAddress target) {
            this.port = port;
            this.target = target;
        }

        @Override
        public OffloadQueue createQueue(QueueParameters parameters, OffloadQueueHandle handle) throws NvmeException {
            if (parameters.qid() > 0 && vectorsInUse.incrementAndGet() > limits.hardwareVectors()) {
                vectorsInUse.decrementAndGet();
                throw NvmeTransportException.of(deviceName() + ": no hardware vector free", null, true, null);
            }
            Queue queue = new Queue(parameters.qid(), parameters.queueSize(), handle);
            QueuePairOptions options = new QueuePairOptions(parameters.qid(), parameters.queueSize(),
                    parameters.headerDigest(), parameters.dataDigest(), parameters.inCapsuleLimit(),
                    parameters.connectTimeout(), -1);
            try {
                queue.qp = nic.createQueuePair(port, target, options, queue)
                        .get(parameters.connectTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                queue.released();
                throw NvmeTransportException.unreachable(target.toString(), new IOException(e.toString(), e));
            }
            queues.incrementAndGet();
            synchronized (this) {
                open.add(queue);
            }
            return queue;
        }

        @Override
        public void close() {
            List<Queue> all;
            synchronized (this) {
                all = new ArrayList<>(open);
                open.clear();
            }
            for (Queue queue : all) {
                queue.drainQueue();
                queue.destroyQueue();
            }
        }
    }

    private final class Queue implements OffloadQueue, QueuePairListener, CompletionHandler {
        private final int qid;
        private final OffloadQueueHandle handle;
        private final TransportRequest[] inFlight;
        private volatile QueuePair qp;
        private int tail;
        private boolean stopped;
        private boolean destroyed;

        Queue(int qid, int depth, OffloadQueueHandle handle) {
            this.qid = qid;
            this.handle = handle;
            this.inFlight = new TransportRequest[depth];
        }

        @Override
        public void sendReq(TransportRequest request) {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                inFlight[CommandIds.tag(request.sqe().cid())] = request;
                SubmissionSlot slot = qp.slot(tail++);
                slot.sqe().put(0, request.sqeBuffer(), 0, SubmissionSlot.SQE_LENGTH);
                ByteBuffer data = request.data();
                if (data == null || !data.hasRemaining()) {
                    slot.noData();
                } else {
                    slot.data(data, request.direction(), data.remaining());
                }
                try {
                    qp.ringDoorbell(tail);
                } catch (IllegalStateException failedUnderneath) {
                    return; // reported through queueFailed
                }
            }
        }

        @Override
        public void completionsAvailable(QueuePair queuePair) {
            queuePair.reapCompletions(this); // on the NIC's thread: fine for a plain driver with a quick handle
        }

        @Override
        public void onCompletion(int cid, int status, int dw0, int dw1) {
            TransportRequest request;
            synchronized (this) {
                int tag = CommandIds.tag(cid);
                request = inFlight[tag];
                if (stopped || request == null || request.sqe().cid() != cid) {
                    return;
                }
                inFlight[tag] = null;
            }
            request.complete(status, dw0, dw1);
            handle.completed(request);
        }

        @Override
        public void queueFailed(QueuePair queuePair, IOException cause) {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                stopped = true;
            }
            handle.reportError(cause);
        }

        @Override
        public int pollQueue() {
            return 0;
        }

        @Override
        public void drainQueue() {
            qp.drain(); // the listener (and its reap) is never called after this returns
            synchronized (this) {
                stopped = true;
            }
        }

        @Override
        public void destroyQueue() {
            synchronized (this) {
                if (destroyed) {
                    return;
                }
                destroyed = true;
                stopped = true;
            }
            qp.close();
            released();
        }

        void released() {
            if (qid > 0) {
                vectorsInUse.decrementAndGet();
            }
            if (qp != null) {
                queues.decrementAndGet();
            }
        }
    }
}
