package dev.nvmeof.spi.offload;

import org.osgi.annotation.versioning.ConsumerType;

import dev.nvmeof.api.NvmeException;
import dev.nvmeof.spi.transport.QueueParameters;

/**
 * A device's state for one controller, from {@link OffloadDriver#setupCtrl} to {@link #close()}
 * ({@code release_ctrl}).
 */
@ConsumerType
public interface OffloadController extends AutoCloseable {

    /**
     * Creates a hardware queue and its connection on the device: TCP connect and ICReq/ICResp, done by the device
     * (Linux {@code create_queue}). Blocking, within {@link QueueParameters#connectTimeout()}.
     *
     * @param handle what the driver reports completions' owner errors to: the ULP's side of this queue
     */
    OffloadQueue createQueue(QueueParameters parameters, OffloadQueueHandle handle) throws NvmeException;

    /** Releases the controller's device state; every queue is destroyed first. Idempotent. */
    @Override
    void close();
}
