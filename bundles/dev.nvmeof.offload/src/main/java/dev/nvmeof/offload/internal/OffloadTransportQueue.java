package dev.nvmeof.offload.internal;

import dev.nvmeof.api.NvmeTransportException;
import dev.nvmeof.protocol.tcp.QueueFailure;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.QueueCallbacks;
import dev.nvmeof.spi.transport.TransportQueue;
import dev.nvmeof.spi.transport.TransportRequest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A device's hardware queue as the core sees it: {@code submit} -> {@code sendReq}, {@code poll} ->
 * {@code pollQueue}, {@code drain} -> {@code drainQueue}, {@code close} -> {@code destroyQueue}; and the ULP's
 * handle the driver reports to.
 *
 * <p><b>Races.</b> One atomic word holds the flags {@code CLOSED}, {@code FAILED}, {@code FAILURE_DELIVERED} and the
 * number of threads inside this queue (a call to the driver, or a completion on its way to the core). Every entry
 * and exit is one atomic add: no lock and no allocation per I/O. Hence:
 * <ul>
 * <li>{@link #close()} sets {@code CLOSED}, waits for the threads inside to leave, then drains and destroys the
 * hardware queue: after it returns the driver is never called again from here.</li>
 * <li>The core's {@link QueueCallbacks#failed} is delivered once, by whoever leaves last after {@code FAILED} was
 * set; a completion that entered before it is delivered first, one that comes after is dropped (the core owns
 * that request again). So no request completes twice, and none is lost: each is completed or owned by the core
 * again when it hears {@code failed}.</li>
 * <li>A submit after close, or after a failure, never reaches the driver: it fails the queue (once), after the
 * hardware queue was drained and destroyed.</li>
 * </ul>
 * {@link #close()} and {@link #drain()} block and must not be called from inside a completion, as the SPI says.
 */
final class OffloadTransportQueue implements TransportQueue, OffloadQueueHandle {

    private static final int CLOSED = 1 << 26;
    /** A submit came after close: the core hears failed, but only once the hardware queue is torn down. */
    private static final int REJECTED = 1 << 27;
    private static final int FAILED = 1 << 28;
    private static final int FAILURE_DELIVERED = 1 << 29;
    private static final int TORN_DOWN = 1 << 30;
    private static final int INSIDE = CLOSED - 1;

    private final int qid;
    private final String deviceName;
    private final QueueCallbacks callbacks;
    private final AtomicInteger state = new AtomicInteger();
    private final AtomicReference<NvmeTransportException> failure = new AtomicReference<>();
    /** The thread waiting in {@link #close()} for the others to leave; written before {@code CLOSED} is set. */
    private volatile Thread closer;
    private boolean torndown;
    /** Set before a leaving device's queue is closed, so a racing submit names the real reason. */
    private volatile boolean deviceLeaving;
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
        int entered = state.incrementAndGet();
        if ((entered & (CLOSED | FAILED)) != 0) {
            leave();
            // Failed already: the core owns the request and heard (or will hear) failed once. Closed: tell it, but
            // not before the hardware is quiet, or the core would take back requests the device still touches.
            if ((entered & FAILED) == 0 && (state.getAndUpdate(v -> v | REJECTED) & TORN_DOWN) != 0) {
                failClosed();
            }
            return;
        }
        try {
            queue.sendReq(request);
        } finally {
            leave();
        }
    }

    @Override
    public int poll() {
        int entered = state.incrementAndGet();
        try {
            return (entered & (CLOSED | FAILED)) != 0 ? 0 : queue.pollQueue();
        } finally {
            leave();
        }
    }

    @Override
    public void drain() {
        int entered = state.incrementAndGet();
        try {
            if ((entered & CLOSED) == 0) {
                queue.drainQueue();
            }
        } finally {
            leave();
        }
    }

    @Override
    public synchronized void close() {
        if (torndown) {
            return;
        }
        closer = Thread.currentThread();
        int s = state.getAndUpdate(v -> v | CLOSED);
        while ((s & INSIDE) != 0) {
            // leave() unparks us when the last one is out; a spurious wake-up just looks again.
            LockSupport.park(this);
            s = state.get();
        }
        closer = null;
        try {
            queue.drainQueue();
            queue.destroyQueue();
        } finally {
            torndown = true;
            if ((state.getAndUpdate(v -> v | TORN_DOWN) & REJECTED) != 0) {
                failClosed();
            }
        }
    }

    private void failClosed() {
        if (deviceLeaving) {
            fail(NvmeTransportException.pathWithdrawn("offload device " + deviceName + " left")); // as pathGone()
        } else {
            fail(null, "queue " + qid + " is closed");
        }
    }

    /** The device is leaving: quiesce its queue while it is still there ({@link #pathGone()} follows). */
    void closeForLeavingDevice() {
        deviceLeaving = true;
        close();
    }

    /**
     * After {@link #closeForLeavingDevice()}: tells the core the path is gone (once), before returning, so the core
     * has heard it when the driver's removal returns. A thread still inside (a submitter that just saw CLOSED, a
     * completion on its way) delivers it as it leaves: wait for that, bounded, as a caller's callback may be slow.
     */
    void pathGone() {
        fail(NvmeTransportException.pathWithdrawn("offload device " + deviceName + " left"));
        long deadline = System.nanoTime() + DELIVERY_WAIT_NANOS;
        while ((state.get() & FAILURE_DELIVERED) == 0 && deadline - System.nanoTime() > 0) {
            Thread.onSpinWait();
        }
    }

    private static final long DELIVERY_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    // ---- the driver's side ----

    @Override
    public void completed(TransportRequest request) {
        int entered = state.incrementAndGet();
        try {
            if ((entered & FAILED) == 0) {
                callbacks.completed(request);
            }
        } finally {
            leave();
        }
    }

    @Override
    public void reportError(Throwable cause) {
        fail(cause, cause == null ? "error reported without a cause" : cause.getMessage());
    }

    private void leave() {
        int s = state.decrementAndGet();
        if ((s & INSIDE) == 0 && s != 0) {
            if ((s & CLOSED) != 0) {
                Thread waiting = closer;
                if (waiting != null) {
                    LockSupport.unpark(waiting);
                }
            }
            if ((s & (FAILED | FAILURE_DELIVERED)) == FAILED) {
                deliverFailure();
            }
        }
    }

    private void fail(Throwable cause, String why) {
        if (failure.get() != null) {
            return;
        }
        // A protocol engine's classification (its FES, whether reconnecting can help) survives the driver.
        fail(cause instanceof QueueFailure protocol
                ? NvmeTransportException.of(protocol, "offload device " + deviceName)
                : NvmeTransportException.connectionLost("offload device " + deviceName + " queue " + qid + ": " + why,
                        cause));
    }

    private void fail(NvmeTransportException failed) {
        if (failure.get() != null) {
            return;
        }
        // The exception is published before the flag, so whoever sees FAILED finds it.
        if (failure.compareAndSet(null, failed)) {
            state.getAndUpdate(v -> v | FAILED);
            deliverFailure();
        }
    }

    /** Delivers {@code failed} once, when nobody is inside any more (else the last to leave does it). */
    private void deliverFailure() {
        int s = state.get();
        while ((s & (FAILED | FAILURE_DELIVERED)) == FAILED && (s & INSIDE) == 0) {
            if (state.compareAndSet(s, s | FAILURE_DELIVERED)) {
                callbacks.failed(failure.get());
                return;
            }
            s = state.get();
        }
    }
}
