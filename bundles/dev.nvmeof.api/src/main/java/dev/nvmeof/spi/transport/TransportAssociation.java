package dev.nvmeof.spi.transport;

import org.osgi.annotation.versioning.ConsumerType;

import dev.nvmeof.api.NvmeException;

/**
 * One controller's use of a transport, from {@link Transport#associate} to {@link #close()} (Linux
 * {@code setup_ctrl}/{@code release_ctrl}). The core creates the admin queue first, then the I/O queues.
 */
@ConsumerType
public interface TransportAssociation extends AutoCloseable {

    /** The limits of this association: the core caps queues and splits I/O by them. */
    TransportLimits limits();

    /**
     * Creates a queue and its connection: TCP connect and ICReq/ICResp, within {@link QueueParameters#connectTimeout()}
     * (Linux {@code create_queue}). Blocking. The Fabrics Connect command is the core's first request on it.
     *
     * @throws NvmeException {@code NvmeTimeoutException} naming the step that missed its deadline, or
     *                       {@code NvmeTransportException} when the peer refused or broke the handshake
     */
    TransportQueue createQueue(QueueParameters parameters, QueueCallbacks callbacks) throws NvmeException;

    /** What a user is told about this association, e.g. {@code tcp 127.0.0.1:4420 from 127.0.0.1:40312}. */
    String describe();

    /** Releases what {@link Transport#associate} set up; every queue is closed first. Idempotent. */
    @Override
    void close();
}
