/**
 * The software {@code tcp} transport: NVMe/TCP over NIO, private to this bundle. Registered as a
 * {@link dev.nvmeof.spi.transport.Transport} service by {@link dev.nvmeof.transport.tcp.internal.TcpTransport}.
 *
 * <p>Threads: a few {@link dev.nvmeof.transport.tcp.internal.EventLoop}s (one per CPU by default), each owning the
 * receive side of its queues; the send side of a queue is guarded by one short lock so the submitting thread writes
 * to the socket itself when the queue is idle (see {@link dev.nvmeof.transport.tcp.internal.SendPath}).
 */
package dev.nvmeof.transport.tcp.internal;
