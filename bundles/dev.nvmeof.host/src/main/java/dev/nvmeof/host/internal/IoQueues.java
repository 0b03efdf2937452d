package dev.nvmeof.host.internal;

import dev.nvmeof.api.ConnectOptions;
import dev.nvmeof.api.IoRequest;
import dev.nvmeof.api.QueueCounts;
import dev.nvmeof.protocol.AdminCommands;

/**
 * How many I/O queues a controller asks for, how the granted ones split into default/read/poll queues, and which
 * queue a request takes: Linux's {@code nvmf_nr_io_queues}, {@code nvmf_set_io_queues} and {@code nvmf_map_queues}
 * ({@code drivers/nvme/host/fabrics.c}). The one implementation for every transport; an offload device's hardware
 * vectors reach it as {@code TransportLimits.maxIoQueues}. Pure.
 *
 * <p>Queues are numbered default first, then read, then poll (QID 1 up), as Linux lays out its queue maps.
 */
final class IoQueues {

    private IoQueues() {
    }

    /**
     * Queues to ask Set Features Number of Queues for: {@code nr_io_queues + nr_write_queues + nr_poll_queues}, at
     * most {@code maxIoQueues} (the transport's or device's limit) and what the command can carry.
     */
    static int asked(ConnectOptions options, int maxIoQueues) {
        long sum = (long) options.nrIoQueues() + options.nrWriteQueues() + options.nrPollQueues();
        return (int) Math.min(sum, Math.min(maxIoQueues, AdminCommands.MAX_QUEUES));
    }

    /**
     * Splits {@code granted} queues: with {@code nr_write_queues}, and only when more than {@code nr_io_queues} were
     * granted, {@code nr_io_queues} read queues and then up to {@code nr_write_queues} default ones; otherwise up to
     * {@code nr_io_queues} default queues shared by reads and writes. Poll queues get what is left, up to
     * {@code nr_poll_queues}.
     */
    static QueueCounts split(int nrIoQueues, int nrWriteQueues, int nrPollQueues, int granted) {
        int left = Math.max(0, granted);
        int read = 0;
        int defaults;
        if (nrWriteQueues > 0 && nrIoQueues < left) {
            read = nrIoQueues;
            left -= read;
            defaults = Math.min(nrWriteQueues, left);
        } else {
            defaults = Math.min(nrIoQueues, left);
        }
        left -= defaults;
        int poll = Math.min(Math.max(0, nrPollQueues), left);
        return new QueueCounts(defaults, read, poll);
    }

    /**
     * The index (QID - 1) of the queue for a request from thread {@code thread}: a poll queue for a polled request
     * when there is one, a read queue for a read when there is one, else a default queue. The same thread keeps to
     * the same queue of each kind. Allocates nothing.
     *
     * @param counts with at least one default queue
     */
    static int index(QueueCounts counts, IoRequest.Operation operation, boolean polled, long thread) {
        if (polled && counts.pollQueues() > 0) {
            return pollIndex(counts, thread);
        }
        if (operation == IoRequest.Operation.READ && counts.readQueues() > 0) {
            return counts.defaultQueues() + (int) Math.floorMod(thread, (long) counts.readQueues());
        }
        return (int) Math.floorMod(thread, (long) counts.defaultQueues());
    }

    /**
     * {@link #index(QueueCounts, IoRequest.Operation, boolean, long)}, except that a request submitted by the thread
     * delivering queue {@code delivering}'s completions (from a completion callback) stays on that queue when it is of
     * the request's kind: its reader writes it with whatever else it answers (blk-mq completes on the queue's CPU and
     * a resubmission from there maps back to the same queue).
     *
     * @param delivering the index of the queue the calling thread is delivering completions of, or -1
     */
    static int index(QueueCounts counts, IoRequest.Operation operation, boolean polled, long thread, int delivering) {
        int index = index(counts, operation, polled, thread);
        return delivering >= 0 && kind(counts, delivering) == kind(counts, index) ? delivering : index;
    }

    /** 0 for a default queue, 1 for a read queue, 2 for a poll queue. */
    private static int kind(QueueCounts counts, int index) {
        if (index < counts.defaultQueues()) {
            return 0;
        }
        return index < counts.defaultQueues() + counts.readQueues() ? 1 : 2;
    }

    /** The index of thread {@code thread}'s poll queue; the controller has at least one. */
    static int pollIndex(QueueCounts counts, long thread) {
        return counts.defaultQueues() + counts.readQueues() + (int) Math.floorMod(thread, (long) counts.pollQueues());
    }
}
