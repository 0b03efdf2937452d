/**
 * The transport SPI: what the host core asks of a transport ("tcp", "tcp_offload") and what it gives back. Shaped
 * like the Linux fabrics transport ops: an association per controller ({@code setup_ctrl}/{@code release_ctrl}),
 * queues created with their connection handshake ({@code create_queue}), requests handed over one by one
 * ({@code send_req}) and completed exactly once through the queue's callbacks, polling, a blocking drain and errors
 * reported with their cause. Transports register as whiteboard services of type {@link Transport}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package dev.nvmeof.spi.transport;
