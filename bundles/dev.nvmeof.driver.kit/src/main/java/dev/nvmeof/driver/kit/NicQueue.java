package dev.nvmeof.driver.kit;

import dev.nvmeof.protocol.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import dev.nvmeof.nic.emulated.CompletionHandler;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.nic.emulated.QueuePairListener;
import dev.nvmeof.nic.emulated.SubmissionSlot;
import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * One hardware queue: a queue pair's rings driven for the ULP.
 *
 * <p><b>Submission</b> ({@link #sendReq}, any thread, lock-free, no allocation): a sender claims the next ring index,
 * copies the SQE into that slot, names the data buffer, marks the slot filled, then publishes. The ring's driver side
 * takes one thread at a time, so publishing is a drain loop: whoever finds {@code publishing} at 0 advances the tail
 * over every contiguously filled slot and rings the doorbell once for all of them; others only count themselves in,
 * and the owner goes round again for them. What the reaping thread sends from completion code is published once, at
 * the end of its reap. A slot is reusable once the engine consumed it, which the ring's
 * outstanding-command bound guarantees: the core never has more requests out than the ring is deep.
 *
 * <p><b>Completions</b>, as hardware delivers them: the NIC engine only posts them and raises the queue's interrupt
 * ({@link #completionsAvailable}: a flag and an unpark, nothing else on the engine thread); the queue's threaded
 * interrupt handler ({@code irq/<device>-q<qid>}, a host thread, as a Linux driver's threaded IRQ) reaps them and runs
 * the ULP's, the core's and the caller's completion code. So that code is host CPU, and a callback that blocks stalls
 * only its own queue, never the NIC. A polled queue has no interrupt: {@link #pollQueue} reaps on the caller's
 * thread. The drain loop on {@code reaping} keeps reaps from running concurrently and loses no notification.
 * CID -> request by array; each request completes exactly once; after a failure or a drain nothing more is handed to
 * the ULP.
 */
final class NicQueue implements OffloadQueue, QueuePairListener, CompletionHandler {
    private final String deviceName;
    private final int qid;
    private final OffloadQueueHandle handle;
    private final boolean polled;
    private final Runnable onDestroyed;
    private final TransportRequest[] inFlight;
    /** Per slot: the ring index last filled into it; a slot is ready to publish when it holds the next index. */
    private final AtomicIntegerArray filled;
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger publishing = new AtomicInteger();
    private final AtomicInteger reaping = new AtomicInteger();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private volatile boolean drained;
    /** Set by drainQueue before its last reap: the interrupt handler starts no reap after it. */
    private volatile boolean draining;
    private volatile QueuePair queuePair;
    /** The threaded interrupt handler (null for a polled queue) and its pending interrupt. */
    private final Thread irq;
    private volatile boolean irqPending;
    private volatile boolean irqStopped;
    /**
     * The thread reaping right now, while it runs completion code: a request it sends from there is filled in but
     * published with the rest when its reap ends (one doorbell, Linux's {@code bd->last} for a completion batch).
     * Only ever compared with the calling thread, which can see no other thread's value as its own.
     */
    private Thread reaper;
    /** The reaper held a publication back; touched only by the thread that owns {@link #reaping}. */
    private boolean publishAfterReap;
    /** The tail published so far; touched only by the thread that owns {@link #publishing}. */
    private int published;

    NicQueue(String deviceName, int qid, int depth, OffloadQueueHandle handle, boolean polled, Runnable onDestroyed) {
        this.deviceName = deviceName;
        this.qid = qid;
        this.handle = handle;
        this.polled = polled;
        this.onDestroyed = onDestroyed;
        this.inFlight = new TransportRequest[depth];
        this.filled = new AtomicIntegerArray(depth);
        for (int i = 0; i < depth; i++) {
            filled.set(i, i - depth); // "filled" one lap ago: never equal to an index still to come
        }
        if (polled) {
            irq = null;
        } else {
            irq = new Thread(this::interrupts, "irq/" + deviceName + "-q" + qid);
            irq.setDaemon(true);
            irq.start();
        }
    }

    /** The threaded interrupt handler: reaps whenever the engine raised the interrupt, until the queue is gone. */
    private void interrupts() {
        while (!irqStopped) {
            if (!irqPending) {
                LockSupport.park(this);
                continue;
            }
            irqPending = false;
            QueuePair qp = queuePair;
            if (qp == null || draining) {
                continue;
            }
            try {
                reap(qp);
            } catch (RuntimeException | Error e) {
                // The ULP and the core guard their callers' code; this is a last resort, the handler lives on.
                Log.get(NicQueue.class.getName()).log(System.Logger.Level.ERROR,
                        deviceName + " queue " + qid + ": completion handling failed", e);
            }
        }
    }

    void attach(QueuePair created) {
        this.queuePair = created;
    }

    @Override
    public void sendReq(TransportRequest request) {
        QueuePair qp = queuePair;
        if (failed.get() || drained) {
            return; // after a failure or a drain the ULP owns its requests again
        }
        int cid = request.sqe().cid();
        int tag = CommandIds.tag(cid);
        if (tag >= inFlight.length) {
            fail(new IllegalArgumentException(deviceName + " queue " + qid + ": CID " + cid + " beyond the ring's "
                    + inFlight.length + " entries"));
            return;
        }
        inFlight[tag] = request;
        int index = claimed.getAndIncrement();
        SubmissionSlot slot = qp.slot(index);
        slot.sqe().put(0, request.sqeBuffer(), 0, SubmissionSlot.SQE_LENGTH);
        ByteBuffer data = request.data();
        if (data == null || !data.hasRemaining()) {
            slot.noData();
        } else {
            slot.data(data, request.direction(), data.remaining());
        }
        filled.set(Integer.remainderUnsigned(index, inFlight.length), index);
        if (reaper == Thread.currentThread()) {
            publishAfterReap = true; // sent from a completion: one doorbell when the reap ends
            return;
        }
        publish(qp);
    }

    private void publish(QueuePair qp) {
        if (publishing.getAndIncrement() != 0) {
            return; // the owner goes round again and publishes our slot
        }
        int missed = 1;
        do {
            int tail = published;
            while (filled.get(Integer.remainderUnsigned(tail, inFlight.length)) == tail) {
                tail++;
            }
            if (tail != published) {
                published = tail;
                ring(qp, tail);
            }
            missed = publishing.addAndGet(-missed);
        } while (missed != 0);
    }

    private void ring(QueuePair qp, int tail) {
        try {
            qp.ringDoorbell(tail);
        } catch (IllegalStateException refused) {
            // Failed or drained underneath: that is reported on its own (queueFailed, or pollQueue for a polled
            // queue). Refused while live is a broken ring contract.
            if (qp.live()) {
                fail(refused);
            }
        }
    }

    @Override
    public int pollQueue() {
        QueuePair qp = queuePair;
        if (qp == null || failed.get() || drained) {
            return 0;
        }
        int reaped = reap(qp);
        if (polled && !qp.live() && !drained && !destroyed.get()) {
            // A polled queue pair has no listener: its failure is seen here, with the cause the engine kept.
            fail(qp.failure().orElseGet(() -> new IOException(deviceName + " queue " + qid
                    + ": the queue pair failed")));
        }
        return reaped;
    }

    private int reap(QueuePair qp) {
        if (reaping.getAndIncrement() != 0) {
            return 0; // the reaper running now goes round again
        }
        int reaped = 0;
        int missed = 1;
        Thread current = Thread.currentThread();
        do {
            reaper = current;
            reaped += qp.reapCompletions(this);
            reaper = null;
            if (publishAfterReap) { // still ours alone: the next reaper starts after the decrement below
                publishAfterReap = false;
                publish(qp);
            }
            missed = reaping.addAndGet(-missed);
        } while (missed != 0);
        return reaped;
    }

    @Override
    public void onCompletion(int cid, int status, int dw0, int dw1) {
        int tag = CommandIds.tag(cid);
        TransportRequest request = tag < inFlight.length ? inFlight[tag] : null;
        if (request == null || request.sqe().cid() != cid) {
            fail(new IOException(deviceName + " queue " + qid + ": completion for CID " + cid
                    + ", which has no request in flight"));
            return;
        }
        inFlight[tag] = null;
        if (failed.get() || drained) {
            return;
        }
        request.complete(status, dw0, dw1);
        handle.completed(request);
    }

    /** The engine raised this queue's interrupt: hand the work to the handler thread (no allocation, no wait). */
    @Override
    public void completionsAvailable(QueuePair qp) {
        irqPending = true;
        LockSupport.unpark(irq);
    }

    @Override
    public void queueFailed(QueuePair qp, IOException cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        if (failed.compareAndSet(false, true)) {
            handle.reportError(cause);
        }
    }

    /** Stops the queue pair, hands over what completed before it stopped, and from then on nothing. */
    @Override
    public void drainQueue() {
        QueuePair qp = queuePair;
        if (qp == null || drained) {
            return;
        }
        qp.drain();
        draining = true;
        // A reap the interrupt handler is in (the ULP's, core's or a caller's code) ends before ours: bounded, so a
        // callback that blocks cannot hang recovery for good (as the NIC bounds its own drain).
        long deadline = System.nanoTime() + DRAIN_WAIT_NANOS;
        while (reaping.get() != 0 && deadline - System.nanoTime() > 0) {
            LockSupport.parkNanos(100_000);
        }
        reap(qp);
        drained = true;
    }

    /** Ends the interrupt handler thread (destroyed, or never came up): no thread of the queue stays behind. */
    void stopInterrupts() {
        irqStopped = true;
        if (irq != null) {
            LockSupport.unpark(irq);
        }
    }

    private static final long DRAIN_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    @Override
    public void destroyQueue() {
        if (destroyed.compareAndSet(false, true)) {
            QueuePair qp = queuePair;
            drained = true;
            draining = true;
            stopInterrupts();
            if (qp != null) {
                qp.close();
            }
            onDestroyed.run();
        }
    }

    @Override
    public String toString() {
        return deviceName + " queue " + qid + (polled ? " (polled)" : "");
    }
}
