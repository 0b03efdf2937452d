package dev.nvmeof.spi.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One queue (one NVMe/TCP connection) of an association.
 *
 * <p>Threading: {@link #submit} may be called from any thread but never blocks; a transport hands work to its own
 * queue owner (event loop or hardware) and should write directly when the queue is idle, so an I/O costs few
 * cross-thread wake-ups. Completions arrive through the {@link QueueCallbacks} given at creation.
 */
@ConsumerType
public interface TransportQueue {

    int qid();

    /**
     * Hands one request to the transport (Linux {@code send_req}): its SQE (the transport sets the data pointer SGL:
     * in-capsule or transport data block) and its data. The request is the transport's until it completes through
     * {@link QueueCallbacks#completed} (exactly once) or the queue fails; the transport touches its buffers only in
     * between.
     */
    void submit(TransportRequest request);

    /**
     * {@link #submit(TransportRequest)} as part of a batch (Linux {@code queue_rq} with {@code bd->last}): when
     * {@code last} is false more requests follow, and the transport may hold this one back to send the batch
     * together at the last one or at {@link #commit()}, which the caller guarantees. Never blocks.
     */
    default void submit(TransportRequest request, boolean last) {
        submit(request);
    }

    /**
     * Sends what a batch held back (Linux {@code commit_rqs}): called when a batch ended without a request marked
     * last, from any thread, possibly while a completion is being delivered or after {@link #drain()} (then it does
     * nothing). Never blocks.
     */
    default void commit() {
    }

    /**
     * Reaps completions now (Linux {@code poll_queue}); for polled queues the only way they arrive.
     *
     * @return how many requests completed
     */
    int poll();

    /**
     * Blocks until nothing more can happen on this queue (Linux {@code drain_queue}): on return no completion will
     * arrive and no request buffer will be read or written. Outstanding requests are then the caller's again.
     */
    void drain();

    /** Closes the connection (Linux {@code destroy_queue}); drains first. Idempotent. */
    void close();
}
