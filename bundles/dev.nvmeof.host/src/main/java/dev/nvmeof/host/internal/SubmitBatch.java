package dev.nvmeof.host.internal;

import java.util.Arrays;

/**
 * A thread's batch of submissions ({@link dev.nvmeof.api.BlockDevice#submit(dev.nvmeof.api.IoRequest[], int, int)},
 * Linux's {@code blk_plug}): while one is open on the submitting thread, a {@link HostQueue} hands its requests to the
 * transport marked "more follow" and records itself here; closing the batch commits each such queue once, so a batch
 * costs one gathering write per queue instead of one per request. Nested batches count as one.
 *
 * <p>Thread-confined (one per thread, kept for the thread's life); nothing is allocated per request.
 */
final class SubmitBatch {
    private static final ThreadLocal<SubmitBatch> CURRENT = ThreadLocal.withInitial(SubmitBatch::new);

    private HostQueue[] deferred = new HostQueue[4];
    private int count;
    private int depth;

    private SubmitBatch() {
    }

    /** Opens (or joins) the calling thread's batch; {@link #close()} it in a finally block. */
    static SubmitBatch open() {
        SubmitBatch batch = CURRENT.get();
        batch.depth++;
        return batch;
    }

    /** The calling thread's open batch, or null when it submits request by request. */
    static SubmitBatch current() {
        SubmitBatch batch = CURRENT.get();
        return batch.depth > 0 ? batch : null;
    }

    /** {@code queue} holds requests of this batch back until it closes. */
    void defer(HostQueue queue) {
        for (int i = 0; i < count; i++) {
            if (deferred[i] == queue) {
                return;
            }
        }
        if (count == deferred.length) {
            deferred = Arrays.copyOf(deferred, count * 2);
        }
        deferred[count++] = queue;
    }

    /** Ends the outermost batch: every queue it held back writes now. */
    void close() {
        if (--depth > 0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            HostQueue queue = deferred[i];
            deferred[i] = null;
            queue.commit();
        }
        count = 0;
    }
}
