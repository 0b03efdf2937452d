package dev.nvmeof.offload.internal;

import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A device's hardware queue as the core sees it: {@code submit} -> {@code sendReq}, {@code poll} ->
 * {@code pollQueue}, {@code drain} -> {@code drainQueue}, {@code close} -> {@code destroyQueue}; and the ULP's
 * handle the driver reports to: completions go to the core until the queue fails, and the first error report
 * becomes the core's {@link QueueCallbacks#failed} (once).
 */
final class OffloadTransportQueue implements TransportQueue, OffloadQueueHandle {

    private final int qid;
    private final String deviceName;
    private final QueueCallbacks callbacks;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once by {@link #bind} right after the driver created the queue. */
    private volatile OffloadQueue queue;

    OffloadTransportQueue(int qid, String deviceName, QueueCallbacks callbacks) {
        this.qid = qid;
        this.deviceName = deviceName;
        this.callbacks = callbacks;
    }

    void bind(OffloadQueue created) {
        this.queue = created;
    }

    @Override
    public int qid() {
        return qid;
    }

    @Override
    public void submit(TransportRequest request) {
        // After a failure the core owns its requests again: nothing more goes to the device.
        if (!failed.get() && !closed.get()) {
            queue.sendReq(request);
        }
    }

    @Override
    public int poll() {
        return failed.get() || closed.get() ? 0 : queue.pollQueue();
    }

    @Override
    public void drain() {
        if (!closed.get()) {
            queue.drainQueue();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.drainQueue();
            queue.destroyQueue();
        }
    }

    /** The device is leaving: quiesce its queue while it is still there, then tell the core the path is gone. */
    void deviceLeft() {
        close();
        fail(new IllegalStateException("offload device " + deviceName + " left"));
    }

    // ---- the driver's side ----

    @Override
    public void completed(TransportRequest request) {
        if (!failed.get()) {
            callbacks.completed(request);
        }
    }

    @Override
    public void reportError(Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        if (failed.compareAndSet(false, true)) {
            callbacks.failed(NvmeTransportException.connectionLost("offload device " + deviceName + " queue " + qid
                    + ": " + (cause == null ? "error reported without a cause" : cause.getMessage()), cause));
        }
    }
}
