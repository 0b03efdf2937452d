package dev.nvmeof.spi.offload;

import org.osgi.annotation.versioning.ProviderType;

import dev.nvmeof.spi.transport.TransportRequest;

/** The ULP's side of one hardware queue, given to the driver at {@link OffloadController#createQueue}. */
@ProviderType
public interface OffloadQueueHandle {

    /** A request completed (its status set with {@link TransportRequest#complete}); exactly once per request. */
    void completed(TransportRequest request);

    /**
     * The queue failed (Linux {@code report_err}, here with its cause): the ULP starts the controller's error
     * recovery. After this no request of the queue completes.
     */
    void reportError(Throwable cause);
}
