package dev.nvmeof.nic.emulated.internal;

import dev.nvmeof.nic.emulated.CompletionHandler;
import dev.nvmeof.nic.emulated.SubmissionSlot;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The submission and completion rings of one queue pair, with running int counters (they wrap; compared by
 * difference). The driver writes {@code tail} and {@code reaped}; the engine writes {@code head} (private) and
 * {@code completed}. A doorbell sets {@code due} when it is clear: only then does the engine need a wake-up, so a
 * batch of doorbells costs at most one.
 */
final class Rings {
    private final SubmissionSlot[] slots;
    private final int[] cids;
    private final int[] statuses;
    private final int[] dw0s;
    private final int[] dw1s;
    private final AtomicBoolean due = new AtomicBoolean();
    private volatile int tail;
    private volatile int completed;
    private volatile int reaped;
    private int head;

    Rings(int depth) {
        slots = new SubmissionSlot[depth];
        for (int i = 0; i < depth; i++) {
            slots[i] = new SubmissionSlot();
        }
        cids = new int[depth];
        statuses = new int[depth];
        dw0s = new int[depth];
        dw1s = new int[depth];
    }

    int depth() {
        return slots.length;
    }

    SubmissionSlot slot(int index) {
        return slots[Integer.remainderUnsigned(index, slots.length)];
    }

    /**
     * Driver side: publishes {@code newTail}.
     *
     * @return true when the engine must be woken (it was not already due)
     */
    boolean ringDoorbell(int newTail) {
        int current = tail;
        if (newTail - current < 0) {
            throw new IllegalArgumentException("doorbell moved back from " + current + " to " + newTail);
        }
        if (newTail - reaped > slots.length) {
            throw new IllegalStateException("submission ring full: " + (newTail - reaped) + " outstanding for "
                    + slots.length + " entries (reap completions first)");
        }
        tail = newTail;
        return !due.get() && due.compareAndSet(false, true);
    }

    int tail() {
        return tail;
    }

    /** Engine side: clears the due flag, then returns how many entries wait past {@code head}. */
    int beginConsume() {
        due.set(false);
        return tail - head;
    }

    /** Engine side: the next entry to consume; {@link #consumed()} after reading it. */
    SubmissionSlot headSlot() {
        return slot(head);
    }

    void consumed() {
        head++;
    }

    /** Engine side: publishes one completion (the ring cannot overflow: outstanding commands are capped). */
    void complete(int cid, int status, int dw0, int dw1) {
        int at = Integer.remainderUnsigned(completed, slots.length);
        cids[at] = cid;
        statuses[at] = status;
        dw0s[at] = dw0;
        dw1s[at] = dw1;
        completed = completed + 1; // single writer: the engine thread
    }

    /**
     * Engine side: a command will never complete (a dropped completion): its entry stays counted as outstanding,
     * as on hardware that lost it; nothing to do here. Driver side follows.
     */
    int reap(CompletionHandler handler) {
        int end = completed;
        int from = reaped;
        for (int i = from; i != end; i++) {
            int at = Integer.remainderUnsigned(i, slots.length);
            reaped = i + 1; // frees the entry before the handler, which may submit again
            handler.onCompletion(cids[at], statuses[at], dw0s[at], dw1s[at]);
        }
        return end - from;
    }

    /** Completions published and not yet reaped. */
    int pendingCompletions() {
        return completed - reaped;
    }
}
