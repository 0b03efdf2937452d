package dev.nvmeof.perf.internal;

import java.nio.ByteBuffer;

import dev.nvmeof.api.IoRequest;

/**
 * One of a job's reusable requests with its buffer. The owner thread writes everything but {@link #doneAt} and
 * {@link #state}; the completing thread writes those two, {@code state} last, so the owner reading {@code state}
 * sees {@code doneAt}.
 */
final class Slot implements IoRequest.Callback {
    static final int FREE = 0;
    static final int BUSY = 1;
    static final int DONE = 2;

    final int index;
    final ByteBuffer buffer;
    final IoRequest request = new IoRequest();
    private final Job job;

    // Owner thread.
    long unit;
    long lba;
    boolean read;
    boolean measured;
    /** A read to check: the oldest generation it may return. A write: its generation. 0 for neither. */
    int generation;
    long submittedAt;

    // Completing thread.
    long doneAt;
    volatile int state = FREE;

    Slot(int index, ByteBuffer buffer, Job job) {
        this.index = index;
        this.buffer = buffer;
        this.job = job;
        request.callback(this);
    }

    @Override
    public void completed(IoRequest r) {
        doneAt = System.nanoTime();
        state = DONE;
        job.signal(this);
    }
}
