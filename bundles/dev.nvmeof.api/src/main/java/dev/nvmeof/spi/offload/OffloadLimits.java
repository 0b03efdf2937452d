package dev.nvmeof.spi.offload;

/**
 * A device's maximums (Linux {@code max_hw_sectors}, {@code max_segments}, {@code num_hw_vectors}): the ULP splits
 * I/O by them and creates at most {@code hardwareVectors} I/O queues per controller.
 *
 * @param polling whether its queues can be polled ({@link OffloadQueue#pollQueue()})
 */
public record OffloadLimits(int maxIoSize, int maxSegments, int hardwareVectors, boolean polling) {
    public OffloadLimits {
        if (maxIoSize < 512 || maxSegments < 1 || hardwareVectors < 1) {
            throw new IllegalArgumentException("limits " + maxIoSize + "/" + maxSegments + "/" + hardwareVectors);
        }
    }
}
