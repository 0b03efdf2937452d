package dev.nvmeof.offload.internal;

import dev.nvmeof.spi.offload.OffloadLimits;
import dev.nvmeof.spi.transport.TransportLimits;

/**
 * How many I/O queues an offload controller gets and how they are split (Linux {@code nvmf_set_io_queues}), and the
 * device limits the core splits I/O by. Pure.
 *
 * @param defaultQueues queues for writes (and for reads when there are no read queues)
 * @param readQueues    queues for reads only (when {@code nr_write_queues} was given)
 * @param pollQueues    polled queues
 */
record QueueCount(int defaultQueues, int readQueues, int pollQueues) {

    QueueCount {
        if (defaultQueues < 0 || readQueues < 0 || pollQueues < 0) {
            throw new IllegalArgumentException("negative queue count");
        }
    }

    int total() {
        return defaultQueues + readQueues + pollQueues;
    }

    /** {@code min(asked, hardwareVectors, granted)}, never below 0. */
    static int ioQueues(int asked, int hardwareVectors, int granted) {
        return Math.max(0, Math.min(asked, Math.min(hardwareVectors, granted)));
    }

    /**
     * The split of {@code min(nr_io_queues + nr_write_queues + nr_poll_queues, hardwareVectors, granted)} queues
     * into default/read/poll maps, as Linux does: read queues first when write queues were asked for, then the
     * default ones, then poll queues with what is left.
     */
    static QueueCount of(int nrIoQueues, int nrWriteQueues, int nrPollQueues, int hardwareVectors, int granted) {
        int left = ioQueues(nrIoQueues + nrWriteQueues + nrPollQueues, hardwareVectors, granted);
        int read = 0;
        int normal;
        if (nrWriteQueues > 0 && nrIoQueues < left) {
            read = nrIoQueues;
            left -= read;
            normal = Math.min(nrWriteQueues, left);
        } else {
            normal = Math.min(nrIoQueues, left);
        }
        left -= normal;
        int poll = nrPollQueues > 0 ? Math.min(nrPollQueues, left) : 0;
        return new QueueCount(normal, read, poll);
    }

    /**
     * What the core sees of a device: at most {@code hardwareVectors} I/O queues, and I/O split by {@code maxIoSize}
     * and {@code maxSegments}.
     */
    static TransportLimits transportLimits(OffloadLimits limits) {
        return new TransportLimits(limits.hardwareVectors(), limits.maxIoSize(), limits.maxSegments(),
                limits.polling());
    }
}
