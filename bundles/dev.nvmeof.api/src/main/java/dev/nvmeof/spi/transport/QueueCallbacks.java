package dev.nvmeof.spi.transport;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.api.NvmeTransportException;

/** What a transport tells the core about one queue. Implemented by the core. */
@ProviderType
public interface QueueCallbacks {

    /**
     * The request completed: its status and result are set ({@link TransportRequest#complete}). Called exactly once
     * per submitted request, on a transport thread (or inside {@link TransportQueue#poll()}), never after the queue
     * failed or was drained. Must not block.
     */
    void completed(TransportRequest request);

    /**
     * The queue is dead (connection lost, malformed PDU, TermReq, driver error: Linux {@code report_err}, here with
     * its cause). After this no request of the queue completes; the core owns every outstanding request again and
     * starts error recovery. Called at most once.
     */
    void failed(NvmeTransportException cause);
}
