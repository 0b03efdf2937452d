package dev.nvmeof.offload.internal;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.OptionPolicy;
import dev.nvmeof.spi.offload.ConnectRequest;
import dev.nvmeof.spi.offload.OffloadClaim;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadDriver;
import dev.nvmeof.spi.offload.OffloadLimits;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.QueueParameters;
import dev.nvmeof.spi.transport.TransportRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** An in-memory offload device for the ULP's tests: it states the facts it is told and records every call. */
final class FakeDriver implements OffloadDriver {

    static final OptionPolicy ALLOWS_ALL = OffloadTransport.POLICY;

    final String name;
    int prefix = 24;
    long speed = 25_000_000_000L;
    int freeVectors = 8;
    int activeQueues;
    Set<String> unsupported = new HashSet<>();
    OptionPolicy policy = ALLOWS_ALL;
    OffloadLimits limits = new OffloadLimits(128 * 1024, 32, 8, false);
    boolean claims = true;
    RuntimeException claimFailure;
    /** Runs inside claimDev, e.g. to remove this driver while it is being asked. */
    Runnable duringClaim;
    /** Thrown by setupCtrl when set (an NvmeException or a RuntimeException). */
    Exception setupFailure;
    /** Runs inside setupCtrl, e.g. to block it until a test lets it go on. */
    Runnable duringSetup;
    /** Builds the hardware queues when set, e.g. one that completes on its own thread. */
    Function<OffloadQueueHandle, OffloadQueue> queueFactory;
    final List<OffloadQueue> created = new ArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final List<FakeQueue> queues = new ArrayList<>();
    /** What each createQueue was asked, in order. */
    final List<QueueParameters> queueParameters = new ArrayList<>();
    volatile int controllersClosed;

    FakeDriver(String name) {
        this.name = name;
    }

    FakeDriver prefix(int value) {
        prefix = value;
        return this;
    }

    @Override
    public String deviceName() {
        calls.incrementAndGet();
        return name;
    }

    @Override
    public OffloadLimits limits() {
        calls.incrementAndGet();
        return limits;
    }

    @Override
    public OptionPolicy optionPolicy() {
        calls.incrementAndGet();
        return policy;
    }

    @Override
    public Optional<OffloadClaim> claimDev(ConnectRequest request) {
        calls.incrementAndGet();
        if (duringClaim != null) {
            duringClaim.run();
        }
        if (claimFailure != null) {
            throw claimFailure;
        }
        return claims ? Optional.of(claim(request)) : Optional.empty();
    }

    OffloadClaim claim(ConnectRequest request) {
        Set<String> honoured = new HashSet<>(request.requested());
        honoured.removeAll(unsupported);
        try {
            return new OffloadClaim(name, InetAddress.getByName("127.0.0.2"), prefix, speed, freeVectors,
                    activeQueues, honoured);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public OffloadController setupCtrl(ConnectRequest request, OffloadClaim claim) throws NvmeException {
        calls.incrementAndGet();
        if (duringSetup != null) {
            duringSetup.run();
        }
        if (setupFailure instanceof NvmeException nvme) {
            throw nvme;
        }
        if (setupFailure != null) {
            throw (RuntimeException) setupFailure;
        }
        return new OffloadController() {
            @Override
            public OffloadQueue createQueue(QueueParameters parameters, OffloadQueueHandle handle) {
                calls.incrementAndGet();
                queueParameters.add(parameters);
                if (queueFactory != null) {
                    OffloadQueue queue = queueFactory.apply(handle);
                    created.add(queue);
                    return queue;
                }
                FakeQueue queue = new FakeQueue(handle);
                queues.add(queue);
                created.add(queue);
                return queue;
            }

            @Override
            public void close() {
                calls.incrementAndGet();
                controllersClosed++;
            }
        };
    }

    /** A hardware queue that completes what it was sent when told to. */
    final class FakeQueue implements OffloadQueue {
        final OffloadQueueHandle handle;
        final List<TransportRequest> sent = new ArrayList<>();
        int polls;
        int drained;
        int destroyed;
        /** Runs inside destroyQueue when set, e.g. to record the teardown order. */
        Runnable onDestroy;

        FakeQueue(OffloadQueueHandle handle) {
            this.handle = handle;
        }

        @Override
        public void sendReq(TransportRequest request) {
            calls.incrementAndGet();
            sent.add(request);
        }

        @Override
        public int pollQueue() {
            calls.incrementAndGet();
            polls++;
            return 0;
        }

        @Override
        public void drainQueue() {
            calls.incrementAndGet();
            drained++;
        }

        @Override
        public void destroyQueue() {
            calls.incrementAndGet();
            destroyed++;
            if (onDestroy != null) {
                onDestroy.run();
            }
        }
    }
}
