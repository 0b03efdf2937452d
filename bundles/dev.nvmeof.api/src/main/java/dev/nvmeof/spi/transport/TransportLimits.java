package dev.nvmeof.spi.transport;

/**
 * What an association can do at most (for an offload device, its maximums: Linux {@code num_hw_vectors},
 * {@code max_hw_sectors}, {@code max_segments}).
 *
 * @param maxIoQueues     the most I/O queues (hardware vectors); the core creates
 *                        {@code min(nr_io_queues, maxIoQueues, granted)}
 * @param maxTransferSize the most data one command may move, in bytes; larger I/O is split by the core
 * @param maxSegments     the most buffer segments per command (1 for a single contiguous buffer)
 * @param polling         whether queues can be polled ({@link TransportQueue#poll()}) instead of interrupt-driven
 */
public record TransportLimits(int maxIoQueues, int maxTransferSize, int maxSegments, boolean polling) {
    public TransportLimits {
        if (maxIoQueues < 1 || maxTransferSize < 512 || maxSegments < 1) {
            throw new IllegalArgumentException("limits " + maxIoQueues + "/" + maxTransferSize + "/" + maxSegments);
        }
    }
}
