package dev.nvmeof.testkit.driver;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

/** A good driver with one rule broken on purpose, to prove the suite catches it and names it. */
final class BrokenDriver implements OffloadDriver {

    enum Breakage {
        /** Every 7th I/O completion is delivered twice. */
        DOUBLE_COMPLETION,
        /** drainQueue returns at once; the hardware goes on. */
        NON_BLOCKING_DRAIN,
        /** claimDev claims what the device cannot route. */
        CLAIM_WITHOUT_ROUTE,
        /** sendReq waits (up to 10 s) for its request's completion. */
        BLOCKING_SEND,
        /** reportError is called with a null cause. */
        ERROR_WITHOUT_CAUSE
    }

    private final OffloadDriver good;
    private final Breakage breakage;

    BrokenDriver(OffloadDriver good, Breakage breakage) {
        this.good = good;
        this.breakage = breakage;
    }

    @Override
    public String deviceName() {
        return good.deviceName();
    }

    @Override
    public OffloadLimits limits() {
        return good.limits();
    }

    @Override
    public OptionPolicy optionPolicy() {
        return good.optionPolicy();
    }

    @Override
    public Optional<OffloadClaim> claimDev(ConnectRequest request) {
        Optional<OffloadClaim> claim = good.claimDev(request);
        if (claim.isEmpty() && breakage == Breakage.CLAIM_WITHOUT_ROUTE) {
            return Optional.of(new OffloadClaim(deviceName(), InetAddress.getLoopbackAddress(), 0, 1_000_000_000L,
                    limits().hardwareVectors(), 0, request.requested()));
        }
        return claim;
    }

    @Override
    public String declineReason(ConnectRequest request) {
        return good.declineReason(request);
    }

    @Override
    public OffloadController setupCtrl(ConnectRequest request, OffloadClaim claim) throws NvmeException {
        OffloadController controller = good.setupCtrl(request, claim);
        return new OffloadController() {
            @Override
            public OffloadQueue createQueue(QueueParameters parameters, OffloadQueueHandle handle)
                    throws NvmeException {
                Handle wrapped = new Handle(handle, parameters.qid() > 0);
                return new Queue(controller.createQueue(parameters, wrapped), wrapped);
            }

            @Override
            public void close() {
                controller.close();
            }
        };
    }

    private final class Handle implements OffloadQueueHandle {
        private final OffloadQueueHandle ulp;
        private final boolean io;
        private final AtomicInteger completions = new AtomicInteger();
        private volatile TransportRequest awaited;
        private volatile CountDownLatch done;

        Handle(OffloadQueueHandle ulp, boolean io) {
            this.ulp = ulp;
            this.io = io;
        }

        @Override
        public void completed(TransportRequest request) {
            ulp.completed(request);
            if (breakage == Breakage.DOUBLE_COMPLETION && io && completions.incrementAndGet() % 7 == 0) {
                ulp.completed(request);
            }
            if (request == awaited) {
                done.countDown();
            }
        }

        @Override
        public void reportError(Throwable cause) {
            ulp.reportError(breakage == Breakage.ERROR_WITHOUT_CAUSE ? null : cause);
        }
    }

    private final class Queue implements OffloadQueue {
        private final OffloadQueue good;
        private final Handle handle;

        Queue(OffloadQueue good, Handle handle) {
            this.good = good;
            this.handle = handle;
        }

        @Override
        public void sendReq(TransportRequest request) {
            if (breakage != Breakage.BLOCKING_SEND || !handle.io) {
                good.sendReq(request);
                return;
            }
            synchronized (this) { // one at a time, each until it completed
                handle.done = new CountDownLatch(1);
                handle.awaited = request;
                good.sendReq(request);
                try {
                    handle.done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public int pollQueue() {
            return good.pollQueue();
        }

        @Override
        public void drainQueue() {
            if (breakage != Breakage.NON_BLOCKING_DRAIN) {
                good.drainQueue();
            }
        }

        @Override
        public void destroyQueue() {
            good.destroyQueue();
        }
    }
}
