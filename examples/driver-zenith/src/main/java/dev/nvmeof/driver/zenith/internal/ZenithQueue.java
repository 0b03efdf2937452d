package dev.nvmeof.driver.zenith.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.nvmeof.nic.emulated.CompletionHandler;
import dev.nvmeof.nic.emulated.QueuePair;
import dev.nvmeof.nic.emulated.QueuePairListener;
import dev.nvmeof.nic.emulated.SubmissionSlot;
import dev.nvmeof.protocol.CommandIds;
import dev.nvmeof.spi.offload.OffloadQueue;
import dev.nvmeof.spi.offload.OffloadQueueHandle;
import dev.nvmeof.spi.transport.TransportRequest;

/**
 * One Zenith hardware queue: a queue pair's rings, driven for the ULP.
 *
 * <p><b>Submission</b> ({@link #sendReq}, any thread): under the queue's submission monitor, remember the request by
 * its CID's tag, copy its SQE into the next ring slot, name its data buffer, ring the doorbell. Never waits for the
 * device: a stalled card only stops consuming, the doorbell still returns.
 *
 * <p><b>Completions</b> arrive as on hardware. The NIC's engine posts them and raises the queue's interrupt
 * ({@link #completionsAvailable}, on the engine's thread: a flag and an unpark, nothing more); this queue's interrupt
 * thread ({@code irq/zenith-<serial>-q<qid>}, like a Linux threaded IRQ) reaps them and runs the completion code of
 * the ULP, the host and the caller. So that code is host CPU, and a callback that blocks stalls this queue only, never
 * the NIC.
 *
 * <p><b>Exactly once, and nothing after a drain.</b> A request is handed back once: its slot in {@code inFlight} is
 * cleared as it completes. Reaps hold {@code reapLock}; {@link #drainQueue} stops the queue pair (no interrupt, no
 * completion posted, no host memory touched afterwards), takes {@code reapLock} so a reap in progress ends first, hands
 * over what completed before the stop and marks the queue quiesced: from then on nothing reaches the ULP. The wait
 * for a reap in progress is bounded, so a callback that never returns cannot hang recovery. After a failure
 * ({@link #queueFailed}, reported to the ULP once with its cause) nothing is handed back either: the ULP owns its
 * requests again.
 */
final class ZenithQueue implements OffloadQueue, QueuePairListener, CompletionHandler {
    private static final long DRAIN_WAIT_SECONDS = 10;

    private final String name;
    private final int qid;
    private final OffloadQueueHandle handle;
    private final Runnable onDestroyed;
    /** By CID tag; filled by {@link #sendReq} before the doorbell, cleared on the interrupt thread. */
    private final TransportRequest[] inFlight;
    private final Object submission = new Object();
    private final ReentrantLock reapLock = new ReentrantLock();
    private volatile QueuePair queuePair;
    private volatile boolean failed;
    private volatile boolean quiesced;
    private volatile boolean destroyed;
    /** The next ring index; guarded by {@link #submission}. */
    private int tail;

    private volatile Thread irq;
    private volatile boolean irqPending;

    ZenithQueue(String deviceName, int qid, int depth, OffloadQueueHandle handle, Runnable onDestroyed) {
        this.name = deviceName + "-q" + qid;
        this.qid = qid;
        this.handle = handle;
        this.onDestroyed = onDestroyed;
        this.inFlight = new TransportRequest[depth];
    }

    /** The queue pair is live: start taking interrupts. */
    void attach(QueuePair created) {
        queuePair = created;
        irq = new Thread(this::interrupts, "irq/" + name);
        irq.setDaemon(true);
        irq.start();
    }

    @Override
    public void sendReq(TransportRequest request) {
        synchronized (submission) {
            QueuePair qp = queuePair;
            if (failed || quiesced) {
                return; // the ULP owns its requests again
            }
            int cid = request.sqe().cid();
            int tag = CommandIds.tag(cid);
            if (tag >= inFlight.length) {
                fail(new IllegalArgumentException(name + ": CID " + cid + " beyond the ring's " + inFlight.length
                        + " entries"));
                return;
            }
            inFlight[tag] = request;
            SubmissionSlot slot = qp.slot(tail);
            slot.sqe().put(0, request.sqeBuffer(), 0, SubmissionSlot.SQE_LENGTH);
            ByteBuffer data = request.data();
            if (data == null || !data.hasRemaining()) {
                slot.noData();
            } else {
                slot.data(data, request.direction(), data.remaining());
            }
            tail++;
            try {
                qp.ringDoorbell(tail);
            } catch (IllegalStateException refused) {
                if (qp.live()) {
                    fail(refused); // a live ring refusing is a broken ring contract; else queueFailed tells why
                }
            }
        }
    }

    /** The interrupt line, on the NIC engine's thread: wake the interrupt thread, nothing else. */
    @Override
    public void completionsAvailable(QueuePair qp) {
        irqPending = true;
        LockSupport.unpark(irq);
    }

    /** The interrupt thread: reaps each time the interrupt was raised, until the queue is destroyed. */
    private void interrupts() {
        while (!destroyed) {
            if (!irqPending) {
                LockSupport.park(this);
                continue;
            }
            irqPending = false;
            reap();
        }
    }

    private void reap() {
        reapLock.lock();
        try {
            if (!quiesced) {
                queuePair.reapCompletions(this);
            }
        } catch (RuntimeException | Error e) {
            // The ULP guards its callers' code; if something still escapes, say so through recovery, with the cause,
            // rather than let this thread die and the queue hang.
            fail(e);
        } finally {
            reapLock.unlock();
        }
    }

    @Override
    public void onCompletion(int cid, int status, int dw0, int dw1) {
        int tag = CommandIds.tag(cid);
        TransportRequest request = tag < inFlight.length ? inFlight[tag] : null;
        if (request == null || request.sqe().cid() != cid) {
            fail(new IOException(name + ": completion for CID " + cid + ", which has no request in flight"));
            return;
        }
        inFlight[tag] = null;
        if (failed || quiesced) {
            return;
        }
        request.complete(status, dw0, dw1);
        handle.completed(request);
    }

    @Override
    public void queueFailed(QueuePair qp, IOException cause) {
        fail(cause);
    }

    /** Reports the queue's failure to the ULP, once. */
    private void fail(Throwable cause) {
        synchronized (submission) {
            if (failed) {
                return;
            }
            failed = true;
        }
        handle.reportError(cause);
    }

    /** Zenith queues run on interrupts: nothing to poll. */
    @Override
    public int pollQueue() {
        return 0;
    }

    @Override
    public void drainQueue() {
        QueuePair qp = queuePair;
        if (qp == null || quiesced) {
            return;
        }
        qp.drain();
        boolean locked = false;
        try {
            locked = reapLock.tryLock(DRAIN_WAIT_SECONDS, TimeUnit.SECONDS);
            if (locked && !quiesced) {
                qp.reapCompletions(this); // what completed before the stop, handed over before we return
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            quiesced = true;
            if (locked) {
                reapLock.unlock();
            }
        }
    }

    @Override
    public void destroyQueue() {
        synchronized (submission) {
            if (destroyed) {
                return;
            }
            destroyed = true;
            quiesced = true;
        }
        LockSupport.unpark(irq); // it sees destroyed and ends: no thread of the queue stays behind
        QueuePair qp = queuePair;
        if (qp != null) {
            qp.close();
        }
        onDestroyed.run();
    }

    @Override
    public String toString() {
        return name;
    }
}
