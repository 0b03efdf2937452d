package dev.nvmeof.spi.offload;

import org.osgi.annotation.versioning.ConsumerType;

import dev.nvmeof.spi.transport.TransportRequest;

/** A hardware queue of a device. */
@ConsumerType
public interface OffloadQueue {

    /**
     * Hands one request to the hardware (Linux {@code send_req}); never blocks. The driver completes it exactly once
     * through {@link OffloadQueueHandle#completed}, unless the queue fails first.
     */
    void sendReq(TransportRequest request);

    /** Reaps completions now (Linux {@code poll_queue}); returns how many completed. */
    int pollQueue();

    /**
     * Blocks until the hardware is quiet (Linux {@code drain_queue}): on return no completion arrives and no host
     * memory is read or written for this queue.
     */
    void drainQueue();

    /** Closes the queue's connection on the device (Linux {@code destroy_queue}). Idempotent. */
    void destroyQueue();
}
