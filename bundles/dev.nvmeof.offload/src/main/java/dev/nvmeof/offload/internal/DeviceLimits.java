package dev.nvmeof.offload.internal;

import dev.nvmeof.spi.offload.OffloadLimits;
import dev.nvmeof.spi.transport.TransportLimits;

/**
 * What the core sees of an offload device's maximums. The hardware vectors cap the I/O queues as
 * {@link TransportLimits#maxIoQueues()}: the core asks the controller for at most that many and splits what it grants
 * into default/read/poll queues itself (Linux {@code nvmf_set_io_queues}), for every transport alike. Pure.
 */
final class DeviceLimits {

    private DeviceLimits() {
    }

    /**
     * At most {@code hardwareVectors} I/O queues, I/O split by {@code maxIoSize} and {@code maxSegments}, polled
     * queues only on a device that polls.
     */
    static TransportLimits transportLimits(OffloadLimits limits) {
        return new TransportLimits(limits.hardwareVectors(), limits.maxIoSize(), limits.maxSegments(),
                limits.polling());
    }
}
