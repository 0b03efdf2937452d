package dev.nvmeof.driver.kit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.api.NvmeTimeoutException;
import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.nic.emulated.QueuePairOptions;
import dev.nvmeof.spi.offload.OffloadController;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.QueueParameters;

/** One controller on a {@link NicOffloadDriver}: its port, target and TOS, and the queues it created. */
final class NicController implements OffloadController {
    /** The engine enforces the connect deadline itself; this margin only bounds our wait for its answer. */
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(2);

    private final NicOffloadDriver driver;
    private final String port;
    private final InetSocketAddress target;
    private final int tos;
    private final List<NicQueue> queues = new ArrayList<>();
    private boolean closed;

    NicController(NicOffloadDriver driver, String port, InetSocketAddress target, int tos) {
        this.driver = driver;
        this.port = port;
        this.target = target;
        this.tos = tos;
    }

    @Override
    public OffloadQueue createQueue(QueueParameters parameters, OffloadQueueHandle handle) throws NvmeException {
        int qid = parameters.qid();
        if (parameters.polled() && !driver.limits().polling()) {
            throw NvmeTransportException.of(driver.deviceName() + " cannot poll: queue " + qid
                    + " needs completion notification", null, false, null);
        }
        synchronized (this) {
            if (closed) {
                throw NvmeTransportException.connectionLost(driver.deviceName() + ": the controller was released",
                        null);
            }
        }
        if (qid > 0) {
            driver.takeVector(qid);
        }
        NicQueue queue = new NicQueue(driver.deviceName(), qid, parameters.queueSize(), handle, parameters.polled(),
                () -> released(qid));
        driver.queueOpened();
        try {
            queue.attach(open(parameters, queue));
        } catch (NvmeException | RuntimeException e) {
            queue.stopInterrupts();
            released(qid);
            throw e;
        }
        synchronized (this) {
            if (!closed) {
                queues.add(queue);
                return queue;
            }
        }
        queue.destroyQueue();
        throw NvmeTransportException.connectionLost(driver.deviceName() + ": the controller was released while queue "
                + qid + " connected", null);
    }

    private QueuePair open(QueueParameters parameters, NicQueue queue) throws NvmeException {
        QueuePairOptions options = new QueuePairOptions(parameters.qid(), parameters.queueSize(),
                parameters.headerDigest(), parameters.dataDigest(), parameters.inCapsuleLimit(),
                parameters.connectTimeout(), tos);
        String where = target.getAddress().getHostAddress() + ":" + target.getPort();
        CompletableFuture<QueuePair> connecting = driver.nic().createQueuePair(port, target, options,
                parameters.polled() ? null : queue);
        try {
            return connecting.get(parameters.connectTimeout().plus(WAIT_MARGIN).toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw NvmeTransportException.unreachable(where, new IOException(driver.deviceName() + " via " + port
                    + ": " + (cause == null ? e.getMessage() : cause.getMessage()), cause));
        } catch (TimeoutException e) {
            connecting.thenAccept(QueuePair::close); // it may still come up: never leave it behind
            throw NvmeTimeoutException.of(NvmeTimeoutException.IC_RESP, parameters.connectTimeout(),
                    driver.deviceName() + " via " + port + " to " + where);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connecting.thenAccept(QueuePair::close);
            throw NvmeTransportException.connectionLost("interrupted while queue " + parameters.qid()
                    + " connected", e);
        }
    }

    /** A queue was destroyed (or never came up): its vector and count go back to the device. */
    private void released(int qid) {
        if (qid > 0) {
            driver.releaseVector();
        }
        driver.queueClosed();
    }

    /** Destroys every queue still open; idempotent. */
    @Override
    public void close() {
        List<NicQueue> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(queues);
            queues.clear();
        }
        for (NicQueue queue : open) {
            queue.drainQueue();
            queue.destroyQueue();
        }
    }
}
